using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Machines;
using MotorRT.Hardware.Can;
using MotorRT.Hardware.Emulation;

namespace MotorRT.Hardware.Moteus;

/// <summary>
/// Rig kind <c>"moteus"</c>: a moteus servo over SocketCAN with CAN-FD, or with <c>"emulate": true</c> the emulated
/// board over an in-process socket pair with the rig of its <c>sim</c> sub-section behind it (built through the registry).
/// </summary>
public sealed class MoteusRigKind : CanRigKind<MoteusRigSection>
{
    /// <inheritdoc />
    public override string Type => "moteus";

    /// <inheritdoc />
    public override string Summary => "A moteus servo over CAN-FD (register protocol, SocketCAN): position-mode torque commands (kp = kd = 0) or current-mode commands with a query per frame; mode, position, velocity, torque, q current, voltage and fault in the reply; or its emulation over the twin.";

    /// <inheritdoc />
    protected override string BoardName => "moteus";

    /// <inheritdoc />
    protected override string MissingEncoderMessage => "the moteus rig reports the servo's position as encoder counts, but sensors.encoder is missing";

    /// <inheritdoc />
    protected override bool IsEmulated(MoteusRigSection section) => section.Emulate;

    /// <inheritdoc />
    protected override RigBuild CreateReal(MoteusRigSection s, RigRequest request)
    {
        double period = 1.0 / s.FrequencyHz;
        return new RigBuild(new MoteusRig(() => SocketCanTransport.Open(s.Interface, canFd: true), s.ServoId, s.SourceId, period, s.ReplyTimeout,
            s.MaximumTorque ?? double.NaN, s.WatchdogTimeout, request.Sensors));
    }

    /// <inheritdoc />
    protected override RigBuild CreateEmulated(MoteusRigSection s, RigRequest request, RigBuild plant)
    {
        MotorParameters motor = plant.PlantMotor!;
        SocketCanTransport host = CanRigEmulation.CreateBoard(request.Section, plant, s.InnerSteps, s.FrequencyHz,
            device => new EmulatedMoteus(device, plant.Rig, motor, request.Sensors, s.ServoId, s.InnerSteps), out EmulatedMoteus board, out double loopPeriod);
        var moteus = new MoteusRig(host, s.ServoId, s.SourceId, loopPeriod, s.ReplyTimeout, s.MaximumTorque ?? double.NaN, s.WatchdogTimeout, request.Sensors, board);
        return new RigBuild(moteus, plant.PlantMotor);
    }
}

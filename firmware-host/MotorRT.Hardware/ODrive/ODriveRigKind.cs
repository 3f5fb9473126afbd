using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Machines;
using MotorRT.Hardware.Can;
using MotorRT.Hardware.Emulation;

namespace MotorRT.Hardware.ODrive;

/// <summary>
/// Rig kind <c>"odrive"</c>: an ODrive axis over SocketCAN, or with <c>"emulate": true</c> the emulated board over an
/// in-process socket pair with the rig of its <c>sim</c> sub-section behind it (built through the registry).
/// </summary>
public sealed class ODriveRigKind : CanRigKind<ODriveRigSection>
{
    /// <inheritdoc />
    public override string Type => "odrive";

    /// <inheritdoc />
    public override string Summary => "An ODrive axis over CAN (CANSimple, SocketCAN): torque set-points out, encoder estimates, I_q, bus voltage and heartbeat in; or its emulation over the twin.";

    /// <inheritdoc />
    protected override string BoardName => "ODrive";

    /// <inheritdoc />
    protected override string MissingEncoderMessage => "the ODrive rig reports the board's position estimate as encoder counts, but sensors.encoder is missing";

    /// <inheritdoc />
    protected override bool IsEmulated(ODriveRigSection section) => section.Emulate;

    /// <inheritdoc />
    protected override RigBuild CreateReal(ODriveRigSection s, RigRequest request)
    {
        double period = 1.0 / s.FrequencyHz;
        return new RigBuild(new ODriveRig(() => SocketCanTransport.Open(s.Interface), s.NodeId, period, s.HeartbeatTimeout,
            s.TorqueConstant ?? double.NaN, request.Sensors));
    }

    /// <inheritdoc />
    protected override RigBuild CreateEmulated(ODriveRigSection s, RigRequest request, RigBuild plant)
    {
        MotorParameters motor = plant.PlantMotor!;
        SocketCanTransport host = CanRigEmulation.CreateBoard(request.Section, plant, s.InnerSteps, s.FrequencyHz,
            device => new EmulatedODrive(device, plant.Rig, motor, request.Sensors, s.NodeId, s.InnerSteps), out EmulatedODrive board, out double loopPeriod);
        var odrive = new ODriveRig(host, s.NodeId, loopPeriod, s.HeartbeatTimeout, s.TorqueConstant ?? board.TorqueConstant, request.Sensors, board);
        return new RigBuild(odrive, plant.PlantMotor);
    }
}

using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Hardware.Can;
using MotorRT.Hardware.Emulation;
using MotorRT.Hardware.Hil;

namespace MotorRT.Hardware.Moteus;

/// <summary>
/// Rig kind <c>"moteus"</c>: a moteus servo over SocketCAN with CAN-FD, or with <c>"emulate": true</c> the emulated
/// board over an in-process socket pair with the rig of its <c>sim</c> sub-section behind it (built through the registry).
/// </summary>
public sealed class MoteusRigKind : IRigKind
{
    /// <inheritdoc />
    public string Type => "moteus";

    /// <inheritdoc />
    public string Summary => "A moteus servo over CAN-FD (register protocol, SocketCAN): position-mode torque commands (kp = kd = 0) or current-mode commands with a query per frame; mode, position, velocity, torque, q current, voltage and fault in the reply; or its emulation over the twin.";

    /// <summary>Metadata of the section record.</summary>
    public static System.Text.Json.Serialization.Metadata.JsonTypeInfo<MoteusRigSection> SectionInfo =>
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<MoteusRigSection>)HardwareConfigJson.ConfigOptions.GetTypeInfo(typeof(MoteusRigSection));

    /// <inheritdoc />
    public System.Text.Json.Serialization.Metadata.JsonTypeInfo Section => SectionInfo;

    /// <inheritdoc />
    public RigBuild Create(RigRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RawSection rig = request.Section;
        MoteusRigSection s = rig.Read(SectionInfo);
        if (request.Sensors.Encoder is null)
        {
            throw rig.Error("type", "the moteus rig reports the servo's position as encoder counts, but sensors.encoder is missing",
                "add sensors.encoder (lines_per_revolution: the counts per turn / 4 the trace should use)");
        }
        double maximumTorque = s.MaximumTorque ?? double.NaN;
        if (!s.Emulate)
        {
            double period = 1.0 / s.FrequencyHz;
            return new RigBuild(new MoteusRig(() => SocketCanTransport.Open(s.Interface, canFd: true), s.ServoId, s.SourceId, period, s.ReplyTimeout,
                maximumTorque, s.WatchdogTimeout, request.Sensors));
        }
        RigBuild plant = CanRigEmulation.CreatePlant(request, rig, "moteus");
        MotorParameters motor = plant.PlantMotor!;
        SocketCanTransport host = CanRigEmulation.CreateBoard(rig, plant, s.InnerSteps, s.FrequencyHz,
            device => new EmulatedMoteus(device, plant.Rig, motor, request.Sensors, s.ServoId, s.InnerSteps), out EmulatedMoteus board, out double loopPeriod);
        var moteus = new MoteusRig(host, s.ServoId, s.SourceId, loopPeriod, s.ReplyTimeout, maximumTorque, s.WatchdogTimeout, request.Sensors, board);
        return new RigBuild(moteus, plant.PlantMotor);
    }
}

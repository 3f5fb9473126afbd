using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Configuration;
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
        if (request.Kinds.Find("sim") is null)
        {
            throw rig.Error("emulate", "the emulated moteus needs the simulation twin, which this program does not include",
                "use 'motorrt simulate' for \"emulate\": true, or set it to false on the rig");
        }
        RawSection sim = rig.Optional("sim")
            ?? throw rig.Error("sim", "required field is missing", "add \"sim\": { \"type\": \"sim\" } (the twin behind the emulated board)");
        RigBuild plant = request.Kinds.Create(request with { Section = sim });
        if (plant.PlantMotor is null)
        {
            plant.Rig.Dispose();
            throw rig.Error("sim", "the rig behind the emulated moteus has no simulated machine", "use { \"type\": \"sim\" } with a plant section");
        }
        EmulatedMoteus board;
        var (host, device) = SocketCanTransport.CreatePair();
        try
        {
            board = new EmulatedMoteus(device, plant.Rig, plant.PlantMotor, request.Sensors, s.ServoId, s.InnerSteps);
        }
        catch (ArgumentException e)
        {
            host.Dispose();
            device.Dispose();
            plant.Rig.Dispose();
            throw rig.Error("sim", e.Message, "use a permanently excited DC plant (e.g. \"preset\": \"Cont-CC-PermExDc-v0\")");
        }
        double loopPeriod = plant.Rig.Description.PwmPeriod * s.InnerSteps;
        if (Math.Abs(loopPeriod * s.FrequencyHz - 1.0) > 1e-9)
        {
            board.Dispose();
            host.Dispose();
            throw rig.Error("inner_steps", $"{s.InnerSteps} plant periods of {plant.Rig.Description.PwmPeriod:G6} s make {loopPeriod:G6} s, not 1 / frequency_hz = {1.0 / s.FrequencyHz:G6} s",
                "make frequency_hz = 1 / (plant tau × rig.sim.sub_steps × inner_steps)");
        }
        var moteus = new MoteusRig(host, s.ServoId, s.SourceId, loopPeriod, s.ReplyTimeout, maximumTorque, s.WatchdogTimeout, request.Sensors, board);
        return new RigBuild(moteus, plant.PlantMotor);
    }
}

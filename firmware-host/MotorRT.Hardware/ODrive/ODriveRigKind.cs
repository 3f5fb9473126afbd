using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Hardware.Can;
using MotorRT.Hardware.Emulation;
using MotorRT.Hardware.Hil;

namespace MotorRT.Hardware.ODrive;

/// <summary>
/// Rig kind <c>"odrive"</c>: an ODrive axis over SocketCAN, or with <c>"emulate": true</c> the emulated board over an
/// in-process socket pair with the rig of its <c>sim</c> sub-section behind it (built through the registry).
/// </summary>
public sealed class ODriveRigKind : IRigKind
{
    /// <inheritdoc />
    public string Type => "odrive";

    /// <inheritdoc />
    public string Summary => "An ODrive axis over CAN (CANSimple, SocketCAN): torque set-points out, encoder estimates, I_q, bus voltage and heartbeat in; or its emulation over the twin.";

    /// <summary>Metadata of the section record.</summary>
    public static System.Text.Json.Serialization.Metadata.JsonTypeInfo<ODriveRigSection> SectionInfo =>
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<ODriveRigSection>)HardwareConfigJson.ConfigOptions.GetTypeInfo(typeof(ODriveRigSection));

    /// <inheritdoc />
    public System.Text.Json.Serialization.Metadata.JsonTypeInfo Section => SectionInfo;

    /// <inheritdoc />
    public RigBuild Create(RigRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RawSection rig = request.Section;
        ODriveRigSection s = rig.Read(SectionInfo);
        if (request.Sensors.Encoder is null)
        {
            throw rig.Error("type", "the ODrive rig reports the board's position estimate as encoder counts, but sensors.encoder is missing",
                "add sensors.encoder (lines_per_revolution: the counts per turn / 4 the trace should use)");
        }
        if (!s.Emulate)
        {
            double period = 1.0 / s.FrequencyHz;
            return new RigBuild(new ODriveRig(() => SocketCanTransport.Open(s.Interface), s.NodeId, period, s.HeartbeatTimeout,
                s.TorqueConstant ?? double.NaN, request.Sensors));
        }
        RigBuild plant = CanRigEmulation.CreatePlant(request, rig, "ODrive");
        MotorParameters motor = plant.PlantMotor!;
        SocketCanTransport host = CanRigEmulation.CreateBoard(rig, plant, s.InnerSteps, s.FrequencyHz,
            device => new EmulatedODrive(device, plant.Rig, motor, request.Sensors, s.NodeId, s.InnerSteps), out EmulatedODrive board, out double loopPeriod);
        var odrive = new ODriveRig(host, s.NodeId, loopPeriod, s.HeartbeatTimeout, s.TorqueConstant ?? board.TorqueConstant, request.Sensors, board);
        return new RigBuild(odrive, plant.PlantMotor);
    }

}

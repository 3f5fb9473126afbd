using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Sensors;
using MotorRT.Hardware;
using MotorRT.Hardware.Hil;
using MotorRT.Runtime.Composition;
using MotorRT.Sim.Rig;

namespace MotorRT.Cli.Rigs;

/// <summary>
/// What <c>motorrt</c> can build: the runtime's and Hardware's rig kinds plus the twin (<see cref="SimRigKind"/>),
/// which only the CLI and hil-tests may reference. The JSON Schema lists exactly these kinds.
/// </summary>
public static class CliDrive
{
    /// <summary>The CLI's registry.</summary>
    public static DriveRegistry Registry { get; } = DriveRegistry.Create([new SimRigKind(), .. HardwareRigKinds.All]);

    /// <summary>
    /// The plant a <c>motorrt plant-server</c> serves for this config: the <c>rig.sim</c> sub-section of a "remote" rig,
    /// or the rig itself when it is of type "sim".
    /// </summary>
    public static (SimulatedRig Plant, int Port, byte[]? Key) CreatePlantServerRig(JsonSection rig, SensorSpec sensors, int seed, JsonSection? plant)
    {
        ArgumentNullException.ThrowIfNull(rig);
        string type = rig.OneOf("type", "sim", "remote");
        if (type == "sim")
        {
            return (SimulatedRigFactory.FromConfig(rig, sensors, seed, plant), HilProtocol.DefaultPort, null);
        }
        RemoteRigOptions options = RemoteRigOptions.Read(rig);
        return (SimulatedRigFactory.FromConfig(rig.Section("sim"), sensors, seed, plant), options.Port, options.Key);
    }
}

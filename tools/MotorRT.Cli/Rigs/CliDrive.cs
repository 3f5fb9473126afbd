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
    public static (SimulatedRig Plant, int Port, byte[]? Key) CreatePlantServerRig(RawSection rig, SensorSpec sensors, int seed, RawSection? plant)
    {
        string type = Registry.Rigs.Of(rig).Type;
        if (type == "sim")
        {
            return (SimulatedRigFactory.FromConfig(rig, sensors, seed, plant), HilProtocol.DefaultPort, null);
        }
        if (type != "remote")
        {
            throw rig.Error("type", $"the plant server serves a rig of type \"sim\" or \"remote\", not \"{type}\"", "use one of: sim, remote");
        }
        RemoteRigOptions options = RemoteRigOptions.Read(rig);
        RawSection sim = rig.Optional("sim") ?? throw rig.Error("sim", "required field is missing", "add \"sim\": { \"type\": \"sim\", ... } (the rig the plant server runs)");
        return (SimulatedRigFactory.FromConfig(sim, sensors, seed, plant), options.Port, options.Key);
    }
}

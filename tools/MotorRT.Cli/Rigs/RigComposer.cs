using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Sensors;
using MotorRT.Hardware.Emulation;
using MotorRT.Hardware.Hil;
using MotorRT.Hardware.RaspberryPi;
using MotorRT.Sim.Rig;

namespace MotorRT.Cli.Rigs;

/// <summary>
/// Builds the rig a config's <c>rig</c> section names — the one place that knows every rig implementation:
/// <c>"sim"</c> (the twin, <see cref="SimulatedRigFactory"/>), <c>"remote"</c> (the HIL plant server,
/// <see cref="RemoteRig"/>), <c>"raspberry-pi"</c> (real devices, or with <c>"emulate": true</c> the emulated board
/// with the twin of its <c>"sim"</c> sub-section behind the pins).
/// </summary>
public static class RigComposer
{
    /// <summary>Builds the rig. <paramref name="plant"/> is the config's top-level <c>plant</c> section, if any.</summary>
    public static IRigIo Create(JsonSection rig, SensorSpec sensors, int seed, JsonSection? plant) => Create(rig, sensors, seed, plant, out _);

    /// <summary>
    /// Builds the rig and reports the simulated machine's parameters when a twin is behind it in this process
    /// (<paramref name="plantMotor"/>; null for real and remote rigs), for configs without a <c>motor</c> section.
    /// </summary>
    public static IRigIo Create(JsonSection rig, SensorSpec sensors, int seed, JsonSection? plant, out MotorRT.Contracts.Machines.MotorParameters? plantMotor)
    {
        plantMotor = null;
        string type = rig.OneOf("type", "sim", "remote", "raspberry-pi");
        switch (type)
        {
            case "sim":
            {
                SimulatedRig simRig = SimulatedRigFactory.FromConfig(rig, sensors, seed, plant);
                plantMotor = simRig.Twin?.Motor;
                return simRig;
            }
            case "remote":
                return new RemoteRig(RemoteRigOptions.Read(rig));
            default:
                RaspberryPiRigSpec spec = RaspberryPiRigSpec.Read(rig, sensors);
                int lines = sensors.Encoder?.LinesPerRevolution ?? 0;
                if (!spec.Emulate)
                {
                    if (!RaspberryPiDevices.IsRaspberryPi())
                    {
                        throw rig.Error("type", "this machine is not a Raspberry Pi", "run on the Pi, or set \"emulate\": true with a \"sim\" section to use emulated devices");
                    }
                    return new RaspberryPiRig(spec, RaspberryPiDevices.OpenReal(spec), null, lines);
                }
                JsonSection sim = rig.Section("sim");
                SimulatedRig twin = SimulatedRigFactory.FromConfig(sim, sensors, seed, plant);
                plantMotor = twin.Twin?.Motor;
                var board = new EmulatedBoard(spec, twin, lines);
                return new RaspberryPiRig(spec, board.CreateDevices(), board, lines);
        }
    }

    /// <summary>
    /// The plant a <c>motorrt plant-server</c> serves for this config: the <c>rig.sim</c> sub-section of a "remote" rig,
    /// or the rig itself when it is of type "sim"; with the port and the pre-shared key (<c>rig.psk_file</c>) of a remote rig.
    /// </summary>
    public static (SimulatedRig Plant, int Port, byte[]? Key) CreatePlantServerRig(JsonSection rig, SensorSpec sensors, int seed, JsonSection? plant)
    {
        string type = rig.OneOf("type", "sim", "remote");
        if (type == "sim")
        {
            return (SimulatedRigFactory.FromConfig(rig, sensors, seed, plant), HilProtocol.DefaultPort, null);
        }
        RemoteRigOptions options = RemoteRigOptions.Read(rig);
        return (SimulatedRigFactory.FromConfig(rig.Section("sim"), sensors, seed, plant), options.Port, options.Key);
    }
}

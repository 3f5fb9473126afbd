using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Hardware.Hil;
using MotorRT.Hardware.RaspberryPi;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Rigs;

namespace MotorRT.Host;

/// <summary>
/// Builds the rig named by the config's <c>rig.type</c> for the host daemon: <c>"raspberry-pi"</c> (real devices,
/// <c>MotorRT.Hardware</c>), <c>"remote"</c> (a HIL plant server over UDP), <c>"replay"</c> (a recorded raw-frame
/// trace). The host drives real or remote plants only: <c>"sim"</c> is refused (the twin runs under <c>motorrt simulate</c>, which may reference the sim).
/// </summary>
public static class HostRigFactory
{
    /// <summary>Rig types the host can build.</summary>
    public static readonly string[] Types = ["raspberry-pi", "remote", "replay"];

    /// <summary>Creates the rig; errors name the file and field.</summary>
    public static IRigIo Create(RuntimeConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        JsonSection rig = config.Rig;
        string type = rig.String("type");
        switch (type)
        {
            case "replay":
            {
                string file = rig.String("file");
                rig.EnsureNoUnknownKeys();
                string path = Path.IsPathRooted(file) ? file : Path.Combine(config.BaseDirectory, file);
                if (!File.Exists(path)) throw rig.Error("file", $"raw-frame trace \"{path}\" not found", "record one with a RecordingRig or give the right path (relative to the config)");
                return new ReplayRig(path);
            }
            case "remote":
                return new RemoteRig(RemoteRigOptions.Read(rig));
            case "raspberry-pi":
            {
                RaspberryPiRigSpec spec = RaspberryPiRigSpec.Read(rig, config.Sensors);
                if (spec.Emulate)
                {
                    throw rig.Error("emulate", "the host drives real devices only; the emulated board needs the twin", "use 'motorrt simulate' or the CLI's emulated rig for \"emulate\": true");
                }
                if (!RaspberryPiDevices.IsRaspberryPi())
                {
                    throw rig.Error("type", "this machine is not a Raspberry Pi", "run the host on the Pi, or use rig type \"remote\" against a plant server");
                }
                return new RaspberryPiRig(spec, RaspberryPiDevices.OpenReal(spec), null, config.Sensors.Encoder?.LinesPerRevolution ?? 0);
            }
            case "sim":
                throw rig.Error("type", "the host daemon does not run the simulation twin", "use 'motorrt simulate <config> --out <dir>' for rig type \"sim\"");
            default:
                throw rig.Error("type", $"unknown rig type \"{type}\" for the host", $"use one of: {string.Join(", ", Types)}");
        }
    }
}

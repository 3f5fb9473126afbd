using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Rigs;

namespace MotorRT.Host;

/// <summary>
/// Builds the rig named by the config's <c>rig.type</c> for the host daemon. The host drives real or remote plants
/// only: <c>"sim"</c> is refused (the twin runs under <c>motorrt simulate</c>, which may reference the sim).
/// </summary>
public static class HostRigFactory
{
    /// <summary>Rig types the host can build.</summary>
    public static readonly string[] Types = ["replay"];

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
            case "sim":
                throw rig.Error("type", "the host daemon does not run the simulation twin", "use 'motorrt simulate <config> --out <dir>' for rig type \"sim\"");
            default:
                throw rig.Error("type", $"unknown rig type \"{type}\" for the host", $"use one of: {string.Join(", ", Types)}");
        }
    }
}

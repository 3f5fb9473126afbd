using MotorRT.Hardware;
using MotorRT.Runtime.Composition;
using MotorRT.Runtime.Rigs;

namespace MotorRT.Host;

/// <summary>
/// What the host daemon can build: the runtime's rig kinds (replay) and Hardware's (Raspberry Pi, remote). It drives
/// real or remote plants only: <c>"sim"</c> is refused (the twin runs under <c>motorrt simulate</c>, which may reference the sim).
/// </summary>
public static class HostDrive
{
    /// <summary>The host's registry.</summary>
    public static DriveRegistry Registry { get; } = DriveRegistry.Create([
        .. HardwareRigKinds.All,
        new UnavailableRigKind("sim", "the host daemon does not run the simulation twin", "use 'motorrt simulate <config> --out <dir>' for rig type \"sim\""),
    ]);
}

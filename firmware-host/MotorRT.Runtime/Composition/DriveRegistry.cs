using MotorRT.Contracts.Composition;
using MotorRT.Runtime.Rigs;

namespace MotorRT.Runtime.Composition;

/// <summary>
/// What a program can build: its rig kinds and controller families. The runtime registers what it owns (the replay
/// rig, the standard controller families of <see cref="ControllerFactory"/>); each program adds the rig kinds it
/// references (the host: Hardware's; the CLI and hil-tests: Hardware's and the twin's).
/// </summary>
/// <param name="Rigs">The rig kinds.</param>
/// <param name="Controllers">The controller families.</param>
public sealed record DriveRegistry(RigKinds Rigs, ControllerFamilies Controllers)
{
    /// <summary>A registry with the runtime's own rig kinds, <paramref name="rigKinds"/> and the standard controller families.</summary>
    public static DriveRegistry Create(params IEnumerable<IRigKind> rigKinds) =>
        new(new RigKinds([new ReplayRigKind(), .. rigKinds]), ControllerFactory.Families);
}

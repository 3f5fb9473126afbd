namespace MotorRT.Contracts;

/// <summary>Which family of machine a rig drives; decides how the signal chain and the controllers read a frame.</summary>
public enum MachineKind
{
    /// <summary>A DC machine on a one- or two-channel DC converter (armature, optionally excitation).</summary>
    Dc = 0,

    /// <summary>A three-phase AC machine on a B6 bridge (optionally with a DC excitation channel, EESM).</summary>
    ThreePhase = 1,
}

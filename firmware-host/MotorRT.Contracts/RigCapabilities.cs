namespace MotorRT.Contracts;

/// <summary>Command modes a rig accepts (a set: combine with |).</summary>
[Flags]
public enum RigCommandModes
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>Continuous duty cycles (<see cref="CommandMode.DutyCycle"/>): a PWM bridge.</summary>
    DutyCycle = 1 << CommandMode.DutyCycle,

    /// <summary>Discrete switching states (<see cref="CommandMode.SwitchingState"/>).</summary>
    SwitchingState = 1 << CommandMode.SwitchingState,

    /// <summary>d/q current set-points (<see cref="CommandMode.CurrentSetpoint"/>): a smart drive with its own current loop.</summary>
    CurrentSetpoint = 1 << CommandMode.CurrentSetpoint,

    /// <summary>Torque set-points (<see cref="CommandMode.TorqueSetpoint"/>): a smart drive with its own torque loop.</summary>
    TorqueSetpoint = 1 << CommandMode.TorqueSetpoint,

    /// <summary>Speed set-points (<see cref="CommandMode.VelocitySetpoint"/>): a smart drive with its own velocity loop.</summary>
    VelocitySetpoint = 1 << CommandMode.VelocitySetpoint,
}

/// <summary>Quantities a rig measures (a set: combine with |).</summary>
[Flags]
public enum RigMeasurements
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>Phase (or armature) currents through ADC channels.</summary>
    PhaseCurrents = 1,

    /// <summary>Excitation current (externally excited machines).</summary>
    ExcitationCurrent = 2,

    /// <summary>DC-link voltage.</summary>
    DcLinkVoltage = 4,

    /// <summary>Incremental encoder position.</summary>
    EncoderPosition = 8,

    /// <summary>Encoder index pulse.</summary>
    EncoderIndex = 16,

    /// <summary>Hardware fault inputs (gate driver, hardware over-current).</summary>
    FaultInputs = 32,
}

/// <summary>
/// What a rig can take and what it measures, declared once by the rig. The loop refuses, before arming, a controller
/// whose command mode the rig does not declare.
/// </summary>
/// <param name="Commands">Command modes the rig accepts.</param>
/// <param name="Measurements">Quantities the rig measures.</param>
public readonly record struct RigCapabilities(RigCommandModes Commands, RigMeasurements Measurements)
{
    /// <summary>A PWM bridge with current, DC-link and encoder sensing (every rig today): duty cycles and switching states.</summary>
    public static RigCapabilities PwmBridge { get; } = new(
        RigCommandModes.DutyCycle | RigCommandModes.SwitchingState,
        RigMeasurements.PhaseCurrents | RigMeasurements.ExcitationCurrent | RigMeasurements.DcLinkVoltage
        | RigMeasurements.EncoderPosition | RigMeasurements.EncoderIndex | RigMeasurements.FaultInputs);

    /// <summary>True when the rig accepts commands of <paramref name="mode"/>.</summary>
    public bool Accepts(CommandMode mode) => (Commands & (RigCommandModes)(1 << (int)mode)) != 0;
}

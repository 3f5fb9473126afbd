namespace MotorRT.Contracts.Machines;

/// <summary>
/// Parameters shared by GEM's wound-field DC motors (externally excited, series, shunt), SI. GEM gives all three the
/// same defaults except r_e: r_a 0.016 Ω, l_a 1.9e-5 H, l_e 0.0054 H, l_e' 0.0017 H, j_rotor 0.0025 kg·m².
/// </summary>
public abstract record WoundDcParameters : MachineParameters
{
    /// <summary>Armature resistance r_a, in Ω.</summary>
    public required double ArmatureResistance { get; init; }

    /// <summary>Armature inductance l_a, in H.</summary>
    public required double ArmatureInductance { get; init; }

    /// <summary>Excitation resistance r_e, in Ω.</summary>
    public required double ExcitationResistance { get; init; }

    /// <summary>Excitation inductance l_e, in H.</summary>
    public required double ExcitationInductance { get; init; }

    /// <summary>Mutual (cross) inductance l_e_prime between excitation and armature, in H.</summary>
    public required double MutualInductance { get; init; }

    /// <summary>GEM's limits of its wound-field DC motors: 210 A, 60 V, 400 rad/s, 38 N·m; excitation 210 A unless series.</summary>
    protected static MotorLimits GemLimits(bool hasExcitationCurrentLimit) =>
        new() { Speed = 400, Torque = 38, Current = 210, Voltage = 60, ExcitationCurrent = hasExcitationCurrentLimit ? 210 : 0 };

    /// <summary>GEM's file names of the parameters, in GEM's order (r_a, r_e, l_a, l_e_prime, l_e, j_rotor).</summary>
    protected static MachineParameterField[] Fields<T>() where T : WoundDcParameters =>
    [
        MachineParameterField.Of<T>("r_a", "Ω", p => p.ArmatureResistance, (p, v) => p with { ArmatureResistance = v }),
        MachineParameterField.Of<T>("r_e", "Ω", p => p.ExcitationResistance, (p, v) => p with { ExcitationResistance = v }),
        MachineParameterField.Of<T>("l_a", "H", p => p.ArmatureInductance, (p, v) => p with { ArmatureInductance = v }),
        MachineParameterField.Of<T>("l_e_prime", "H", p => p.MutualInductance, (p, v) => p with { MutualInductance = v }),
        MachineParameterField.Of<T>("l_e", "H", p => p.ExcitationInductance, (p, v) => p with { ExcitationInductance = v }),
        MachineParameterField.Of<T>("j_rotor", "kg·m²", p => p.RotorInertia, (p, v) => p with { RotorInertia = v }),
    ];

    /// <summary>The flat record of this machine with the given legacy type.</summary>
    protected MotorParameters Flat(MotorType type) => new()
    {
        Type = type, ArmatureResistance = ArmatureResistance, ExcitationResistance = ExcitationResistance, ArmatureInductance = ArmatureInductance,
        MutualInductance = MutualInductance, ExcitationInductance = ExcitationInductance, RotorInertia = RotorInertia, Limits = Limits,
    };
}

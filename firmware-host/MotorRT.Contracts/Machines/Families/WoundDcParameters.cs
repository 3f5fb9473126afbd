namespace MotorRT.Contracts.Machines;

/// <summary>
/// Parameters shared by GEM's wound-field DC motors (externally excited, series, shunt), SI. GEM gives all three the
/// same defaults except r_e (and the excitation limit), which the derived records set.
/// </summary>
public abstract record WoundDcParameters : MachineParameters
{
    /// <summary>Armature resistance r_a, in Ω (GEM default 0.016).</summary>
    public double ArmatureResistance { get; init; } = 0.016;

    /// <summary>Armature inductance l_a, in H (GEM default 1.9e-5).</summary>
    public double ArmatureInductance { get; init; } = 1.9e-5;

    /// <summary>Excitation resistance r_e, in Ω.</summary>
    public required double ExcitationResistance { get; init; }

    /// <summary>Excitation inductance l_e, in H (GEM default 0.0054).</summary>
    public double ExcitationInductance { get; init; } = 0.0054;

    /// <summary>Mutual (cross) inductance l_e_prime between excitation and armature, in H (GEM default 0.0017).</summary>
    public double MutualInductance { get; init; } = 0.0017;

    /// <summary>GEM's rotor inertia of its wound-field DC motors, j_rotor 0.0025 kg·m² (GEM's docstring says 0.025; the code is the truth).</summary>
    public const double GemRotorInertia = 0.0025;

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
        RotorInertiaField<T>(),
    ];

    /// <inheritdoc/>
    /// <remarks>T = l_e'·i_a·i_e with the observation's phase-A current as i_a (as the cascaded PI reads it).</remarks>
    public override double ElectricalTorque(in MotorObservation o) => WoundDcEquations.Torque(MutualInductance, o.CurrentA, o.CurrentExcitation);
}

namespace MotorRT.Contracts.Machines;

/// <summary>Parameters of a squirrel-cage induction motor (GEM SquirrelCageInductionMotor), SI.</summary>
public sealed record ScimParameters : InductionParameters
{
    /// <summary>
    /// GEM 3.0.2's default motor: p 2, l_m 0.14375 H, l_σs = l_σr 0.00587 H, r_s 2.9338 Ω, r_r 1.355 Ω,
    /// j_rotor 0.0011 kg·m²; 5.5 A, 280 V (half of GEM's u 560), 4000 rpm; GEM's induction torque limit.
    /// </summary>
    public static ScimParameters Gem { get; } = WithGemTorqueLimit(new ScimParameters
    {
        PolePairs = 2, MainInductance = 0.14375, StatorLeakageInductance = 0.00587, RotorLeakageInductance = 0.00587,
        RotorInertia = 0.0011, StatorResistance = 2.9338, RotorResistance = 1.355,
        Limits = new MotorLimits { Speed = 4000.0 * Math.PI / 30, Torque = 0, Current = 5.5, Voltage = 280 },
    });

    /// <summary>The registered machine type <c>scim</c>.</summary>
    public static MachineType Type { get; } = MachineType.Create("scim", "SquirrelCageInductionMotor", "SCIM", MachineKind.ThreePhase, Gem,
        Fields<ScimParameters>(), "squirrel-cage induction motor (GEM SquirrelCageInductionMotor)", MotorType.Scim);

    /// <inheritdoc/>
    public override MachineType Machine => Type;
}

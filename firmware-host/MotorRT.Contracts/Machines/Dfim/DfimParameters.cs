namespace MotorRT.Contracts.Machines;

/// <summary>
/// Parameters of a doubly-fed induction motor (GEM DoublyFedInductionMotor), SI; the twin models it with a stator and
/// a rotor B6 bridge (sim/MotorRT.Sim/Motors/DfimModel.cs). GEM's defaults: p 2, l_m 0.2975 H, l_σs = l_σr 0.02571 H, r_s 4.42 Ω,
/// r_r 3.51 Ω, j_rotor 0.013695 kg·m²; 9 A, 360 V (half of GEM's u 720), 1800 rpm; GEM's induction torque limit.
/// </summary>
public sealed record DfimParameters : InductionParameters
{
    /// <summary>GEM 3.0.2's default motor (see the type's summary).</summary>
    public static DfimParameters Gem { get; } = WithGemTorqueLimit(new DfimParameters
    {
        PolePairs = 2, MainInductance = 0.2975, StatorLeakageInductance = 0.02571, RotorLeakageInductance = 0.02571, RotorInertia = 0.013695,
        StatorResistance = 4.42, RotorResistance = 3.51, Limits = new MotorLimits { Speed = 1800.0 * Math.PI / 30, Torque = 0, Current = 9, Voltage = 360 },
    });

    /// <summary>The registered machine type <c>dfim</c>.</summary>
    public static MachineType Type { get; } = MachineType.Create("dfim", "DoublyFedInductionMotor", "DFIM", MachineKind.ThreePhase, Gem,
        Fields<DfimParameters>(), "doubly-fed induction motor (GEM DoublyFedInductionMotor)", MotorType.Dfim);

    /// <inheritdoc/>
    public override MachineType Machine => Type;
}

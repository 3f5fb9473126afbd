namespace MotorRT.Contracts.Machines;

/// <summary>Parameters of a synchronous reluctance motor (GEM SynchronousReluctanceMotor), SI.</summary>
public sealed record SynRmParameters : SynchronousParameters
{
    /// <summary>
    /// GEM 3.0.2's default motor: p 4, l_d 0.0101 H, l_q 0.0041 H, r_s 0.57 Ω, j_rotor 8e-4 kg·m²; 18 A, 40 V, 4300 rpm;
    /// torque limit 1.5·p·(l_d − l_q)·(i/√2)².
    /// </summary>
    public static SynRmParameters Gem { get; } = WithGemTorqueLimit(new SynRmParameters
    {
        PolePairs = 4, InductanceD = 0.0101, InductanceQ = 0.0041, RotorInertia = 8e-4, StatorResistance = 0.57,
        Limits = new MotorLimits { Speed = 4300.0 * Math.PI / 30, Torque = 0, Current = 18, Voltage = 40 },
    });

    /// <summary>The registered machine type <c>synrm</c>.</summary>
    public static MachineType Type { get; } = MachineType.Create("synrm", "SynchronousReluctanceMotor", "SynRM", MachineKind.ThreePhase, Gem,
        SynchronousFields<SynRmParameters>(), "synchronous reluctance motor (GEM SynchronousReluctanceMotor)", MotorType.SynRm);

    /// <summary>GEM's torque limit of a SynRM, 1.5·p·(l_d − l_q)·(i/√2)² with i the current limit, put into its limits.</summary>
    public static SynRmParameters WithGemTorqueLimit(SynRmParameters m)
    {
        ArgumentNullException.ThrowIfNull(m);
        double i = m.Limits.Current;
        return m with { Limits = m.Limits with { Torque = 1.5 * m.PolePairs * (m.InductanceD - m.InductanceQ) * (i / Math.Sqrt(2)) * (i / Math.Sqrt(2)) } };
    }

    /// <inheritdoc/>
    public override MachineType Machine => Type;
}

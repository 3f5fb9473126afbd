namespace MotorRT.Contracts.Machines;

/// <summary>
/// Parameters of an externally excited synchronous motor (GEM ExternallyExcitedSynchronousMotor), SI. With GEM's
/// defaults σ = 1 − l_M²/(l_d·l_E) &lt; 0 and GEM's model is unstable (a GEM 3.0.2 defect; see sim/README.md).
/// </summary>
public sealed record EesmParameters : SynchronousParameters
{
    /// <summary>Main inductance l_m, in H.</summary>
    public required double MainInductance { get; init; }

    /// <summary>Excitation inductance l_e, in H.</summary>
    public required double ExcitationInductance { get; init; }

    /// <summary>Excitation resistance r_e, in Ω.</summary>
    public required double ExcitationResistance { get; init; }

    /// <summary>Stator-to-excitation transfer ratio k (GEM's <c>k</c>, dimensionless; GEM default 65.21).</summary>
    public double ExcitationTransferRatio { get; init; } = GemTransferRatio;

    /// <summary>GEM's default transfer ratio k = 65.21 (a case file may omit k).</summary>
    public const double GemTransferRatio = 65.21;

    /// <summary>
    /// GEM 3.0.2's default motor: p 3, l_d 1.66e-3 H, l_q 3.5e-4 H, l_m 1.589e-3 H, l_e 1.74e-3 H, r_s 0.01555 Ω,
    /// r_e 0.0072 Ω, k 65.21, j_rotor 0.3883 kg·m²; 150 A, 160 V, 12000 rpm, excitation 150 A; torque limit at the
    /// 120 A nominal current.
    /// </summary>
    public static EesmParameters Gem { get; } = WithGemTorqueLimit(new EesmParameters
    {
        PolePairs = 3, InductanceD = 0.00166, InductanceQ = 0.00035, MainInductance = 0.001589, ExcitationInductance = 0.00174,
        RotorInertia = 0.3883, StatorResistance = 0.01555, ExcitationResistance = 0.0072, ExcitationTransferRatio = GemTransferRatio,
        Limits = new MotorLimits { Speed = 12000.0 * Math.PI / 30, Torque = 0, Current = 150, Voltage = 160, ExcitationCurrent = 150 },
    }, nominalCurrent: 120);

    /// <summary>The registered machine type <c>eesm</c>.</summary>
    public static MachineType Type { get; } = MachineType.Create("eesm", "ExternallyExcitedSynchronousMotor", "EESM", MachineKind.ThreePhase, Gem,
        SynchronousFields<EesmParameters>(
            MachineParameterField.Of<EesmParameters>("l_m", "H", p => p.MainInductance, (p, v) => p with { MainInductance = v }),
            MachineParameterField.Of<EesmParameters>("l_e", "H", p => p.ExcitationInductance, (p, v) => p with { ExcitationInductance = v }),
            MachineParameterField.Of<EesmParameters>("r_e", "Ω", p => p.ExcitationResistance, (p, v) => p with { ExcitationResistance = v }),
            MachineParameterField.Of<EesmParameters>("k", "", p => p.ExcitationTransferRatio, (p, v) => p with { ExcitationTransferRatio = v }, required: false)),
        "externally excited synchronous motor (GEM ExternallyExcitedSynchronousMotor)", MotorType.Eesm);

    /// <summary>GEM's torque limit of an EESM at nominal current i_n (A) and the excitation current limit, put into its limits.</summary>
    public static EesmParameters WithGemTorqueLimit(EesmParameters m, double nominalCurrent)
    {
        ArgumentNullException.ThrowIfNull(m);
        double k = m.ExcitationTransferRatio, lM = 1.5 * k * m.MainInductance, iks = 2.0 / 3.0 / k, ie = m.Limits.ExcitationCurrent;
        double p = lM * nominalCurrent / (2 * (m.InductanceD - m.InductanceQ));
        double q = -nominalCurrent * nominalCurrent / 2;
        double id = m.InductanceD < m.InductanceQ ? -p / 2 - Math.Sqrt(p * p / 4 - q) : -p / 2 + Math.Sqrt(p * p / 4 - q);
        double iq = Math.Sqrt(nominalCurrent * nominalCurrent - id * id);
        double t = 1.5 * m.PolePairs * (lM * ie * iks + (m.InductanceD - m.InductanceQ) * id) * iq;
        return m with { Limits = m.Limits with { Torque = t } };
    }

    /// <inheritdoc/>
    public override MachineType Machine => Type;

    /// <inheritdoc/>
    public override double ElectricalTorque(in MotorObservation o)
    {
        double k = ExcitationTransferRatio;
        return EesmEquations.Torque(PolePairs, EesmEquations.ReferredMainInductance(k, MainInductance), o.CurrentExcitation,
            EesmEquations.ExcitationCurrentScale(k), InductanceD, InductanceQ, o.CurrentD, o.CurrentQ);
    }
}

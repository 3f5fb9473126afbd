namespace MotorRT.Contracts.Machines;

/// <summary>Parameters of a permanent-magnet synchronous motor (GEM PermanentMagnetSynchronousMotor), SI.</summary>
public sealed record PmsmParameters : SynchronousParameters
{
    /// <summary>Permanent-magnet flux linkage psi_p, in V·s.</summary>
    public required double PermanentMagnetFlux { get; init; }

    /// <inheritdoc/>
    public override double MagnetFlux => PermanentMagnetFlux;

    /// <summary>
    /// GEM 3.0.2's default motor: p 3, l_d 3.7e-4 H, l_q 1.2e-3 H, ψ_p 0.066 V·s, r_s 0.018 Ω, j_rotor 0.03883 kg·m²;
    /// 400 A, 150 V, 4000 rpm; torque limit at the MTPA point of the 240 A nominal current.
    /// </summary>
    public static PmsmParameters Gem { get; } = WithGemTorqueLimit(new PmsmParameters
    {
        PolePairs = 3, InductanceD = 3.7e-4, InductanceQ = 1.2e-3, RotorInertia = 0.03883, StatorResistance = 0.018, PermanentMagnetFlux = 0.066,
        Limits = new MotorLimits { Speed = 4000.0 * Math.PI / 30, Torque = 0, Current = 400, Voltage = 150 },
    }, nominalCurrent: 240);

    /// <summary>The registered machine type <c>pmsm</c>.</summary>
    public static MachineType Type { get; } = MachineType.Create("pmsm", "PermanentMagnetSynchronousMotor", "PMSM", MachineKind.ThreePhase, Gem,
        SynchronousFields<PmsmParameters>(
            MachineParameterField.Of<PmsmParameters>("psi_p", "V·s", p => p.PermanentMagnetFlux, (p, v) => p with { PermanentMagnetFlux = v })),
        "permanent-magnet synchronous motor (GEM PermanentMagnetSynchronousMotor)", MotorType.Pmsm);

    /// <summary>GEM's torque limit of a PMSM (<see cref="SynchronousEquations.GemTorqueLimit"/>) put into its limits.</summary>
    public static PmsmParameters WithGemTorqueLimit(PmsmParameters m, double nominalCurrent)
    {
        ArgumentNullException.ThrowIfNull(m);
        double t = SynchronousEquations.GemTorqueLimit(m.PolePairs, m.PermanentMagnetFlux, m.InductanceD, m.InductanceQ, m.Limits.Current, nominalCurrent);
        return m with { Limits = m.Limits with { Torque = t } };
    }

    /// <inheritdoc/>
    public override MachineType Machine => Type;
}

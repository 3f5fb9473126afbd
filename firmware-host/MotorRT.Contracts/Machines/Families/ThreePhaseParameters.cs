namespace MotorRT.Contracts.Machines;

/// <summary>Parameters shared by GEM's three-phase machines, SI.</summary>
public abstract record ThreePhaseParameters : MachineParameters
{
    /// <summary>Number of pole pairs p (dimensionless).</summary>
    public required double PolePairs { get; init; }

    /// <summary>Stator resistance r_s, in Ω.</summary>
    public required double StatorResistance { get; init; }
}

/// <summary>Parameters shared by GEM's synchronous machines (PMSM, SynRM, EESM), SI.</summary>
public abstract record SynchronousParameters : ThreePhaseParameters
{
    /// <summary>d-axis inductance l_d, in H.</summary>
    public required double InductanceD { get; init; }

    /// <summary>q-axis inductance l_q, in H.</summary>
    public required double InductanceQ { get; init; }

    /// <summary>The flux linkage of a permanent magnet on the d axis, ψ_p in V·s (0 without magnets).</summary>
    public virtual double MagnetFlux => 0.0;

    /// <inheritdoc/>
    public override double CouplingVoltageD(in MotorObservation o) => -o.ElectricalSpeed * InductanceQ * o.CurrentQ;

    /// <inheritdoc/>
    public override double CouplingVoltageQ(in MotorObservation o) => o.ElectricalSpeed * (InductanceD * o.CurrentD + MagnetFlux);
}

/// <summary>Parameters shared by GEM's induction machines (SCIM, DFIM), SI.</summary>
public abstract record InductionParameters : ThreePhaseParameters
{
    /// <summary>Main (magnetising) inductance l_m, in H.</summary>
    public required double MainInductance { get; init; }

    /// <summary>Stator leakage inductance l_sigs, in H.</summary>
    public required double StatorLeakageInductance { get; init; }

    /// <summary>Rotor leakage inductance l_sigr, in H.</summary>
    public required double RotorLeakageInductance { get; init; }

    /// <summary>Rotor resistance r_r, in Ω.</summary>
    public required double RotorResistance { get; init; }

    /// <inheritdoc/>
    public override bool TorqueFromCurrents => false;

    /// <inheritdoc/>
    /// <remarks>The torque needs the rotor flux, which no sensor measures: NaN.</remarks>
    public override double ElectricalTorque(in MotorObservation o) => double.NaN;

    /// <summary>GEM's file names of the parameters, in GEM's order (p, l_m, l_sigs, l_sigr, j_rotor, r_s, r_r).</summary>
    protected static MachineParameterField[] Fields<T>() where T : InductionParameters =>
    [
        MachineParameterField.Of<T>("p", "", p => p.PolePairs, (p, v) => p with { PolePairs = v }),
        MachineParameterField.Of<T>("l_m", "H", p => p.MainInductance, (p, v) => p with { MainInductance = v }),
        MachineParameterField.Of<T>("l_sigs", "H", p => p.StatorLeakageInductance, (p, v) => p with { StatorLeakageInductance = v }),
        MachineParameterField.Of<T>("l_sigr", "H", p => p.RotorLeakageInductance, (p, v) => p with { RotorLeakageInductance = v }),
        MachineParameterField.Of<T>("j_rotor", "kg·m²", p => p.RotorInertia, (p, v) => p with { RotorInertia = v }),
        MachineParameterField.Of<T>("r_s", "Ω", p => p.StatorResistance, (p, v) => p with { StatorResistance = v }),
        MachineParameterField.Of<T>("r_r", "Ω", p => p.RotorResistance, (p, v) => p with { RotorResistance = v }),
    ];

    /// <summary>GEM's torque limit of an induction machine with current limit i: 1.5·p·l_m²/l_r·i²/2, in N·m.</summary>
    protected static MotorLimits GemTorqueLimit(InductionParameters m)
    {
        ArgumentNullException.ThrowIfNull(m);
        double i = m.Limits.Current;
        double lr = m.MainInductance + m.RotorLeakageInductance;
        double t = 1.5 * m.PolePairs * m.MainInductance * m.MainInductance / lr * i * i / 2;
        return m.Limits with { Torque = t };
    }

    /// <summary>The flat record of this machine with the given legacy type.</summary>
    protected MotorParameters Flat(MotorType type) => new()
    {
        Type = type, PolePairs = PolePairs, MainInductance = MainInductance, StatorLeakageInductance = StatorLeakageInductance,
        RotorLeakageInductance = RotorLeakageInductance, RotorInertia = RotorInertia, StatorResistance = StatorResistance,
        RotorResistance = RotorResistance, Limits = Limits,
    };
}

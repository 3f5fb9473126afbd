namespace MotorRT.Contracts.Machines;

/// <summary>Parameters shared by GEM's three-phase machines, SI.</summary>
public abstract record ThreePhaseParameters : MachineParameters
{
    /// <summary>Number of pole pairs p (dimensionless).</summary>
    public required double PolePairs { get; init; }

    /// <summary>Stator resistance r_s, in Ω.</summary>
    public required double StatorResistance { get; init; }

    /// <summary>GEM's p, then j_rotor and r_s, then <paramref name="more"/>, as file fields of <typeparamref name="T"/> (GEM's order).</summary>
    protected static MachineParameterField[] ThreePhaseFields<T>(MachineParameterField[] between, params MachineParameterField[] more)
        where T : ThreePhaseParameters =>
    [
        MachineParameterField.Of<T>("p", "", p => p.PolePairs, (p, v) => p with { PolePairs = v }),
        .. between,
        RotorInertiaField<T>(),
        MachineParameterField.Of<T>("r_s", "Ω", p => p.StatorResistance, (p, v) => p with { StatorResistance = v }),
        .. more,
    ];
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
    public override double ElectricalTorque(in MotorObservation o) =>
        SynchronousEquations.Torque(PolePairs, MagnetFlux, InductanceD, InductanceQ, o.CurrentD, o.CurrentQ);

    /// <inheritdoc/>
    public override double CouplingVoltageD(in MotorObservation o) => -o.ElectricalSpeed * InductanceQ * o.CurrentQ;

    /// <inheritdoc/>
    public override double CouplingVoltageQ(in MotorObservation o) => o.ElectricalSpeed * (InductanceD * o.CurrentD + MagnetFlux);

    /// <summary>GEM's p, l_d, l_q, j_rotor, r_s, then <paramref name="more"/>, as file fields of <typeparamref name="T"/>.</summary>
    protected static MachineParameterField[] SynchronousFields<T>(params MachineParameterField[] more) where T : SynchronousParameters =>
        ThreePhaseFields<T>(
        [
            MachineParameterField.Of<T>("l_d", "H", p => p.InductanceD, (p, v) => p with { InductanceD = v }),
            MachineParameterField.Of<T>("l_q", "H", p => p.InductanceQ, (p, v) => p with { InductanceQ = v }),
        ], more);
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
    protected static MachineParameterField[] Fields<T>() where T : InductionParameters => ThreePhaseFields<T>(
    [
        MachineParameterField.Of<T>("l_m", "H", p => p.MainInductance, (p, v) => p with { MainInductance = v }),
        MachineParameterField.Of<T>("l_sigs", "H", p => p.StatorLeakageInductance, (p, v) => p with { StatorLeakageInductance = v }),
        MachineParameterField.Of<T>("l_sigr", "H", p => p.RotorLeakageInductance, (p, v) => p with { RotorLeakageInductance = v }),
    ], MachineParameterField.Of<T>("r_r", "Ω", p => p.RotorResistance, (p, v) => p with { RotorResistance = v }));

    /// <summary><paramref name="m"/> with GEM's induction torque limit 1.5·p·l_m²/l_r·i²/2 (i the current limit), in N·m.</summary>
    protected static T WithGemTorqueLimit<T>(T m) where T : InductionParameters
    {
        ArgumentNullException.ThrowIfNull(m);
        double i = m.Limits.Current;
        double lr = m.MainInductance + m.RotorLeakageInductance;
        double t = 1.5 * m.PolePairs * m.MainInductance * m.MainInductance / lr * i * i / 2;
        return m with { Limits = m.Limits with { Torque = t } };
    }
}

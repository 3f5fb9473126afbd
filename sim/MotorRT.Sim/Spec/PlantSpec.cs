using MotorRT.Contracts.Machines;

namespace MotorRT.Sim.Spec;

/// <summary>
/// Everything needed to build a <see cref="PhysicalSystem"/>: converter, supply, motor, load, solver and sampling time,
/// composed like GEM 3.0.2's SCML system. SI units throughout, no normalisation.
/// </summary>
public sealed record PlantSpec
{
    /// <summary>The machine and its parameters (SI).</summary>
    public required MotorParameters Motor { get; init; }

    /// <summary>The power converter between supply and machine.</summary>
    public required ConverterSpec Converter { get; init; }

    /// <summary>The DC supply feeding the converter.</summary>
    public required SupplySpec Supply { get; init; }

    /// <summary>The mechanical load on the shaft.</summary>
    public required LoadSpec Load { get; init; }

    /// <summary>The ODE solver used over each sampling interval.</summary>
    public SolverSpec Solver { get; init; } = SolverSpec.Rk4;

    /// <summary>Sampling time τ, in s (one <see cref="PhysicalSystem.Step"/> advances the plant by τ).</summary>
    public double Tau { get; init; } = 1e-4;

    /// <summary>Observation noise added to <see cref="PhysicalSystem.State"/> (off by default).</summary>
    public NoiseSpec Noise { get; init; } = NoiseSpec.Off;

    /// <summary>Optional name of the GEM environment this spec reproduces (documentation only).</summary>
    public string? Name { get; init; }
}

/// <summary>Converter families of GEM 3.0.2 (continuous = dynamically averaged duty cycle; finite = switching states).</summary>
public enum ConverterKind
{
    /// <summary>Continuous one-quadrant converter (buck), duty in [0, 1].</summary>
    ContOneQuadrant,
    /// <summary>Continuous two-quadrant converter (half bridge), duty in [0, 1].</summary>
    ContTwoQuadrant,
    /// <summary>Continuous four-quadrant converter (H bridge), duty in [−1, 1].</summary>
    ContFourQuadrant,
    /// <summary>Continuous B6 bridge, one duty per phase in [−1, 1].</summary>
    ContB6Bridge,
    /// <summary>Continuous multi converter: the concatenation of its sub-converters.</summary>
    ContMulti,
    /// <summary>Finite one-quadrant converter: state 0 off, 1 on.</summary>
    FiniteOneQuadrant,
    /// <summary>Finite two-quadrant converter: 0 off, 1 upper switch, 2 lower switch.</summary>
    FiniteTwoQuadrant,
    /// <summary>Finite four-quadrant converter: 0 → 0, 1 → +1, 2 → −1, 3 → 0.</summary>
    FiniteFourQuadrant,
    /// <summary>Finite B6 bridge: state = 4·S_a + 2·S_b + S_c, each phase at ±u_dc/2.</summary>
    FiniteB6Bridge,
    /// <summary>Finite multi converter: one switching state per sub-converter.</summary>
    FiniteMulti,
}

/// <summary>The power converter.</summary>
public sealed record ConverterSpec
{
    /// <summary>Converter family.</summary>
    public required ConverterKind Kind { get; init; }

    /// <summary>Sub-converters of a multi converter (in channel order); empty otherwise.</summary>
    public IReadOnlyList<ConverterKind> SubConverters { get; init; } = [];

    /// <summary>Interlocking (dead) time t_il, in s (GEM default 0).</summary>
    public double InterlockingTime { get; init; }

    /// <summary>True for the finite (switching-state) families.</summary>
    public bool IsFinite => Kind is ConverterKind.FiniteOneQuadrant or ConverterKind.FiniteTwoQuadrant
        or ConverterKind.FiniteFourQuadrant or ConverterKind.FiniteB6Bridge or ConverterKind.FiniteMulti;
}

/// <summary>
/// The DC supply. With <see cref="SourceResistance"/> = 0 it is GEM's IdealVoltageSupply; a positive source
/// resistance (our extension) makes the DC link sag with the drawn current: u_sup = u_nominal − R·i_sup.
/// </summary>
public sealed record SupplySpec
{
    /// <summary>Nominal (no-load) DC voltage u_nominal, in V.</summary>
    public required double NominalVoltage { get; init; }

    /// <summary>Source resistance of the DC link, in Ω (0 = ideal supply, GEM's behaviour).</summary>
    public double SourceResistance { get; init; }
}

/// <summary>A mechanical load; see the derived records.</summary>
public abstract record LoadSpec
{
    /// <summary>Load inertia j_load, in kg·m² (added to the rotor inertia).</summary>
    public double LoadInertia { get; init; }
}

/// <summary>
/// GEM's PolynomialStaticLoad: T_L = sign(ω)·c·ω² + b·ω + a', with a' = sign(ω)·a for |ω| &gt; ω_lim and
/// a' = (j_total/τ_d)·ω below it, ω_lim = a·τ_d/j_total, τ_d = 1 ms; dω/dt = (T − T_L)/j_total.
/// </summary>
public sealed record PolynomialLoadSpec : LoadSpec
{
    /// <summary>Constant (Coulomb) term a, in N·m.</summary>
    public double A { get; init; }
    /// <summary>Linear (viscous) term b, in N·m·s/rad.</summary>
    public double B { get; init; }
    /// <summary>Quadratic term c, in N·m·s²/rad².</summary>
    public double C { get; init; }
}

/// <summary>GEM's ConstantSpeedLoad: the speed is held at <see cref="Omega"/>.</summary>
public sealed record ConstantSpeedLoadSpec : LoadSpec
{
    /// <summary>The fixed mechanical speed, in rad/s.</summary>
    public required double Omega { get; init; }
}

/// <summary>
/// GEM's ExternalSpeedLoad: dω/dt = (ω_profile(t + τ_L) − ω)/τ_L, so ω lags the profile by about τ_L.
/// The profile is a piecewise-linear table (time in s, speed in rad/s), held constant outside its range.
/// </summary>
public sealed record ExternalSpeedLoadSpec : LoadSpec
{
    /// <summary>Profile sample times, in s, strictly increasing.</summary>
    public required double[] Times { get; init; }
    /// <summary>Profile speeds, in rad/s, one per time.</summary>
    public required double[] Speeds { get; init; }
    /// <summary>The lag τ_L, in s (GEM default 1e-4).</summary>
    public double LagTime { get; init; } = 1e-4;
}

/// <summary>ODE solver families.</summary>
public enum SolverKind
{
    /// <summary>Explicit Euler with n sub-steps (GEM's EulerSolver algorithm, including its time argument).</summary>
    Euler,
    /// <summary>Classic fourth-order Runge–Kutta with n sub-steps.</summary>
    Rk4,
    /// <summary>Adaptive Dormand–Prince 5(4) with relative and absolute tolerances.</summary>
    DormandPrince,
}

/// <summary>The ODE solver and its settings.</summary>
public sealed record SolverSpec
{
    /// <summary>Solver family.</summary>
    public required SolverKind Kind { get; init; }
    /// <summary>Fixed sub-steps per τ (Euler, RK4), ≥ 1.</summary>
    public int Substeps { get; init; } = 1;
    /// <summary>Relative tolerance of the adaptive solver (dimensionless).</summary>
    public double RelativeTolerance { get; init; } = 1e-10;
    /// <summary>Absolute tolerance of the adaptive solver (state units).</summary>
    public double AbsoluteTolerance { get; init; } = 1e-12;

    /// <summary>Classic RK4, one step per τ.</summary>
    public static SolverSpec Rk4 { get; } = new() { Kind = SolverKind.Rk4 };
    /// <summary>Explicit Euler, one step per τ (GEM's EulerSolver(nsteps=1)).</summary>
    public static SolverSpec Euler { get; } = new() { Kind = SolverKind.Euler };
    /// <summary>Dormand–Prince 5(4) at rtol 1e-10, atol 1e-12 (matches scipy dopri5 at the same tolerances).</summary>
    public static SolverSpec DormandPrinceTight { get; } = new() { Kind = SolverKind.DormandPrince };
}

/// <summary>
/// Observation noise (GEM's Gaussian white noise on the observed state): each reported state gets
/// N(0, (level·limit)²) added, where limit is the state's GEM limit in SI. Seeded, off by default; the physics itself is
/// noise-free, so <see cref="PhysicalSystem.Outputs"/> stays the true plant.
/// </summary>
public sealed record NoiseSpec
{
    /// <summary>Noise level relative to each state's limit (dimensionless); 0 = off.</summary>
    public double Level { get; init; }
    /// <summary>Seed of the generator; the same seed gives a bit-identical noise sequence.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>No noise.</summary>
    public static NoiseSpec Off { get; } = new();
}

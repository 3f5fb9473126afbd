using MotorRT.Contracts;
using MathNet.Numerics.LinearAlgebra;
using MotorRT.Contracts.Machines;

namespace MotorRT.Policies.Pwa;

/// <summary>A continuous piecewise-linear function of one variable: linear interpolation through the points, constant beyond the ends.</summary>
/// <param name="X">Breakpoints, strictly increasing (SI unit of the parameter).</param>
/// <param name="Y">Values at the breakpoints (SI unit of the output).</param>
public sealed record PiecewiseLinear(double[] X, double[] Y)
{
    /// <summary>The value at <paramref name="x"/>.</summary>
    public double At(double x)
    {
        if (x <= X[0]) return Y[0];
        if (x >= X[^1]) return Y[^1];
        int i = 0;
        while (x > X[i + 1]) i++;
        return Y[i] + (Y[i + 1] - Y[i]) * (x - X[i]) / (X[i + 1] - X[i]);
    }

    /// <summary>A saturated linear function y = clip(k·x, lo, hi) (k &gt; 0): two breakpoints, three pieces.</summary>
    public static PiecewiseLinear Saturation(double k, double lo, double hi) => new([lo / k, hi / k], [lo, hi]);
}

/// <summary>Options of <see cref="PwaSynthesis.PmsmCurrentMpc"/>.</summary>
public sealed record PmsmMpcOptions
{
    /// <summary>Prediction and control horizon N in steps (1–3). Default 2.</summary>
    public int Horizon { get; init; } = 2;

    /// <summary>Weight on the squared current error (i_k − i*) at steps 1…N, in 1/A². Default 1.</summary>
    public double CurrentWeight { get; init; } = 1.0;

    /// <summary>
    /// Weight on the squared deviation of the input from its steady-state value (u_k − r_s·i* − e), in 1/V², per axis.
    /// Default null: b² (b = the axis's discrete input gain in A/V), which roughly halves the deadbeat gain.
    /// </summary>
    public double? VoltageWeight { get; init; }

    /// <summary>Box limit on u_d and u_q, in V. Default null: u_dc/√6, so the box fits in the SVM linear circle u_dc/√3.</summary>
    public double? VoltageLimit { get; init; }

    /// <summary>DC-link voltage assumed for the default voltage limit, in V.</summary>
    public required double DcLinkVoltage { get; init; }

    /// <summary>Half-width of the current box (measured and reference i_d, i_q), in A. Default null: the motor's current limit.</summary>
    public double? CurrentRange { get; init; }

    /// <summary>Largest mechanical speed the law must cover, in rad/s (sets the box of the coupling voltages). Default null: the motor's speed limit.</summary>
    public double? SpeedRange { get; init; }

    /// <summary>
    /// Compensate one period of command delay (a converter that applies the voltage computed in tick k during tick
    /// k+1, as the SimulatedRig's default PWM delay and real PWM hardware do): θ gains the previous command
    /// (LastVoltageD, LastVoltageQ, in V) and the law first predicts i_{k+1} = a·i_k + b·(u_{k−1} − e), then optimises
    /// from there. Default false (GEM's timing: the action acts in the step it is computed for).
    /// </summary>
    public bool DelayCompensation { get; init; }
}

/// <summary>
/// Offline generators of PWA laws for tests, benchmarks and examples: saturated linear laws in closed form,
/// separable piecewise-linear grid laws (9/25/49 regions in 2-D), and a real explicit MPC for the PMSM current loop.
/// </summary>
public static class PwaSynthesis
{
    /// <summary>
    /// The scalar law u = clip(k·θ + c, u_min, u_max) as a 3-region PWA law (closed form): {k·θ + c ≤ u_min} → u_min;
    /// {u_min ≤ k·θ + c ≤ u_max} → k·θ + c; {k·θ + c ≥ u_max} → u_max. Continuous.
    /// </summary>
    /// <param name="parameters">θ definition and box.</param>
    /// <param name="k">Gain per parameter (output unit per parameter unit).</param>
    /// <param name="c">Offset (output unit).</param>
    /// <param name="uMin">Lower saturation.</param>
    /// <param name="uMax">Upper saturation.</param>
    /// <param name="meaning">Output meaning (one output: duty_dc or voltage_dc).</param>
    public static PwaLaw SaturatedLinear(IReadOnlyList<PwaParameter> parameters, double[] k, double c, double uMin, double uMax,
        PwaOutputMeaning meaning = PwaOutputMeaning.VoltageDc)
    {
        int n = parameters.Count;
        double[] zero = new double[n];
        double[] neg = k.Select(v => -v).ToArray();
        var regions = new List<PwaRegion>
        {
            new([(double[])k.Clone()], [uMin - c], [zero], [uMin]),
            new([neg, (double[])k.Clone()], [c - uMin, uMax - c], [(double[])k.Clone()], [c]),
            new([neg], [c - uMax], [zero], [uMax]),
        };
        return new PwaLaw("synthesised: saturated linear law", parameters, meaning, [uMin], [uMax], regions, continuous: true, tolerance: 1e-9 * Scale(parameters));
    }

    /// <summary>
    /// A separable law u_i = φ_i(θ_i) on a 2-D (or n-D) grid: output i depends on parameter i only through the
    /// continuous piecewise-linear φ_i. With s_i breakpoints on axis i the grid has Π(s_i + 1) box-shaped regions
    /// (2 breakpoints per axis in 2-D: 9 regions; 4: 25; 6: 49). Continuous.
    /// </summary>
    /// <param name="parameters">θ definition and box (one per output).</param>
    /// <param name="axes">φ_i per axis.</param>
    /// <param name="meaning">Output meaning (as many outputs as parameters).</param>
    public static PwaLaw SeparableGrid(IReadOnlyList<PwaParameter> parameters, IReadOnlyList<PiecewiseLinear> axes, PwaOutputMeaning meaning)
    {
        int n = parameters.Count;
        if (axes.Count != n) throw new ArgumentException("one axis function per parameter");
        var counts = axes.Select(a => a.X.Length + 1).ToArray();
        int total = counts.Aggregate(1, (x, y) => x * y);
        var regions = new List<PwaRegion>();
        var idx = new int[n];
        for (int flat = 0; flat < total; flat++)
        {
            int rest = flat;
            for (int j = n - 1; j >= 0; j--) { idx[j] = rest % counts[j]; rest /= counts[j]; }
            var h = new List<double[]>();
            var kk = new List<double>();
            var f = new double[n][];
            var g = new double[n];
            for (int j = 0; j < n; j++)
            {
                PiecewiseLinear a = axes[j];
                int cell = idx[j];
                if (cell > 0) { var row = new double[n]; row[j] = -1; h.Add(row); kk.Add(-a.X[cell - 1]); }
                if (cell < a.X.Length) { var row = new double[n]; row[j] = 1; h.Add(row); kk.Add(a.X[cell]); }
                f[j] = new double[n];
                if (cell == 0) g[j] = a.Y[0];
                else if (cell == a.X.Length) g[j] = a.Y[^1];
                else
                {
                    double slope = (a.Y[cell] - a.Y[cell - 1]) / (a.X[cell] - a.X[cell - 1]);
                    f[j][j] = slope;
                    g[j] = a.Y[cell - 1] - slope * a.X[cell - 1];
                }
            }
            regions.Add(new PwaRegion(h.ToArray(), kk.ToArray(), f, g));
        }
        var min = axes.Select(a => a.Y.Min()).ToArray();
        var max = axes.Select(a => a.Y.Max()).ToArray();
        return new PwaLaw($"synthesised: separable grid, {total} regions", parameters, meaning, min, max, regions, continuous: true, tolerance: 1e-9 * Scale(parameters));
    }

    /// <summary>
    /// The grid benchmark laws: a 2-D separable law over (i_d, i_q) ∈ [−10, 10]² A with <paramref name="perAxis"/>
    /// pieces per axis (3, 5 or 7 → 9, 25, 49 regions): a saturated proportional current law with a gain that steps
    /// down towards the edges (a soft saturation), output u_d, u_q in V.
    /// </summary>
    public static PwaLaw GridBenchmarkLaw(int perAxis)
    {
        if (perAxis < 3 || perAxis % 2 == 0) throw new ArgumentOutOfRangeException(nameof(perAxis), "odd, at least 3");
        int breaks = perAxis - 1;
        var x = new double[breaks];
        var y = new double[breaks];
        // symmetric breakpoints in [−8, 8] A; slope 10 V/A near zero, halving outward; saturation beyond the last
        int half = breaks / 2;
        double[] xs = Enumerable.Range(1, half).Select(i => 8.0 * i / half).ToArray();
        double value = 0, prev = 0, slope = 10;
        var ys = new double[half];
        for (int i = 0; i < half; i++) { value += slope * (xs[i] - prev); prev = xs[i]; ys[i] = value; slope *= 0.5; }
        for (int i = 0; i < half; i++)
        {
            x[half - 1 - i] = -xs[i]; y[half - 1 - i] = -ys[i];
            x[half + i] = xs[i]; y[half + i] = ys[i];
        }
        var axis = new PiecewiseLinear(x, y);
        PwaParameter[] ps = [new(ObservationQuantity.ErrorCurrentD, -10, 10), new(ObservationQuantity.ErrorCurrentQ, -10, 10)];
        return SeparableGrid(ps, [axis, axis], PwaOutputMeaning.VoltageDq);
    }

    /// <summary>
    /// Explicit MPC of the PMSM current loop, solved exactly as a multiparametric QP (active-set enumeration).
    /// <para>
    /// Model: per axis the exact zero-order-hold discretisation at the period T of di/dt = (u − e − r_s·i)/l, with the
    /// coupling voltages e_d = −ω_el·l_q·i_q and e_q = ω_el·(l_d·i_d + ψ_p) (GEM's PMSM equations rearranged) held at
    /// their measured values over the horizon: i_{k+1} = a·i_k + b·(u_k − e), a = exp(−r_s·T/l), b = (1 − a)/r_s.
    /// Cost: Σ_{k=1..N} q·|i_k − i*|² + Σ_{k=0..N−1} ρ·|u_k − (r_s·i* + e)|² (zero steady-state error for the model).
    /// Constraints: |u_d,k| ≤ U and |u_q,k| ≤ U for every k (a box inside the SVM linear circle).
    /// Parameter θ = (i_d, i_q, i_d*, i_q*, e_d, e_q) in A and V; output the first move (u_d, u_q) in V
    /// (meaning voltage_dq). The axes decouple, so regions are products of the per-axis critical regions.
    /// </para>
    /// </summary>
    /// <param name="motor">PMSM (or SynRM) parameters.</param>
    /// <param name="period">Sampling time T, in s.</param>
    /// <param name="options">Horizon, weights and limits.</param>
    public static PwaLaw PmsmCurrentMpc(MotorParameters motor, double period, PmsmMpcOptions options)
    {
        if (motor.Type is not (MotorType.Pmsm or MotorType.SynRm))
            throw new ArgumentException($"the PMSM current MPC needs a PMSM or SynRM, not {motor.Machine.Id}", nameof(motor));
        int nSteps = options.Horizon;
        if (nSteps is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(options), "horizon must be 1..3");
        double u = options.VoltageLimit ?? options.DcLinkVoltage / Math.Sqrt(6.0);
        double iRange = options.CurrentRange ?? motor.Limits.Current;
        double wEl = (options.SpeedRange ?? motor.Limits.Speed) * motor.PolePairs;
        double edMax = wEl * motor.InductanceQ * iRange;
        double eqMax = wEl * (motor.InductanceD * iRange + motor.PermanentMagnetFlux);
        double rs = motor.StatorResistance;
        double[] l = [motor.InductanceD, motor.InductanceQ];
        double[] a = l.Select(li => Math.Exp(-rs * period / li)).ToArray();
        double[] b = rs > 0 ? a.Select(ai => (1 - ai) / rs).ToArray() : l.Select(li => period / li).ToArray();
        double q = options.CurrentWeight;
        double[] rho = b.Select(bi => options.VoltageWeight ?? bi * bi * q).ToArray();

        bool delay = options.DelayCompensation;
        int nt = delay ? 8 : 6; // θ = (i_d, i_q, i_d*, i_q*, e_d, e_q[, u_d,prev, u_q,prev])
        int nz = 2 * nSteps; // z = (u_d0, u_q0, u_d1, u_q1, ...)
        var hMat = Matrix<double>.Build.Dense(nz, nz);
        var fMat = Matrix<double>.Build.Dense(nz, nt);
        for (int axis = 0; axis < 2; axis++)
        {
            int iX = axis, iR = 2 + axis, iE = 4 + axis, iP = 6 + axis;
            // i_k = a^k·i0 + Σ_{j<k} a^{k−1−j}·b·(u_j − e); residual i_k − i* = cz·z + ct·θ. With delay compensation
            // i0 is the prediction a·i + b·(u_prev − e) of the current at the start of the step the move acts in.
            for (int k = 1; k <= nSteps; k++)
            {
                var cz = new double[nz];
                var ct = new double[nt];
                ct[iX] = Math.Pow(a[axis], delay ? k + 1 : k);
                ct[iR] = -1;
                if (delay)
                {
                    ct[iP] += Math.Pow(a[axis], k) * b[axis];
                    ct[iE] -= Math.Pow(a[axis], k) * b[axis];
                }
                for (int j = 0; j < k; j++)
                {
                    double coef = Math.Pow(a[axis], k - 1 - j) * b[axis];
                    cz[2 * j + axis] += coef;
                    ct[iE] -= coef;
                }
                AddSquare(hMat, fMat, q, cz, ct);
            }
            for (int k = 0; k < nSteps; k++)
            {
                var cz = new double[nz];
                var ct = new double[nt];
                cz[2 * k + axis] = 1;
                ct[iR] = -rs;
                ct[iE] = -1;
                AddSquare(hMat, fMat, rho[axis], cz, ct);
            }
        }
        // Box constraints: row 2v: z_v ≤ U; row 2v+1: −z_v ≤ U.
        var gMat = Matrix<double>.Build.Dense(2 * nz, nz);
        var wVec = Vector<double>.Build.Dense(2 * nz, u);
        var sMat = Matrix<double>.Build.Dense(2 * nz, nt);
        for (int v = 0; v < nz; v++) { gMat[2 * v, v] = 1; gMat[2 * v + 1, v] = -1; }
        double[] tMin = delay ? [-iRange, -iRange, -iRange, -iRange, -edMax, -eqMax, -1.2 * u, -1.2 * u] : [-iRange, -iRange, -iRange, -iRange, -edMax, -eqMax];
        double[] tMax = delay ? [iRange, iRange, iRange, iRange, edMax, eqMax, 1.2 * u, 1.2 * u] : [iRange, iRange, iRange, iRange, edMax, eqMax];
        var qp = new MultiParametricQp(hMat, fMat, gMat, wVec, sMat, tMin, tMax);
        // Candidate active sets: each variable free, at its upper or at its lower bound.
        var candidates = new List<int[]>();
        int combos = (int)Math.Pow(3, nz);
        for (int c = 0; c < combos; c++)
        {
            var set = new List<int>();
            int rest = c;
            for (int v = 0; v < nz; v++)
            {
                int s = rest % 3; rest /= 3;
                if (s == 1) set.Add(2 * v);
                else if (s == 2) set.Add(2 * v + 1);
            }
            candidates.Add(set.ToArray());
        }
        List<CriticalRegion> crs = MultiParametricQpSolver.Solve(qp, candidates);
        var ps = new List<PwaParameter>
        {
            new(ObservationQuantity.CurrentD, tMin[0], tMax[0]), new(ObservationQuantity.CurrentQ, tMin[1], tMax[1]),
            new(ObservationQuantity.ReferenceCurrentD, tMin[2], tMax[2]), new(ObservationQuantity.ReferenceCurrentQ, tMin[3], tMax[3]),
            new(ObservationQuantity.CouplingVoltageD, tMin[4], tMax[4]), new(ObservationQuantity.CouplingVoltageQ, tMin[5], tMax[5]),
        };
        if (delay)
        {
            // The previous command is bounded by the law's limit; 20 % margin: the runtime reports it re-rotated at the
            // unadvanced angle, which mixes d and q slightly.
            ps.Add(new(ObservationQuantity.LastVoltageD, tMin[6], tMax[6]));
            ps.Add(new(ObservationQuantity.LastVoltageQ, tMin[7], tMax[7]));
        }
        return FromCriticalRegions("synthesised: PMSM current explicit MPC", ps, crs, 2, PwaOutputMeaning.VoltageDq, [-u, -u], [u, u]);
    }

    /// <summary>
    /// Builds a law from critical regions (E·θ ≤ f, z = A·θ + b), keeping the first <paramref name="outputs"/> rows of
    /// the optimiser (the first move). A region with no remaining inequality (the whole box) gets one box row.
    /// </summary>
    public static PwaLaw FromCriticalRegions(string source, IReadOnlyList<PwaParameter> parameters, IReadOnlyList<CriticalRegion> regions,
        int outputs, PwaOutputMeaning meaning, double[] outMin, double[] outMax)
    {
        int n = parameters.Count;
        var list = new List<PwaRegion>();
        foreach (CriticalRegion cr in regions)
        {
            double[][] h = cr.E.ToRowArrays();
            double[] k = cr.Fv.ToArray();
            if (h.Length == 0)
            {
                var row = new double[n];
                row[0] = 1;
                h = [row];
                k = [parameters[0].Max];
            }
            var f = new double[outputs][];
            var g = new double[outputs];
            for (int i = 0; i < outputs; i++)
            {
                f[i] = cr.A.Row(i).ToArray();
                g[i] = cr.B[i];
            }
            list.Add(new PwaRegion(h, k, f, g));
        }
        return new PwaLaw(source, parameters, meaning, outMin, outMax, list, continuous: true, tolerance: 1e-9 * Scale(parameters));
    }

    private static void AddSquare(Matrix<double> h, Matrix<double> f, double w, double[] cz, double[] ct)
    {
        // w·(czᵀz + ctᵀθ)² = zᵀ(w·cz·czᵀ)z + 2w·(cz·ctᵀ θ)ᵀ z + …  →  H += 2w·cz·czᵀ, F += 2w·cz·ctᵀ
        for (int i = 0; i < cz.Length; i++)
        {
            if (cz[i] == 0) continue;
            for (int j = 0; j < cz.Length; j++) h[i, j] += 2 * w * cz[i] * cz[j];
            for (int j = 0; j < ct.Length; j++) f[i, j] += 2 * w * cz[i] * ct[j];
        }
    }

    private static double Scale(IReadOnlyList<PwaParameter> ps) => ps.Max(p => 0.5 * (p.Max - p.Min));
}

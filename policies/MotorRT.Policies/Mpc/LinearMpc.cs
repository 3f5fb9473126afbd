using MathNet.Numerics.LinearAlgebra;
using MotorRT.Contracts;
using MotorRT.Policies.Pwa;

namespace MotorRT.Policies.Mpc;

/// <summary>
/// A linear tracking MPC problem in continuous time, dx/dt = A·x + B·u + E·d, with measured disturbances d held over
/// the horizon (back-EMF speed, coupling voltages), tracked outputs y = C·x, and polytopic input and state
/// constraints. <see cref="LinearMpc.Build"/> turns it into the multiparametric QP whose parameter is
/// θ = (x₀, r, d[, u₋₁]) — the controller's observation and references, in SI units.
/// </summary>
public sealed record LinearMpcSpec
{
    /// <summary>State matrix A (nx × nx), 1/s.</summary>
    public required Matrix<double> A { get; init; }

    /// <summary>Input matrix B (nx × nu), state unit per input unit per s.</summary>
    public required Matrix<double> B { get; init; }

    /// <summary>Disturbance matrix E (nx × nd), state unit per disturbance unit per s; nd may be 0.</summary>
    public required Matrix<double> E { get; init; }

    /// <summary>Tracked outputs y = C·x (nu × nx: one reference per input, so the steady-state target is unique).</summary>
    public required Matrix<double> C { get; init; }

    /// <summary>Sampling period T, in s.</summary>
    public required double Period { get; init; }

    /// <summary>Horizon N in steps (prediction and control).</summary>
    public required int Horizon { get; init; }

    /// <summary>State weight Q on (x − x_s), nx × nx, 1/(state unit)².</summary>
    public required Matrix<double> Q { get; init; }

    /// <summary>Input weight R on (u − u_s), nu × nu, 1/(input unit)² (positive definite unless <see cref="DeltaWeight"/> is).</summary>
    public required Matrix<double> R { get; init; }

    /// <summary>Δu formulation: the decision is the input increment, θ gains the previous input u₋₁; null: u formulation.</summary>
    public Matrix<double>? DeltaWeight { get; init; }

    /// <summary>Input polytope G_u·u ≤ w_u (every step), input units.</summary>
    public required Matrix<double> InputRows { get; init; }

    /// <summary>Offsets of the input polytope.</summary>
    public required Vector<double> InputLimits { get; init; }

    /// <summary>State polytope G_x·x ≤ w_x on the predicted states x₁…x_N (e.g. the current limit); null: none.</summary>
    public Matrix<double>? StateRows { get; init; }

    /// <summary>Offsets of the state polytope.</summary>
    public Vector<double>? StateLimits { get; init; }

    /// <summary>What each element of θ is, in order (x₀, r, d, u₋₁), with its box (SI units).</summary>
    public required IReadOnlyList<PwaParameter> Parameters { get; init; }
}

/// <summary>The condensed problem and what went into it.</summary>
/// <param name="Qp">The multiparametric QP in z (the stacked inputs or increments) and θ.</param>
/// <param name="Ad">Discrete state matrix (exact ZOH).</param>
/// <param name="Bd">Discrete input matrix.</param>
/// <param name="TerminalWeight">P from the discrete Riccati equation.</param>
/// <param name="FirstMove">Rows of the optimiser that give the applied input u₀ = FirstMoveZ·z + FirstMoveTheta·θ.</param>
/// <param name="FirstMoveTheta">θ dependence of u₀ (non-zero in the Δu formulation: u₀ = u₋₁ + Δu₀).</param>
public sealed record LinearMpcProblem(MultiParametricQp Qp, Matrix<double> Ad, Matrix<double> Bd, Matrix<double> TerminalWeight,
    Matrix<double> FirstMove, Matrix<double> FirstMoveTheta);

/// <summary>
/// Builds the condensed QP of a <see cref="LinearMpcSpec"/>: exact ZOH discretisation of (A, [B E]); steady-state
/// target (x_s, u_s) from [[A_d − I, B_d], [C, 0]]·[x_s; u_s] = [−E_d·d; r], linear in θ; cost
/// Σ_{k=1}^{N−1} ‖x_k − x_s‖²_Q + ‖x_N − x_s‖²_P + Σ_{k=0}^{N−1} ‖u_k − u_s‖²_R [+ ‖Δu_k‖²_{R_Δ}] with P the DARE
/// solution for (A_d, B_d, Q, R), so the unconstrained law is the LQR; the input polytope on u₀…u_{N−1} and the state
/// polytope on x₁…x_N. The predicted x_k and u_k are affine in (z, θ), so the cost is ½zᵀHz + (Fθ)ᵀz + const.
/// </summary>
public static class LinearMpc
{
    /// <summary>Builds the problem.</summary>
    public static LinearMpcProblem Build(LinearMpcSpec spec)
    {
        var M = Matrix<double>.Build;
        int nx = spec.A.RowCount, nu = spec.B.ColumnCount, nd = spec.E.ColumnCount, n = spec.Horizon;
        bool delta = spec.DeltaWeight is not null;
        int nt = nx + nu + nd + (delta ? nu : 0);
        if (spec.Parameters.Count != nt) throw new ArgumentException($"θ has {nt} elements (x, r, d{(delta ? ", u_prev" : "")}), {spec.Parameters.Count} parameters given");
        if (spec.C.RowCount != nu) throw new ArgumentException("one tracked output per input");
        var bAll = M.Dense(nx, nu + nd);
        bAll.SetSubMatrix(0, 0, spec.B);
        if (nd > 0) bAll.SetSubMatrix(0, nu, spec.E);
        (Matrix<double> ad, Matrix<double> bdAll) = Discretisation.ZeroOrderHold(spec.A, bAll, spec.Period);
        Matrix<double> bd = bdAll.SubMatrix(0, nx, 0, nu);
        Matrix<double> ed = nd > 0 ? bdAll.SubMatrix(0, nx, nu, nd) : M.Dense(nx, 0);
        Matrix<double> p = Discretisation.Dare(ad, bd, spec.Q, spec.R);

        // Selectors of θ's blocks.
        Matrix<double> selX = Selector(nx, nt, 0), selR = Selector(nu, nt, nx), selD = Selector(nd, nt, nx + nu);
        Matrix<double> selU = delta ? Selector(nu, nt, nx + nu + nd) : M.Dense(nu, nt);
        // Steady state: [[Ad − I, Bd], [C, 0]]·[xs; us] = [−Ed·d; r].
        var kkt = M.Dense(nx + nu, nx + nu);
        kkt.SetSubMatrix(0, 0, ad - M.DenseIdentity(nx));
        kkt.SetSubMatrix(0, nx, bd);
        kkt.SetSubMatrix(nx, 0, spec.C);
        var rhs = M.Dense(nx + nu, nt);
        rhs.SetSubMatrix(0, 0, -ed * selD);
        rhs.SetSubMatrix(nx, 0, selR);
        Matrix<double> target = kkt.Solve(rhs);
        Matrix<double> xs = target.SubMatrix(0, nx, 0, nt), us = target.SubMatrix(nx, nu, 0, nt);

        int nz = nu * n;
        var uz = new Matrix<double>[n];
        var ut = new Matrix<double>[n];
        for (int k = 0; k < n; k++)
        {
            uz[k] = M.Dense(nu, nz);
            ut[k] = delta ? selU.Clone() : M.Dense(nu, nt);
            for (int j = 0; j <= (delta ? k : -1); j++) uz[k].SetSubMatrix(0, nu * j, M.DenseIdentity(nu));
            if (!delta) uz[k].SetSubMatrix(0, nu * k, M.DenseIdentity(nu));
        }
        var xz = new Matrix<double>[n + 1];
        var xt = new Matrix<double>[n + 1];
        xz[0] = M.Dense(nx, nz);
        xt[0] = selX;
        for (int k = 0; k < n; k++)
        {
            xz[k + 1] = ad * xz[k] + bd * uz[k];
            xt[k + 1] = ad * xt[k] + bd * ut[k] + ed * selD;
        }
        var h = M.Dense(nz, nz);
        var f = M.Dense(nz, nt);
        void Add(Matrix<double> w, Matrix<double> mz, Matrix<double> mt)
        {
            Matrix<double> wz = w * mz;
            h += 2 * mz.Transpose() * wz;
            f += 2 * wz.Transpose() * mt;
        }
        for (int k = 1; k <= n; k++) Add(k == n ? p : spec.Q, xz[k], xt[k] - xs);
        for (int k = 0; k < n; k++) Add(spec.R, uz[k], ut[k] - us);
        if (delta)
        {
            for (int k = 0; k < n; k++)
            {
                Matrix<double> dz = M.Dense(nu, nz);
                dz.SetSubMatrix(0, nu * k, M.DenseIdentity(nu));
                Add(spec.DeltaWeight!, dz, M.Dense(nu, nt));
            }
        }
        h = 0.5 * (h + h.Transpose());

        var gRows = new List<Vector<double>>();
        var wRows = new List<double>();
        var sRows = new List<Vector<double>>();
        void Constrain(Matrix<double> rows, Vector<double> limits, Matrix<double> mz, Matrix<double> mt)
        {
            Matrix<double> gz = rows * mz, gt = rows * mt;
            for (int i = 0; i < rows.RowCount; i++)
            {
                gRows.Add(gz.Row(i));
                sRows.Add(-gt.Row(i));
                wRows.Add(limits[i]);
            }
        }
        for (int k = 0; k < n; k++) Constrain(spec.InputRows, spec.InputLimits, uz[k], ut[k]);
        if (spec.StateRows is { } sr)
        {
            for (int k = 1; k <= n; k++) Constrain(sr, spec.StateLimits!, xz[k], xt[k]);
        }
        var qp = new MultiParametricQp(h, f, M.DenseOfRowVectors(gRows), Vector<double>.Build.DenseOfEnumerable(wRows), M.DenseOfRowVectors(sRows),
            spec.Parameters.Select(q => q.Min).ToArray(), spec.Parameters.Select(q => q.Max).ToArray());
        return new LinearMpcProblem(qp, ad, bd, p, uz[0], ut[0]);
    }

    /// <summary>
    /// Turns a solution into a law: u₀ = FirstMove·(A_r·θ + b_r) + FirstMoveTheta·θ per region; the domain is the
    /// box, or (when the QP is infeasible somewhere in the box) the polytope of the solution's domain facets.
    /// </summary>
    public static PwaLaw ToLaw(LinearMpcProblem problem, MpQpSolution solution, IReadOnlyList<PwaParameter> parameters, PwaOutputMeaning meaning,
        double[] outMin, double[] outMax, string source)
    {
        var regions = solution.Regions.Select(cr => cr with
        {
            A = problem.FirstMove * cr.A + problem.FirstMoveTheta,
            B = problem.FirstMove * cr.B,
        }).ToList();
        int outputs = problem.FirstMove.RowCount;
        PwaLaw law = PwaSynthesis.FromCriticalRegions(source, parameters, regions, outputs, meaning, outMin, outMax);
        if (solution.DomainFacets.Count == 0) return law;
        var domain = new PwaDomain(PwaDomainKind.Polytope, solution.DomainFacets.Select(d => d.Row).ToArray(), solution.DomainFacets.Select(d => d.Rhs).ToArray());
        return law.WithDomain(domain);
    }

    private static Matrix<double> Selector(int rows, int cols, int offset)
    {
        var s = Matrix<double>.Build.Dense(rows, cols);
        for (int i = 0; i < rows; i++) s[i, offset + i] = 1;
        return s;
    }
}

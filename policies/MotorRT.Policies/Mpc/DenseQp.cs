using MathNet.Numerics.LinearAlgebra;
using MotorRT.Policies.Pwa;

namespace MotorRT.Policies.Mpc;

/// <summary>Outcome of <see cref="DenseQp.Solve"/>.</summary>
public enum QpStatus
{
    /// <summary>The optimum was found.</summary>
    Optimal,

    /// <summary>No point satisfies the constraints.</summary>
    Infeasible,

    /// <summary>The iteration limit was reached (should not happen for the small strictly convex problems here).</summary>
    IterationLimit,
}

/// <summary>
/// An online solver of one strictly convex QP, minimise ½·zᵀ·H·z + cᵀ·z subject to G·z ≤ w: a feasible start from
/// the LP phase 1 (<see cref="LinearProgram"/>), then the primal active-set method (Nocedal and Wright, Algorithm 16.3)
/// with the equality-constrained subproblems solved exactly on the KKT system. It is the reference the explicit
/// solution is checked against, and the oracle the facet-exploration mp-QP solver asks for a neighbour's active set.
/// Offline code (allocates).
/// </summary>
public static class DenseQp
{
    /// <summary>Solves the QP; on <see cref="QpStatus.Optimal"/> returns the optimiser, the working set at the optimum and its multipliers.</summary>
    /// <param name="h">Hessian (symmetric positive definite), nz × nz.</param>
    /// <param name="c">Linear term, nz.</param>
    /// <param name="g">Constraint matrix, nc × nz.</param>
    /// <param name="w">Constraint offsets, nc.</param>
    /// <param name="z">The optimiser.</param>
    /// <param name="working">Indices of the working set at the optimum (linearly independent active constraints).</param>
    /// <param name="lambda">Multipliers of <paramref name="working"/> (≥ 0 at the optimum).</param>
    public static QpStatus Solve(Matrix<double> h, Vector<double> c, Matrix<double> g, Vector<double> w,
        out Vector<double> z, out List<int> working, out List<double> lambda)
    {
        int nz = h.RowCount, nc = g.RowCount;
        working = [];
        lambda = [];
        double scale = 1.0;
        for (int i = 0; i < nc; i++) scale = Math.Max(scale, Math.Abs(w[i]));
        double feasTol = 1e-10 * scale;
        // Start: the unconstrained optimum when it is feasible (the common case), else an LP phase-1 point.
        z = -h.Solve(c);
        if (MaxViolation(g, w, z) > feasTol)
        {
            var a = g.ToArray();
            LpStatus status = LinearProgram.Minimize(a, w.ToArray(), new double[nz], out double[] x0, out _);
            if (status != LpStatus.Optimal) { z = Vector<double>.Build.Dense(nz); return QpStatus.Infeasible; }
            z = Vector<double>.Build.DenseOfArray(x0);
            // Start the working set with active constraints that are linearly independent.
            for (int i = 0; i < nc; i++)
            {
                if (g.Row(i) * z - w[i] > -feasTol && Independent(g, working, i)) working.Add(i);
            }
        }
        for (int it = 0; it < 50 * (nc + nz) + 100; it++)
        {
            // Step p minimising the model over the working set's null space: [[H, G_Wᵀ], [G_W, 0]]·[p; λ] = [−(H·z + c); 0].
            int k = working.Count;
            var kkt = Matrix<double>.Build.Dense(nz + k, nz + k);
            kkt.SetSubMatrix(0, 0, h);
            for (int a = 0; a < k; a++)
            {
                Vector<double> row = g.Row(working[a]);
                kkt.SetRow(nz + a, 0, nz, row);
                kkt.SetColumn(nz + a, 0, nz, row);
            }
            Vector<double> grad = h * z + c;
            var rhs = Vector<double>.Build.Dense(nz + k);
            rhs.SetSubVector(0, nz, -grad);
            Vector<double> sol = kkt.Solve(rhs);
            Vector<double> p = sol.SubVector(0, nz);
            double zScale = Math.Max(1.0, z.InfinityNorm());
            if (p.InfinityNorm() <= 1e-13 * zScale)
            {
                // At p = 0 the second block is the multiplier vector: H·z + c + G_Wᵀ·λ = 0.
                int worst = -1;
                double most = -1e-12 * Math.Max(1.0, grad.InfinityNorm());
                for (int a = 0; a < k; a++)
                {
                    double l = sol[nz + a];
                    if (l < most) { most = l; worst = a; }
                }
                if (worst < 0)
                {
                    lambda = Enumerable.Range(0, k).Select(a => sol[nz + a]).ToList();
                    return QpStatus.Optimal;
                }
                working.RemoveAt(worst);
                continue;
            }
            double alpha = 1.0;
            int blocking = -1;
            for (int i = 0; i < nc; i++)
            {
                if (working.Contains(i)) continue;
                double gp = g.Row(i) * p;
                if (gp <= 1e-14 * p.InfinityNorm()) continue;
                double step = (w[i] - g.Row(i) * z) / gp;
                if (step < alpha) { alpha = Math.Max(0.0, step); blocking = i; }
            }
            z += alpha * p;
            if (blocking >= 0) working.Add(blocking);
        }
        return QpStatus.IterationLimit;
    }

    private static double MaxViolation(Matrix<double> g, Vector<double> w, Vector<double> z)
    {
        Vector<double> r = g * z - w;
        return r.Count == 0 ? 0 : r.Maximum();
    }

    private static bool Independent(Matrix<double> g, List<int> set, int candidate)
    {
        if (set.Count >= g.ColumnCount) return false;
        var rows = set.Select(g.Row).Append(g.Row(candidate)).ToArray();
        return Matrix<double>.Build.DenseOfRowVectors(rows).Rank() == rows.Length;
    }
}

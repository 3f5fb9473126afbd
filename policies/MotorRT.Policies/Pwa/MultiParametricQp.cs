using MathNet.Numerics.LinearAlgebra;

namespace MotorRT.Policies.Pwa;

/// <summary>
/// A strictly convex multiparametric QP: minimise ½·zᵀ·H·z + (F·θ)ᵀ·z subject to G·z ≤ w + S·θ, for θ in a box.
/// Dimensions: z has <c>H.RowCount</c> elements, θ has <c>F.ColumnCount</c>, there are <c>G.RowCount</c> constraints.
/// </summary>
/// <param name="H">Hessian (symmetric positive definite), nz × nz.</param>
/// <param name="F">Linear term in θ, nz × nθ.</param>
/// <param name="G">Constraint matrix, nc × nz.</param>
/// <param name="W">Constraint offset, nc.</param>
/// <param name="S">Constraint dependence on θ, nc × nθ.</param>
/// <param name="ThetaMin">Lower corner of the parameter box.</param>
/// <param name="ThetaMax">Upper corner of the parameter box.</param>
public sealed record MultiParametricQp(Matrix<double> H, Matrix<double> F, Matrix<double> G, Vector<double> W, Matrix<double> S,
    double[] ThetaMin, double[] ThetaMax);

/// <summary>One critical region: z*(θ) = A·θ + b for θ with E·θ ≤ f (PPOPT's naming), and its active set.</summary>
/// <param name="A">Optimiser gain, nz × nθ.</param>
/// <param name="B">Optimiser offset, nz.</param>
/// <param name="E">Region inequalities, rows × nθ (non-redundant within the box).</param>
/// <param name="Fv">Region offsets.</param>
/// <param name="ActiveSet">Indices of the active constraints.</param>
public sealed record CriticalRegion(Matrix<double> A, Vector<double> B, Matrix<double> E, Vector<double> Fv, int[] ActiveSet);

/// <summary>
/// Solves a <see cref="MultiParametricQp"/> by enumerating candidate active sets (the textbook method for small
/// problems: Bemporad, Morari, Dua, Pistikopoulos 2002 give the KKT algebra). For each active set A with linearly
/// independent rows: λ(θ) = −(G_A·H⁻¹·G_Aᵀ)⁻¹·(w_A + (S_A + G_A·H⁻¹·F)·θ), z(θ) = −H⁻¹·(F·θ + G_Aᵀ·λ(θ)); its critical
/// region is {λ(θ) ≥ 0, G_I·z(θ) ≤ w_I + S_I·θ} ∩ box, kept when it has an interior (Chebyshev LP). For a strictly
/// convex QP the full-dimensional critical regions partition the feasible parameter set and z*(θ) is continuous.
/// Load-time/offline code; the <c>candidates</c> argument limits the enumeration to the caller's admissible sets.
/// </summary>
public static class MultiParametricQpSolver
{
    /// <summary>Enumerates the given candidate active sets; returns the full-dimensional critical regions.</summary>
    /// <param name="qp">The problem.</param>
    /// <param name="candidates">Active sets to try (each a sorted list of constraint indices).</param>
    /// <param name="minRadius">Smallest Chebyshev radius within the box (SI units of θ) of a region kept as full-dimensional; default 1e-7 of the box half-width.</param>
    public static List<CriticalRegion> Solve(MultiParametricQp qp, IEnumerable<int[]> candidates, double? minRadius = null)
    {
        int nz = qp.H.RowCount;
        int nt = qp.F.ColumnCount;
        int nc = qp.G.RowCount;
        Matrix<double> hInv = qp.H.Inverse();
        double scale = 0;
        for (int j = 0; j < nt; j++) scale = Math.Max(scale, 0.5 * (qp.ThetaMax[j] - qp.ThetaMin[j]));
        var result = new List<CriticalRegion>();
        foreach (int[] active in candidates)
        {
            Matrix<double> a;
            Vector<double> b;
            var rows = new List<double[]>();
            var rhs = new List<double>();
            if (active.Length == 0)
            {
                a = -hInv * qp.F;
                b = Vector<double>.Build.Dense(nz);
            }
            else
            {
                Matrix<double> ga = Matrix<double>.Build.DenseOfRowVectors(active.Select(i => qp.G.Row(i)));
                Matrix<double> sa = Matrix<double>.Build.DenseOfRowVectors(active.Select(i => qp.S.Row(i)));
                Vector<double> wa = Vector<double>.Build.DenseOfEnumerable(active.Select(i => qp.W[i]));
                Matrix<double> m = ga * hInv * ga.Transpose();
                if (m.Rank() < active.Length) continue; // LICQ fails: skip (degenerate)
                Matrix<double> mInv = m.Inverse();
                Matrix<double> lamA = -mInv * (sa + ga * hInv * qp.F);
                Vector<double> lamB = -mInv * wa;
                a = -hInv * (qp.F + ga.Transpose() * lamA);
                b = -hInv * (ga.Transpose() * lamB);
                // λ ≥ 0  →  −lamA·θ ≤ lamB
                for (int i = 0; i < active.Length; i++)
                {
                    rows.Add((-lamA.Row(i)).ToArray());
                    rhs.Add(lamB[i]);
                }
            }
            // Inactive constraints: G_i·(Aθ + b) ≤ w_i + S_i·θ  →  (G_i·A − S_i)·θ ≤ w_i − G_i·b
            for (int i = 0; i < nc; i++)
            {
                if (Array.IndexOf(active, i) >= 0) continue;
                Vector<double> gi = qp.G.Row(i);
                rows.Add((gi * a - qp.S.Row(i)).ToArray());
                rhs.Add(qp.W[i] - gi * b);
            }
            (double[][] keptRows, double[] keptRhs, bool interior) = Reduce(rows, rhs, qp.ThetaMin, qp.ThetaMax, minRadius ?? 1e-7 * scale);
            if (!interior) continue;
            result.Add(new CriticalRegion(a, b,
                keptRows.Length == 0 ? Matrix<double>.Build.Dense(0, nt) : Matrix<double>.Build.DenseOfRowArrays(keptRows),
                Vector<double>.Build.DenseOfArray(keptRhs), active));
        }
        return result;
    }

    /// <summary>
    /// Drops zero rows and rows redundant within the box (max of the row over the others ∩ box stays below its offset);
    /// reports whether the polytope has an interior (Chebyshev radius above <paramref name="minRadius"/>).
    /// </summary>
    public static (double[][] Rows, double[] Rhs, bool Interior) Reduce(List<double[]> rows, List<double> rhs, double[] boxMin, double[] boxMax, double minRadius)
    {
        int n = boxMin.Length;
        var keptRows = new List<double[]>();
        var keptRhs = new List<double>();
        for (int i = 0; i < rows.Count; i++)
        {
            double norm = Math.Sqrt(rows[i].Sum(v => v * v));
            if (norm < 1e-12)
            {
                if (rhs[i] < -1e-9) return ([], [], false); // 0 ≤ negative: empty
                continue;
            }
            keptRows.Add(rows[i].Select(v => v / norm).ToArray());
            keptRhs.Add(rhs[i] / norm);
        }
        if (Chebyshev(keptRows, keptRhs, boxMin, boxMax, out _) <= minRadius) return ([], [], false);
        for (int i = keptRows.Count - 1; i >= 0; i--)
        {
            // Maximise row i over the other rows and the box; redundant when the maximum ≤ its offset.
            var others = keptRows.Where((_, k) => k != i).ToList();
            var othersRhs = keptRhs.Where((_, k) => k != i).ToList();
            Build(others, othersRhs, boxMin, boxMax, out double[,] a, out double[] b);
            var c = keptRows[i].Select(v => -v).ToArray();
            LpStatus status = LinearProgram.Minimize(a, b, c, out _, out double value);
            if (status == LpStatus.Optimal && -value <= keptRhs[i] + 1e-9 * Math.Max(1.0, Math.Abs(keptRhs[i])))
            {
                keptRows.RemoveAt(i);
                keptRhs.RemoveAt(i);
            }
        }
        return (keptRows.ToArray(), keptRhs.ToArray(), true);
    }

    private static double Chebyshev(List<double[]> rows, List<double> rhs, double[] boxMin, double[] boxMax, out double[] centre)
    {
        Build(rows, rhs, boxMin, boxMax, out double[,] a, out double[] b);
        double cap = 0;
        for (int j = 0; j < boxMin.Length; j++) cap = Math.Max(cap, boxMax[j] - boxMin[j]);
        return LinearProgram.ChebyshevBall(a, b, cap, out centre);
    }

    private static void Build(List<double[]> rows, List<double> rhs, double[] boxMin, double[] boxMax, out double[,] a, out double[] b)
    {
        int n = boxMin.Length;
        a = new double[rows.Count + 2 * n, n];
        b = new double[rows.Count + 2 * n];
        for (int i = 0; i < rows.Count; i++)
        {
            for (int j = 0; j < n; j++) a[i, j] = rows[i][j];
            b[i] = rhs[i];
        }
        for (int j = 0; j < n; j++)
        {
            a[rows.Count + 2 * j, j] = 1; b[rows.Count + 2 * j] = boxMax[j];
            a[rows.Count + 2 * j + 1, j] = -1; b[rows.Count + 2 * j + 1] = -boxMin[j];
        }
    }
}

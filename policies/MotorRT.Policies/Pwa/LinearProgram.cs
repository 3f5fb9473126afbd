namespace MotorRT.Policies.Pwa;

/// <summary>Outcome of <see cref="LinearProgram.Minimize"/>.</summary>
public enum LpStatus
{
    /// <summary>An optimal point was found.</summary>
    Optimal,

    /// <summary>No point satisfies the constraints.</summary>
    Infeasible,

    /// <summary>The objective decreases without bound on the feasible set.</summary>
    Unbounded,
}

/// <summary>
/// A small dense two-phase simplex (tableau form, Bland's anti-cycling rule) for the load-time geometry of PWA laws:
/// minimise cᵀx subject to A·x ≤ b with x free. MathNet.Numerics has no LP solver and the problems here are tiny
/// (tens of variables and constraints), so a textbook tableau is the right tool. Never used on the real-time path.
/// </summary>
public static class LinearProgram
{
    private const double PivotTolerance = 1e-11;

    /// <summary>
    /// Minimises cᵀx subject to A·x ≤ b (x free). Returns the status; <paramref name="x"/> holds the optimum when
    /// <see cref="LpStatus.Optimal"/>, and <paramref name="value"/> the optimal objective.
    /// </summary>
    /// <param name="a">Constraint matrix, m rows × n columns.</param>
    /// <param name="b">Right-hand side, m values.</param>
    /// <param name="c">Cost vector, n values.</param>
    /// <param name="x">The optimal point (n values) or zeros.</param>
    /// <param name="value">The optimal objective value, or NaN.</param>
    public static LpStatus Minimize(double[,] a, double[] b, double[] c, out double[] x, out double value)
    {
        int m = a.GetLength(0);
        int n = a.GetLength(1);
        if (b.Length != m || c.Length != n)
        {
            throw new ArgumentException("LP dimensions disagree");
        }
        // Standard form: x = x⁺ − x⁻, slacks s ≥ 0: [A −A I]·[x⁺; x⁻; s] = b, rows flipped so that b ≥ 0,
        // then artificials on every row for phase 1.
        int structural = 2 * n + m;
        int cols = structural + m; // + artificials
        var t = new double[m + 1, cols + 1];
        var basis = new int[m];
        for (int i = 0; i < m; i++)
        {
            double sign = b[i] < 0 ? -1.0 : 1.0;
            for (int j = 0; j < n; j++)
            {
                t[i, j] = sign * a[i, j];
                t[i, n + j] = -sign * a[i, j];
            }
            t[i, 2 * n + i] = sign;
            t[i, structural + i] = 1.0;
            t[i, cols] = sign * b[i];
            basis[i] = structural + i;
        }
        // Phase 1 objective: minimise the sum of artificials (reduced costs in the last row).
        for (int j = 0; j <= cols; j++)
        {
            double s = 0;
            for (int i = 0; i < m; i++)
            {
                if (j < structural || j == cols) s += t[i, j];
            }
            t[m, j] = j < structural || j == cols ? -s : 0.0;
        }
        Iterate(t, basis, m, cols, structural); // phase 1 is bounded below by 0
        double scale = 1.0;
        for (int i = 0; i < m; i++) scale = Math.Max(scale, Math.Abs(b[i]));
        if (-t[m, cols] > 1e-9 * scale)
        {
            x = new double[n];
            value = double.NaN;
            return LpStatus.Infeasible;
        }
        // Drive artificials out of the basis where possible (degenerate rows).
        for (int i = 0; i < m; i++)
        {
            if (basis[i] < structural) continue;
            int pivotCol = -1;
            for (int j = 0; j < structural; j++)
            {
                if (Math.Abs(t[i, j]) > 1e-9) { pivotCol = j; break; }
            }
            if (pivotCol >= 0) Pivot(t, basis, m, cols, i, pivotCol);
        }
        // Phase 2 objective row: reduced costs of c over the structural columns.
        for (int j = 0; j <= cols; j++) t[m, j] = 0.0;
        for (int j = 0; j < n; j++)
        {
            t[m, j] = c[j];
            t[m, n + j] = -c[j];
        }
        for (int i = 0; i < m; i++)
        {
            int bj = basis[i];
            double cb = bj < n ? c[bj] : bj < 2 * n ? -c[bj - n] : 0.0;
            if (cb == 0.0) continue;
            for (int j = 0; j <= cols; j++) t[m, j] -= cb * t[i, j];
        }
        bool bounded = Iterate(t, basis, m, cols, structural);
        x = new double[n];
        for (int i = 0; i < m; i++)
        {
            int bj = basis[i];
            if (bj < n) x[bj] += t[i, cols];
            else if (bj < 2 * n) x[bj - n] -= t[i, cols];
        }
        if (!bounded)
        {
            value = double.NegativeInfinity;
            return LpStatus.Unbounded;
        }
        value = 0;
        for (int j = 0; j < n; j++) value += c[j] * x[j];
        return LpStatus.Optimal;
    }

    /// <summary>Simplex iterations over columns [0, <paramref name="enterLimit"/>); false when unbounded.</summary>
    private static bool Iterate(double[,] t, int[] basis, int m, int cols, int enterLimit)
    {
        for (int guard = 0; guard < 50_000; guard++)
        {
            // Bland: the lowest-index column with a negative reduced cost enters.
            int enter = -1;
            for (int j = 0; j < enterLimit; j++)
            {
                if (t[m, j] < -PivotTolerance) { enter = j; break; }
            }
            if (enter < 0) return true;
            int leave = -1;
            double best = double.PositiveInfinity;
            for (int i = 0; i < m; i++)
            {
                double p = t[i, enter];
                if (p <= PivotTolerance) continue;
                double ratio = t[i, cols] / p;
                if (ratio < best - 1e-13 || (Math.Abs(ratio - best) <= 1e-13 && leave >= 0 && basis[i] < basis[leave]))
                {
                    best = ratio;
                    leave = i;
                }
            }
            if (leave < 0) return false;
            Pivot(t, basis, m, cols, leave, enter);
        }
        throw new InvalidOperationException("simplex did not terminate");
    }

    private static void Pivot(double[,] t, int[] basis, int m, int cols, int row, int col)
    {
        double p = t[row, col];
        for (int j = 0; j <= cols; j++) t[row, j] /= p;
        for (int i = 0; i <= m; i++)
        {
            if (i == row) continue;
            double f = t[i, col];
            if (f == 0.0) continue;
            for (int j = 0; j <= cols; j++) t[i, j] -= f * t[row, j];
        }
        basis[row] = col;
    }

    /// <summary>
    /// Chebyshev centre of {θ : A·θ ≤ b}: the centre and radius of the largest Euclidean ball inside it, the radius
    /// capped at <paramref name="maxRadius"/>. A negative radius means the set is empty (by that margin); zero means it
    /// has no interior. Always solvable because the radius is free below.
    /// </summary>
    /// <param name="a">Constraints, m × n.</param>
    /// <param name="b">Right-hand side, m.</param>
    /// <param name="maxRadius">Cap on the radius (keeps unbounded sets bounded), same unit as θ.</param>
    /// <param name="centre">The centre (n values).</param>
    public static double ChebyshevBall(double[,] a, double[] b, double maxRadius, out double[] centre)
    {
        int m = a.GetLength(0);
        int n = a.GetLength(1);
        var aa = new double[m + 1, n + 1];
        var bb = new double[m + 1];
        for (int i = 0; i < m; i++)
        {
            double norm = 0;
            for (int j = 0; j < n; j++)
            {
                aa[i, j] = a[i, j];
                norm += a[i, j] * a[i, j];
            }
            aa[i, n] = Math.Sqrt(norm);
            bb[i] = b[i];
        }
        aa[m, n] = 1.0;
        bb[m] = maxRadius;
        var c = new double[n + 1];
        c[n] = -1.0;
        LpStatus status = Minimize(aa, bb, c, out double[] z, out _);
        centre = new double[n];
        if (status != LpStatus.Optimal)
        {
            return double.NegativeInfinity;
        }
        Array.Copy(z, centre, n);
        return z[n];
    }
}

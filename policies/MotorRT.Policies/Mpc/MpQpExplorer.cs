using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using MotorRT.Policies.Pwa;

namespace MotorRT.Policies.Mpc;

/// <summary>What <see cref="MpQpExplorer.Solve"/> found.</summary>
public sealed record MpQpSolution
{
    /// <summary>The full-dimensional critical regions (rows normalised, non-redundant within the box).</summary>
    public required IReadOnlyList<CriticalRegion> Regions { get; init; }

    /// <summary>
    /// Facets of the feasible parameter set found inside the box (a step across them makes the QP infeasible), as
    /// normalised rows a·θ ≤ b; empty when the QP is feasible on the whole box. With the box they describe the domain
    /// of the explicit law exactly, since that set is convex and its facets are region facets.
    /// </summary>
    public required IReadOnlyList<(double[] Row, double Rhs)> DomainFacets { get; init; }

    /// <summary>Online QP solves made while exploring.</summary>
    public required int QpSolves { get; init; }

    /// <summary>Facet steps where the QP's working set did not give a full-dimensional region and neighbouring active sets were tried.</summary>
    public required int DegenerateSteps { get; init; }

    /// <summary>Wall-clock time of the exploration, in s (reported, never asserted).</summary>
    public required double Seconds { get; init; }

    /// <summary>
    /// True when the exploration stopped at the region cap with parameters still uncovered: the regions are then only
    /// part of the partition and a law made of them has holes (it fails <see cref="PwaValidator.Validate"/>).
    /// </summary>
    public bool Truncated { get; init; }
}

/// <summary>
/// A multiparametric-QP solver by graph (facet) exploration, the approach of Bemporad et al. (2002) refined by
/// Ahmadi-Moshkenani, Johansen and Olaru (2018) and Oberdieck et al. (2017): start from the critical region of one
/// feasible parameter; for every facet of every region found, step a short distance across the facet's Chebyshev
/// centre, solve the QP there (<see cref="DenseQp"/>) and take the neighbour's active set from the optimum. Only
/// regions that exist are ever computed, so the cost grows with the number of regions, not with the 3^nz candidate
/// active sets of enumeration. Degenerate facets (weakly active constraints, more active constraints than variables,
/// facets shared by several neighbours) are handled by trying the active sets obtained by dropping zero multipliers
/// and adding zero-slack constraints, by probing further points on the facet, and by a closing pass that probes
/// 2n − 1 points on every interior facet; the result is a partition of the feasible parameter set within the box.
/// Offline code.
/// </summary>
public static class MpQpExplorer
{
    /// <summary>Solves <paramref name="qp"/> over its parameter box.</summary>
    /// <param name="qp">The problem (strictly convex).</param>
    /// <param name="maxRegions">Stop exploring at this many regions (the law would be impractical); the solution is then
    /// <see cref="MpQpSolution.Truncated"/>.</param>
    public static MpQpSolution Solve(MultiParametricQp qp, int maxRegions = 20000)
    {
        var clock = Stopwatch.StartNew();
        var state = new State(qp, maxRegions);
        double[] seed = state.FeasibleSeed() ?? throw new ArgumentException("the QP is infeasible for every parameter in the box");
        try
        {
            state.Process(seed);
            for (int round = 0; round < 4; round++)
            {
                state.Explore();
                if (state.ClosingPass() == 0) break;
            }
        }
        catch (RegionCapReached)
        {
        }
        return new MpQpSolution
        {
            Regions = state.Regions,
            DomainFacets = state.Domain,
            QpSolves = state.QpSolves,
            DegenerateSteps = state.Degenerate,
            Seconds = clock.Elapsed.TotalSeconds,
            Truncated = state.Truncated,
        };
    }

    /// <summary>Unwinds the exploration when a new region is needed beyond the cap.</summary>
    private sealed class RegionCapReached : Exception;

    /// <summary>z*(θ) by the online QP, or null when infeasible (the reference for verification).</summary>
    public static Vector<double>? OnlineOptimiser(MultiParametricQp qp, ReadOnlySpan<double> theta)
    {
        Vector<double> t = Vector<double>.Build.DenseOfArray(theta.ToArray());
        QpStatus status = DenseQp.Solve(qp.H, qp.F * t, qp.G, qp.W + qp.S * t, out Vector<double> z, out _, out _);
        return status == QpStatus.Optimal ? z : null;
    }

    private sealed class State(MultiParametricQp qp, int maxRegions)
    {
        private readonly int _n = qp.F.ColumnCount;
        private readonly double _scale = Enumerable.Range(0, qp.F.ColumnCount).Max(j => 0.5 * (qp.ThetaMax[j] - qp.ThetaMin[j]));
        private readonly HashSet<string> _known = [];
        private readonly Queue<int> _pending = new();
        private readonly List<(double[,] A, double[] B)> _rows = [];

        public List<CriticalRegion> Regions { get; } = [];

        public List<(double[] Row, double Rhs)> Domain { get; } = [];

        public int QpSolves { get; private set; }

        public int Degenerate { get; private set; }

        public bool Truncated { get; private set; }

        private double Step => 2e-7 * _scale;

        /// <summary>The box centre when the QP is feasible there, else a point of the feasible set (an LP in (z, θ)).</summary>
        public double[]? FeasibleSeed()
        {
            var centre = new double[_n];
            for (int j = 0; j < _n; j++) centre[j] = 0.5 * (qp.ThetaMin[j] + qp.ThetaMax[j]);
            if (OnlineOptimiser(qp, centre) is not null) return centre;
            // maximise t subject to G·z − S·θ + t ≤ w, θ in the box shrunk by t, t ≤ scale: a deep feasible point.
            int nz = qp.H.RowCount, nc = qp.G.RowCount;
            int vars = nz + _n + 1;
            var a = new double[nc + 2 * _n + 1, vars];
            var b = new double[nc + 2 * _n + 1];
            for (int i = 0; i < nc; i++)
            {
                double norm = 0;
                for (int k = 0; k < nz; k++) { a[i, k] = qp.G[i, k]; norm += qp.G[i, k] * qp.G[i, k]; }
                for (int j = 0; j < _n; j++) { a[i, nz + j] = -qp.S[i, j]; norm += qp.S[i, j] * qp.S[i, j]; }
                a[i, vars - 1] = Math.Sqrt(norm);
                b[i] = qp.W[i];
            }
            for (int j = 0; j < _n; j++)
            {
                a[nc + 2 * j, nz + j] = 1; a[nc + 2 * j, vars - 1] = 1; b[nc + 2 * j] = qp.ThetaMax[j];
                a[nc + 2 * j + 1, nz + j] = -1; a[nc + 2 * j + 1, vars - 1] = 1; b[nc + 2 * j + 1] = -qp.ThetaMin[j];
            }
            a[nc + 2 * _n, vars - 1] = 1; b[nc + 2 * _n] = _scale;
            var c = new double[vars];
            c[vars - 1] = -1;
            if (LinearProgram.Minimize(a, b, c, out double[] x, out _) != LpStatus.Optimal || x[vars - 1] <= 0) return null;
            return x[nz..(nz + _n)];
        }

        /// <summary>Finds the region of θ if it is not covered yet; returns false when the QP is infeasible at θ.</summary>
        public bool Process(double[] theta)
        {
            if (Covered(theta)) return true;
            if (Regions.Count >= maxRegions)
            {
                Truncated = true;
                throw new RegionCapReached();
            }
            Vector<double> t = Vector<double>.Build.DenseOfArray(theta);
            QpSolves++;
            QpStatus status = DenseQp.Solve(qp.H, qp.F * t, qp.G, qp.W + qp.S * t, out Vector<double> z, out List<int> working, out List<double> lambda);
            if (status != QpStatus.Optimal) return false;
            foreach (int[] set in Candidates(z, t, working, lambda))
            {
                string key = string.Join(",", set);
                if (_known.Contains(key)) continue;
                List<CriticalRegion> found = MultiParametricQpSolver.Solve(qp, [set], PwaValidator.MinRegionRadius * _scale);
                if (found.Count == 0) continue;
                CriticalRegion cr = found[0];
                if (!Inside(cr, theta, 1e-9 * _scale)) continue;
                _known.Add(key);
                Add(cr);
                return true;
            }
            Degenerate++;
            return true;
        }

        /// <summary>Steps across every facet of the pending regions.</summary>
        public void Explore()
        {
            while (_pending.Count > 0)
            {
                int r = _pending.Dequeue();
                (double[,] a, double[] b) = _rows[r];
                for (int f = 0; f < b.Length; f++)
                {
                    double radius = PwaValidator.FacetCentre(a, b, f, qp.ThetaMin, qp.ThetaMax, out double[] centre);
                    if (!(radius > 1e-7 * _scale)) continue;
                    StepAcross(a, b, f, centre, Step);
                }
            }
        }

        /// <summary>Probes 2n − 1 points on every interior facet; returns how many new regions were found.</summary>
        public int ClosingPass()
        {
            int before = Regions.Count;
            for (int r = 0; r < before; r++)
            {
                // The region's own rows without the box (the box is added by the facet LP): the same facet centres a
                // law validator computes, so its probes land on explored ground.
                CriticalRegion cr = Regions[r];
                double[,] a = cr.E.ToArray();
                double[] b = cr.Fv.ToArray();
                for (int f = 0; f < b.Length; f++)
                {
                    double radius = PwaValidator.FacetCentre(a, b, f, qp.ThetaMin, qp.ThetaMax, out double[] centre);
                    if (!(radius > 1e-7 * _scale)) continue;
                    double[] normal = Row(a, f);
                    foreach (double[] p in FacetPoints(centre, normal, 0.7 * radius))
                    {
                        // The exploration step, and the law validator's probe distance (1e-6 of the box plus 10 tolerances).
                        foreach (double step in ProbeSteps)
                        {
                            double[] o = Along(p, normal, step);
                            if (InBox(o) && !Covered(o) && !Process(o)) AddDomainFacet(normal, b[f]);
                        }
                    }
                }
            }
            return Regions.Count - before;
        }

        private void StepAcross(double[,] a, double[] b, int f, double[] centre, double step)
        {
            double[] normal = Row(a, f);
            // A neighbour thinner than the step (a wedge-shaped region of a fully determined active set, as the speed
            // loop's state constraints make) would be jumped over: step again at 1/10, 1/100 and 1/1000 of the step.
            for (double s = step; s >= 0.9e-3 * step; s *= 0.1)
            {
                double[] o = Along(centre, normal, s);
                if (!InBox(o) || Covered(o)) continue;
                if (!Process(o)) AddDomainFacet(normal, b[f]);
            }
        }

        /// <summary>The exploration step and smaller ones, and the law validator's probe distance (1e-6 of the box plus 10 tolerances).</summary>
        private double[] ProbeSteps => [1.01e-6 * _scale, 0.5e-6 * _scale, Step, 0.1 * Step, 0.01 * Step, 0.001 * Step];

        private IEnumerable<int[]> Candidates(Vector<double> z, Vector<double> t, List<int> working, List<double> lambda)
        {
            var set = working.OrderBy(i => i).ToArray();
            yield return set;
            // Degenerate optimum: weakly active members (λ ≈ 0) may leave, zero-slack non-members may join.
            double lTol = 1e-9 * Math.Max(1.0, lambda.Count == 0 ? 0 : lambda.Max(Math.Abs));
            var weak = working.Where((_, k) => Math.Abs(lambda[k]) <= lTol).ToArray();
            Vector<double> slack = qp.W + qp.S * t - qp.G * z;
            double sTol = 1e-9 * Math.Max(1.0, qp.W.AbsoluteMaximum());
            var extra = Enumerable.Range(0, qp.G.RowCount).Where(i => !working.Contains(i) && Math.Abs(slack[i]) <= sTol).ToArray();
            var pool = weak.Concat(extra).ToArray();
            if (pool.Length == 0 || pool.Length > 10) yield break;
            for (int mask = 1; mask < 1 << pool.Length; mask++)
            {
                var s = new HashSet<int>(working);
                for (int k = 0; k < pool.Length; k++)
                {
                    if ((mask >> k & 1) == 0) continue;
                    if (!s.Remove(pool[k])) s.Add(pool[k]);
                }
                if (s.Count > qp.H.RowCount) continue;
                yield return s.OrderBy(i => i).ToArray();
            }
        }

        private void Add(CriticalRegion cr)
        {
            Regions.Add(cr);
            int m = cr.E.RowCount;
            var a = new double[m + 2 * _n, _n];
            var b = new double[m + 2 * _n];
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < _n; j++) a[i, j] = cr.E[i, j];
                b[i] = cr.Fv[i];
            }
            // Box rows last: their facets lie on the box boundary and are skipped by the in-box test.
            for (int j = 0; j < _n; j++)
            {
                a[m + 2 * j, j] = 1; b[m + 2 * j] = qp.ThetaMax[j];
                a[m + 2 * j + 1, j] = -1; b[m + 2 * j + 1] = -qp.ThetaMin[j];
            }
            _rows.Add((a, b));
            _pending.Enqueue(Regions.Count - 1);
        }

        private void AddDomainFacet(double[] row, double rhs)
        {
            // A region facet beyond which one probe was infeasible need not be a facet of the feasible set (the probe
            // may have crossed another boundary near a corner, or the online QP misjudged a point a hair from the
            // boundary). Keep the row only as the supporting hyperplane of the feasible set: its offset is the LP
            // maximum of row·θ over {(z, θ): G·z ≤ w + S·θ, θ in the box}, so the domain never cuts off a feasible θ.
            double? support = Support(row);
            if (support is not { } h) return;
            rhs = h;
            foreach ((double[] r, double k) in Domain)
            {
                double d = Math.Abs(k - rhs) / Math.Max(1.0, Math.Abs(rhs));
                for (int j = 0; j < _n; j++) d = Math.Max(d, Math.Abs(r[j] - row[j]));
                if (d < 1e-7) return;
            }
            Domain.Add((row, rhs));
        }

        /// <summary>max row·θ over the feasible set within the box (an LP in (z, θ)); null if the LP fails.</summary>
        private double? Support(double[] row)
        {
            int nz = qp.H.RowCount, nc = qp.G.RowCount;
            int vars = nz + _n;
            var a = new double[nc + 2 * _n, vars];
            var b = new double[nc + 2 * _n];
            for (int i = 0; i < nc; i++)
            {
                for (int k = 0; k < nz; k++) a[i, k] = qp.G[i, k];
                for (int j = 0; j < _n; j++) a[i, nz + j] = -qp.S[i, j];
                b[i] = qp.W[i];
            }
            for (int j = 0; j < _n; j++)
            {
                a[nc + 2 * j, nz + j] = 1; b[nc + 2 * j] = qp.ThetaMax[j];
                a[nc + 2 * j + 1, nz + j] = -1; b[nc + 2 * j + 1] = -qp.ThetaMin[j];
            }
            var c = new double[vars];
            for (int j = 0; j < _n; j++) c[nz + j] = -row[j];
            if (LinearProgram.Minimize(a, b, c, out _, out double value) != LpStatus.Optimal) return null;
            return -value;
        }

        private bool Covered(double[] theta)
        {
            for (int r = 0; r < Regions.Count; r++)
            {
                if (Inside(Regions[r], theta, 1e-12 * _scale)) return true;
            }
            return false;
        }

        private static bool Inside(CriticalRegion cr, double[] theta, double tol)
        {
            for (int i = 0; i < cr.E.RowCount; i++)
            {
                double s = -cr.Fv[i];
                for (int j = 0; j < theta.Length; j++) s += cr.E[i, j] * theta[j];
                if (s > tol) return false;
            }
            return true;
        }

        private bool InBox(double[] theta)
        {
            for (int j = 0; j < _n; j++)
            {
                if (theta[j] < qp.ThetaMin[j] || theta[j] > qp.ThetaMax[j]) return false;
            }
            return true;
        }

        private double[] Row(double[,] a, int f)
        {
            var v = new double[_n];
            for (int j = 0; j < _n; j++) v[j] = a[f, j];
            return v;
        }

        private static double[] Along(double[] p, double[] d, double s)
        {
            var o = new double[p.Length];
            for (int j = 0; j < p.Length; j++) o[j] = p[j] + s * d[j];
            return o;
        }

        /// <summary>The centre and 2(n−1) points at distance <paramref name="r"/> from it in the facet's hyperplane.</summary>
        private static IEnumerable<double[]> FacetPoints(double[] centre, double[] normal, double r)
        {
            yield return centre;
            foreach (double[] v in PwaValidator.HyperplaneBasis(normal))
            {
                yield return Along(centre, v, r);
                yield return Along(centre, v, -r);
            }
        }
    }
}

using System.Globalization;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Policies.Pwa;

/// <summary>What <see cref="PwaValidator.Validate"/> found (for <c>motorrt pwa check</c> and logs).</summary>
public sealed record PwaValidationReport
{
    /// <summary>Chebyshev radius of the smallest region inside the box, in SI units of θ.</summary>
    public required double SmallestRegionRadius { get; init; }

    /// <summary>Index of the smallest region.</summary>
    public required int SmallestRegion { get; init; }

    /// <summary>Number of random and structured sample points checked for coverage.</summary>
    public required int CoverageSamples { get; init; }

    /// <summary>Number of facets (non-degenerate, inside the box) probed from outside by the LP-based check.</summary>
    public required int FacetsProbed { get; init; }

    /// <summary>Number of (facet, neighbour) pairs checked for continuity (0 when the law does not claim it).</summary>
    public required int ContinuityChecks { get; init; }

    /// <summary>Largest jump of any output across any checked facet, in the output's SI unit.</summary>
    public required double LargestJump { get; init; }
}

/// <summary>
/// Load-time checks of a <see cref="PwaLaw"/> (dimensions are checked by its constructor):
/// <list type="number">
/// <item>every region is non-empty: the Chebyshev ball of region ∩ box has a radius above
/// <c><see cref="MinRegionRadius"/> · box half-width</c> (an LP);</item>
/// <item>the regions cover the declared box: deterministic samples (box centre, corners when n ≤ 12, a seeded
/// uniform sample) must each lie in some region; and an LP-based facet probe: for every region facet that is
/// non-degenerate (in-facet Chebyshev radius above 1e-7 · box half-width) and interior to the box, the point just outside the facet's Chebyshev centre
/// (distance <c>probe = 1e-6 · box half-width + 10·tolerance</c>) must lie in another region — this is exact for
/// gaps wider than the probe distance that touch a facet, which every gap in a partition does;</item>
/// <item>where the law claims continuity: across every probed facet, for every neighbour region found beyond it, the
/// difference of the two affine laws must vanish on the facet's hyperplane (checked at the facet centre and at the
/// 2(n−1) points on the facet around it that border the same neighbour; the difference is affine, so this is exact
/// when at least n of them do); where the facets do not coincide (a neighbour thinner than the probe between them),
/// the segment from the facet centre to the probe point is walked through the regions it crosses: it must be covered
/// without a gap (a hole thinner than the probe is found here) and the law must agree at every crossing.</item>
/// </list>
/// Every failure is a <see cref="ConfigException"/> naming the file, the region and the fix.
/// </summary>
public static class PwaValidator
{
    /// <summary>
    /// Smallest Chebyshev radius of a region inside the box, relative to the box half-width (1e-9). Explicit MPC laws
    /// have real wedge-shaped regions this thin: the DC speed law (N = 3) has one of radius 2.4e-5 rad/s on a ±420 rad/s
    /// box (5.7e-8 relative) between two wide neighbours whose laws differ by 1e-3 V across it; LP noise on normalised
    /// rows is ~1e-12 relative, so 1e-9 still rejects regions without interior. <see cref="Mpc.MpQpExplorer"/> keeps
    /// regions down to the same radius.
    /// </summary>
    public const double MinRegionRadius = 1e-9;

    /// <summary>Runs all checks; throws <see cref="ConfigException"/> on the first failure.</summary>
    /// <param name="law">The law to check.</param>
    /// <param name="samples">Random coverage samples (deterministic seed).</param>
    /// <param name="continuityTolerance">Largest accepted jump across a facet, relative to max(1, output range); default 1e-6.</param>
    public static PwaValidationReport Validate(PwaLaw law, int samples = 4000, double continuityTolerance = 1e-6)
    {
        int n = law.ParameterCount;
        double[] boxMin = law.BoxMin();
        double[] boxMax = law.BoxMax();
        double scale = law.BoxScale();
        double minRadius = MinRegionRadius * scale;
        double minFacetRadius = 1e-7 * scale;
        double probe = 1e-6 * scale + 10 * law.Tolerance;

        // 1. Non-empty regions.
        double smallest = double.PositiveInfinity;
        int smallestRegion = -1;
        for (int r = 0; r < law.RegionCount; r++)
        {
            double radius = ChebyshevInBox(law, r, boxMin, boxMax, out _);
            if (!(radius > minRadius))
            {
                throw new ConfigException(law.Source, $"regions[{r}]",
                    radius < 0 || double.IsNegativeInfinity(radius)
                        ? $"region {r} is empty inside the parameter box (its inequalities H·θ ≤ k contradict each other or the box)"
                        : $"region {r} has no interior inside the parameter box (Chebyshev radius {F(radius)}, below {F(minRadius)})",
                    $"remove region {r}, or correct its H and k (or widen the parameter box if the region lies outside it)");
            }
            if (radius < smallest) { smallest = radius; smallestRegion = r; }
        }

        // 1b. A domain declared as the union of the regions must be convex: no region beyond a derived facet.
        if (law.Domain is { Kind: PwaDomainKind.Regions } union) CheckUnionConvex(law, union, boxMin, boxMax, probe);

        // 2a. Sampled coverage (of the declared domain: points outside it are the fallback's).
        var theta = new double[n];
        int checkedSamples = 0;
        for (int j = 0; j < n; j++) theta[j] = 0.5 * (boxMin[j] + boxMax[j]);
        if (InDomain(law, theta, probe)) { CheckCovered(law, theta, "the centre of the parameter box"); checkedSamples++; }
        if (n <= 12)
        {
            for (int mask = 0; mask < 1 << n; mask++)
            {
                for (int j = 0; j < n; j++) theta[j] = (mask >> j & 1) == 0 ? boxMin[j] : boxMax[j];
                if (!InDomain(law, theta, probe)) continue;
                CheckCovered(law, theta, "a corner of the parameter box");
                checkedSamples++;
            }
        }
        var rng = new Random(20240611);
        for (int s = 0; s < samples; s++)
        {
            for (int j = 0; j < n; j++) theta[j] = boxMin[j] + rng.NextDouble() * (boxMax[j] - boxMin[j]);
            if (!InDomain(law, theta, probe)) continue;
            CheckCovered(law, theta, "a sample point");
            checkedSamples++;
        }

        // 2b + 3. Facet probes (coverage just outside each facet) and continuity across them.
        int facets = 0, continuity = 0;
        double largestJump = 0;
        double outRange = 1.0;
        for (int i = 0; i < law.OutputCount; i++)
        {
            double w = law.OutputMax[i] - law.OutputMin[i];
            if (double.IsFinite(w)) outRange = Math.Max(outRange, w);
        }
        double jumpTol = continuityTolerance * outRange;
        for (int r = 0; r < law.RegionCount; r++)
        {
            law.NormalisedRows(r, out double[,] a, out double[] b);
            for (int f = 0; f < b.Length; f++)
            {
                double radius = FacetCentre(a, b, f, boxMin, boxMax, out double[] centre);
                if (!(radius > minFacetRadius)) continue; // redundant row or a facet of zero size
                var normal = new double[n];
                for (int j = 0; j < n; j++) normal[j] = a[f, j];
                var outside = new double[n];
                bool inBox = true;
                for (int j = 0; j < n; j++)
                {
                    outside[j] = centre[j] + probe * normal[j];
                    inBox &= outside[j] >= boxMin[j] && outside[j] <= boxMax[j];
                }
                if (!inBox) continue; // facet on the box boundary
                if (law.Domain is { } d && d.Violation(outside) > 0) continue; // facet on the domain boundary
                facets++;
                bool found = false;
                for (int q = 0; q < law.RegionCount; q++)
                {
                    if (q == r || !law.Contains(q, outside)) continue;
                    found = true;
                    if (!law.Continuous) break;
                    double jump = FacetJump(law, r, q, centre, normal, 0.5 * radius, probe);
                    continuity++;
                    largestJump = Math.Max(largestJump, jump);
                    if (jump > jumpTol)
                    {
                        // The facets need not coincide (a neighbour thinner than the probe lies between, as explicit
                        // MPC laws have thin wedge regions): walk the segment from the facet centre to the probe point
                        // through the regions it crosses; every piece must be covered and the law must agree where
                        // consecutive pieces meet (exact: the law is affine on each piece). A hole thinner than the
                        // probe is found here.
                        jump = WalkSegment(law, r, centre, normal, probe, jumpTol);
                    }
                    if (jump > jumpTol)
                    {
                        throw new ConfigException(law.Source, $"regions[{r}]",
                            $"the law is declared continuous but jumps by {F(jump)} between region {r} and region {q} across facet {f} of region {r} (near θ = {V(centre)})",
                            $"correct F and g of region {r} or region {q} so they agree on the shared facet, or set \"continuous\": false");
                    }
                }
                if (!found)
                {
                    throw new ConfigException(law.Source, $"regions[{r}]",
                        $"the regions do not cover the parameter box: just outside facet {f} of region {r}, θ = {V(outside)} lies in no region",
                        $"add a region beyond facet {f} of region {r} (H row {f}), correct that row, or shrink the parameter box");
                }
            }
        }
        return new PwaValidationReport
        {
            SmallestRegionRadius = smallest,
            SmallestRegion = smallestRegion,
            CoverageSamples = checkedSamples,
            FacetsProbed = facets,
            ContinuityChecks = continuity,
            LargestJump = largestJump,
        };
    }

    /// <summary>Chebyshev radius (and centre) of region <paramref name="r"/> ∩ box, SI units of θ.</summary>
    public static double ChebyshevInBox(PwaLaw law, int r, double[] boxMin, double[] boxMax, out double[] centre)
    {
        RegionInBox(law, r, boxMin, boxMax, out double[,] A, out double[] B);
        return LinearProgram.ChebyshevBall(A, B, 2 * law.BoxScale() + 1, out centre);
    }

    /// <summary>True when θ lies inside the declared domain by at least <paramref name="margin"/> (always true without one).</summary>
    private static bool InDomain(PwaLaw law, double[] theta, double margin) => law.Domain is not { } d || d.Violation(theta) <= -margin;

    /// <summary>Every region lies below every derived facet of a union domain (an LP per facet and region).</summary>
    private static void CheckUnionConvex(PwaLaw law, PwaDomain union, double[] boxMin, double[] boxMax, double probe)
    {
        for (int r = 0; r < law.RegionCount; r++)
        {
            RegionInBox(law, r, boxMin, boxMax, out double[,] A, out double[] B);
            for (int f = 0; f < union.K.Length; f++)
            {
                double[] c = union.H[f].Select(v => -v).ToArray();
                if (LinearProgram.Minimize(A, B, c, out double[] x, out double value) != LpStatus.Optimal) continue;
                if (-value > union.K[f] + probe)
                {
                    throw new ConfigException(law.Source, "domain",
                        $"the domain is declared as the union of the regions, but that union is not convex: region {r} reaches θ = {V(x)}, beyond the boundary facet {F(union.K[f])} ≥ row·θ derived from a region facet with no neighbour (a gap between regions?)",
                        "close the gap (add the missing region), or declare the domain as an explicit polytope");
                }
            }
        }
    }

    /// <summary>Region <paramref name="r"/>'s normalised rows followed by the box rows, as one A·θ ≤ b.</summary>
    private static void RegionInBox(PwaLaw law, int r, double[] boxMin, double[] boxMax, out double[,] A, out double[] B)
    {
        law.NormalisedRows(r, out double[,] a, out double[] b);
        int n = law.ParameterCount;
        int m = b.Length;
        A = new double[m + 2 * n, n];
        B = new double[m + 2 * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++) A[i, j] = a[i, j];
            B[i] = b[i];
        }
        for (int j = 0; j < n; j++)
        {
            A[m + 2 * j, j] = 1; B[m + 2 * j] = boxMax[j];
            A[m + 2 * j + 1, j] = -1; B[m + 2 * j + 1] = -boxMin[j];
        }
    }

    private static void CheckCovered(PwaLaw law, double[] theta, string what)
    {
        if (law.FindRegionSequential(theta) >= 0) return;
        int nearest = 0;
        double best = double.PositiveInfinity;
        for (int r = 0; r < law.RegionCount; r++)
        {
            double v = law.Violation(r, theta);
            if (v < best) { best = v; nearest = r; }
        }
        throw new ConfigException(law.Source, "regions",
            $"the regions do not cover the parameter box: {what} θ = {V(theta)} lies in no region (nearest: region {nearest}, outside it by {F(best)})",
            law.Domain is null
                ? $"add a region containing this point, enlarge region {nearest}, shrink the parameter box, or (for a law with state constraints, whose feasible set is not the box) declare \"domain\": {{ \"kind\": \"regions\" }}"
                : $"add a region containing this point, enlarge region {nearest}, or correct the declared domain");
    }

    /// <summary>
    /// Chebyshev centre of facet f of the polytope (a, b) within the box: the largest (n−1)-ball in the hyperplane
    /// a_f·θ = b_f that stays inside the other inequalities. Radius ≤ 0 means no facet.
    /// </summary>
    internal static double FacetCentre(double[,] a, double[] b, int f, double[] boxMin, double[] boxMax, out double[] centre)
    {
        int n = a.GetLength(1);
        int m = b.Length;
        var af = new double[n];
        for (int j = 0; j < n; j++) af[j] = a[f, j];
        var rows = new List<(double[] Row, double Rhs, bool Ball)>();
        for (int i = 0; i < m; i++)
        {
            if (i == f) continue;
            var row = new double[n];
            for (int j = 0; j < n; j++) row[j] = a[i, j];
            rows.Add((row, b[i], true));
        }
        for (int j = 0; j < n; j++)
        {
            var up = new double[n]; up[j] = 1; rows.Add((up, boxMax[j], true));
            var dn = new double[n]; dn[j] = -1; rows.Add((dn, -boxMin[j], true));
        }
        rows.Add((af, b[f], false));
        rows.Add((af.Select(v => -v).ToArray(), -b[f], false));
        var A = new double[rows.Count + 1, n + 1];
        var B = new double[rows.Count + 1];
        for (int i = 0; i < rows.Count; i++)
        {
            (double[] row, double rhs, bool ball) = rows[i];
            for (int j = 0; j < n; j++) A[i, j] = row[j];
            if (ball)
            {
                // Norm of the row projected onto the hyperplane: the ball lives in the hyperplane.
                double dot = 0;
                for (int j = 0; j < n; j++) dot += row[j] * af[j];
                double norm = 0;
                for (int j = 0; j < n; j++) { double p = row[j] - dot * af[j]; norm += p * p; }
                A[i, n] = Math.Sqrt(norm);
            }
            B[i] = rhs;
        }
        // Cap the radius by the box's widest side (never binding: the ball lies in the box). A huge cap (it was 1e12)
        // sets the LP's phase-1 feasibility tolerance (relative to the largest offset), and then the centre can miss
        // the facet's hyperplane by 1e-4 of a unit, further than the probe step.
        double cap = 1.0;
        for (int j = 0; j < n; j++) cap = Math.Max(cap, boxMax[j] - boxMin[j]);
        A[rows.Count, n] = 1;
        B[rows.Count] = cap;
        var c = new double[n + 1];
        c[n] = -1;
        LpStatus status = LinearProgram.Minimize(A, B, c, out double[] z, out _);
        centre = new double[n];
        if (status != LpStatus.Optimal) return double.NegativeInfinity;
        Array.Copy(z, centre, n);
        // The simplex may leave the centre a little off the hyperplane (seen: 4e-4 of a unit, as far as the probe
        // step, on a Δu law); project it back so probes start on the facet.
        double off = -b[f], aa = 0;
        for (int j = 0; j < n; j++) { off += af[j] * centre[j]; aa += af[j] * af[j]; }
        if (aa > 0) for (int j = 0; j < n; j++) centre[j] -= off / aa * af[j];
        return z[n];
    }

    /// <summary>Largest |u_r − u_q| (unclipped affine laws) at the facet centre and 2(n−1) points around it on the facet.</summary>
    private static double FacetJump(PwaLaw law, int r, int q, double[] centre, double[] normal, double step, double probe)
    {
        int n = law.ParameterCount;
        double worst = Jump(law, r, q, centre);
        foreach (double[] v in HyperplaneBasis(normal))
        {
            foreach (int sign in new[] { -1, 1 })
            {
                var p = new double[n];
                for (int j = 0; j < n; j++) p[j] = centre[j] + sign * step * v[j];
                // A facet may border several neighbours (explicit MPC laws need not be facet-to-facet): compare only
                // where the point lies on the part of the facet that q shares.
                var beyond = new double[n];
                for (int j = 0; j < n; j++) beyond[j] = p[j] + probe * normal[j];
                if (!law.Contains(q, beyond)) continue;
                worst = Math.Max(worst, Jump(law, r, q, p));
            }
        }
        return worst;
    }

    /// <summary>
    /// Follows θ(t) = centre + t·normal for t from 0 (on a facet of region <paramref name="r"/>) to <paramref name="probe"/>
    /// through the regions whose intervals of t chain without a gap; returns the largest jump of the law where one
    /// region's interval ends and the next one's continues (affine values at the same θ). Throws when a stretch of the
    /// segment lies in no region (beyond the law's tolerance).
    /// </summary>
    private static double WalkSegment(PwaLaw law, int r, double[] centre, double[] normal, double probe, double jumpTol)
    {
        int n = law.ParameterCount;
        double eps = law.Tolerance;
        var from = new double[law.RegionCount];
        var to = new double[law.RegionCount];
        for (int q = 0; q < law.RegionCount; q++)
        {
            // The exact interval of t where every row of q holds: a·c + t·(a·n) ≤ k (no tolerance, so that the
            // intervals of neighbours abut at their common facet instead of overlapping by tolerance / |a·n|).
            law.NormalisedRows(q, out double[,] a, out double[] b);
            double lo = double.NegativeInfinity, hi = double.PositiveInfinity;
            for (int i = 0; i < b.Length && lo <= hi; i++)
            {
                double ac = 0, an = 0;
                for (int j = 0; j < n; j++) { ac += a[i, j] * centre[j]; an += a[i, j] * normal[j]; }
                double slack = b[i] - ac;
                if (Math.Abs(an) < 1e-15) { if (slack < -eps) lo = double.PositiveInfinity; continue; }
                if (an > 0) hi = Math.Min(hi, slack / an); else lo = Math.Max(lo, slack / an);
            }
            from[q] = lo;
            to[q] = hi;
        }
        double worst = 0;
        var at = new double[n];
        // Start in r, or — when the facet LP's centre is not quite in r (the simplex can leave it outside another of
        // r's rows on a thin region) — in the region containing the centre that reaches furthest.
        int cur = r;
        if (from[r] > eps || to[r] < -eps)
        {
            cur = -1;
            for (int q = 0; q < law.RegionCount; q++)
            {
                if (from[q] > eps || to[q] < -eps) continue;
                if (cur < 0 || to[q] > to[cur]) cur = q;
            }
            if (cur < 0)
            {
                if (law.Domain is { } d && d.Violation(centre) > 0) return 0; // the centre is outside the domain
                throw new ConfigException(law.Source, $"regions[{r}]",
                    $"the regions do not cover the parameter box: θ = {V(centre)} on facet plane of region {r} lies in no region",
                    $"add a region containing this point, or correct the rows of region {r} and its neighbours");
            }
        }
        double t = Math.Max(0, Math.Min(to[cur], probe));
        while (t < probe - eps)
        {
            // Of the regions that start within the tolerance of t and go on beyond it, the one that reaches furthest
            // (a region shorter than the tolerance there is stepped over; the law's error from that is ≤ gain × tolerance).
            int next = -1;
            for (int q = 0; q < law.RegionCount; q++)
            {
                if (q == cur || from[q] > t + eps || to[q] <= t + eps) continue;
                if (next < 0 || to[q] > to[next]) next = q;
            }
            for (int j = 0; j < n; j++) at[j] = centre[j] + t * normal[j];
            if (next < 0)
            {
                double gapEnd = probe;
                for (int q = 0; q < law.RegionCount; q++) if (from[q] > t && from[q] < gapEnd) gapEnd = from[q];
                throw new ConfigException(law.Source, $"regions[{r}]",
                    $"the regions do not cover the parameter box: from θ = {V(at)}, where region {cur} ends, a stretch of {F(gapEnd - t)} along the normal of a facet of region {r} lies in no region (a gap thinner than the facet probe)",
                    $"add the missing region beyond region {cur} there, or correct the rows of the regions around it");
            }
            // Compare where cur ends and next begins (the middle of the two when they are within the tolerance).
            double tm = 0.5 * (t + Math.Max(t, from[next]));
            for (int j = 0; j < n; j++) at[j] = centre[j] + tm * normal[j];
            worst = Math.Max(worst, Jump(law, cur, next, at));
            if (worst > jumpTol) return worst;
            cur = next;
            t = Math.Min(to[next], probe);
        }
        return worst;
    }

    /// <summary>An orthonormal basis (n − 1 vectors) of the hyperplane with unit normal <paramref name="normal"/>, by Gram–Schmidt.</summary>
    internal static List<double[]> HyperplaneBasis(double[] normal)
    {
        int n = normal.Length;
        var basis = new List<double[]> { normal };
        for (int e = 0; e < n && basis.Count < n; e++)
        {
            var v = new double[n];
            v[e] = 1;
            foreach (double[] u in basis)
            {
                double dot = 0;
                for (int j = 0; j < n; j++) dot += v[j] * u[j];
                for (int j = 0; j < n; j++) v[j] -= dot * u[j];
            }
            double norm = Math.Sqrt(v.Sum(x => x * x));
            if (norm < 1e-6) continue;
            for (int j = 0; j < n; j++) v[j] /= norm;
            basis.Add(v);
        }
        basis.RemoveAt(0);
        return basis;
    }

    private static double Jump(PwaLaw law, int r, int q, double[] theta)
    {
        double worst = 0;
        for (int i = 0; i < law.OutputCount; i++)
        {
            worst = Math.Max(worst, Math.Abs(law.AffineValue(r, i, theta) - law.AffineValue(q, i, theta)));
        }
        return worst;
    }

    private static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static string V(double[] v) => "(" + string.Join(", ", v.Select(F)) + ")";
}

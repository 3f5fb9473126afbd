namespace MotorRT.Policies.Pwa;

/// <summary>How a law declares the set of parameters it is defined on (file key <c>"domain"</c>).</summary>
public enum PwaDomainKind
{
    /// <summary>The whole declared parameter box (the default; a law without <c>"domain"</c>).</summary>
    Box,

    /// <summary>The box intersected with the polytope {θ : H·θ ≤ k} the file gives (e.g. an MPC's feasible set).</summary>
    Polytope,

    /// <summary>
    /// The union of the regions, which must be convex (an mp-QP's feasible set is): its facets are derived at load from
    /// the region facets with no neighbour inside the box, and validation checks that the union fills their polytope.
    /// </summary>
    Regions,
}

/// <summary>
/// The feasible parameter set of a law: the box ∩ {θ : H·θ ≤ k} (rows normalised to unit length, so a violation is a
/// distance in θ, SI units of the parameters). Outside it the law is undefined and the PWA controller applies its
/// configured out-of-domain action (fault or fallback).
/// </summary>
/// <param name="Kind">How the file declared it.</param>
/// <param name="H">Facet normals (rows of n values); empty for <see cref="PwaDomainKind.Box"/>.</param>
/// <param name="K">Facet offsets, one per row.</param>
public sealed record PwaDomain(PwaDomainKind Kind, double[][] H, double[] K)
{
    /// <summary>Largest violation max_i (H_i·θ − k_i), a distance in θ (≤ 0 inside; −∞ without rows).</summary>
    public double Violation(ReadOnlySpan<double> theta)
    {
        double worst = double.NegativeInfinity;
        for (int i = 0; i < H.Length; i++)
        {
            double s = -K[i], norm = 0;
            for (int j = 0; j < theta.Length; j++) { s += H[i][j] * theta[j]; norm += H[i][j] * H[i][j]; }
            worst = Math.Max(worst, s / Math.Sqrt(norm));
        }
        return worst;
    }

    /// <summary>
    /// The facets of the union of a law's regions: every region facet inside the box whose point just outside (at
    /// <paramref name="probe"/> beyond its Chebyshev centre) lies in no region. Duplicates (the same hyperplane reached
    /// from several regions) are merged. Correct when the union is convex, which <see cref="PwaValidator"/> then checks.
    /// </summary>
    public static PwaDomain FromRegions(PwaLaw law, double probe)
    {
        int n = law.ParameterCount;
        double[] boxMin = law.BoxMin(), boxMax = law.BoxMax();
        double minRadius = 1e-7 * law.BoxScale();
        var rows = new List<double[]>();
        var rhs = new List<double>();
        for (int r = 0; r < law.RegionCount; r++)
        {
            law.NormalisedRows(r, out double[,] a, out double[] b);
            for (int f = 0; f < b.Length; f++)
            {
                if (!(PwaValidator.FacetCentre(a, b, f, boxMin, boxMax, out double[] centre) > minRadius)) continue;
                var normal = new double[n];
                var outside = new double[n];
                bool inBox = true;
                for (int j = 0; j < n; j++)
                {
                    normal[j] = a[f, j];
                    outside[j] = centre[j] + probe * normal[j];
                    inBox &= outside[j] >= boxMin[j] && outside[j] <= boxMax[j];
                }
                if (!inBox || law.FindRegionSequential(outside) >= 0) continue;
                bool known = false;
                for (int i = 0; i < rows.Count && !known; i++)
                {
                    double d = Math.Abs(rhs[i] - b[f]) / Math.Max(1.0, Math.Abs(b[f]));
                    for (int j = 0; j < n; j++) d = Math.Max(d, Math.Abs(rows[i][j] - normal[j]));
                    known = d < 1e-7;
                }
                if (known) continue;
                rows.Add(normal);
                rhs.Add(b[f]);
            }
        }
        return new PwaDomain(PwaDomainKind.Regions, rows.ToArray(), rhs.ToArray());
    }
}

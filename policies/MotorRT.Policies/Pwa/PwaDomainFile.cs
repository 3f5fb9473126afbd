using System.Text;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Policies.Pwa;

/// <summary>
/// The optional <c>"domain"</c> key of a law file (and of an import header):
/// <c>{ "kind": "box" }</c> (the default), <c>{ "kind": "polytope", "H": [[…], …], "k": […] }</c> (the box ∩ H·θ ≤ k),
/// or <c>{ "kind": "regions" }</c> (the union of the regions, which must be convex; its facets are derived at load and
/// may be written as "H"/"k" too). Validation checks coverage of the domain; outside it the controller's
/// out-of-domain action (fault or fallback) applies.
/// </summary>
public static class PwaDomainFile
{
    /// <summary>Builds the domain of a law file's (or import header's) <c>"domain"</c> (null when absent or "box").</summary>
    /// <param name="section">The section as read (null when absent).</param>
    /// <param name="parameters">Length of θ.</param>
    /// <param name="scope">Where the section sits (for messages).</param>
    public static PwaDomain? Read(PwaDomainSection? section, int parameters, ConfigScope scope)
    {
        if (section is null) return null;
        if (section.Kind == "box")
        {
            if (section.H is not null || section.K is not null)
            {
                throw scope.Error(section.H is not null ? "H" : "k", "a box domain has no facets", "remove \"H\" and \"k\", or use \"kind\": \"polytope\"");
            }
            return null;
        }
        double[][] h = [];
        double[] k = [];
        if (section.Kind == "polytope" || section.H is not null)
        {
            h = section.H ?? throw scope.Error("H", "required field is missing", $"add \"H\": [[...], ...] with {parameters} numbers per row");
            PwaLawFile.CheckMatrix(scope, "H", h, parameters);
            k = section.K ?? throw scope.Error("k", "required field is missing", "add \"k\": an array of numbers");
            PwaLawFile.CheckLength(scope, "k", k, h.Length);
            for (int i = 0; i < h.Length; i++)
            {
                if (h[i].All(v => v == 0)) throw scope.Error($"H[{i}]", "row is all zeros", "remove the row");
            }
        }
        else if (section.K is not null)
        {
            throw scope.Error("k", "offsets without facet rows", "give \"H\" with \"k\", or remove \"k\"");
        }
        return new PwaDomain(section.Kind == "polytope" ? PwaDomainKind.Polytope : PwaDomainKind.Regions, h, k);
    }

    /// <summary>Attaches <paramref name="domain"/> to <paramref name="law"/>, deriving the facets of a "regions" domain given without them.</summary>
    public static PwaLaw Apply(PwaLaw law, PwaDomain? domain)
    {
        if (domain is null) return law;
        if (domain.Kind == PwaDomainKind.Regions && domain.K.Length == 0)
        {
            domain = PwaDomain.FromRegions(law, 1e-6 * law.BoxScale() + 10 * law.Tolerance);
        }
        return law.WithDomain(domain);
    }

    /// <summary>The <c>"domain"</c> entry (with a trailing comma and newline) as <see cref="PwaLawFile.ToJson"/> writes it.</summary>
    internal static string ToJson(PwaDomain domain, Func<double[], string> row)
    {
        var sb = new StringBuilder();
        string kind = domain.Kind == PwaDomainKind.Polytope ? "polytope" : domain.Kind == PwaDomainKind.Regions ? "regions" : "box";
        sb.Append($"  \"domain\": {{ \"kind\": \"{kind}\"");
        if (domain.K.Length > 0) sb.Append($", \"H\": [{string.Join(", ", domain.H.Select(row))}], \"k\": {row(domain.K)}");
        sb.Append(" },\n");
        return sb.ToString();
    }
}

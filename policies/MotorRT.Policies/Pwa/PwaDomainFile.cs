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
    /// <summary>Reads <c>"domain"</c> from <paramref name="root"/> (null when absent or "box").</summary>
    /// <param name="root">The law file's root (or an import header).</param>
    /// <param name="parameters">Length of θ.</param>
    public static PwaDomain? Read(JsonSection root, int parameters)
    {
        if (root.OptionalSection("domain") is not { } s) return null;
        string kind = s.OneOf("kind", "box", "polytope", "regions");
        if (kind == "box") { s.EnsureNoUnknownKeys(); return null; }
        double[][] h = [];
        double[] k = [];
        if (kind == "polytope" || s.Raw("H") is not null)
        {
            h = PwaLawFile.Matrix(s, "H", parameters);
            k = s.Numbers("k", h.Length);
            for (int i = 0; i < h.Length; i++)
            {
                if (h[i].All(v => v == 0)) throw s.Error($"H[{i}]", "row is all zeros", "remove the row");
            }
        }
        s.Ignore("notes");
        s.EnsureNoUnknownKeys();
        return new PwaDomain(kind == "polytope" ? PwaDomainKind.Polytope : PwaDomainKind.Regions, h, k);
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

using MotorRT.Contracts;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Policies.Pwa;

/// <summary>
/// Reads and writes PWA law files (<c>"format": "motorrt-pwa-law/1"</c>, documented in <c>policies/README.md</c>,
/// section "PWA laws"). Reading is strict (unknown keys are errors) and, by default, validates the law
/// (<see cref="PwaValidator"/>) and builds its search tree, so a bad file fails before the bridge is armed.
/// </summary>
public static class PwaLawFile
{
    /// <summary>The format tag written into every law file.</summary>
    public const string Format = "motorrt-pwa-law/1";

    /// <summary>Meaning names as written in the file.</summary>
    public static readonly string[] MeaningNames = ["duty_dc", "duty_abc", "voltage_dc", "voltage_dq"];

    /// <summary>Loads, validates and (unless the file says <c>"searchTree": false</c>) builds the tree.</summary>
    /// <param name="path">The law file.</param>
    /// <param name="validate">Run <see cref="PwaValidator.Validate"/> (default true).</param>
    public static PwaLaw Load(string path, bool validate = true) => Read(JsonSection.Load(path), validate);

    /// <summary>Parses JSON text attributed to <paramref name="file"/> (see <see cref="Load"/>).</summary>
    public static PwaLaw Parse(string file, string json, bool validate = true) => Read(JsonSection.Parse(file, json), validate);

    /// <summary>Reads a law from its root section.</summary>
    public static PwaLaw Read(JsonSection root, bool validate = true)
    {
        string format = root.String("format");
        if (format != Format)
        {
            throw root.Error("format", $"unknown format \"{format}\"", $"use \"{Format}\"");
        }
        root.Ignore("description", "notes", "source");
        var parameters = new List<PwaParameter>();
        IReadOnlyList<JsonSection> ps = root.Sections("parameters");
        if (ps.Count == 0)
        {
            throw root.Error("parameters", "the parameter vector is empty", "list at least one { \"quantity\": ..., \"min\": ..., \"max\": ... }");
        }
        foreach (JsonSection p in ps)
        {
            string name = p.OneOf("quantity", Enum.GetNames<ObservationQuantity>());
            var quantity = Enum.Parse<ObservationQuantity>(name);
            string unit = ObservationQuantities.UnitOf(quantity);
            double min = p.Number("min", unit: unit);
            double max = p.Number("max", unit: unit);
            if (!(min < max))
            {
                throw p.Error("max", $"box [{min}, {max}] {unit} is empty", "give min < max");
            }
            p.Ignore("unit", "name");
            p.EnsureNoUnknownKeys();
            parameters.Add(new PwaParameter(quantity, min, max));
        }
        JsonSection output = root.Section("output");
        string meaningName = output.OneOf("meaning", MeaningNames);
        var meaning = (PwaOutputMeaning)Array.IndexOf(MeaningNames, meaningName);
        double[] outMin = output.Numbers("min");
        double[] outMax = output.Numbers("max", outMin.Length);
        output.EnsureNoUnknownKeys();
        bool continuous = root.Boolean("continuous");
        double scale = parameters.Max(p => 0.5 * (p.Max - p.Min));
        double tolerance = root.Number("tolerance", 1e-9 * scale, 0.0, scale);
        bool tree = root.Boolean("searchTree", true);
        var regions = new List<PwaRegion>();
        int n = parameters.Count;
        foreach (JsonSection r in root.Sections("regions"))
        {
            double[][] h = Matrix(r, "H", n);
            double[] k = r.Numbers("k", h.Length);
            double[][] f = Matrix(r, "F", n);
            double[] g = r.Numbers("g", f.Length);
            r.Ignore("activeSet", "notes");
            r.EnsureNoUnknownKeys();
            regions.Add(new PwaRegion(h, k, f, g));
        }
        PwaDomain? domain = PwaDomainFile.Read(root, n);
        root.EnsureNoUnknownKeys();
        var law = new PwaLaw(root.File, parameters, meaning, outMin, outMax, regions, continuous, tolerance);
        law = PwaDomainFile.Apply(law, domain);
        if (validate) PwaValidator.Validate(law);
        if (tree) law.BuildTree();
        return law;
    }

    /// <summary>A matrix written as an array of rows (each an array of <paramref name="columns"/> numbers).</summary>
    internal static double[][] Matrix(JsonSection s, string key, int columns)
    {
        JsonElement v = s.Raw(key) ?? throw s.Error(key, "required field is missing", $"add \"{key}\": [[...], ...] with {columns} numbers per row");
        if (v.ValueKind != JsonValueKind.Array)
        {
            throw s.Error(key, "expected an array of rows", $"write it as [[...], ...] with {columns} numbers per row");
        }
        var rows = new List<double[]>();
        int i = 0;
        foreach (JsonElement row in v.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array)
            {
                throw s.Error($"{key}[{i}]", "expected a row (an array of numbers)", $"write each row as [{columns} numbers]");
            }
            if (row.GetArrayLength() != columns)
            {
                throw s.Error($"{key}[{i}]", $"row has {row.GetArrayLength()} numbers, the parameter vector has {columns}", $"give {columns} numbers per row, one per parameter, in the order of \"parameters\"");
            }
            var values = new double[columns];
            int j = 0;
            foreach (JsonElement x in row.EnumerateArray())
            {
                if (x.ValueKind != JsonValueKind.Number || !x.TryGetDouble(out double d) || !double.IsFinite(d))
                {
                    throw s.Error($"{key}[{i}][{j}]", "expected a finite number", "write a plain number");
                }
                values[j++] = d;
            }
            rows.Add(values);
            i++;
        }
        return rows.ToArray();
    }

    /// <summary>Serialises a law in the file format (rows on one line each).</summary>
    /// <param name="law">The law.</param>
    /// <param name="description">Free text written as "description".</param>
    /// <param name="searchTree">Value written for "searchTree".</param>
    public static string ToJson(PwaLaw law, string description, bool searchTree = true)
    {
        var sb = new StringBuilder();
        sb.Append("{\n");
        sb.Append($"  \"format\": \"{Format}\",\n");
        sb.Append($"  \"description\": {JsonSerializer.Serialize(description)},\n");
        sb.Append("  \"parameters\": [\n");
        for (int j = 0; j < law.ParameterCount; j++)
        {
            PwaParameter p = law.Parameters[j];
            sb.Append($"    {{ \"quantity\": \"{p.Quantity}\", \"min\": {N(p.Min)}, \"max\": {N(p.Max)}, \"unit\": \"{ObservationQuantities.UnitOf(p.Quantity)}\" }}");
            sb.Append(j + 1 < law.ParameterCount ? ",\n" : "\n");
        }
        sb.Append("  ],\n");
        sb.Append($"  \"output\": {{ \"meaning\": \"{MeaningNames[(int)law.Meaning]}\", \"min\": {Row(law.OutputMin.ToArray())}, \"max\": {Row(law.OutputMax.ToArray())} }},\n");
        sb.Append($"  \"continuous\": {(law.Continuous ? "true" : "false")},\n");
        sb.Append($"  \"tolerance\": {N(law.Tolerance)},\n");
        sb.Append($"  \"searchTree\": {(searchTree ? "true" : "false")},\n");
        if (law.Domain is { } domain) sb.Append(PwaDomainFile.ToJson(domain, Row));
        sb.Append("  \"regions\": [\n");
        for (int r = 0; r < law.RegionCount; r++)
        {
            PwaRegion reg = law.Regions[r];
            sb.Append("    {\n");
            sb.Append($"      \"H\": [{string.Join(", ", reg.H.Select(Row))}],\n");
            sb.Append($"      \"k\": {Row(reg.K)},\n");
            sb.Append($"      \"F\": [{string.Join(", ", reg.F.Select(Row))}],\n");
            sb.Append($"      \"g\": {Row(reg.G)}\n");
            sb.Append(r + 1 < law.RegionCount ? "    },\n" : "    }\n");
        }
        sb.Append("  ]\n}\n");
        return sb.ToString();
    }

    private static string Row(double[] v) => "[" + string.Join(", ", v.Select(N)) + "]";

    private static string N(double v) => double.IsPositiveInfinity(v) ? "1e308" : double.IsNegativeInfinity(v) ? "-1e308" : v.ToString("R", CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Policies.Pwa;

/// <summary>
/// Reads and writes PWA law files (<c>"format": "motorrt-pwa-law/1"</c>, documented in <c>policies/README.md</c>,
/// section "PWA laws") through the typed <see cref="PwaLawDocument"/> (<see cref="ConfigFile"/>: strict, unknown keys and
/// duplicate keys are errors naming the JSON path) and, by default, validates the law
/// (<see cref="PwaValidator"/>) and builds its search tree, so a bad file fails before the bridge is armed.
/// </summary>
public static class PwaLawFile
{
    /// <summary>The format tag written into every law file.</summary>
    public const string Format = "motorrt-pwa-law/1";

    /// <summary>Meaning names as written in the file.</summary>
    public static readonly string[] MeaningNames = ["duty_dc", "duty_abc", "voltage_dc", "voltage_dq", "torque_setpoint"];

    /// <summary>Largest law file accepted, in bytes (laws are a few hundred kB; a larger file is not a law).</summary>
    public const long MaxFileBytes = ConfigFile.DefaultMaxBytes;

    /// <summary>Title of the law file's JSON Schema.</summary>
    public const string SchemaTitle = "MotorRT PWA law (motorrt-pwa-law/1)";

    /// <summary>
    /// The JSON Schema of a law file, exported from <see cref="PwaLawDocument"/> (shipped as
    /// docs/motorrt-pwa-law.schema.json, <c>motorrt config pwa-law-schema</c>). Row lengths, box order and coverage are
    /// checked at load only.
    /// </summary>
    public static JsonObject Schema() => ConfigSchema.Export(PwaJson.ConfigOptions, typeof(PwaLawDocument), SchemaTitle, QuantityChoices<PwaParameterSection>);

    /// <summary>A schema transform listing the <see cref="ObservationQuantity"/> names on <typeparamref name="T"/>'s "quantity".</summary>
    internal static void QuantityChoices<T>(JsonSchemaExporterContext ctx, JsonObject node)
    {
        if (ctx.PropertyInfo is { Name: "quantity" } p && p.DeclaringType == typeof(T))
        {
            node["enum"] = new JsonArray(Enum.GetNames<ObservationQuantity>().Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
        }
    }

    /// <summary>Loads, validates and (unless the file says <c>"searchTree": false</c>) builds the tree.</summary>
    /// <param name="path">The law file.</param>
    /// <param name="validate">Run <see cref="PwaValidator.Validate"/> (default true).</param>
    public static PwaLaw Load(string path, bool validate = true) =>
        Read(path, ConfigFile.Load(path, PwaJson.Info<JsonElement>(), MaxFileBytes), validate);

    /// <summary>Parses JSON text attributed to <paramref name="file"/> (see <see cref="Load"/>).</summary>
    public static PwaLaw Parse(string file, string json, bool validate = true) =>
        Read(file, ConfigFile.ParseDocument(file, json), validate);

    /// <summary>Reads the file's record (strict), after checking its format tag so another format is named as such.</summary>
    public static PwaLawDocument ReadDocument(string file, JsonElement root)
    {
        CheckFormat(file, root, "format", Format, $"use \"{Format}\"", "unknown format");
        return ConfigFile.ReadSection(file, "", root, PwaJson.Info<PwaLawDocument>());
    }

    /// <summary>
    /// Checks a document's format tag before the rest is read: a file of another format (or version) is reported as
    /// such, not as a list of keys it lacks.
    /// </summary>
    internal static void CheckFormat(string file, JsonElement root, string key, string expected, string fix, string problem)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty(key, out JsonElement f) && f.ValueKind == JsonValueKind.String
            && f.GetString() is { } found && found != expected)
        {
            throw new ConfigException(file, key, $"{problem} \"{found}\"", fix);
        }
    }

    private static PwaLaw Read(string file, JsonElement root, bool validate)
    {
        PwaLawDocument doc = ReadDocument(file, root);
        var scope = new ConfigScope(file, "");
        List<PwaParameter> parameters = Parameters(scope, doc);
        int n = parameters.Count;
        (PwaOutputMeaning meaning, double[] outMin, double[] outMax) = Output(scope.Child("output"), doc.Output);
        double scale = parameters.Max(p => 0.5 * (p.Max - p.Min));
        if (doc.Tolerance is { } t && t > scale)
        {
            throw scope.Error("tolerance", $"value {t.ToString("R", CultureInfo.InvariantCulture)} is out of range", $"use a value in [0, {scale.ToString("R", CultureInfo.InvariantCulture)}]");
        }
        double tolerance = doc.Tolerance ?? 1e-9 * scale;
        var regions = new List<PwaRegion>(doc.Regions.Length);
        ConfigScope regionsScope = scope.Child("regions");
        for (int r = 0; r < doc.Regions.Length; r++)
        {
            PwaRegionSection reg = Section(regionsScope, $"[{r}]", doc.Regions[r]);
            ConfigScope rs = regionsScope.Child($"[{r}]");
            CheckMatrix(rs, "H", reg.H, n);
            CheckLength(rs, "k", reg.K, reg.H.Length);
            CheckMatrix(rs, "F", reg.F, n);
            CheckLength(rs, "g", reg.G, reg.F.Length);
            regions.Add(new PwaRegion(reg.H, reg.K, reg.F, reg.G));
        }
        PwaDomain? domain = PwaDomainFile.Read(doc.Domain, n, scope.Child("domain"));
        var law = new PwaLaw(file, parameters, meaning, outMin, outMax, regions, doc.Continuous, tolerance);
        law = PwaDomainFile.Apply(law, domain);
        if (validate) PwaValidator.Validate(law);
        if (doc.SearchTree) law.BuildTree();
        return law;
    }

    /// <summary>θ from a law file or import header: known quantities, non-empty boxes, at least one entry.</summary>
    internal static List<PwaParameter> Parameters(ConfigScope scope, PwaLawHead head)
    {
        if (head.Parameters.Length == 0)
        {
            throw scope.Error("parameters", "the parameter vector is empty", "list at least one { \"quantity\": ..., \"min\": ..., \"max\": ... }");
        }
        var parameters = new List<PwaParameter>(head.Parameters.Length);
        ConfigScope ps = scope.Child("parameters");
        for (int i = 0; i < head.Parameters.Length; i++)
        {
            PwaParameterSection p = Section(ps, $"[{i}]", head.Parameters[i]);
            ConfigScope s = ps.Child($"[{i}]");
            if (!Enum.TryParse(p.Quantity, ignoreCase: false, out ObservationQuantity quantity) || !Enum.IsDefined(quantity) || int.TryParse(p.Quantity, out _))
            {
                throw s.Error("quantity", $"unknown value \"{p.Quantity}\"", $"use one of: {string.Join(", ", Enum.GetNames<ObservationQuantity>())}");
            }
            string unit = ObservationQuantities.UnitOf(quantity);
            if (!(p.Min < p.Max))
            {
                throw s.Error("max", $"box [{p.Min}, {p.Max}] {unit} is empty", "give min < max");
            }
            parameters.Add(new PwaParameter(quantity, p.Min, p.Max));
        }
        return parameters;
    }

    /// <summary>The output meaning and clip bounds (max with one value per element of min).</summary>
    internal static (PwaOutputMeaning Meaning, double[] Min, double[] Max) Output(ConfigScope scope, PwaOutputSection output)
    {
        CheckLength(scope, "max", output.Max, output.Min.Length);
        return ((PwaOutputMeaning)Array.IndexOf(MeaningNames, output.Meaning), output.Min, output.Max);
    }

    /// <summary>An array element that must be an object (JSON null is not).</summary>
    internal static T Section<T>(ConfigScope scope, string index, T? item) where T : class =>
        item ?? throw scope.Error(index, "expected a JSON object, found null", "write this field as { ... }");

    /// <summary>Checks a matrix written as rows of <paramref name="columns"/> numbers each.</summary>
    internal static void CheckMatrix(ConfigScope scope, string key, double[][] rows, int columns)
    {
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i] is null)
            {
                throw scope.Error($"{key}[{i}]", "expected a row (an array of numbers)", $"write each row as [{columns} numbers]");
            }
            if (rows[i].Length != columns)
            {
                throw scope.Error($"{key}[{i}]", $"row has {rows[i].Length} numbers, the parameter vector has {columns}", $"give {columns} numbers per row, one per parameter, in the order of \"parameters\"");
            }
        }
    }

    /// <summary>Checks that a vector has <paramref name="length"/> elements.</summary>
    internal static void CheckLength(ConfigScope scope, string key, double[] values, int length)
    {
        if (values.Length != length)
        {
            throw scope.Error(key, $"expected {length} numbers, found {values.Length}", $"give exactly {length} values");
        }
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

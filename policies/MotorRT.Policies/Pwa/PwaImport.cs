using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Policies.Pwa;

/// <summary>
/// Converters from the arrays explicit-MPC toolboxes export into a <see cref="PwaLaw"/>. The toolboxes' arrays carry
/// no units or meaning, so the θ definition, output meaning/clip and continuity claim come from a <em>header</em>: a
/// JSON object with the law file's keys <c>parameters</c>, <c>output</c>, <c>continuous</c> and optionally
/// <c>tolerance</c>, <c>description</c> (no <c>regions</c>, no <c>format</c>). θ must be ordered as the toolbox's
/// parameter vector; use SI units throughout (rescale in the toolbox if it was set up in other units).
/// <list type="bullet">
/// <item><b>MPT3</b> (<see cref="LoadMpt3"/>, <see cref="ParseMpt3"/>): the arrays of MPT3's C export of an explicit controller,
/// <c>MPT_H</c>, <c>MPT_K</c>, <c>MPT_NC</c>, <c>MPT_F</c>, <c>MPT_G</c>, written to JSON as <c>"H"</c>, <c>"K"</c>,
/// <c>"NC"</c>, <c>"F"</c>, <c>"G"</c>. H stacks every region's H (Σ NC rows × n), K their offsets, NC the row count
/// per region; F stacks per region a block of rows × n (the first m rows are the first move; MPT exports nu rows, or
/// N·nu for the whole open-loop sequence), G the matching offsets. H and F may be nested rows or flat row-major arrays.
/// Region r: H_r·θ ≤ K_r, u = F_r·θ + G_r.</item>
/// <item><b>PPOPT</b> (<see cref="LoadPpopt"/>, <see cref="ParsePpopt"/>): <c>{"critical_regions": [{"E", "f", "A", "b"}, …]}</c> from a PPOPT
/// <c>Solution</c>'s <c>critical_regions</c> (numpy <c>tolist()</c>; column vectors [[v], …] are accepted). Region:
/// E·θ ≤ f; optimiser x = A·θ + b, of which the first m rows (the first move) become u.</item>
/// </list>
/// The result is validated (<see cref="PwaValidator"/>) before it is returned; errors name the source file and region.
/// </summary>
public static class PwaImport
{
    /// <summary>Header keys (θ definition, output, continuity) shared by both importers, read from a <see cref="PwaImportHeaderDocument"/>.</summary>
    public sealed record Header(string File, IReadOnlyList<PwaParameter> Parameters, PwaOutputMeaning Meaning, double[] OutputMin, double[] OutputMax,
        bool Continuous, double? Tolerance, string Description)
    {
        /// <summary>The header's optional <c>"domain"</c> (see <see cref="PwaDomainFile"/>); null: the box.</summary>
        public PwaDomain? Domain { get; init; }
    }

    /// <summary>Loads an import header file (strict; see the type's remarks).</summary>
    public static Header LoadHeader(string path) => ReadHeader(path, ConfigFile.Load(path, PwaJson.Info<JsonElement>(), PwaLawFile.MaxFileBytes));

    /// <summary>Parses an import header attributed to <paramref name="file"/>.</summary>
    public static Header ParseHeader(string file, string json) => ReadHeader(file, ConfigFile.ParseDocument(file, json));

    private static Header ReadHeader(string file, JsonElement root)
    {
        PwaImportHeaderDocument doc = ConfigFile.ReadSection(file, "", root, PwaJson.Info<PwaImportHeaderDocument>());
        var scope = new ConfigScope(file, "");
        List<PwaParameter> parameters = PwaLawFile.Parameters(scope, doc);
        (PwaOutputMeaning meaning, double[] min, double[] max) = PwaLawFile.Output(scope.Child("output"), doc.Output);
        PwaDomain? domain = PwaDomainFile.Read(doc.Domain, parameters.Count, scope.Child("domain"));
        return new Header(file, parameters, meaning, min, max, doc.Continuous, doc.Tolerance, doc.Description ?? "") { Domain = domain };
    }

    /// <summary>Loads MPT3's exported arrays from <paramref name="path"/> and imports them (see the type's remarks).</summary>
    public static PwaLaw LoadMpt3(string path, Header header, bool validate = true) =>
        Import(path, ConfigFile.Load(path, PwaJson.Info<JsonElement>(), PwaLawFile.MaxFileBytes), header, validate, PwaJson.Info<Mpt3ArraysDocument>(), Mpt3Regions);

    /// <summary>Imports MPT3's exported arrays given as JSON text attributed to <paramref name="file"/>.</summary>
    /// <param name="file">The source file (for messages).</param>
    /// <param name="json">The JSON object with H, K, NC, F, G.</param>
    /// <param name="header">θ definition and output.</param>
    /// <param name="validate">Validate the result (default true).</param>
    public static PwaLaw ParseMpt3(string file, string json, Header header, bool validate = true) =>
        Import(file, ConfigFile.ParseDocument(file, json), header, validate, PwaJson.Info<Mpt3ArraysDocument>(), Mpt3Regions);

    /// <summary>
    /// Reads <paramref name="root"/> of <paramref name="file"/> strictly as <typeparamref name="TDocument"/>, turns it into
    /// regions with <paramref name="regionsOf"/> (given the document's root scope, θ's length n and the output count m)
    /// and builds the law of <paramref name="header"/> from them.
    /// </summary>
    private static PwaLaw Import<TDocument>(string file, JsonElement root, Header header, bool validate, JsonTypeInfo<TDocument> info,
        Func<ConfigScope, TDocument, int, int, List<PwaRegion>> regionsOf)
    {
        ArgumentNullException.ThrowIfNull(header);
        TDocument document = ConfigFile.ReadSection(file, "", root, info);
        List<PwaRegion> regions = regionsOf(new ConfigScope(file, ""), document, header.Parameters.Count, header.OutputMin.Length);
        return Finish(file, header, regions, validate);
    }

    private static List<PwaRegion> Mpt3Regions(ConfigScope scope, Mpt3ArraysDocument arrays, int n, int m)
    {
        double[] nc = arrays.NC;
        int nr = nc.Length;
        if (nr == 0) throw scope.Error("NC", "no regions", "give one constraint count per region");
        int totalRows = 0;
        for (int r = 0; r < nr; r++)
        {
            if (nc[r] != Math.Floor(nc[r])) throw scope.Error($"NC[{r}]", $"region {r}: constraint count {nc[r]} is not an integer", "give whole numbers");
            totalRows += (int)nc[r];
        }
        double[][] h = Rows(scope, "H", arrays.H, n, totalRows);
        double[] k = arrays.K;
        PwaLawFile.CheckLength(scope, "K", k, totalRows);
        double[] g = arrays.G;
        if (g.Length % nr != 0 || g.Length / nr < m)
        {
            throw scope.Error("G", $"G has {g.Length} values for {nr} regions and {m} outputs", $"give a multiple of {nr} values, at least {m} per region (region r's block at r·(length/{nr}))");
        }
        int block = g.Length / nr;
        double[][] f = Rows(scope, "F", arrays.F, n, nr * block);
        var regions = new List<PwaRegion>();
        int row = 0;
        for (int r = 0; r < nr; r++)
        {
            int count = (int)nc[r];
            regions.Add(new PwaRegion(h[row..(row + count)], k[row..(row + count)], f[(r * block)..(r * block + m)], g[(r * block)..(r * block + m)]));
            row += count;
        }
        return regions;
    }

    /// <summary>Loads PPOPT critical regions from <paramref name="path"/> and imports them (see the type's remarks).</summary>
    public static PwaLaw LoadPpopt(string path, Header header, bool validate = true) =>
        Import(path, ConfigFile.Load(path, PwaJson.Info<JsonElement>(), PwaLawFile.MaxFileBytes), header, validate, PwaJson.Info<PpoptDocument>(), PpoptRegions);

    /// <summary>Imports PPOPT critical regions given as JSON text attributed to <paramref name="file"/>.</summary>
    /// <param name="file">The source file (for messages).</param>
    /// <param name="json">The JSON object with "critical_regions".</param>
    /// <param name="header">θ definition and output.</param>
    /// <param name="validate">Validate the result (default true).</param>
    public static PwaLaw ParsePpopt(string file, string json, Header header, bool validate = true) =>
        Import(file, ConfigFile.ParseDocument(file, json), header, validate, PwaJson.Info<PpoptDocument>(), PpoptRegions);

    private static List<PwaRegion> PpoptRegions(ConfigScope scope, PpoptDocument source, int n, int m)
    {
        var regions = new List<PwaRegion>();
        ConfigScope crs = scope.Child("critical_regions");
        for (int i = 0; i < source.CriticalRegions.Length; i++)
        {
            PpoptRegion cr = PwaLawFile.Section(crs, $"[{i}]", source.CriticalRegions[i]);
            ConfigScope s = crs.Child($"[{i}]");
            PwaLawFile.CheckMatrix(s, "E", cr.E, n);
            double[] f = Vector(s, "f", cr.F, cr.E.Length);
            PwaLawFile.CheckMatrix(s, "A", cr.A, n);
            double[] b = Vector(s, "b", cr.B, cr.A.Length);
            if (cr.A.Length < m)
            {
                throw s.Error("A", $"the optimiser has {cr.A.Length} rows, the header declares {m} outputs", "declare at most as many outputs as A has rows (the first rows are the first move)");
            }
            regions.Add(new PwaRegion(cr.E, f, cr.A[..m], b[..m]));
        }
        if (regions.Count == 0) throw scope.Error("critical_regions", "no critical regions", "export the solution's critical_regions");
        return regions;
    }

    private static PwaLaw Finish(string file, Header header, List<PwaRegion> regions, bool validate)
    {
        double scale = header.Parameters.Max(p => 0.5 * (p.Max - p.Min));
        var law = new PwaLaw(file, header.Parameters, header.Meaning, header.OutputMin, header.OutputMax, regions, header.Continuous,
            header.Tolerance ?? 1e-9 * scale);
        law = PwaDomainFile.Apply(law, header.Domain);
        if (validate) PwaValidator.Validate(law);
        return law;
    }

    /// <summary>A matrix as nested rows or a flat row-major array with <paramref name="columns"/> columns.</summary>
    private static double[][] Rows(ConfigScope scope, string key, JsonElement v, int columns, int expectedRows)
    {
        if (v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            throw scope.Error(key, "required field is missing", $"add \"{key}\" ({expectedRows} rows × {columns})");
        }
        double[][] rows;
        if (v.ValueKind == JsonValueKind.Array && v.GetArrayLength() > 0 && v[0].ValueKind == JsonValueKind.Array)
        {
            rows = ConfigFile.ReadSection(scope.File, scope.PathOf(key), v, PwaJson.Info<double[][]>());
            PwaLawFile.CheckMatrix(scope, key, rows, columns);
            for (int i = 0; i < rows.Length; i++) Finite(scope, $"{key}[{i}]", rows[i]);
        }
        else
        {
            double[] flat = ConfigFile.ReadSection(scope.File, scope.PathOf(key), v, PwaJson.Info<double[]>());
            Finite(scope, key, flat);
            if (flat.Length % columns != 0)
            {
                throw scope.Error(key, $"{flat.Length} values are not a whole number of rows of {columns}", $"give {expectedRows} × {columns} values, row-major");
            }
            rows = new double[flat.Length / columns][];
            for (int i = 0; i < rows.Length; i++) rows[i] = flat[(i * columns)..((i + 1) * columns)];
        }
        if (rows.Length != expectedRows)
        {
            throw scope.Error(key, $"{rows.Length} rows, expected {expectedRows}", $"give {expectedRows} rows of {columns} (the region blocks stacked in order)");
        }
        return rows;
    }

    /// <summary>A vector as [v, …] or a numpy column [[v], …].</summary>
    private static double[] Vector(ConfigScope scope, string key, JsonElement v, int length)
    {
        if (v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            throw scope.Error(key, "required field is missing", $"add \"{key}\" with {length} values");
        }
        if (v.ValueKind == JsonValueKind.Array && v.GetArrayLength() > 0 && v[0].ValueKind == JsonValueKind.Array)
        {
            double[][] column = ConfigFile.ReadSection(scope.File, scope.PathOf(key), v, PwaJson.Info<double[][]>());
            PwaLawFile.CheckMatrix(scope, key, column, 1);
            for (int i = 0; i < column.Length; i++) Finite(scope, $"{key}[{i}]", column[i]);
            if (column.Length != length) throw scope.Error(key, $"{column.Length} values, expected {length}", "give one value per row of the matrix");
            return column.Select(c => c[0]).ToArray();
        }
        double[] values = ConfigFile.ReadSection(scope.File, scope.PathOf(key), v, PwaJson.Info<double[]>());
        Finite(scope, key, values);
        PwaLawFile.CheckLength(scope, key, values, length);
        return values;
    }

    /// <summary>System.Text.Json reads 1e400 as infinity: every element must be finite.</summary>
    private static void Finite(ConfigScope scope, string key, double[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i])) throw scope.Error($"{key}[{i}]", "expected a finite number, found a number beyond ±1.8e308", "write a plain number");
        }
    }
}

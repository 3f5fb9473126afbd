using MotorRT.Contracts;
using System.Text.Json;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Policies.Pwa;

/// <summary>
/// Converters from the arrays explicit-MPC toolboxes export into a <see cref="PwaLaw"/>. The toolboxes' arrays carry
/// no units or meaning, so the θ definition, output meaning/clip and continuity claim come from a <em>header</em>: a
/// JSON object with the law file's keys <c>parameters</c>, <c>output</c>, <c>continuous</c> and optionally
/// <c>tolerance</c>, <c>description</c> (no <c>regions</c>, no <c>format</c>). θ must be ordered as the toolbox's
/// parameter vector; use SI units throughout (rescale in the toolbox if it was set up in other units).
/// <list type="bullet">
/// <item><b>MPT3</b> (<see cref="FromMpt3"/>): the arrays of MPT3's C export of an explicit controller,
/// <c>MPT_H</c>, <c>MPT_K</c>, <c>MPT_NC</c>, <c>MPT_F</c>, <c>MPT_G</c>, written to JSON as <c>"H"</c>, <c>"K"</c>,
/// <c>"NC"</c>, <c>"F"</c>, <c>"G"</c>. H stacks every region's H (Σ NC rows × n), K their offsets, NC the row count
/// per region; F stacks per region a block of rows × n (the first m rows are the first move; MPT exports nu rows, or
/// N·nu for the whole open-loop sequence), G the matching offsets. H and F may be nested rows or flat row-major arrays.
/// Region r: H_r·θ ≤ K_r, u = F_r·θ + G_r.</item>
/// <item><b>PPOPT</b> (<see cref="FromPpopt"/>): <c>{"critical_regions": [{"E", "f", "A", "b"}, …]}</c> from a PPOPT
/// <c>Solution</c>'s <c>critical_regions</c> (numpy <c>tolist()</c>; column vectors [[v], …] are accepted). Region:
/// E·θ ≤ f; optimiser x = A·θ + b, of which the first m rows (the first move) become u.</item>
/// </list>
/// The result is validated (<see cref="PwaValidator"/>) before it is returned; errors name the source file and region.
/// </summary>
public static class PwaImport
{
    /// <summary>Header keys (θ definition, output, continuity) shared by both importers.</summary>
    public sealed record Header(string File, IReadOnlyList<PwaParameter> Parameters, PwaOutputMeaning Meaning, double[] OutputMin, double[] OutputMax,
        bool Continuous, double? Tolerance, string Description)
    {
        /// <summary>The header's optional <c>"domain"</c> (see <see cref="PwaDomainFile"/>); null: the box.</summary>
        public PwaDomain? Domain { get; init; }
    }

    /// <summary>Reads a header section (strict).</summary>
    public static Header ReadHeader(JsonSection s)
    {
        var parameters = new List<PwaParameter>();
        foreach (JsonSection p in s.Sections("parameters"))
        {
            var q = Enum.Parse<ObservationQuantity>(p.OneOf("quantity", Enum.GetNames<ObservationQuantity>()));
            string unit = ObservationQuantities.UnitOf(q);
            double min = p.Number("min", unit: unit), max = p.Number("max", unit: unit);
            if (!(min < max)) throw p.Error("max", $"box [{min}, {max}] is empty", "give min < max");
            p.Ignore("unit", "name");
            p.EnsureNoUnknownKeys();
            parameters.Add(new PwaParameter(q, min, max));
        }
        if (parameters.Count == 0) throw s.Error("parameters", "the parameter vector is empty", "list the toolbox's parameters in order");
        JsonSection o = s.Section("output");
        var meaning = (PwaOutputMeaning)Array.IndexOf(PwaLawFile.MeaningNames, o.OneOf("meaning", PwaLawFile.MeaningNames));
        double[] min2 = o.Numbers("min");
        double[] max2 = o.Numbers("max", min2.Length);
        o.EnsureNoUnknownKeys();
        bool continuous = s.Boolean("continuous");
        double? tol = s.Raw("tolerance") is null ? null : s.Number("tolerance", 0.0, 0.0, double.MaxValue);
        string description = s.OptionalString("description") ?? "";
        s.Ignore("notes", "format");
        PwaDomain? domain = PwaDomainFile.Read(s, parameters.Count);
        return new Header(s.File, parameters, meaning, min2, max2, continuous, tol, description) { Domain = domain };
    }

    /// <summary>Imports MPT3's exported arrays (see the type's remarks).</summary>
    /// <param name="arrays">The JSON object with H, K, NC, F, G.</param>
    /// <param name="header">θ definition and output.</param>
    /// <param name="validate">Validate the result (default true).</param>
    public static PwaLaw FromMpt3(JsonSection arrays, Header header, bool validate = true)
    {
        int n = header.Parameters.Count;
        int m = header.OutputMin.Length;
        arrays.Ignore("notes", "nx", "nu", "nr", "format");
        double[] nc = arrays.Numbers("NC", -1, 1, int.MaxValue);
        int nr = nc.Length;
        if (nr == 0) throw arrays.Error("NC", "no regions", "give one constraint count per region");
        int totalRows = 0;
        for (int r = 0; r < nr; r++)
        {
            if (nc[r] != Math.Floor(nc[r])) throw arrays.Error($"NC[{r}]", $"region {r}: constraint count {nc[r]} is not an integer", "give whole numbers");
            totalRows += (int)nc[r];
        }
        double[][] h = Rows(arrays, "H", n, totalRows);
        double[] k = arrays.Numbers("K", totalRows);
        double[] g = arrays.Numbers("G");
        if (g.Length % nr != 0 || g.Length / nr < m)
        {
            throw arrays.Error("G", $"G has {g.Length} values for {nr} regions and {m} outputs", $"give a multiple of {nr} values, at least {m} per region (region r's block at r·(length/{nr}))");
        }
        int block = g.Length / nr;
        double[][] f = Rows(arrays, "F", n, nr * block);
        arrays.EnsureNoUnknownKeys();
        var regions = new List<PwaRegion>();
        int row = 0;
        for (int r = 0; r < nr; r++)
        {
            int count = (int)nc[r];
            regions.Add(new PwaRegion(h[row..(row + count)], k[row..(row + count)], f[(r * block)..(r * block + m)], g[(r * block)..(r * block + m)]));
            row += count;
        }
        return Finish(arrays.File, header, regions, validate);
    }

    /// <summary>Imports PPOPT critical regions (see the type's remarks).</summary>
    /// <param name="source">The JSON object with "critical_regions".</param>
    /// <param name="header">θ definition and output.</param>
    /// <param name="validate">Validate the result (default true).</param>
    public static PwaLaw FromPpopt(JsonSection source, Header header, bool validate = true)
    {
        int n = header.Parameters.Count;
        int m = header.OutputMin.Length;
        source.Ignore("notes", "format");
        var regions = new List<PwaRegion>();
        foreach (JsonSection cr in source.Sections("critical_regions"))
        {
            double[][] e = PwaLawFile.Matrix(cr, "E", n);
            double[] f = Vector(cr, "f", e.Length);
            double[][] a = PwaLawFile.Matrix(cr, "A", n);
            double[] b = Vector(cr, "b", a.Length);
            if (a.Length < m)
            {
                throw cr.Error("A", $"the optimiser has {a.Length} rows, the header declares {m} outputs", "declare at most as many outputs as A has rows (the first rows are the first move)");
            }
            cr.Ignore("C", "d", "active_set", "omega_set", "lambda_set", "regular_set", "notes");
            cr.EnsureNoUnknownKeys();
            regions.Add(new PwaRegion(e, f, a[..m], b[..m]));
        }
        if (regions.Count == 0) throw source.Error("critical_regions", "no critical regions", "export the solution's critical_regions");
        source.EnsureNoUnknownKeys();
        return Finish(source.File, header, regions, validate);
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
    private static double[][] Rows(JsonSection s, string key, int columns, int expectedRows)
    {
        JsonElement v = s.Raw(key) ?? throw s.Error(key, "required field is missing", $"add \"{key}\" ({expectedRows} rows × {columns})");
        double[][] rows;
        if (v.ValueKind == JsonValueKind.Array && v.GetArrayLength() > 0 && v[0].ValueKind == JsonValueKind.Array)
        {
            rows = PwaLawFile.Matrix(s, key, columns);
        }
        else
        {
            double[] flat = s.Numbers(key);
            if (flat.Length % columns != 0)
            {
                throw s.Error(key, $"{flat.Length} values are not a whole number of rows of {columns}", $"give {expectedRows} × {columns} values, row-major");
            }
            rows = new double[flat.Length / columns][];
            for (int i = 0; i < rows.Length; i++) rows[i] = flat[(i * columns)..((i + 1) * columns)];
        }
        if (rows.Length != expectedRows)
        {
            throw s.Error(key, $"{rows.Length} rows, expected {expectedRows}", $"give {expectedRows} rows of {columns} (the region blocks stacked in order)");
        }
        return rows;
    }

    /// <summary>A vector as [v, …] or a numpy column [[v], …].</summary>
    private static double[] Vector(JsonSection s, string key, int length)
    {
        JsonElement v = s.Raw(key) ?? throw s.Error(key, "required field is missing", $"add \"{key}\" with {length} values");
        if (v.ValueKind == JsonValueKind.Array && v.GetArrayLength() > 0 && v[0].ValueKind == JsonValueKind.Array)
        {
            double[][] column = PwaLawFile.Matrix(s, key, 1);
            if (column.Length != length) throw s.Error(key, $"{column.Length} values, expected {length}", $"give one value per row of the matrix");
            return column.Select(c => c[0]).ToArray();
        }
        return s.Numbers(key, length);
    }
}

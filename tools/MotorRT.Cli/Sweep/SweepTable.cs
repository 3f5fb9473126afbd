using System.Globalization;
using System.Text;
using System.Text.Json;
using MotorRT.Cli.Errors;
using Parquet;
using Parquet.Schema;

namespace MotorRT.Cli.Sweep;

/// <summary>
/// The merged table of a sweep: one row per run (sorted by index) with its index, exit code, grid values (as text) and
/// every number of its summary.json flattened to a dotted column name (<c>tracking.current.rmse</c>,
/// <c>current_offsets_counts[0]</c>). Figures of the host's timing (wall time, jitter, tick compute, allocations, GC)
/// are left out unless asked for, so the table depends only on the configs, not on the machine or --jobs.
/// </summary>
internal sealed class SweepTable
{
    /// <summary>Summary members that measure the machine rather than the run (excluded by default).</summary>
    public static readonly string[] TimingFigures =
    [
        "wall_time_s", "real_time_factor", "real_time_factor_after_warmup", "deadline_misses", "jitter_us", "lateness_us",
        "tick_compute_ns", "controller_compute_ns", "allocated_bytes_after_warmup", "process_allocated_bytes_after_warmup",
        "gc_collections_during_run",
    ];

    /// <summary>The grid keys, in sweep order.</summary>
    public required IReadOnlyList<string> GridKeys { get; init; }

    /// <summary>The figure columns, in order of first appearance.</summary>
    public required IReadOnlyList<string> Figures { get; init; }

    /// <summary>The rows, by run index.</summary>
    public required IReadOnlyList<Row> Rows { get; init; }

    /// <summary>One run.</summary>
    internal sealed record Row(int Index, int ExitCode, IReadOnlyList<string> Grid, IReadOnlyDictionary<string, double> Figures);

    /// <summary>Reads every <c>run-*/run.json</c> (+ summary.json) under the directories.</summary>
    public static SweepTable Read(IReadOnlyList<string> dirs, bool timing, bool partial)
    {
        var rows = new SortedDictionary<int, Row>();
        List<string>? keys = null;
        int combinations = -1;
        var figures = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? manifest = null, manifestDir = null;
        foreach (string dir in dirs)
        {
            if (!Directory.Exists(dir)) throw CliException.Input($"{dir}: no such directory", "give the --out directories of the sweep runs");
            string manifestPath = Path.Combine(dir, Commands.SweepCommand.ManifestFile);
            if (File.Exists(manifestPath))
            {
                string m = File.ReadAllText(manifestPath);
                if (manifest is null) (manifest, manifestDir) = (m, dir);
                else if (m != manifest) throw CliException.Input($"{dir}: its {Commands.SweepCommand.ManifestFile} names another sweep than {manifestDir}'s (other grid or config)", "merge the directories of one sweep");
            }
            string[] runDirs = Directory.GetDirectories(dir, "run-*");
            if (runDirs.Length == 0) throw CliException.Input($"{dir}: no run-* directories", "give the --out directory of `motorrt sweep`");
            foreach (string runDir in runDirs)
            {
                string runFile = Path.Combine(runDir, Commands.SweepCommand.RunFile);
                if (!File.Exists(runFile)) throw CliException.Input($"{runDir}: no {Commands.SweepCommand.RunFile} (the run did not finish)", "rerun that shard of the sweep");
                using JsonDocument run = JsonDocument.Parse(File.ReadAllText(runFile));
                int index = run.RootElement.GetProperty("index").GetInt32();
                int count = run.RootElement.GetProperty("combinations").GetInt32();
                int code = run.RootElement.GetProperty("exit_code").GetInt32();
                var gridKeys = new List<string>();
                var gridValues = new List<string>();
                foreach (JsonProperty p in run.RootElement.GetProperty("grid").EnumerateObject())
                {
                    gridKeys.Add(p.Name);
                    gridValues.Add(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
                }
                if (keys is null)
                {
                    keys = gridKeys;
                    combinations = count;
                }
                else if (!keys.SequenceEqual(gridKeys) || count != combinations)
                {
                    throw CliException.Input($"{runDir}: belongs to another sweep (grid {string.Join(',', gridKeys)} of {count}, not {string.Join(',', keys)} of {combinations})", "merge the directories of one sweep");
                }
                if (rows.ContainsKey(index)) throw CliException.Input($"{runDir}: run {index} appears twice", "give each shard's directory once");
                var values = new Dictionary<string, double>(StringComparer.Ordinal);
                string summary = Path.Combine(runDir, "summary.json");
                if (File.Exists(summary))
                {
                    using JsonDocument s = JsonDocument.Parse(File.ReadAllText(summary));
                    Flatten(s.RootElement, "", values, timing);
                }
                foreach (string f in values.Keys)
                {
                    if (seen.Add(f)) figures.Add(f);
                }
                rows[index] = new Row(index, code, gridValues, values);
            }
        }
        var missing = Enumerable.Range(0, combinations).Where(k => !rows.ContainsKey(k)).ToList();
        if (missing.Count > 0 && !partial)
        {
            throw CliException.Input($"{missing.Count} of {combinations} runs are missing (e.g. run {missing[0]})", "give every shard's directory, or --partial to merge what is there");
        }
        // Column order: first appearance in index order (independent of the directory listing).
        figures.Clear();
        seen.Clear();
        foreach (Row r in rows.Values)
        {
            foreach (string f in r.Figures.Keys) if (seen.Add(f)) figures.Add(f);
        }
        return new SweepTable { GridKeys = keys ?? [], Figures = figures, Rows = rows.Values.ToList() };
    }

    private static void Flatten(JsonElement e, string path, Dictionary<string, double> into, bool timing)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty p in e.EnumerateObject())
                {
                    if (path.Length == 0 && !timing && TimingFigures.Contains(p.Name)) continue;
                    Flatten(p.Value, path.Length == 0 ? p.Name : $"{path}.{p.Name}", into, timing);
                }
                break;
            case JsonValueKind.Array:
                int i = 0;
                foreach (JsonElement item in e.EnumerateArray()) Flatten(item, $"{path}[{i++}]", into, timing);
                break;
            case JsonValueKind.Number:
                into[path] = e.GetDouble();
                break;
        }
    }

    /// <summary>Writes the CSV: numbers round-trip ("R"), an absent figure is an empty cell.</summary>
    public void WriteCsv(string path)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', new[] { "index", "exit_code" }.Concat(GridKeys).Concat(Figures).Select(Quote)).Append('\n');
        foreach (Row r in Rows)
        {
            sb.Append(r.Index.ToString(CultureInfo.InvariantCulture)).Append(',').Append(r.ExitCode.ToString(CultureInfo.InvariantCulture));
            foreach (string g in r.Grid) sb.Append(',').Append(Quote(g));
            foreach (string f in Figures)
            {
                sb.Append(',');
                if (r.Figures.TryGetValue(f, out double v)) sb.Append(v.ToString("R", CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
        }
        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>Writes the Parquet file: index and exit code int32, grid values strings, figures nullable doubles.</summary>
    public void WriteParquet(string path)
    {
        var fields = new List<DataField> { new DataField<int>("index"), new DataField<int>("exit_code") };
        fields.AddRange(GridKeys.Select(k => (DataField)new DataField<string>(k)));
        fields.AddRange(Figures.Select(f => (DataField)new DataField<double?>(f)));
        var schema = new ParquetSchema(fields.Cast<Field>().ToArray());
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        Task.Run(async () =>
        {
            await using ParquetWriter writer = await ParquetWriter.CreateAsync(schema, stream).ConfigureAwait(false);
            using ParquetRowGroupWriter group = writer.CreateRowGroup();
            int c = 0;
            await group.WriteAsync<int>(fields[c++], Rows.Select(r => r.Index).ToArray()).ConfigureAwait(false);
            await group.WriteAsync<int>(fields[c++], Rows.Select(r => r.ExitCode).ToArray()).ConfigureAwait(false);
            for (int g = 0; g < GridKeys.Count; g++)
            {
                await group.WriteAsync(fields[c++], Rows.Select(r => r.Grid[g]).ToArray()).ConfigureAwait(false);
            }
            foreach (string f in Figures)
            {
                await group.WriteAsync<double>(fields[c++], new ReadOnlyMemory<double?>(Rows.Select(r => r.Figures.TryGetValue(f, out double v) ? v : (double?)null).ToArray())).ConfigureAwait(false);
            }
        }).GetAwaiter().GetResult();
    }

    /// <summary>A PNG of <paramref name="metric"/> against the run index, labelled with the grid values.</summary>
    public void WritePlot(string metric, string path)
    {
        var plot = new ScottPlot.Plot();
        var rows = Rows.Where(r => r.Figures.ContainsKey(metric)).ToList();
        double[] x = rows.Select(r => (double)r.Index).ToArray();
        double[] y = rows.Select(r => r.Figures[metric]).ToArray();
        var bars = plot.Add.Bars(x, y);
        plot.Axes.Bottom.SetTicks(x, rows.Select(r => $"#{r.Index}\n" + string.Join("\n", r.Grid)).ToArray());
        plot.Title($"{metric} by run ({string.Join(", ", GridKeys)})");
        plot.XLabel("run (index, grid values)");
        plot.YLabel(metric);
        plot.SavePng(path, 1400, 600);
    }

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

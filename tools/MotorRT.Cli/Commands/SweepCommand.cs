using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MotorRT.Cli.Errors;
using MotorRT.Cli.Output;
using MotorRT.Cli.Simulate;
using MotorRT.Cli.Sweep;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.IO;
using MotorRT.Runtime.Configuration;

namespace MotorRT.Cli.Commands;

/// <summary>
/// <c>motorrt sweep &lt;config&gt; --grid key=v1,v2 … --out &lt;dir&gt;</c>: runs every combination of the grid (or the
/// <c>--shard i/n</c> slice) through <see cref="SimulateCommand.Run"/> on <c>--jobs</c> cores; run <c>k</c> writes
/// <c>&lt;out&gt;/run-k/</c> (config.json, run.json, summary.json, trace, log.txt). <c>motorrt merge</c> tabulates them.
/// </summary>
internal static class SweepCommand
{
    /// <summary>The file in each run directory naming its index, grid values and exit code (read by <c>merge</c>).</summary>
    public const string RunFile = "run.json";

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var config = new Argument<FileInfo>("config") { Description = "Runtime config file (as for simulate) the grid is applied to." };
        var grid = new Option<string[]>("--grid")
        {
            Description = "key=v1,v2,…: a dotted JSON path into the config (seed, controller.current_bandwidth, reference.current.values[1]) and its values (JSON literals; bare words are strings). Repeat for more axes; every combination runs, numbered row-major (first axis slowest).",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var output = new Option<DirectoryInfo>("--out") { Description = "Sweep directory: run k writes <out>/run-k/ (config.json, run.json, summary.json, trace, log.txt).", Required = true };
        var jobs = new Option<int>("--jobs") { Description = "Runs in parallel (default: the processor count). The results do not depend on it.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var shard = new Option<string?>("--shard") { Description = "i/n: run only the combinations whose index mod n is i; auto/n takes i from $SLURM_ARRAY_TASK_ID (Slurm job array --array=0-(n-1)) or $JOB_COMPLETION_INDEX (Kubernetes Indexed Job)." };
        var command = new Command("sweep", "Run every combination of a --grid of config values (or the --shard i/n slice) through simulate, in parallel, deterministically; merge the runs with `motorrt merge`. Bad grid keys or values exit 2 before anything runs; exit 3 if a run faulted, 4 if a run failed.")
        {
            config, grid, output, jobs, shard,
        };
        command.SetAction(parse => Run(parse.GetValue(config)!.FullName, parse.GetValue(grid) ?? [], parse.GetValue(output)!.FullName,
            parse.GetValue(jobs), parse.GetValue(shard), Environment.GetEnvironmentVariable,
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(Program.Verbose)));
        return command;
    }

    /// <summary>Runs the sweep; returns the exit code (<see cref="ExitCodes"/>).</summary>
    public static int Run(string configPath, IReadOnlyList<string> gridSpecs, string outDir, int jobs, string? shardText,
        Func<string, string?> env, TextWriter stdout, TextWriter stderr, bool verbose = false)
    {
        try
        {
            return RunChecked(configPath, gridSpecs, outDir, jobs, shardText, env, stdout, stderr, verbose);
        }
        catch (Exception e)
        {
            return CliErrorReporter.Report(e, "sweep", verbose, stderr);
        }
    }

    private static int RunChecked(string configPath, IReadOnlyList<string> gridSpecs, string outDir, int jobs, string? shardText,
        Func<string, string?> env, TextWriter stdout, TextWriter stderr, bool verbose)
    {
        if (jobs < 1) throw CliException.Input($"--jobs {jobs}: must be at least 1", "give --jobs 1 or more (default: the processor count)");
        SweepShard shard = SweepShard.Parse(shardText, env);
        SweepGrid grid = SweepGrid.Parse(gridSpecs);
        configPath = Path.GetFullPath(configPath);
        RuntimeConfig.Load(configPath); // the base config itself must be valid (errors name its file and field)
        JsonNode baseDoc = AbsolutePaths(LoadDocument(configPath), Path.GetDirectoryName(configPath)!);

        // Every value alone, then every combination: all checked before anything runs.
        foreach (GridAxis axis in grid.Axes)
        {
            foreach (JsonNode value in axis.Values)
            {
                JsonNode doc = baseDoc.DeepClone();
                GridPath.Set(doc, axis, value);
                Validate(configPath, doc, $"--grid {axis.Key}={GridAxis.Text(value)}");
            }
        }
        var docs = new Dictionary<int, string>();
        for (int k = 0; k < grid.Count; k++)
        {
            string json = grid.Apply(baseDoc, k).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
            if (grid.Axes.Count > 1)
            {
                Validate(configPath, JsonNode.Parse(json)!, $"--grid combination {k} ({Describe(grid, k)})");
            }
            if (shard.Contains(k)) docs[k] = json;
        }

        outDir = OutputPaths.PrepareDirectory(outDir, "--out");
        CheckManifest(outDir, Manifest(grid, baseDoc));
        int[] mine = docs.Keys.Order().ToArray();
        foreach (int k in mine) OutputPaths.PrepareDirectory(RunDirectory(outDir, k), "--out");
        stdout.WriteLine($"sweep: {grid.Count} combinations, shard {shard.Index}/{shard.Count} runs {mine.Length} of them on {jobs} jobs into {outDir}");

        var codes = new int[mine.Length];
        var gate = new object();
        int done = 0;
        Parallel.For(0, mine.Length, new ParallelOptions { MaxDegreeOfParallelism = jobs }, i =>
        {
            int k = mine[i];
            string dir = RunDirectory(outDir, k);
            string cfg = Path.Combine(dir, "config.json");
            File.WriteAllText(cfg, docs[k]);
            using var log = new StringWriter(CultureInfo.InvariantCulture);
            int code = SimulateCommand.Run(cfg, dir, plots: false, log, log, verbose: verbose, progress: false);
            codes[i] = code;
            File.WriteAllText(Path.Combine(dir, "log.txt"), log.ToString());
            AtomicFile.Write(Path.Combine(dir, RunFile), fs => WriteRunFile(fs, grid, k, code));
            lock (gate)
            {
                done++;
                stdout.WriteLine($"  run {k} ({Describe(grid, k)}): exit {code} [{done}/{mine.Length}]");
                if (code != ExitCodes.Ok) stderr.WriteLine($"motorrt sweep: run {k} exited {code}; see {Path.Combine(dir, "log.txt")}");
            }
        });
        int faulted = codes.Count(c => c == ExitCodes.RunFaulted);
        int failed = codes.Count(c => c != ExitCodes.Ok && c != ExitCodes.RunFaulted);
        stdout.WriteLine($"sweep: {mine.Length} runs, {faulted} faulted, {failed} failed; merge with `motorrt merge {outDir}`");
        return failed > 0 ? ExitCodes.RuntimeError : faulted > 0 ? ExitCodes.RunFaulted : ExitCodes.Ok;
    }

    /// <summary>The file in the sweep directory that names the sweep (grid and a hash of the base config).</summary>
    public const string ManifestFile = "sweep.json";

    private static string Manifest(SweepGrid grid, JsonNode baseDoc)
    {
        var o = new JsonObject
        {
            ["format"] = "motorrt-sweep/1",
            ["combinations"] = grid.Count,
            ["config_sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(baseDoc.ToJsonString()))),
        };
        var axes = new JsonObject();
        foreach (GridAxis a in grid.Axes) axes[a.Key] = new JsonArray(a.Values.Select(v => v.DeepClone()).ToArray());
        o["grid"] = axes;
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>
    /// Every shard writes the same manifest; one of another sweep (other grid or config) in --out is an input error, so
    /// runs of two sweeps never mix in one directory.
    /// </summary>
    private static void CheckManifest(string outDir, string manifest)
    {
        string path = Path.Combine(outDir, ManifestFile);
        if (File.Exists(path))
        {
            if (File.ReadAllText(path) != manifest)
            {
                throw CliException.Input($"--out {outDir}: holds another sweep ({path} names another grid or config)", "choose a new --out directory, or remove the old sweep");
            }
            return;
        }
        AtomicFile.WriteAllText(OutputPaths.CheckFile(path, "--out"), manifest);
    }

    /// <summary>The directory of run <paramref name="index"/>.</summary>
    public static string RunDirectory(string outDir, int index) => Path.Combine(outDir, "run-" + index.ToString(CultureInfo.InvariantCulture));

    private static string Describe(SweepGrid grid, int k) =>
        string.Join(' ', grid.Values(k).Select(kv => $"{kv.Key}={GridAxis.Text(kv.Value)}"));

    private static void WriteRunFile(Stream fs, SweepGrid grid, int k, int code)
    {
        using var w = new Utf8JsonWriter(fs, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteNumber("index", k);
        w.WriteNumber("combinations", grid.Count);
        w.WriteStartObject("grid");
        foreach (var kv in grid.Values(k))
        {
            w.WritePropertyName(kv.Key);
            kv.Value.WriteTo(w);
        }
        w.WriteEndObject();
        w.WriteNumber("exit_code", code);
        w.WriteEndObject();
    }

    private static JsonNode LoadDocument(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
                ?? throw new ConfigException(path, "", "the document is null", "write the configuration as { ... }");
        }
        catch (JsonException e)
        {
            throw new ConfigException(path, "", $"not valid JSON: {e.Message}", "correct the JSON syntax", e);
        }
    }

    /// <summary>
    /// The run configs live in the run directories, so relative file names in the config (laws, models, reference
    /// files) that name an existing file next to it are made absolute; <c>$schema</c> is dropped.
    /// </summary>
    private static JsonNode AbsolutePaths(JsonNode doc, string baseDir)
    {
        if (doc is JsonObject root) root.Remove("$schema");
        Rewrite(doc);
        return doc;

        void Rewrite(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (string name in o.Select(p => p.Key).ToList())
                    {
                        if (o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String && Absolute(v.GetValue<string>()) is { } abs) o[name] = abs;
                        else Rewrite(o[name]);
                    }
                    break;
                case JsonArray a:
                    for (int i = 0; i < a.Count; i++)
                    {
                        if (a[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String && Absolute(v.GetValue<string>()) is { } abs) a[i] = abs;
                        else Rewrite(a[i]);
                    }
                    break;
            }
        }

        string? Absolute(string s)
        {
            if (s.Length == 0 || Path.IsPathRooted(s) || s.IndexOfAny(Path.GetInvalidPathChars()) >= 0) return null;
            string full = Path.GetFullPath(Path.Combine(baseDir, s));
            return File.Exists(full) ? full : null;
        }
    }

    private static void Validate(string configPath, JsonNode doc, string what)
    {
        try
        {
            RuntimeConfig config = RuntimeConfig.Parse(configPath, doc.ToJsonString());
            using Simulation sim = Simulation.Create(config);
        }
        catch (ConfigException e)
        {
            throw CliException.Input($"{what}: {e.Message}", ""); // the message names field and fix
        }
        catch (CliException e) when (e.ExitCode == ExitCodes.InputError)
        {
            throw CliException.Input($"{what}: {e.What}", e.Fix);
        }
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using MotorRT.Cli.Commands;

namespace MotorRT.Cli.Bench;

/// <summary>
/// The <c>motorrt simulate</c> path itself (kind "loop", ns per simulated tick): README command 1's code —
/// <see cref="SimulateCommand.Run"/> on the shipped example configs with the run length set to the iterations and
/// telemetry at decimation 10, plots off — including config loading, rig build, calibration, arming warm-up, the trace
/// writer and summary.json. Real-time factor at 10 kHz = 100 000 ns / tick_ns. This is what users get; the
/// <c>loop-*-twin</c> cases measure the warm loop alone.
/// </summary>
internal static class SimulateBenchCases
{
    /// <summary>The cases (none when the examples folder cannot be found above the working directory).</summary>
    public static IEnumerable<BenchCase> Create()
    {
        string? examples = FindExamples();
        if (examples is null) yield break;
        yield return new BenchCase("simulate-pmdc-current-dec10", "loop", 300_000, n => Run(Path.Combine(examples, "pmdc-current.json"), n));
        yield return new BenchCase("simulate-pmsm-speed-dec10", "loop", 300_000, n => Run(Path.Combine(examples, "pmsm-speed.json"), n));
    }

    private static string? FindExamples()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                string candidate = Path.Combine(d.FullName, "examples");
                if (File.Exists(Path.Combine(candidate, "pmdc-current.json"))) return candidate;
            }
        }
        return null;
    }

    private static double Run(string example, long ticks)
    {
        JsonNode root = JsonNode.Parse(File.ReadAllText(example), documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;
        root.AsObject().Remove("$schema");
        JsonObject timing = root["timing"]!.AsObject();
        double frequency = timing["frequency"]!.GetValue<double>();
        timing["duration"] = ticks / frequency;
        (root["telemetry"] ??= new JsonObject())["decimation"] = 10;
        string dir = Path.Combine(Path.GetTempPath(), $"motorrt-bench-simulate-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        string config = Path.Combine(dir, "config.json");
        File.WriteAllText(config, root.ToJsonString());
        try
        {
            long t0 = Stopwatch.GetTimestamp();
            int code = SimulateCommand.Run(config, Path.Combine(dir, "out"), plots: false, TextWriter.Null, TextWriter.Null, progress: false);
            double s = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            if (code != 0) throw new InvalidOperationException($"simulate {Path.GetFileName(example)} exited {code}");
            return s;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace MotorRT.Cli.Bench;

/// <summary>One measured case: the median over the repeats.</summary>
/// <param name="Name">Case name.</param>
/// <param name="Kind">"plant", "controller" or "loop".</param>
/// <param name="Median">plant: steps per second; others: ns per tick (median over repeats).</param>
/// <param name="Min">Smallest value over the repeats (same unit).</param>
/// <param name="Max">Largest value over the repeats (same unit).</param>
/// <param name="Repeats">Repeats measured.</param>
/// <param name="CpuMedian">The same figure from the process CPU time instead of wall-clock time (median): on a machine
/// shared with other work it shows what the code does when it gets the core.</param>
public sealed record BenchResult(string Name, string Kind, double Median, double Min, double Max, int Repeats, double CpuMedian)
{
    /// <summary>The JSON key of the figure: plant_steps_per_s or tick_ns.</summary>
    public string Key => Kind switch { "plant" => "plant_steps_per_s", "writer" => "rows_per_s", _ => "tick_ns" };

    /// <summary>True when the figure is a rate (plant steps or trace rows per second), false for ns per tick.</summary>
    public bool IsRate => BenchRunner.IsRate(Kind);
}

/// <summary>Runs bench cases and reports medians (table and JSON).</summary>
internal static class BenchRunner
{
    /// <summary>Measures each case <paramref name="repeats"/> times (after one warm-up repeat) scaling iterations by <paramref name="scale"/>.</summary>
    public static List<BenchResult> Measure(IEnumerable<BenchCase> cases, int repeats, double scale, TextWriter? progress = null)
    {
        var results = new List<BenchResult>();
        foreach (BenchCase c in cases)
        {
            long n = Math.Max(1, (long)(c.Iterations * scale));
            c.Run(Math.Max(1, n / 4)); // warm-up: tiered JIT reaches optimised code
            var values = new double[repeats];
            var cpu = new double[repeats];
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            for (int r = 0; r < repeats; r++)
            {
                process.Refresh();
                TimeSpan cpu0 = process.TotalProcessorTime;
                double s = c.Run(n);
                process.Refresh();
                double cs = (process.TotalProcessorTime - cpu0).TotalSeconds;
                values[r] = IsRate(c.Kind) ? n / s : s * 1e9 / n;
                cpu[r] = cs <= 0 ? double.NaN : IsRate(c.Kind) ? n / cs : cs * 1e9 / n;
            }
            Array.Sort(values);
            Array.Sort(cpu);
            var res = new BenchResult(c.Name, c.Kind, Median(values), values[0], values[^1], repeats, Median(cpu));
            results.Add(res);
            progress?.WriteLine(Format(res));
        }
        return results;
    }

    /// <summary>True for the kinds reported as a rate: "plant" (steps/s) and "writer" (rows/s).</summary>
    public static bool IsRate(string kind) => kind is "plant" or "writer";

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]);

    /// <summary>One table row.</summary>
    public static string Format(BenchResult r) => r.IsRate
        ? string.Create(CultureInfo.InvariantCulture, $"{r.Name,-28} {r.Kind,-10} {r.Median,14:N0} {(r.Kind == "plant" ? "steps" : "rows")}/s  (min {r.Min:N0}, max {r.Max:N0}, {r.Repeats} repeats; per CPU-second {r.CpuMedian:N0})")
        : string.Create(CultureInfo.InvariantCulture, $"{r.Name,-28} {r.Kind,-10} {r.Median,14:F1} ns/tick  (min {r.Min:F1}, max {r.Max:F1}, {r.Repeats} repeats; CPU {r.CpuMedian:F1} ns)");

    /// <summary>The machine the figures come from.</summary>
    public static Dictionary<string, object> Machine() => new()
    {
        ["os"] = RuntimeInformation.OSDescription,
        ["architecture"] = RuntimeInformation.OSArchitecture.ToString(),
        ["cpu_count"] = Environment.ProcessorCount,
        ["dotnet"] = RuntimeInformation.FrameworkDescription,
        ["server_gc"] = System.Runtime.GCSettings.IsServerGC,
    };

    /// <summary>Writes <c>{ "machine": {...}, "cases": [ {"name", "kind", "plant_steps_per_s"|"tick_ns", ...} ] }</c>.</summary>
    public static void WriteJson(string path, IReadOnlyList<BenchResult> results)
    {
        var cases = new List<Dictionary<string, object>>();
        foreach (BenchResult r in results)
        {
            cases.Add(new Dictionary<string, object>
            {
                ["name"] = r.Name,
                ["kind"] = r.Kind,
                [r.Key] = r.Median,
                [r.Kind switch { "plant" => "plant_steps_per_cpu_s", "writer" => "rows_per_cpu_s", _ => "tick_cpu_ns" }] = r.CpuMedian,
                ["min"] = r.Min,
                ["max"] = r.Max,
                ["repeats"] = r.Repeats,
            });
        }
        var doc = new Dictionary<string, object> { ["machine"] = Machine(), ["cases"] = cases };
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        File.WriteAllText(path, JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
    }
}

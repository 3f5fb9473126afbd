using System.Diagnostics;
using System.Globalization;

namespace MotorRT.Cli.Commands;

/// <summary>
/// cyclictest's wake-up latency of one run (rt-tests, <c>-q -t1 -h</c> histogram output), in µs: what this machine's
/// kernel delivers to a timer-driven thread with the same settings as our loop.
/// </summary>
/// <param name="Cycles">Wake-ups measured.</param>
/// <param name="P99">99th percentile of the latency, in µs (≥ the histogram limit when it lies in the overflow).</param>
/// <param name="Max">Largest latency, in µs.</param>
/// <param name="Overflows">Wake-ups later than the histogram limit.</param>
internal sealed record CyclictestResult(long Cycles, double P99, double Max, long Overflows);

/// <summary>Finds, runs and parses Debian's <c>cyclictest</c> (package rt-tests).</summary>
internal static class Cyclictest
{
    /// <summary>Histogram limit passed with <c>-h</c>, in µs.</summary>
    public const int HistogramLimitUs = 20_000;

    /// <summary>The cyclictest executable on <paramref name="searchPath"/> (default: PATH), or null when rt-tests is not installed.</summary>
    public static string? Find(string? searchPath = null)
    {
        foreach (string dir in (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "cyclictest");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>
    /// The arguments for one run at <paramref name="frequency"/> Hz for <paramref name="duration"/> s with our loop's
    /// settings: <c>-p</c> the SCHED_FIFO priority (omitted at 0: SCHED_OTHER, as our loop), <c>-a</c> the CPU, <c>-m</c>
    /// mlockall; one thread, clock_nanosleep on CLOCK_MONOTONIC (cyclictest's default), histogram in µs.
    /// </summary>
    public static string[] Arguments(double frequency, double duration, int fifo, int cpu, bool mlock)
    {
        var inv = CultureInfo.InvariantCulture;
        var args = new List<string> { "-q", "-t1", "-i", Math.Max(1, (int)Math.Round(1e6 / frequency)).ToString(inv),
            "-D", Math.Max(1, (int)Math.Ceiling(duration)).ToString(inv), "-h", HistogramLimitUs.ToString(inv) };
        if (fifo > 0) { args.Add("-p"); args.Add(fifo.ToString(inv)); }
        if (cpu >= 0) { args.Add("-a"); args.Add(cpu.ToString(inv)); }
        if (mlock) args.Add("-m");
        return [.. args];
    }

    /// <summary>Runs cyclictest; returns the parsed result, or null with <paramref name="error"/> set when it failed.</summary>
    public static CyclictestResult? Run(string executable, string[] arguments, double duration, out string error)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(duration + 60)))
        {
            process.Kill();
            error = "cyclictest did not finish";
            return null;
        }
        string output = stdout.GetAwaiter().GetResult();
        CyclictestResult? result = Parse(output);
        error = result is null ? $"cyclictest exited {process.ExitCode}: {FirstLine(stderr.GetAwaiter().GetResult())}" : "";
        return result;
    }

    /// <summary>Parses the <c>-q -h</c> output of one thread (histogram lines "latency count", then "# Max Latencies:" ...).</summary>
    public static CyclictestResult? Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var buckets = new List<(int Us, long Count)>();
        long total = -1, overflows = 0;
        double max = -1;
        foreach (string raw in output.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0) continue;
            if (line[0] != '#')
            {
                string[] cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (cells.Length >= 2 && int.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out int us)
                    && long.TryParse(cells[1], NumberStyles.None, CultureInfo.InvariantCulture, out long count))
                {
                    buckets.Add((us, count));
                }
                continue;
            }
            if (Field(line, "# Total:") is { } t) total = t;
            else if (Field(line, "# Max Latencies:") is { } m) max = m;
            else if (Field(line, "# Histogram Overflows:") is { } o) overflows = o;
        }
        if (total <= 0 || max < 0) return null;
        long target = (long)Math.Ceiling(0.99 * total), seen = 0;
        double p99 = HistogramLimitUs;
        foreach ((int us, long count) in buckets)
        {
            seen += count;
            if (seen >= target)
            {
                p99 = us;
                break;
            }
        }
        return new CyclictestResult(total, p99, max, overflows);
    }

    private static long? Field(string line, string name)
    {
        if (!line.StartsWith(name, StringComparison.Ordinal)) return null;
        string[] cells = line[name.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return cells.Length > 0 && long.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v : null;
    }

    private static string FirstLine(string s)
    {
        s = s.Trim();
        int i = s.IndexOf('\n');
        return i < 0 ? s : s[..i];
    }
}

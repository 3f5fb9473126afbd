using System.CommandLine;
using MotorRT.Cli.Errors;
using MotorRT.Cli.Output;
using MotorRT.Cli.Sweep;

namespace MotorRT.Cli.Commands;

/// <summary>
/// <c>motorrt merge &lt;dir&gt;… [--out dir] [--metric name]</c>: collects the runs of a sweep (one directory, or one per
/// shard) into <c>sweep.csv</c> and <c>sweep.parquet</c> (one row per run) and a PNG of one metric.
/// </summary>
internal static class MergeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var dirs = new Argument<DirectoryInfo[]>("dirs") { Description = "The --out directories of the sweep (its shards may have written to different ones).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Where sweep.csv, sweep.parquet and the plot go (default: the first directory)." };
        var metric = new Option<string?>("--metric") { Description = "Column to plot against the run (default: the first *.rmse column), written as <metric>.png." };
        var timing = new Option<bool>("--timing") { Description = "Also tabulate the host's timing figures (wall time, jitter, tick compute, allocations, GC), which vary from machine to machine." };
        var partial = new Option<bool>("--partial") { Description = "Merge even if some runs of the grid are missing." };
        var command = new Command("merge", "Collect the runs of `motorrt sweep` (run-*/run.json and summary.json) into sweep.csv and sweep.parquet, one row per run (index, exit code, grid values, the summary's numbers flattened), and plot one metric. Missing runs exit 2 unless --partial.")
        {
            dirs, output, metric, timing, partial,
        };
        command.SetAction(parse => Run(parse.GetValue(dirs)!.Select(d => d.FullName).ToArray(), parse.GetValue(output)?.FullName, parse.GetValue(metric),
            parse.GetValue(timing), parse.GetValue(partial), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(Program.Verbose)));
        return command;
    }

    /// <summary>Merges; returns the exit code (<see cref="ExitCodes"/>).</summary>
    public static int Run(IReadOnlyList<string> dirs, string? outDir, string? metric, bool timing, bool partial, TextWriter stdout, TextWriter stderr, bool verbose = false)
    {
        try
        {
            SweepTable table = SweepTable.Read(dirs, timing, partial);
            string dir = OutputPaths.PrepareDirectory(outDir ?? dirs[0], "--out");
            metric ??= table.Figures.FirstOrDefault(f => f.EndsWith(".rmse", StringComparison.Ordinal));
            if (metric is not null && !table.Figures.Contains(metric))
            {
                throw CliException.Input($"--metric {metric}: no such column", $"choose one of: {string.Join(", ", table.Figures.Take(12))}…");
            }
            string csv = OutputPaths.CheckFile(Path.Combine(dir, "sweep.csv"), "--out");
            string parquet = OutputPaths.CheckFile(Path.Combine(dir, "sweep.parquet"), "--out");
            table.WriteCsv(csv);
            table.WriteParquet(parquet);
            stdout.WriteLine($"merge: {table.Rows.Count} runs, {table.GridKeys.Count} grid keys, {table.Figures.Count} figures");
            stdout.WriteLine($"  wrote {csv}");
            stdout.WriteLine($"  wrote {parquet}");
            if (metric is not null)
            {
                string png = OutputPaths.CheckFile(Path.Combine(dir, SafeName(metric) + ".png"), "--out");
                table.WritePlot(metric, png);
                stdout.WriteLine($"  wrote {png}");
            }
            return ExitCodes.Ok;
        }
        catch (Exception e)
        {
            return CliErrorReporter.Report(e, "merge", verbose, stderr);
        }
    }

    private static string SafeName(string metric) =>
        new(metric.Select(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_').ToArray());
}

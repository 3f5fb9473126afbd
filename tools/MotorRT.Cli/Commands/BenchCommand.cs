using System.CommandLine;
using MotorRT.Cli.Bench;

namespace MotorRT.Cli.Commands;

/// <summary>
/// <c>motorrt bench [--json FILE] [--repeats N] [--filter TEXT] [--quick]</c>: a quick speed summary of the plant twin,
/// controllers and loop (cases from <see cref="BenchCatalog"/>), medians over repeats; the BenchmarkDotNet suite in
/// tools/MotorRT.Benchmarks is the thorough one.
/// </summary>
internal static class BenchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var json = new Option<string?>("--json") { Description = "Also write the results as JSON to this file ({\"machine\": {...}, \"cases\": [...]})." };
        var repeats = new Option<int>("--repeats") { Description = "Repeats per case; the median is reported (default 5).", DefaultValueFactory = _ => 5 };
        var filter = new Option<string?>("--filter") { Description = "Only cases whose name contains this text." };
        var quick = new Option<bool>("--quick") { Description = "Run 1/20 of the iterations (smoke test; figures are noisier)." };
        var command = new Command("bench", "Measure plant steps per second and controller/loop tick times; print a table of medians (and JSON with --json).") { json, repeats, filter, quick };
        command.SetAction(parse => Run(parse.GetValue(json), parse.GetValue(repeats), parse.GetValue(filter), parse.GetValue(quick), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Runs the selected cases; returns the exit code (0 ok, 2 bad arguments).</summary>
    public static int Run(string? jsonPath, int repeats, string? filter, bool quick, TextWriter output, TextWriter error)
    {
        if (repeats < 1 || repeats > 100)
        {
            error.WriteLine("error: --repeats must be in [1, 100]");
            return 2;
        }
        if (jsonPath is not null)
        {
            jsonPath = Output.OutputPaths.CheckFile(jsonPath, "--json");
        }
        var cases = BenchCatalog.All().Where(c => filter is null || c.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)).ToList();
        if (cases.Count == 0)
        {
            error.WriteLine($"error: no bench case matches \"{filter}\"; cases: {string.Join(", ", BenchCatalog.All().Select(c => c.Name))}");
            return 2;
        }
        var m = BenchRunner.Machine();
        output.WriteLine($"machine: {m["os"]}, {m["architecture"]}, {m["cpu_count"]} CPUs, {m["dotnet"]}");
        output.WriteLine($"{"case",-28} {"kind",-10} {"median",14}");
        List<BenchResult> results = BenchRunner.Measure(cases, repeats, quick ? 0.05 : 1.0, output);
        if (jsonPath is not null)
        {
            BenchRunner.WriteJson(jsonPath, results);
            output.WriteLine($"wrote {jsonPath}");
        }
        return 0;
    }
}

using System.CommandLine;
using MotorRT.Cli.Bench;

namespace MotorRT.Cli.Commands;

/// <summary>
/// <c>motorrt bench [--json FILE] [--repeats N] [--filter TEXT] [--quick] [--group io]</c>: a quick speed summary of the
/// plant twin, controllers and loop (cases from <see cref="BenchCatalog"/>), medians over repeats; the BenchmarkDotNet
/// suite in tools/MotorRT.Benchmarks is the thorough one. <c>--group io</c> runs <see cref="IoBench"/> instead.
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
        var group = new Option<string?>("--group") { Description = "\"io\": instead, time the real I/O paths this machine has (CAN round trip over a socket pair and vcan0, SPI transfer on /dev/spidev0.0, PWM duty write on pwmchip0/pwm0 without enabling it, GPIO read of BCM 26 as input); median and p99 ns per operation; lists the paths it could not open and why. --repeats and --filter do not apply; its JSON has \"machine\", \"io_cases\" and \"unavailable\"." };
        var command = new Command("bench", "Measure plant steps per second and controller/loop tick times; print a table of medians (and JSON with --json). --group io times the machine's real I/O paths.") { json, repeats, filter, quick, group };
        command.SetAction(parse => parse.GetValue(group) is { } g
            ? RunGroup(g, parse.GetValue(json), parse.GetValue(quick), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error)
            : Run(parse.GetValue(json), parse.GetValue(repeats), parse.GetValue(filter), parse.GetValue(quick), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Runs a named group (only "io"); returns the exit code (0 ok, 2 unknown group).</summary>
    public static int RunGroup(string group, string? jsonPath, bool quick, TextWriter output, TextWriter error, IoBenchPaths? paths = null)
    {
        if (group != "io")
        {
            error.WriteLine($"error: --group \"{group}\" is unknown; groups: io");
            return 2;
        }
        if (jsonPath is not null)
        {
            jsonPath = Output.OutputPaths.CheckFile(jsonPath, "--json");
        }
        return IoBench.Run(paths ?? IoBenchPaths.Default, quick, jsonPath, output);
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

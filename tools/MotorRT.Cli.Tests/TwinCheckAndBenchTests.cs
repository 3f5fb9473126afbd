using System.Text.Json;
using MotorRT.Cli.Commands;
using MotorRT.Cli.TwinCheck;
using MotorRT.Sim.Testing;

namespace MotorRT.Cli.Tests;

public sealed class TwinCheckAndBenchTests
{
    private static string? ReferenceDir()
    {
        string d = ExampleFiles.Root;
        foreach (string c in new[] { Path.Combine(d, "..", "shared", "reference"), Path.Combine(d, "shared", "reference"), "/work/shared/reference" })
            if (Directory.Exists(c)) return Path.GetFullPath(c);
        return null;
    }

    private static string[] Cases(string filter) =>
        Directory.GetDirectories(ReferenceDir()!).Where(p => Path.GetFileName(p).Contains(filter, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Twin_check_passes_every_dc_case_and_ends_with_the_summary_line()
    {
        string[] dirs = Cases("dc");
        Assert.True(dirs.Length >= 4);
        var o = new StringWriter();
        var e = new StringWriter();
        int rc = TwinChecker.Run(dirs, 1e-6, o, e);
        string[] lines = o.ToString().TrimEnd().Split('\n');
        Assert.Equal(0, rc);
        Assert.Equal($"{dirs.Length} passed, 0 failed", lines[^1].Trim());
        Assert.Contains("max rel err", o.ToString());
        Assert.Equal("", e.ToString());
    }

    [Fact]
    public void Twin_check_accepts_the_dfim_cases_recorded_from_gem_at_1e_8()
    {
        // Recorded by tools/gem/make_dfim_reference.py (GEM 3.0.2's DoublyFedInductionMotorSystem).
        string[] dirs = Directory.GetDirectories(Path.Combine(ExampleFiles.Root, "sim", "MotorRT.Sim.Tests", "data", "reference-dfim")).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(3, dirs.Length);
        var o = new StringWriter();
        var e = new StringWriter();
        int rc = TwinChecker.Run(dirs, 1e-8, o, e);
        Assert.Equal(0, rc);
        Assert.Equal("3 passed, 0 failed", o.ToString().TrimEnd().Split('\n')[^1].Trim());
        Assert.Contains("i_rq", o.ToString());
        Assert.Equal("", e.ToString());
    }

    [Fact]
    public void Twin_check_runs_in_process_through_the_root_command()
    {
        string[] dirs = Cases("pmsm");
        var root = Program.BuildRoot();
        int rc = root.Parse(["twin-check", .. dirs]).Invoke();
        Assert.Equal(0, rc);
    }

    [Fact]
    public void Twin_check_fails_when_the_tolerance_cannot_be_met()
    {
        var o = new StringWriter();
        int rc = TwinChecker.Run(Cases("permexdc-4qc-constspeed-dopri"), 1e-14, o, new StringWriter());
        Assert.Equal(3, rc);
        Assert.EndsWith("0 passed, 1 failed", o.ToString().TrimEnd());
    }

    [Theory]
    [InlineData("\"DcPermanentlyExcitedMotor\"", "\"DcWarpMotor\"", "motor.type")]
    [InlineData("\"psi_e\": 0.165,", "", "motor.motor_parameter.psi_e")]
    [InlineData("\"ContFourQuadrantConverter\",\n    \"sub_converters\"", "\"ContFiveQuadrantConverter\",\n    \"sub_converters\"", "converter.type")]
    [InlineData("\"ConstantSpeedLoad\"", "\"OrnsteinUhlenbeckLoad\"", "load.type")]
    public void Twin_check_reports_bad_input_naming_the_field_with_exit_2(string find, string replace, string field)
    {
        string src = Cases("permexdc-4qc-constspeed-euler")[0];
        using var scratch = new ScratchFolder("twin");
        string dir = scratch.Path;
        string json = File.ReadAllText(Path.Combine(src, "case.json"));
        Assert.Contains(find, json);
        File.WriteAllText(Path.Combine(dir, "case.json"), json.Replace(find, replace));
        File.Copy(Path.Combine(src, "trajectory.csv"), Path.Combine(dir, "trajectory.csv"));
        var o = new StringWriter();
        var e = new StringWriter();
        int rc = TwinChecker.Run([dir], 1e-6, o, e);
        Assert.Equal(2, rc);
        Assert.Contains(field, e.ToString());
        Assert.EndsWith("0 passed, 1 failed", o.ToString().TrimEnd());
    }

    [Fact]
    public void Bench_writes_json_with_machine_and_plant_steps_per_second()
    {
        var (root, table) = BenchRun.Quick("permexdc-4qc-euler");
        JsonElement machine = root.GetProperty("machine");
        Assert.True(machine.GetProperty("cpu_count").GetInt32() >= 1);
        Assert.Contains(".NET", machine.GetProperty("dotnet").GetString());
        JsonElement c = root.GetProperty("cases")[0];
        Assert.Equal("permexdc-4qc-euler", c.GetProperty("name").GetString());
        Assert.True(c.GetProperty("plant_steps_per_s").GetDouble() > 0);
        Assert.True(c.TryGetProperty("plant_steps_per_cpu_s", out _));
        Assert.Contains("steps/s", table);
    }

    [Fact]
    public void Bench_rejects_unknown_filter_and_bad_repeats()
    {
        Assert.Equal(2, BenchCommand.Run(null, 3, "no-such-case", true, new StringWriter(), new StringWriter()));
        Assert.Equal(2, BenchCommand.Run(null, 0, null, true, new StringWriter(), new StringWriter()));
    }
}

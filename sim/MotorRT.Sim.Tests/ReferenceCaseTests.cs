using MotorRT.Sim.Spec;
using Xunit.Abstractions;

namespace MotorRT.Sim.Tests;

/// <summary>Every case in shared/reference must be reproduced by the twin within the acceptance rule (1e-6 of range).</summary>
public sealed class ReferenceCaseTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        string? dir = TestPaths.ReferenceDir();
        if (dir is null) return data;
        foreach (string d in Directory.GetDirectories(dir).Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(d));
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_case_matches_within_1e_6(string name)
    {
        string dir = Path.Combine(TestPaths.ReferenceDir()!, name);
        ReplayResult r = ReferenceReplay.Run(dir);
        foreach (ColumnError c in r.Columns) output.WriteLine($"{c.Column,-8} {c.Relative:E3} (row {c.WorstRow})");
        Assert.True(r.Steps > 100);
        Assert.True(r.Passed, $"{name}: max relative error {r.MaxRelative:E3} > 1e-6 in " +
            string.Join(", ", r.Columns.Where(c => c.Relative > 1e-6).Select(c => $"{c.Column}={c.Relative:E2}@row{c.WorstRow}")));
    }

    public static TheoryData<string> DfimCases()
    {
        var data = new TheoryData<string>();
        foreach (string d in Directory.GetDirectories(TestPaths.DfimReferenceDir()).Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(d));
        return data;
    }

    /// <summary>
    /// GEM 3.0.2's doubly-fed induction machine, recorded by tools/gem/make_dfim_reference.py (data/reference-dfim):
    /// continuous and finite multi-B6 converters, constant speed and polynomial load, dopri5 and Euler; every column
    /// within 1e-8 of its range.
    /// </summary>
    [Theory]
    [MemberData(nameof(DfimCases))]
    public void Dfim_reference_case_matches_gem_within_1e_8(string name)
    {
        ReplayResult r = ReferenceReplay.Run(Path.Combine(TestPaths.DfimReferenceDir(), name), tolerance: 1e-8);
        foreach (ColumnError c in r.Columns) output.WriteLine($"{c.Column,-8} {c.Relative:E3} (row {c.WorstRow})");
        output.WriteLine($"max {r.MaxRelative:E3}");
        Assert.Equal(400, r.Steps);
        Assert.Equal(24, r.Columns.Count);
        Assert.True(r.Passed, $"{name}: max relative error {r.MaxRelative:E3} > 1e-8 in " +
            string.Join(", ", r.Columns.Where(c => c.Relative > 1e-8).Select(c => $"{c.Column}={c.Relative:E2}@row{c.WorstRow}")));
    }

    [Fact]
    public void Dfim_reference_cases_cover_both_converter_families_and_solvers()
    {
        string[] names = Directory.GetDirectories(TestPaths.DfimReferenceDir()).Select(Path.GetFileName).ToArray()!;
        Assert.Contains(names, n => n.Contains("finite", StringComparison.Ordinal));
        Assert.Contains(names, n => n.EndsWith("-euler", StringComparison.Ordinal));
        Assert.Contains(names, n => n.EndsWith("-dopri", StringComparison.Ordinal) && !n.Contains("finite", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\"r_a\": 0.016,", "\"r_a\": 0.016, \"r_x\": 1,", "motor.motor_parameter.r_x", "unknown key")]
    [InlineData("\"tau\": 0.0001,", "\"tau\": 0.0001, \"tau\": 0.001,", "tau", "duplicate key \"tau\"")]
    [InlineData("\"omega_fixed\": 100.0", "\"omega_fixed\": \"fast\"", "load.omega_fixed", "expected a finite number rad/s, found \"fast\"")]
    [InlineData("\"torque\": 38.0,", "\"torque\": \"38\",", "limits.torque", "expected a finite number, found \"38\"")]
    [InlineData("\"steps\": 2500,", "\"steps\": 2500, \"stpes\": 1,", "stpes", "unknown key")]
    [InlineData("\"i\": 0.0,", "\"i\": 0.0, \"i_x\": 0.0,", "initial_state.i_x", "unknown key")]
    [InlineData("\"u_nominal\": 60.0", "\"u_nominal\": -60.0", "supply.u_nominal", "value -60 V is out of range")]
    [InlineData("\"r_a\": 0.016,", "\"r_a\": 1e400,", "motor.motor_parameter.r_a", "expected a finite number")]
    [InlineData("\"u_nominal\": 60.0", "\"u_nominal\": 1e400", "supply.u_nominal", "expected a finite number V")]
    public void Case_file_errors_name_the_json_path(string find, string replace, string field, string problem)
    {
        string src = Path.Combine(TestPaths.ReferenceDir()!, "permexdc-4qc-constspeed-euler", "case.json");
        string json = File.ReadAllText(src);
        Assert.Contains(find, json);
        string path = Path.Combine(Path.GetTempPath(), $"motorrt-case-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, ReplaceFirst(json, find, replace));
        try
        {
            var e = Assert.Throws<MotorRT.Contracts.Configuration.ConfigException>(() => PlantSpecReader.ReadCase(path));
            Assert.Equal(path, e.File);
            Assert.Equal(field, e.Field);
            Assert.StartsWith(problem, e.Problem);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string ReplaceFirst(string s, string find, string replace)
    {
        int i = s.IndexOf(find, StringComparison.Ordinal);
        return s[..i] + replace + s[(i + find.Length)..];
    }

    [Fact]
    public void Reference_folder_is_found_and_holds_dc_and_ac_cases()
    {
        string? dir = TestPaths.ReferenceDir();
        Assert.NotNull(dir);
        string[] names = Directory.GetDirectories(dir!).Select(Path.GetFileName).ToArray()!;
        Assert.Contains(names, n => n.Contains("dc", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("pmsm", StringComparison.Ordinal));
    }
}

internal static class TestPaths
{
    /// <summary>
    /// The DFIM reference cases kept with this test project (sim/MotorRT.Sim.Tests/data/reference-dfim under the
    /// repository root, the folder holding MotorRT.sln); throws when absent, so the cases cannot be skipped silently.
    /// </summary>
    public static string DfimReferenceDir()
    {
        string? d = AppContext.BaseDirectory;
        while (d is not null && !File.Exists(Path.Combine(d, "MotorRT.sln"))) d = Path.GetDirectoryName(d);
        string? dir = d is null ? null : Path.Combine(d, "sim", "MotorRT.Sim.Tests", "data", "reference-dfim");
        return dir is not null && Directory.Exists(dir) ? dir : throw new DirectoryNotFoundException("sim/MotorRT.Sim.Tests/data/reference-dfim not found above " + AppContext.BaseDirectory);
    }

    /// <summary>shared/reference beside the repository root (the folder holding MotorRT.sln), or null.</summary>
    public static string? ReferenceDir()
    {
        string? d = AppContext.BaseDirectory;
        while (d is not null && !File.Exists(Path.Combine(d, "MotorRT.sln"))) d = Path.GetDirectoryName(d);
        if (d is null) return null;
        foreach (string candidate in new[] { Path.Combine(d, "..", "shared", "reference"), Path.Combine(d, "shared", "reference"), "/work/shared/reference" })
            if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        return null;
    }
}

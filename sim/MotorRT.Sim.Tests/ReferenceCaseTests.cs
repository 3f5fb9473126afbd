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

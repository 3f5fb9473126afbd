using System.Text.RegularExpressions;
using MotorRT.Cli.Commands;

namespace MotorRT.Cli.Tests;

/// <summary><c>motorrt sweep</c> and <c>motorrt merge</c>: sharding, determinism, bad grid keys.</summary>
public class SweepCommandTests
{
    private static readonly string[] Grid = ["seed=1,2", "reference.current.values[1]=10,20"];

    /// <summary>examples/pmdc-current.json cut to 0.05 s.</summary>
    private static string ShortConfig(string dir)
    {
        string text = File.ReadAllText(ExampleFiles.Path("pmdc-current.json"));
        text = Regex.Replace(text, "\"duration\": [0-9.]+", "\"duration\": 0.05");
        string path = Path.Combine(dir, "short.json");
        File.WriteAllText(path, text);
        return path;
    }

    private static int Sweep(string config, string outDir, int jobs, string? shard, Func<string, string?>? env = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = SweepCommand.Run(config, Grid, outDir, jobs, shard, env ?? (_ => null), stdout, stderr);
        Assert.True(code == 0, stdout + "\n" + stderr);
        return code;
    }

    private static void Merge(string outDir, params string[] dirs)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = MergeCommand.Run(dirs, outDir, "tracking.current.rmse", timing: false, partial: false, stdout, stderr);
        Assert.True(code == 0, stdout + "\n" + stderr);
    }

    [Fact]
    public void ThreeShardSweepMergesToTheUnshardedTable()
    {
        string dir = Directory.CreateTempSubdirectory("motorrt-sweep").FullName;
        string config = ShortConfig(dir);
        string all = Path.Combine(dir, "all");
        Sweep(config, all, jobs: 2, shard: null);
        Merge(all, all);

        // Each shard in its own directory, one job each; the middle one as a Kubernetes Indexed Job would run it.
        var shards = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            string s = Path.Combine(dir, $"shard-{i}");
            if (i == 1) Sweep(config, s, 1, "auto/3", name => name == "JOB_COMPLETION_INDEX" ? "1" : null);
            else Sweep(config, s, 1, $"{i}/3");
            shards.Add(s);
        }
        Assert.Equal(["run-0", "run-3"], Directory.GetDirectories(shards[0]).Select(Path.GetFileName).Order());
        string merged = Path.Combine(dir, "merged");
        Merge(merged, [.. shards]);

        string[] expected = File.ReadAllLines(Path.Combine(all, "sweep.csv"));
        Assert.Equal(5, expected.Length); // header + 4 runs
        Assert.StartsWith("index,exit_code,seed,reference.current.values[1],", expected[0], StringComparison.Ordinal);
        Assert.Contains("tracking.current.rmse", expected[0], StringComparison.Ordinal);
        Assert.DoesNotContain("wall_time_s", expected[0], StringComparison.Ordinal);
        Assert.StartsWith("1,0,1,20,", expected[2], StringComparison.Ordinal);
        Assert.StartsWith("2,0,2,10,", expected[3], StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Path.Combine(all, "sweep.csv")), File.ReadAllBytes(Path.Combine(merged, "sweep.csv")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(all, "sweep.parquet")), File.ReadAllBytes(Path.Combine(merged, "sweep.parquet")));
        Assert.Equal(0x89, File.ReadAllBytes(Path.Combine(merged, "tracking.current.rmse.png"))[0]);
        Assert.True(File.Exists(Path.Combine(all, "run-3", "config.json")));
        Assert.True(File.Exists(Path.Combine(all, "run-3", "summary.json")));

        // Another grid into the same directory is refused before anything runs.
        var other = new StringWriter();
        Assert.Equal(2, SweepCommand.Run(config, ["seed=3"], all, 1, null, _ => null, new StringWriter(), other));
        Assert.Contains("another sweep", other.ToString(), StringComparison.Ordinal);
        Assert.Equal(4, Directory.GetDirectories(all, "run-*").Length);

        // A missing shard is an input error unless --partial.
        var err = new StringWriter();
        Assert.Equal(2, MergeCommand.Run([shards[0]], Path.Combine(dir, "part"), null, false, false, new StringWriter(), err));
        Assert.Contains("missing", err.ToString(), StringComparison.Ordinal);
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData("plant.no_such_section.x=1", "plant.no_such_section")]
    [InlineData("timing.frequencyy=1", "timing.frequencyy")]
    [InlineData("controller.typo=1", "controller.typo")]
    [InlineData("reference.current.values[9]=1", "reference.current.values[9]")]
    [InlineData("timing.frequency=10000,-5", "timing.frequency")]
    public void BadGridKeyExits2BeforeAnythingRuns(string axis, string named)
    {
        string dir = Directory.CreateTempSubdirectory("motorrt-sweep-bad").FullName;
        string config = ShortConfig(dir);
        string outDir = Path.Combine(dir, "out");
        var stderr = new StringWriter();
        int code = SweepCommand.Run(config, ["seed=1,2", axis], outDir, 2, null, _ => null, new StringWriter(), stderr);
        Assert.Equal(2, code);
        Assert.Contains(named, stderr.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir), "nothing may run (or be created) before the grid is checked");
        Directory.Delete(dir, true);
    }

    [Fact]
    public void ShardAutoWithoutTheVariablesExits2()
    {
        string dir = Directory.CreateTempSubdirectory("motorrt-sweep-auto").FullName;
        var stderr = new StringWriter();
        int code = SweepCommand.Run(ShortConfig(dir), Grid, Path.Combine(dir, "out"), 1, "auto/3", _ => null, new StringWriter(), stderr);
        Assert.Equal(2, code);
        Assert.Contains("SLURM_ARRAY_TASK_ID", stderr.ToString(), StringComparison.Ordinal);
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData("sweep")]
    [InlineData("merge")]
    public void HelpListsTheExitCodes(string command)
    {
        var o = new StringWriter();
        Assert.Equal(0, Program.Run([command, "--help"], o, TextWriter.Null));
        Assert.Contains("Exit codes: 0 ok, 2 input/config error", o.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CommandLineWithABadKeyExits2NamingIt()
    {
        string dir = Directory.CreateTempSubdirectory("motorrt-sweep-cli").FullName;
        var stderr = new StringWriter();
        int code = Program.Run(["sweep", ShortConfig(dir), "--grid", "seed=1,2", "--grid", "estimator.pll_bandwidth=1000,0", "--out", Path.Combine(dir, "out"), "--shard", "1/2"], new StringWriter(), stderr);
        Assert.Equal(2, code);
        Assert.Contains("estimator.pll_bandwidth=0", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr.ToString(), StringComparison.Ordinal);
        Directory.Delete(dir, true);
    }
}

using MotorRT.Cli.Commands;
using MotorRT.Policies.Pwa;

namespace MotorRT.Cli.Tests;

public class PwaCommandTests
{
    private static string Temp(string name) => Path.Combine(Path.GetTempPath(), $"motorrt-pwa-{Guid.NewGuid():N}-{name}");

    [Fact]
    public void CheckSummarisesAValidLaw()
    {
        string path = Temp("grid.json");
        File.WriteAllText(path, PwaLawFile.ToJson(PwaSynthesis.GridBenchmarkLaw(7), "grid 49"));
        var output = new StringWriter();
        int code = PwaCommand.Check(path, 1000, output, new StringWriter());
        Assert.Equal(0, code);
        string text = output.ToString();
        Assert.Contains("49 regions", text);
        Assert.Contains("largest leaf 1 regions", text);
        Assert.Contains("continuous: claimed and checked", text);
    }

    [Fact]
    public void CheckReportsAGapWithFileAndRegion()
    {
        PwaLaw grid = PwaSynthesis.GridBenchmarkLaw(3);
        var regions = grid.Regions.Where((_, i) => i != 4).ToList();
        var law = new PwaLaw("x", grid.Parameters, grid.Meaning, grid.OutputMin.ToArray(), grid.OutputMax.ToArray(), regions, true, grid.Tolerance);
        string path = Temp("gap.json");
        File.WriteAllText(path, PwaLawFile.ToJson(law, "gap"));
        var error = new StringWriter();
        int code = PwaCommand.Check(path, 1000, new StringWriter(), error);
        Assert.Equal(2, code);
        Assert.Contains(path, error.ToString());
        Assert.Contains("do not cover", error.ToString());
    }

    [Fact]
    public void ImportFromPpoptWritesALoadableLaw()
    {
        string source = Temp("crs.json");
        File.WriteAllText(source, """
            { "critical_regions": [
                { "E": [[1]], "f": [[-0.5]], "A": [[0]], "b": [[-1]] },
                { "E": [[-1], [1]], "f": [[0.5], [0.5]], "A": [[2]], "b": [[0]] },
                { "E": [[-1]], "f": [[-0.5]], "A": [[0]], "b": [[1]] } ] }
            """);
        string header = Temp("header.json");
        File.WriteAllText(header, """
            { "parameters": [ { "quantity": "ErrorCurrentD", "min": -2, "max": 2 } ],
              "output": { "meaning": "voltage_dc", "min": [-5], "max": [5] }, "continuous": true, "description": "clip(2e)" }
            """);
        string output = Temp("law.json");
        int code = PwaCommand.Import("ppopt", source, header, output, new StringWriter(), new StringWriter());
        Assert.Equal(0, code);
        PwaLaw law = PwaLawFile.Load(output);
        var u = new double[1];
        Assert.True(law.Evaluate([0.25], u, false, out _) >= 0);
        Assert.Equal(0.5, u[0], 12);
    }

    [Fact]
    public void MpcWritesTheExplicitPmsmCurrentLaw()
    {
        string config = Temp("cfg.json");
        File.WriteAllText(config, """
            { "period": 1e-4, "motor": { "type": "PMSM", "p": 3, "l_d": 3.7e-4, "l_q": 1.2e-3, "psi_p": 0.066, "r_s": 0.018, "j_rotor": 0.03883,
              "limits": { "i": 400, "u": 300, "omega": 418.879 } } }
            """);
        string output = Temp("mpc.json");
        var text = new StringWriter();
        int code = PwaCommand.Mpc(config, 1, 300, null, null, output, text, new StringWriter());
        Assert.Equal(0, code);
        Assert.Contains("9 regions", text.ToString());
        Assert.Equal(9, PwaLawFile.Load(output).RegionCount);
    }

    [Fact]
    public void MpcNamesAPeriodThatIsNotANumberAndAMissingFile()
    {
        string config = Temp("cfg.json");
        File.WriteAllText(config, """{ "period": "100 us", "motor": { "type": "PMSM" } }""");
        var error = new StringWriter();
        Assert.Equal(2, PwaCommand.Mpc(config, 1, 300, null, null, Temp("mpc.json"), new StringWriter(), error));
        Assert.Contains("period", error.ToString());
        Assert.Contains("expected a finite number s, found \"100 us\"", error.ToString());
        error = new StringWriter();
        Assert.Equal(2, PwaCommand.Mpc(Temp("none.json"), 1, 300, null, null, Temp("mpc.json"), new StringWriter(), error));
        Assert.Contains("file not found", error.ToString());
    }
}

public class PwaBenchCaseTests
{
    [Fact]
    public void BenchReportsTickNanosecondsForThe49RegionLaw()
    {
        var (root, _) = BenchRun.Quick("pwa-49-");
        var names = new List<string>();
        foreach (System.Text.Json.JsonElement c in root.GetProperty("cases").EnumerateArray())
        {
            names.Add(c.GetProperty("name").GetString()!);
            Assert.True(c.GetProperty("tick_ns").GetDouble() > 0);
        }
        Assert.Equal(["pwa-49-tree", "pwa-49-sequential"], names);
    }
}

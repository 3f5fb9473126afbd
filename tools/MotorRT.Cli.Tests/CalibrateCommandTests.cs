using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MotorRT.Cli.Calibration;
using MotorRT.Cli.Commands;

namespace MotorRT.Cli.Tests;

/// <summary><c>motorrt calibrate</c> on the twin: randomised true parameters identified; a limit exceeded trips the supervisor.</summary>
public class CalibrateCommandTests
{
    /// <summary>examples/pmdc-current.json with light friction, no load inertia and the given true machine.</summary>
    private static string Config(string dir, double r, double l, double psi, double j, double phaseCurrentLimit = 250)
    {
        string text = Regex.Replace(File.ReadAllText(ExampleFiles.Path("pmdc-current.json")), @"^\s*//.*$", "", RegexOptions.Multiline);
        JsonNode root = JsonNode.Parse(text)!;
        root.AsObject().Remove("$schema");
        root["plant"]!["load"] = JsonNode.Parse("""{ "type": "polynomial", "a": 0.1, "b": 0.01, "c": 0.0, "j_load": 0.0 }""");
        root["plant"]!["motor_parameter"] = new JsonObject { ["r_a"] = r, ["l_a"] = l, ["psi_e"] = psi, ["j_rotor"] = j };
        root["limits"]!["phase_current"] = phaseCurrentLimit;
        string path = Path.Combine(dir, "calibrate.json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void CalibrateIdentifiesRandomisedTwinParameters(int seed)
    {
        // GEM's permex DC machine, R and L ±30 %, ψ ±20 %, J ±50 %.
        var rng = new Random(seed);
        double Around(double v, double f) => v * (1 + f * (2 * rng.NextDouble() - 1));
        double r = Around(0.016, 0.3), l = Around(1.9e-5, 0.3), psi = Around(0.165, 0.2), j = Around(0.025, 0.5);
        string dir = Directory.CreateTempSubdirectory("motorrt-calibrate").FullName;
        string config = Config(dir, r, l, psi, j);
        string motor = Path.Combine(dir, "motor.json");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Program.Run(["calibrate", config, "-o", motor], stdout, stderr);
        Assert.True(code == 0, stdout + "\n" + stderr);

        JsonNode m = JsonNode.Parse(File.ReadAllText(motor))!;
        string context = $"true r {r:G4} l {l:G4} psi {psi:G4} j {j:G4}\n{stdout}";
        Assert.Equal("permex-dc", (string?)m["type"]);
        Assert.True(Math.Abs((double)m["r_a"]! / r - 1) < 0.02, "R_a " + context);
        Assert.True(Math.Abs((double)m["l_a"]! / l - 1) < 0.02, "L_a " + context);
        Assert.True(Math.Abs((double)m["psi_e"]! / psi - 1) < 0.02, "psi_e " + context);
        Assert.True(Math.Abs((double)m["j_rotor"]! / j - 1) < 0.10, "J " + context);

        // The section is the config's motor record: tune takes a config that carries it.
        JsonNode cfg = JsonNode.Parse(File.ReadAllText(config))!;
        cfg["motor"] = m;
        string withMotor = Path.Combine(dir, "with-motor.json");
        File.WriteAllText(withMotor, cfg.ToJsonString());
        var tuneOut = new StringWriter();
        Assert.Equal(0, Program.Run(["tune", withMotor], tuneOut, new StringWriter()));
        Assert.Contains("motor section", tuneOut.ToString(), StringComparison.Ordinal);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void CalibrateWhoseCurrentExceedsTheSupervisorLimitExits3()
    {
        string dir = Directory.CreateTempSubdirectory("motorrt-calibrate").FullName;
        string config = Config(dir, 0.016, 1.9e-5, 0.165, 0.025, phaseCurrentLimit: 30);
        var stderr = new StringWriter();
        int code = CalibrateCommand.Run(config, Path.Combine(dir, "motor.json"), 100, 0, 0, new StringWriter(), stderr);
        Assert.Equal(3, code);
        Assert.Contains("FAULT", stderr.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir, "motor.json")));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void CalibrateHelpListsTheExitCodes()
    {
        var o = new StringWriter();
        Assert.Equal(0, Program.Run(["calibrate", "--help"], o, TextWriter.Null));
        Assert.Contains("Exit codes: 0 ok, 2 input/config error", o.ToString(), StringComparison.Ordinal);
        Assert.Contains("--current-limit", o.ToString(), StringComparison.Ordinal);
    }
}

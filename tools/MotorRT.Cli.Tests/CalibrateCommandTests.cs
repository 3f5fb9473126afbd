using System.Text.Json.Nodes;
using MotorRT.Cli.Calibration;
using MotorRT.Cli.Commands;
using Xunit.Abstractions;

namespace MotorRT.Cli.Tests;

/// <summary><c>motorrt calibrate</c> on the twin: randomised true parameters identified; a limit exceeded trips the supervisor.</summary>
public class CalibrateCommandTests(ITestOutputHelper log)
{
    /// <summary>examples/pmdc-current.json with the given true machine and shaft friction, no load inertia.</summary>
    private static string Config(string dir, double r, double l, double psi, double j, double phaseCurrentLimit = 250, (double Coulomb, double Viscous)? friction = null) =>
        CalibrationTestKit.Write(dir, CalibrationTestKit.Example("pmdc-current.json", new JsonObject { ["r_a"] = r, ["l_a"] = l, ["psi_e"] = psi, ["j_rotor"] = j },
            friction ?? (0.1, 0.01), phaseCurrentLimit, vectorLimit: false));

    /// <summary>The twin's true parameters for a seed: GEM's permex DC machine, R and L ±30 %, ψ ±20 %, J ±50 %.</summary>
    private static (double R, double L, double Psi, double J) TrueParameters(int seed)
    {
        var rng = new Random(seed);
        double Around(double v, double f) => v * (1 + f * (2 * rng.NextDouble() - 1));
        return (Around(0.016, 0.3), Around(1.9e-5, 0.3), Around(0.165, 0.2), Around(0.025, 0.5));
    }

    /// <summary>Calibrates the twin of <paramref name="config"/>; returns the written motor section.</summary>
    private static JsonNode Calibrate(string config, string motor, string[] extra, out string stdout)
    {
        var r = CalibrationTestKit.Run(config, motor, extra);
        Assert.True(r.Code == 0, r.Out + "\n" + r.Err);
        stdout = r.Out;
        return JsonNode.Parse(File.ReadAllText(motor))!;
    }

    private void CheckIdentified(JsonNode m, (double R, double L, double Psi, double J) t, string stdout, (double Coulomb, double Viscous)? friction = null)
    {
        double er = (double)m["r_a"]! / t.R - 1, el = (double)m["l_a"]! / t.L - 1, ep = (double)m["psi_e"]! / t.Psi - 1, ej = (double)m["j_rotor"]! / t.J - 1;
        (double Coulomb, double Viscous) f = friction ?? (0.1, 0.01);
        var ef = CalibrationTestKit.FrictionErrors(m, f, CalibrationTestKit.SpinSpeed(stdout));
        string context = FormattableString.Invariant($"true r {t.R:G4} l {t.L:G4} psi {t.Psi:G4} j {t.J:G4} friction {f.Coulomb:G3} N·m + {f.Viscous:G3} N·m·s/rad; errors R {er:P2} L {el:P2} psi {ep:P2} J {ej:P2} Tc {ef.Coulomb:P1} b {ef.Viscous:P1} friction torque {ef.Torque:P1}");
        log.WriteLine(context + " " + stdout.Split('\n').FirstOrDefault(x => x.Contains("lag", StringComparison.Ordinal)));
        context += "\n" + stdout;
        Assert.Equal("permex-dc", (string?)m["type"]);
        Assert.True(Math.Abs(er) < 0.02, "R_a " + context);
        Assert.True(Math.Abs(el) < 0.02, "L_a " + context);
        Assert.True(Math.Abs(ep) < 0.02, "psi_e " + context);
        Assert.True(Math.Abs(ej) < 0.10, "J " + context);
        // Friction (one hold speed; measured ≤ 14.3 % over every DC run): the friction torque between standstill and the spin speed.
        Assert.True(ef.Torque < 0.25, "friction " + context);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void CalibrateIdentifiesRandomisedTwinParameters(int seed)
    {
        var t = TrueParameters(seed);
        var friction = CalibrationTestKit.Friction(seed, 0.1, 0.01);
        string dir = Directory.CreateTempSubdirectory("motorrt-calibrate").FullName;
        string config = Config(dir, t.R, t.L, t.Psi, t.J, friction: friction);
        JsonNode m = Calibrate(config, Path.Combine(dir, "motor.json"), [], out string stdout);
        CheckIdentified(m, t, stdout, friction);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void CalibrateOnTheEmulatedRaspberryPiRigIdentifiesTheTwin()
    {
        // rig.type raspberry-pi (emulate): PWM, GPIO, SPI ADC and encoder pins over the twin of rig.sim — the same code path as hardware.
        var t = TrueParameters(21);
        string dir = Directory.CreateTempSubdirectory("motorrt-calibrate-pi").FullName;
        string config = Config(dir, t.R, t.L, t.Psi, t.J);
        JsonNode cfg = JsonNode.Parse(File.ReadAllText(config))!;
        cfg["rig"] = JsonNode.Parse(CalibrationTestKit.EmulatedPiRig(threePhase: false));
        File.WriteAllText(config, cfg.ToJsonString());
        JsonNode m = Calibrate(config, Path.Combine(dir, "motor.json"), [], out string stdout);
        Assert.Contains("pi", stdout.Split('\n')[0], StringComparison.OrdinalIgnoreCase);
        CheckIdentified(m, t, stdout);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void CalibrateOverHilIdentifiesTheTwin()
    {
        // --rig hil: the config's simulated rig behind an in-process plant server, driven over UDP by the remote rig.
        var t = TrueParameters(22);
        string dir = Directory.CreateTempSubdirectory("motorrt-calibrate-hil").FullName;
        string config = Config(dir, t.R, t.L, t.Psi, t.J);
        JsonNode m = Calibrate(config, Path.Combine(dir, "motor.json"), ["--rig", "hil"], out string stdout);
        Assert.Contains("remote", stdout.Split('\n')[0], StringComparison.OrdinalIgnoreCase);
        CheckIdentified(m, t, stdout);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void TheWrittenMotorSectionLoadsInSimulateTuneAndMpcBuild()
    {
        var t = TrueParameters(11);
        string dir = Directory.CreateTempSubdirectory("motorrt-calibrate").FullName;
        string config = Config(dir, t.R, t.L, t.Psi, t.J);
        JsonNode m = Calibrate(config, Path.Combine(dir, "motor.json"), [], out _);

        // The section is the config's motor record: a config that carries it runs in simulate, tune and mpc build.
        CalibrationTestKit.AcceptedBySimulateAndTune(dir, config, m);
        string withMotor = Path.Combine(dir, "with-motor.json");
        var mpcErr = new StringWriter();
        int mpc = MpcCommand.Build(withMotor, new MpcCommand.BuildArguments { VerifySamples = 1000 }, Path.Combine(dir, "law.json"), TextWriter.Null, mpcErr);
        Assert.True(mpc == 0, mpcErr.ToString());
        Assert.True(File.Exists(Path.Combine(dir, "law.json")));
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
    public void CalibrateMeasuresTheEncoderDirectionAndCountsPerRevolution()
    {
        var t = TrueParameters(31);
        string dir = Directory.CreateTempSubdirectory("motorrt-calibrate-encoder").FullName;
        string config = Config(dir, t.R, t.L, t.Psi, t.J);
        string motor = Path.Combine(dir, "motor.json");
        var ok = CalibrationTestKit.RunWith(config, motor, _ => { });
        Assert.True(ok.Code == 0, ok.Out + ok.Err);
        Assert.Contains("encoder direction +1 (sensors.encoder.direction +1)", ok.Out, StringComparison.Ordinal);
        Assert.Contains("encoder 4096 counts per revolution", ok.Out, StringComparison.Ordinal);
        File.Delete(motor);

        // A/B swapped: found from the voltage steps, before any spin; a 1000-line encoder where the config says 1024.
        CalibrationTestKit.RefusesAReversedEncoderAndAWrongLineCount(config, motor, 1000);
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

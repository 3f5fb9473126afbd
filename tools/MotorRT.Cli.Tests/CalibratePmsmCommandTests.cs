using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MotorRT.Cli.Calibration;
using MotorRT.Cli.Commands;
using Xunit.Abstractions;

namespace MotorRT.Cli.Tests;

/// <summary><c>motorrt calibrate</c> of a PMSM on the twin: randomised true parameters identified; pole pairs, encoder direction and angle offset found.</summary>
public class CalibratePmsmCommandTests(ITestOutputHelper log)
{
    /// <summary>The twin's true PMSM for a seed: GEM's PMSM, R_s, L_d, L_q ±30 %, ψ_p ±20 %, J ±50 %, p from the seed.</summary>
    internal static (double R, double Ld, double Lq, double Psi, double J, int P) TrueParameters(int seed)
    {
        var rng = new Random(seed);
        double Around(double v, double f) => v * (1 + f * (2 * rng.NextDouble() - 1));
        return (Around(0.018, 0.3), Around(3.7e-4, 0.3), Around(1.2e-3, 0.3), Around(0.066, 0.2), Around(0.03883, 0.5), seed % 3 == 0 ? 4 : 3);
    }

    /// <summary>examples/pmsm-speed.json with the given true machine and shaft friction (default light), no load inertia.</summary>
    internal static string Config(string dir, (double R, double Ld, double Lq, double Psi, double J, int P) t, double phaseCurrentLimit = 480, (double Coulomb, double Viscous)? friction = null) =>
        CalibrationTestKit.Write(dir, CalibrationTestKit.Example("pmsm-speed.json",
            new JsonObject { ["r_s"] = t.R, ["l_d"] = t.Ld, ["l_q"] = t.Lq, ["psi_p"] = t.Psi, ["j_rotor"] = t.J, ["p"] = t.P }, friction ?? (0.1, 0.01), phaseCurrentLimit, vectorLimit: true));

    private static (int Code, string Out, string Err) Run(string config, string motor, string[] extra) => CalibrationTestKit.Run(config, motor, extra);

    private void CheckIdentified(JsonNode m, (double R, double Ld, double Lq, double Psi, double J, int P) t, string stdout, (double Coulomb, double Viscous)? friction = null)
    {
        double er = (double)m["r_s"]! / t.R - 1, ed = (double)m["l_d"]! / t.Ld - 1, eq = (double)m["l_q"]! / t.Lq - 1;
        double ep = (double)m["psi_p"]! / t.Psi - 1, ej = (double)m["j_rotor"]! / t.J - 1;
        string context = FormattableString.Invariant($"true r {t.R:G4} ld {t.Ld:G4} lq {t.Lq:G4} psi {t.Psi:G4} j {t.J:G4} p {t.P}; errors R {er:P2} Ld {ed:P2} Lq {eq:P2} psi {ep:P2} J {ej:P2}");
        (double Coulomb, double Viscous) f = friction ?? (0.1, 0.01);
        var ef = CalibrationTestKit.FrictionErrors(m, f, CalibrationTestKit.SpinSpeed(stdout));
        context += FormattableString.Invariant($"; friction {f.Coulomb:G3} N·m + {f.Viscous:G3} N·m·s/rad: errors Tc {ef.Coulomb:P1} b {ef.Viscous:P1} torque {ef.Torque:P1}");
        log.WriteLine(context);
        context += "\n" + stdout;
        // Friction (holds at two speeds; measured ≤ 6.5 % over the 8 randomised seeds, ≤ 14.6 % over every PMSM run): the
        // friction torque between standstill and the spin speed.
        Assert.True(ef.Torque < 0.25, "friction " + context);
        Assert.Equal("pmsm", (string?)m["type"]);
        // The d steps make no torque and the q triplets return the rotor: it stays within a few degrees electrical (measured ≤ 0.12 rad).
        Match moved = Regex.Match(stdout, @"the rotor moved at most ([0-9.eE+-]+) rad electrical");
        Assert.True(moved.Success && double.Parse(moved.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) < 0.2, "rotor excursion " + context);
        Assert.Equal(t.P, (double)m["p"]!);
        Assert.True(Math.Abs(er) < 0.02, "R_s " + context);
        Assert.True(Math.Abs(ed) < 0.02, "L_d " + context);
        Assert.True(Math.Abs(eq) < 0.02, "L_q " + context);
        Assert.True(Math.Abs(ep) < 0.02, "psi_p " + context);
        Assert.True(Math.Abs(ej) < 0.10, "J " + context);
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
    public void CalibrateIdentifiesRandomisedPmsmTwinParameters(int seed)
    {
        var t = TrueParameters(seed);
        var friction = CalibrationTestKit.Friction(seed, 0.1, 0.01);
        string dir = Directory.CreateTempSubdirectory("motorrt-calibrate-pmsm").FullName;
        string config = Config(dir, t, friction: friction);
        string motor = Path.Combine(dir, "motor.json");
        var r = Run(config, motor, []);
        Assert.True(r.Code == 0, r.Out + "\n" + r.Err);
        Assert.Contains(FormattableString.Invariant($"pole pairs {t.P}"), r.Out, StringComparison.Ordinal);
        Assert.Contains("encoder direction +1", r.Out, StringComparison.Ordinal);
        CheckIdentified(JsonNode.Parse(File.ReadAllText(motor))!, t, r.Out, friction);
        // The twin's encoder counts from the d-axis: offset 0 within one count (2π·p/8192 rad electrical).
        Assert.True(Math.Abs(Offset(r.Out)) < 2 * Math.PI * t.P / 8192, r.Out);
        Directory.Delete(dir, true);
    }

    private static double Offset(string stdout) => CalibrationTestKit.Offset(stdout);

    private static (int Code, string Out, string Err) RunWith(string config, string motor, Action<MotorRT.Sim.Rig.SimulatedRig> fault) => CalibrationTestKit.RunWith(config, motor, fault);

    [Theory]
    [InlineData(300)]
    [InlineData(-1234)]
    public void CalibrateMeasuresAnEncoderMountedOffTheDAxis(int counts)
    {
        // The encoder's zero 'counts' counts away from the d-axis (a glitch before the shaft moves = a mounting offset):
        // the d-axis sits at electrical angle −p·2π·counts/8192 of the encoder; the procedure works in its own frame, so
        // the parameters are still right and the config's offset (0) is named for correction.
        var t = TrueParameters(41);
        string dir = Directory.CreateTempSubdirectory("motorrt-calibrate-pmsm-offset").FullName;
        string config = Config(dir, t);
        string motor = Path.Combine(dir, "motor.json");
        var r = RunWith(config, motor, rig => rig.Sensors.Encoder!.InjectGlitch(counts));
        Assert.True(r.Code == 0, r.Out + r.Err);
        double expected = MotorRT.Contracts.SpaceVector.WrapToPi(-t.P * 2 * Math.PI * counts / 8192);
        double error = MotorRT.Contracts.SpaceVector.WrapToPi(Offset(r.Out) - expected);
        log.WriteLine(FormattableString.Invariant($"offset {Offset(r.Out):F5} rad, expected {expected:F5}, error {error:E2} rad"));
        Assert.True(Math.Abs(error) < 2 * Math.PI * t.P / 8192, r.Out);
        Assert.Contains("note: set sensors.encoder.electrical_angle_offset to", r.Out, StringComparison.Ordinal);
        CheckIdentified(JsonNode.Parse(File.ReadAllText(motor))!, t, r.Out);
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData(2.5)]
    [InlineData(-1.0)]
    [InlineData(3.1)]
    public void CalibrateAlignsARotorThatStartsAwayFromTheFirstVector(double epsilon0)
    {
        // The twin's rotor starts at electrical angle ε₀ while its encoder reads 0: the first vector (at 0) must turn
        // the rotor by ε₀, and the d-axis sits at electrical angle ε₀ of the encoder (the offset to find).
        var t = TrueParameters(49);
        string dir = Directory.CreateTempSubdirectory("motorrt-calibrate-pmsm-eps").FullName;
        string config = Config(dir, t);
        string motor = Path.Combine(dir, "motor.json");
        var r = RunWith(config, motor, rig => rig.Twin!.Reset(double.NaN, [0.0, 0.0, epsilon0]));
        Assert.True(r.Code == 0, r.Out + r.Err);
        double error = MotorRT.Contracts.SpaceVector.WrapToPi(Offset(r.Out) - epsilon0);
        log.WriteLine(FormattableString.Invariant($"ε₀ {epsilon0} rad: offset {Offset(r.Out):F5} rad, error {error:E2} rad"));
        Assert.True(Math.Abs(error) < 2 * Math.PI * t.P / 8192, r.Out);
        CheckIdentified(JsonNode.Parse(File.ReadAllText(motor))!, t, r.Out);
        Directory.Delete(dir, true);
    }

    private static double PrintedGainRatio(string stdout, string channel)
    {
        Match m = Regex.Match(stdout, "current-sensor gains relative to channel a[^:]*: b ([0-9.]+)(?:, c ([0-9.]+))?");
        Assert.True(m.Success, stdout);
        return double.Parse(m.Groups[channel == "b" ? 1 : 2].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void CalibrateMatchesTheCurrentSensorGainsAndSimulateAppliesThem(int phases)
    {
        // The twin's current ADCs read x·(1 + e_k), e_k within ±5 %, with one count of noise: the settled alignments
        // (a DC vector along phase a at standstill: true currents i, −i/2, −i/2) give b's (and c's) gain against a's.
        var t = TrueParameters(50 + phases);
        var rng = new Random(60 + phases);
        double[] e = [.. Enumerable.Range(0, phases).Select(_ => 0.05 * (2 * rng.NextDouble() - 1))];
        string dir = Directory.CreateTempSubdirectory("motorrt-calibrate-pmsm-gains").FullName;
        string config = Config(dir, t);
        CalibrationTestKit.Edit(config, c =>
        {
            c["sensors"]!["current"]!["phases_sensed"] = phases;
            c["rig"]!["sensor_errors"] = new JsonObject
            {
                ["current"] = new JsonArray([.. e.Select(g => (JsonNode)new JsonObject { ["gain_error"] = g, ["noise_counts"] = 1.0 })]),
            };
        });
        string motor = Path.Combine(dir, "motor.json"), sensorsPath = Path.Combine(dir, "sensors.json");
        var r = Run(config, motor, ["--sensors-out", sensorsPath]);
        Assert.True(r.Code == 0, r.Out + r.Err);
        JsonNode sensors = JsonNode.Parse(File.ReadAllText(sensorsPath))!;
        double[] gains = [.. sensors["current"]!["gains"]!.AsArray().Select(g => (double)g!)];
        Assert.Equal(phases, gains.Length);
        Assert.Equal(1.0, gains[0]);
        for (int k = 1; k < phases; k++)
        {
            double expected = (1 + e[k]) / (1 + e[0]);
            log.WriteLine(FormattableString.Invariant($"{phases} sensors: channel {"abc"[k]} true relative gain {expected:F5}, written {gains[k]:F5}: error {gains[k] / expected - 1:P3}"));
            Assert.True(Math.Abs(gains[k] / expected - 1) < 0.002, r.Out);
        }
        // The angle offset goes with it (the twin's encoder counts from the d-axis).
        Assert.True(Math.Abs((double)sensors["encoder"]!["electrical_angle_offset"]!) < 2 * Math.PI * t.P / 8192, r.Out);

        // The written section is the config's sensors record: with it the signal chain reads b (and c) at a's gain.
        CalibrationTestKit.Edit(config, c => c["sensors"] = sensors.DeepClone());
        var again = Run(config, motor, []);
        Assert.True(again.Code == 0, again.Out + again.Err);
        for (int k = 1; k < phases; k++)
        {
            double ratio = PrintedGainRatio(again.Out, k == 1 ? "b" : "c");
            log.WriteLine(FormattableString.Invariant($"{phases} sensors, corrected: channel {"abc"[k]} reads {ratio:F5} of a"));
            Assert.True(Math.Abs(ratio - 1) < 0.002, again.Out);
        }
        // A gain common to all channels is not identifiable: R and L come out over (1 + e_a), ψ_p (a voltage measure) is right.
        JsonNode m = JsonNode.Parse(File.ReadAllText(motor))!;
        double er = (double)m["r_s"]! * (1 + e[0]) / t.R - 1, ep = (double)m["psi_p"]! / t.Psi - 1;
        log.WriteLine(FormattableString.Invariant($"R_s × (1 + e_a) error {er:P2}, psi_p error {ep:P2}"));
        Assert.True(Math.Abs(er) < 0.02 && Math.Abs(ep) < 0.02, again.Out);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void CalibrateFindsAReversedEncoderAndAWrongLineCount()
    {
        var t = TrueParameters(42);
        string dir = Directory.CreateTempSubdirectory("motorrt-calibrate-pmsm-encoder").FullName;
        string config = Config(dir, t);
        string motor = Path.Combine(dir, "motor.json");

        // A/B swapped: found by the field rotation, before any spin; a 2000-line encoder where the config says 2048: the index pulses show it.
        CalibrationTestKit.RefusesAReversedEncoderAndAWrongLineCount(config, motor, 2000);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void ThePolePairsAreCountedNotTakenFromTheConfig()
    {
        // The config's motor section says GEM's p = 3; the machine on the rig has 4 pole pairs.
        var t = TrueParameters(46) with { P = 4 };
        string dir = Directory.CreateTempSubdirectory("motorrt-calibrate-pmsm-p").FullName;
        string config = Config(dir, t);
        JsonNode cfg = JsonNode.Parse(File.ReadAllText(config))!;
        cfg["motor"] = JsonNode.Parse("""
            { "type": "pmsm", "r_s": 0.018, "l_d": 3.7e-4, "l_q": 1.2e-3, "psi_p": 0.066, "p": 3, "j_rotor": 0.03883,
              "limits": { "current": 400, "voltage": 150, "speed": 418.879, "torque": 160 } }
            """);
        File.WriteAllText(config, cfg.ToJsonString());
        string motor = Path.Combine(dir, "motor.json");
        var r = Run(config, motor, []);
        Assert.True(r.Code == 0, r.Out + r.Err);
        Assert.Contains("pole pairs 4 (motor: 3)", r.Out, StringComparison.Ordinal);
        CheckIdentified(JsonNode.Parse(File.ReadAllText(motor))!, t, r.Out);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void OtherThreePhaseMachinesAreRefusedWithExit2()
    {
        string dir = Directory.CreateTempSubdirectory("motorrt-calibrate-eesm").FullName;
        string config = Config(dir, TrueParameters(47));
        JsonNode cfg = JsonNode.Parse(File.ReadAllText(config))!;
        cfg["plant"] = JsonNode.Parse("""{ "preset": "Cont-SC-EESM-v0" }""");
        File.WriteAllText(config, cfg.ToJsonString());
        var r = Run(config, Path.Combine(dir, "motor.json"), []);
        Assert.True(r.Code == 2, r.Out + r.Err);
        Assert.Contains("motor.type", r.Err, StringComparison.Ordinal);
        Assert.Contains("permex-dc, pmsm or synrm", r.Err, StringComparison.Ordinal);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void CalibratePmsmWhoseCurrentExceedsTheSupervisorLimitExits3()
    {
        string dir = Directory.CreateTempSubdirectory("motorrt-calibrate-pmsm").FullName;
        string config = Config(dir, TrueParameters(43), phaseCurrentLimit: 60);
        var stderr = new StringWriter();
        int code = CalibrateCommand.Run(config, Path.Combine(dir, "motor.json"), 0, 0, 0, new StringWriter(), stderr);
        Assert.Equal(3, code);
        Assert.Contains("FAULT", stderr.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir, "motor.json")));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void CalibratePmsmOnTheEmulatedRaspberryPiRigIdentifiesTheTwin()
    {
        // rig.type raspberry-pi (three_phase, emulate): PWM, GPIO, SPI ADC and encoder pins over the twin of rig.sim.
        var t = TrueParameters(44);
        string dir = Directory.CreateTempSubdirectory("motorrt-calibrate-pmsm-pi").FullName;
        string config = Config(dir, t);
        JsonNode cfg = JsonNode.Parse(File.ReadAllText(config))!;
        cfg["rig"] = JsonNode.Parse(CalibrationTestKit.EmulatedPiRig(threePhase: true));
        File.WriteAllText(config, cfg.ToJsonString());
        string motor = Path.Combine(dir, "motor.json");
        var r = Run(config, motor, []);
        Assert.True(r.Code == 0, r.Out + "\n" + r.Err);
        Assert.Contains("pi", r.Out.Split('\n')[0], StringComparison.OrdinalIgnoreCase);
        CheckIdentified(JsonNode.Parse(File.ReadAllText(motor))!, t, r.Out);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void CalibratePmsmOverHilIdentifiesTheTwin()
    {
        // --rig hil: the config's simulated rig behind an in-process plant server, driven over UDP by the remote rig.
        var t = TrueParameters(48);
        string dir = Directory.CreateTempSubdirectory("motorrt-calibrate-pmsm-hil").FullName;
        string config = Config(dir, t);
        string motor = Path.Combine(dir, "motor.json");
        var r = Run(config, motor, ["--rig", "hil"]);
        Assert.True(r.Code == 0, r.Out + "\n" + r.Err);
        Assert.Contains("remote", r.Out.Split('\n')[0], StringComparison.OrdinalIgnoreCase);
        CheckIdentified(JsonNode.Parse(File.ReadAllText(motor))!, t, r.Out);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void TheWrittenPmsmSectionLoadsInSimulateTuneAndMpcBuild()
    {
        var t = TrueParameters(45);
        string dir = Directory.CreateTempSubdirectory("motorrt-calibrate-pmsm").FullName;
        string config = Config(dir, t);
        string motor = Path.Combine(dir, "motor.json");
        var r = Run(config, motor, []);
        Assert.True(r.Code == 0, r.Out + r.Err);
        JsonNode m = JsonNode.Parse(File.ReadAllText(motor))!;
        CalibrationTestKit.AcceptedBySimulateAndTune(dir, config, m);
        string withMotor = Path.Combine(dir, "with-motor.json");

        // The dq-current law at horizon 1 (the default horizon 3 takes minutes).
        var mpcErr = new StringWriter();
        int mpc = MpcCommand.Build(withMotor, new MpcCommand.BuildArguments { Horizon = 1, VerifySamples = 1000 }, Path.Combine(dir, "law.json"), TextWriter.Null, mpcErr);
        Assert.True(mpc == 0, mpcErr.ToString());
        Assert.True(File.Exists(Path.Combine(dir, "law.json")));
        Directory.Delete(dir, true);
    }
}

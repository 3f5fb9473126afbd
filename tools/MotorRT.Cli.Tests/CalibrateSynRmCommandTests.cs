using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace MotorRT.Cli.Tests;

/// <summary>
/// <c>motorrt calibrate</c> of a synchronous reluctance machine on the twin (the PMSM procedure with ψ_p = 0): GEM's
/// default SynRM and randomised true parameters identified; pole pairs and encoder direction found.
/// </summary>
public class CalibrateSynRmCommandTests(ITestOutputHelper log)
{
    /// <summary>GEM's default SynRM (Cont-CC-SynRM-v0): R_s, L_d, L_q, J, p.</summary>
    private static readonly (double R, double Ld, double Lq, double J, int P) Gem = (0.57, 0.0101, 0.0041, 8e-4, 4);

    /// <summary>The twin's true SynRM for a seed: GEM's SynRM with R_s, L_d, L_q ±30 % (L_d &gt; L_q holds: 0.0071 &gt; 0.0053), J ±50 %, p 3 or 4.</summary>
    internal static (double R, double Ld, double Lq, double J, int P) TrueParameters(int seed)
    {
        var rng = new Random(seed);
        double Around(double v, double f) => v * (1 + f * (2 * rng.NextDouble() - 1));
        return (Around(Gem.R, 0.3), Around(Gem.Ld, 0.3), Around(Gem.Lq, 0.3), Around(Gem.J, 0.5), seed % 3 == 0 ? 3 : 4);
    }

    /// <summary>examples/pmsm-speed.json on the Cont-CC-SynRM-v0 preset with light friction, no load inertia and the given true machine.</summary>
    internal static string Config(string dir, (double R, double Ld, double Lq, double J, int P) t)
    {
        JsonNode root = CalibrationTestKit.Example("pmsm-speed.json", new JsonObject { ["r_s"] = t.R, ["l_d"] = t.Ld, ["l_q"] = t.Lq, ["j_rotor"] = t.J, ["p"] = t.P },
            (0.01, 0.0001), 20, vectorLimit: true);
        root["plant"]!["preset"] = "Cont-CC-SynRM-v0";
        // A current sensor for an 18 A machine (±20 A over 12 bits); the example's 0.25 A per count is for GEM's 400 A PMSM.
        root["sensors"]!["current"]!["amperes_per_count"] = 0.01;
        return CalibrationTestKit.Write(dir, root);
    }

    private static (int Code, string Out, string Err) Run(string config, string motor, Action<MotorRT.Sim.Rig.SimulatedRig>? before, string[]? extra = null) =>
        before is null ? CalibrationTestKit.Run(config, motor, extra ?? []) : CalibrationTestKit.RunWith(config, motor, before);

    private static double Offset(string stdout) => CalibrationTestKit.Offset(stdout);

    private string CalibrateAndCheck((double R, double Ld, double Lq, double J, int P) t, string name, Action<MotorRT.Sim.Rig.SimulatedRig>? before = null, string[]? extra = null,
        string? rig = null)
    {
        string dir = Directory.CreateTempSubdirectory("motorrt-calibrate-synrm-" + name).FullName;
        string config = Config(dir, t);
        if (rig is not null)
        {
            JsonNode c = JsonNode.Parse(File.ReadAllText(config))!;
            c["rig"] = JsonNode.Parse(rig);
            File.WriteAllText(config, c.ToJsonString());
        }
        string motor = Path.Combine(dir, "motor.json");
        var r = Run(config, motor, before, extra);
        Assert.True(r.Code == 0, r.Out + "\n" + r.Err);
        JsonNode m = JsonNode.Parse(File.ReadAllText(motor))!;
        double er = (double)m["r_s"]! / t.R - 1, ed = (double)m["l_d"]! / t.Ld - 1, eq = (double)m["l_q"]! / t.Lq - 1, ej = (double)m["j_rotor"]! / t.J - 1;
        string context = FormattableString.Invariant($"{name}: true r {t.R:G4} ld {t.Ld:G4} lq {t.Lq:G4} j {t.J:G4} p {t.P}; errors R {er:P3} Ld {ed:P3} Lq {eq:P3} J {ej:P2}");
        log.WriteLine(context);
        log.WriteLine(r.Out);
        context += "\n" + r.Out;
        Assert.Equal("synrm", (string?)m["type"]);
        Assert.Contains(FormattableString.Invariant($"pole pairs {t.P}"), r.Out, StringComparison.Ordinal);
        Assert.Contains("encoder direction +1", r.Out, StringComparison.Ordinal);
        Assert.Equal(t.P, (double)m["p"]!);
        Assert.Equal(0.0, (double?)m["psi_p"] ?? 0.0);
        Assert.True(Math.Abs(er) < 0.02, "R_s " + context);
        Assert.True(Math.Abs(ed) < 0.02, "L_d " + context);
        Assert.True(Math.Abs(eq) < 0.02, "L_q " + context);
        Assert.True(Math.Abs(ej) < 0.10, "J " + context);
        Assert.Equal(18.0, (double)m["limits"]!["current"]!);
        // The written section is a SynRM that simulate (FOC speed loop, no fault) and tune accept.
        CalibrationTestKit.AcceptedBySimulateAndTune(dir, config, m, """{ "speed": { "type": "steps", "times": [0.0, 0.02], "values": [0.0, 50.0] } }""");
        Directory.Delete(dir, true);
        return r.Out;
    }

    [Fact]
    public void CalibrateIdentifiesGemsDefaultSynRm()
    {
        string stdout = CalibrateAndCheck(Gem, "gem");
        // The twin's encoder counts from the d-axis: offset 0 within one count (2π·p/8192 rad electrical).
        Assert.True(Math.Abs(Offset(stdout)) < 2 * Math.PI * Gem.P / 8192, stdout);
    }

    [Theory]
    [InlineData(2.5)]
    [InlineData(-1.0)]
    public void CalibrateAlignsASynRmRotorThatStartsAwayFromTheFirstVector(double epsilon0)
    {
        // The rotor starts at electrical angle ε₀ while its encoder reads 0. The reluctance torque turns the d-axis to
        // the nearer of the vector's two directions (the rotor is the same after half an electrical turn), so the
        // offset found is ε₀ modulo π (either is a right sensors.encoder.electrical_angle_offset); the note names it.
        var t = TrueParameters(4);
        string stdout = CalibrateAndCheck(t, "eps", rig => rig.Twin!.Reset(double.NaN, [0.0, 0.0, epsilon0]));
        double error = 0.5 * MotorRT.Contracts.SpaceVector.WrapToPi(2 * (Offset(stdout) - epsilon0));
        log.WriteLine(FormattableString.Invariant($"ε₀ {epsilon0} rad: offset {Offset(stdout):F5} rad, error (mod π) {error:E2} rad"));
        Assert.True(Math.Abs(error) < 2 * Math.PI * t.P / 8192, stdout);
        Assert.Contains("note: set sensors.encoder.electrical_angle_offset to", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void CalibrateIdentifiesRandomisedSynRmTwinParameters(int seed) => CalibrateAndCheck(TrueParameters(seed), "seed" + seed);

    [Fact]
    public void CalibrateSynRmOverHilIdentifiesTheTwin()
    {
        // --rig hil: the config's simulated rig behind an in-process plant server, driven over UDP by the remote rig.
        string stdout = CalibrateAndCheck(TrueParameters(6), "hil", extra: ["--rig", "hil"]);
        Assert.Contains("remote", stdout.Split('\n')[0], StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void CalibrateSynRmOnTheEmulatedRaspberryPiRigIdentifiesTheTwin()
    {
        // rig.type raspberry-pi (three_phase, emulate): PWM, GPIO, SPI ADC and encoder pins over the twin of rig.sim.
        string stdout = CalibrateAndCheck(TrueParameters(7), "pi", rig: CalibrationTestKit.EmulatedPiRig(threePhase: true));
        Assert.Contains("pi", stdout.Split('\n')[0], StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void CalibrateFindsAReversedEncoderAndAWrongLineCountOnASynRm()
    {
        var t = TrueParameters(5);
        string dir = Directory.CreateTempSubdirectory("motorrt-calibrate-synrm-encoder").FullName;
        string config = Config(dir, t);
        string motor = Path.Combine(dir, "motor.json");

        // A/B swapped: found by the field rotation, before any spin; a 2000-line encoder where the config says 2048: the index pulses show it.
        CalibrationTestKit.RefusesAReversedEncoderAndAWrongLineCount(config, motor, 2000);
        Directory.Delete(dir, true);
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MotorRT.Cli.Calibration;
using MotorRT.Cli.Commands;

namespace MotorRT.Cli.Tests;

/// <summary>
/// The set-up the DC, PMSM and SynRM <c>motorrt calibrate</c> tests share: an example config with the twin's true
/// machine and a randomised polynomial load (friction), the runs, the parse of the printed figures, and the check that
/// the written section loads in <c>simulate</c> and <c>tune</c>.
/// </summary>
internal static class CalibrationTestKit
{
    /// <summary>The emulated Raspberry Pi rig over the twin (PWM, GPIO, SPI ADC and encoder pins): DC, or three-phase.</summary>
    internal static string EmulatedPiRig(bool threePhase) => threePhase
        ? """
            { "type": "raspberry-pi", "machine": "three_phase", "emulate": true,
              "pwm": { "frequency_hz": 10000, "channels": [0, 1, 2] },
              "gpio": { "enable_pin": 22, "gate_fault_pin": 23, "overcurrent_pin": 24 },
              "encoder": { "source": "gpio", "pin_a": 17, "pin_b": 27, "pin_z": 5 },
              "adc": { "type": "mcp3208", "clock_hz": 2000000, "current_channels": [0, 1], "dc_link_channel": 3 },
              "sim": { "type": "sim", "pwm_delay_periods": 1, "bridge_off": "diode_freewheel" } }
            """
        : """
            { "type": "raspberry-pi", "machine": "dc", "emulate": true,
              "pwm": { "frequency_hz": 10000, "channels": [0, 1] },
              "gpio": { "enable_pin": 22, "gate_fault_pin": 23, "overcurrent_pin": 24 },
              "encoder": { "source": "gpio", "pin_a": 17, "pin_b": 27, "pin_z": 5 },
              "adc": { "type": "mcp3208", "clock_hz": 2000000, "current_channels": [0], "dc_link_channel": 1 },
              "sim": { "type": "sim", "bridge_off": "diode_freewheel" } }
            """;

    /// <summary>
    /// The shaft friction of the twin for a seed (its own generator: the machine parameters of a seed stay as they were):
    /// Coulomb <paramref name="coulomb"/> and viscous <paramref name="viscous"/> each × [0.5, 2].
    /// </summary>
    internal static (double Coulomb, double Viscous) Friction(int seed, double coulomb, double viscous)
    {
        var rng = new Random(seed + 7919);
        return (coulomb * Math.Pow(2, 2 * rng.NextDouble() - 1), viscous * Math.Pow(2, 2 * rng.NextDouble() - 1));
    }

    /// <summary>
    /// examples/<paramref name="example"/> (comments and $schema dropped) with a polynomial load of the given friction and
    /// no load inertia, the true machine as <c>plant.motor_parameter</c>, and the supervisor's current limits.
    /// </summary>
    internal static JsonNode Example(string example, JsonObject machine, (double Coulomb, double Viscous) friction, double phaseCurrentLimit, bool vectorLimit)
    {
        string text = Regex.Replace(File.ReadAllText(ExampleFiles.Path(example)), @"^\s*//.*$", "", RegexOptions.Multiline);
        JsonNode root = JsonNode.Parse(text)!;
        root.AsObject().Remove("$schema");
        root["plant"]!["load"] = new JsonObject { ["type"] = "polynomial", ["a"] = friction.Coulomb, ["b"] = friction.Viscous, ["c"] = 0.0, ["j_load"] = 0.0 };
        root["plant"]!["motor_parameter"] = machine;
        root["limits"]!["phase_current"] = phaseCurrentLimit;
        if (vectorLimit) root["limits"]!["vector_current"] = phaseCurrentLimit;
        return root;
    }

    /// <summary>Writes <paramref name="root"/> as <c>calibrate.json</c> in <paramref name="dir"/>; returns its path.</summary>
    internal static string Write(string dir, JsonNode root)
    {
        string path = Path.Combine(dir, "calibrate.json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    /// <summary>Rewrites the config at <paramref name="path"/> through <paramref name="edit"/>.</summary>
    internal static void Edit(string path, Action<JsonNode> edit)
    {
        JsonNode cfg = JsonNode.Parse(File.ReadAllText(path))!;
        edit(cfg);
        File.WriteAllText(path, cfg.ToJsonString());
    }

    /// <summary><c>motorrt calibrate config -o motor extra…</c>; the exit code and both outputs.</summary>
    internal static (int Code, string Out, string Err) Run(string config, string motor, params string[] extra)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Program.Run(["calibrate", config, "-o", motor, .. extra], o, e);
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>The calibration with <paramref name="before"/> applied to the simulated rig once it is open (rig faults).</summary>
    internal static (int Code, string Out, string Err) RunWith(string config, string motor, Action<MotorRT.Sim.Rig.SimulatedRig> before)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CalibrateCommand.Run(config, motor, 0, 0, 0, o, e, false, false, rig => before((MotorRT.Sim.Rig.SimulatedRig)rig.Rig));
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>
    /// A/B swapped, then an encoder of <paramref name="fittedLines"/> lines where the config says another count: each run
    /// exits 3 naming the sensors.encoder fix and writes nothing.
    /// </summary>
    internal static void RefusesAReversedEncoderAndAWrongLineCount(string config, string motor, int fittedLines)
    {
        var reversed = RunWith(config, motor, rig => rig.Sensors.Encoder!.Reversed = true);
        Assert.True(reversed.Code == 3, reversed.Out + reversed.Err);
        Assert.Contains("encoder direction -1", reversed.Out, StringComparison.Ordinal);
        Assert.Contains("set sensors.encoder.direction to -1", reversed.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(motor));

        var lines = RunWith(config, motor, rig => rig.Sensors.Encoder!.FittedLinesPerRevolution = fittedLines);
        Assert.True(lines.Code == 3, lines.Out + lines.Err);
        Assert.Contains(FormattableString.Invariant($"the encoder gives {4 * fittedLines} counts per revolution"), lines.Err, StringComparison.Ordinal);
        Assert.Contains(FormattableString.Invariant($"set sensors.encoder.lines_per_revolution to {fittedLines}"), lines.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(motor));
    }

    /// <summary>The printed electrical angle offset, in rad.</summary>
    internal static double Offset(string stdout)
    {
        Match m = Regex.Match(stdout, @"electrical angle offset (-?[0-9.]+) rad");
        Assert.True(m.Success, stdout);
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>The printed spin speed of the run, in rad/s.</summary>
    internal static double SpinSpeed(string stdout)
    {
        Match m = Regex.Match(stdout, @"spin speed ([0-9.eE+-]+) rad/s");
        Assert.True(m.Success, stdout);
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Relative error of the section's <paramref name="field"/> against <paramref name="truth"/> (dimensionless).</summary>
    internal static double Error(JsonNode section, string field, double truth) => (double)section[field]! / truth - 1;

    /// <summary>
    /// The written friction against the twin's load: relative errors of the Coulomb and the viscous part, and the
    /// largest friction-torque error over the speeds the calibration ran (0 to <paramref name="speed"/>) relative to the
    /// true torque there (dimensionless).
    /// </summary>
    internal static (double Coulomb, double Viscous, double Torque) FrictionErrors(JsonNode section, (double Coulomb, double Viscous) truth, double speed)
    {
        double tc = (double?)section["friction_coulomb"] ?? 0, b = (double?)section["friction_viscous"] ?? 0;
        double worst = 0;
        for (int k = 0; k <= 10; k++)
        {
            double w = speed * k / 10;
            worst = Math.Max(worst, Math.Abs(tc + b * w - (truth.Coulomb + truth.Viscous * w)) / (truth.Coulomb + truth.Viscous * w));
        }
        return (tc / truth.Coulomb - 1, b / truth.Viscous - 1, worst);
    }

    /// <summary>
    /// A config carrying <paramref name="section"/> as its motor (0.1 s; the reference replaced when given) runs in
    /// <c>simulate</c> without a fault and in <c>tune</c>.
    /// </summary>
    internal static void AcceptedBySimulateAndTune(string dir, string config, JsonNode section, string? reference = null)
    {
        JsonNode cfg = JsonNode.Parse(File.ReadAllText(config))!;
        cfg["motor"] = section.DeepClone();
        cfg["timing"]!["duration"] = 0.1;
        if (reference is not null) cfg["reference"] = JsonNode.Parse(reference);
        string withMotor = Path.Combine(dir, "with-motor.json");
        File.WriteAllText(withMotor, cfg.ToJsonString());
        var simErr = new StringWriter();
        Assert.True(SimulateCommand.Run(withMotor, Path.Combine(dir, "sim"), false, TextWriter.Null, simErr) == 0, simErr.ToString());
        using (var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "sim", "summary.json"))))
        {
            Assert.Equal(0, doc.RootElement.GetProperty("faults").GetArrayLength());
        }
        var tuneOut = new StringWriter();
        var tuneErr = new StringWriter();
        Assert.True(Program.Run(["tune", withMotor], tuneOut, tuneErr) == 0, tuneOut + "\n" + tuneErr);
        Assert.Contains("motor section", tuneOut.ToString(), StringComparison.Ordinal);
    }
}

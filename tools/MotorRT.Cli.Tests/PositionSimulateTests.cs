using System.Globalization;
using System.Text.Json;
using MotorRT.Cli.Commands;

namespace MotorRT.Cli.Tests;

/// <summary>
/// The position examples through <c>motorrt simulate</c> and <c>motorrt tune</c>: the trace carries the position
/// reference and the measured (unwrapped) position, config errors exit 2 naming the field, tune prints the position
/// loop's design. The step-response and rig-vs-sim figures are hil-tests/MotorRT.HilTests/PositionClosedLoopTests.
/// </summary>
[Collection("simulate-gc")]
public class PositionSimulateTests
{
    [Theory]
    [InlineData("pmsm-position.json", 15000, 20.0, -5.0)]
    [InlineData("pmdc-position-moteus.json", 2400, 20.0, -5.0)]
    public void Position_examples_run_and_trace_reference_and_measured_position(string example, long ticks, double peak, double last)
    {
        string outDir = Path.Combine(Directory.CreateTempSubdirectory("motorrt-position").FullName, "run");
        var stderr = new StringWriter();
        Assert.True(SimulateCommand.Run(ExampleFiles.Path(example), outDir, false, TextWriter.Null, stderr) == 0, stderr.ToString());
        using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json"))))
        {
            JsonElement s = doc.RootElement;
            Assert.Equal(ticks, s.GetProperty("ticks").GetInt64());
            Assert.Equal(0, s.GetProperty("faults").GetArrayLength());
            Assert.Equal(0, s.GetProperty("allocated_bytes_after_warmup").GetInt64());
        }
        string[] lines = File.ReadAllLines(Path.Combine(outDir, "trace.csv"));
        string[] header = lines[0].Split(',');
        int reference = Array.IndexOf(header, "ref_position"), position = Array.IndexOf(header, "position"), angle = Array.IndexOf(header, "theta_mech");
        Assert.True(reference >= 0 && position >= 0 && angle >= 0, lines[0]);
        double max = double.NegativeInfinity, final = 0, maxAngle = 0;
        foreach (string line in lines.Skip(1))
        {
            string[] c = line.Split(',');
            double p = double.Parse(c[position], CultureInfo.InvariantCulture);
            max = Math.Max(max, p);
            maxAngle = Math.Max(maxAngle, double.Parse(c[angle], CultureInfo.InvariantCulture));
            final = p;
        }
        Assert.InRange(max, peak - 0.1, peak + 0.1);             // unwrapped: 20 rad, over three turns
        Assert.True(maxAngle < 2 * Math.PI, "theta_mech stays wrapped");
        Assert.InRange(final, last - 0.2, last + 0.2);
        Assert.Equal(last, double.Parse(lines[^1].Split(',')[reference], CultureInfo.InvariantCulture));
        Directory.Delete(Path.GetDirectoryName(outDir)!, true);
    }

    [Theory]
    [InlineData("\"position\": { \"type\": \"steps\"", "\"speed\": { \"type\": \"steps\"", "reference.position")]
    [InlineData("\"position\": { \"speed_limit\": 200 }", "\"position\": { \"speed_limit\": 200, \"kp\": -1 }", "controller.position.kp")]
    [InlineData("\"position\": { \"speed_limit\": 200 }", "\"position\": { \"speed_limit\": 200, \"separation\": 0 }", "controller.position.separation")]
    public void Position_config_errors_exit_two_naming_the_field(string find, string replacement, string field)
    {
        string text = File.ReadAllText(ExampleFiles.Path("pmsm-position.json"));
        Assert.Contains(find, text);
        string cfg = ExampleFiles.WriteTemp("position-bad", text.Replace(find, replacement, StringComparison.Ordinal));
        var stderr = new StringWriter();
        string outDir = Path.Combine(Path.GetTempPath(), $"motorrt-position-{Guid.NewGuid():N}");
        Assert.Equal(2, SimulateCommand.Run(cfg, outDir, false, TextWriter.Null, stderr));
        Assert.Contains(cfg, stderr.ToString());
        Assert.Contains(field, stderr.ToString());
        Assert.DoesNotContain("   at ", stderr.ToString());   // no stack trace
        File.Delete(cfg);
    }

    [Theory]
    [InlineData("pmsm-position.json", "speed: K_p")]
    [InlineData("pmdc-position-moteus.json", "the drive board's")]
    public void Tune_prints_the_position_loop_design(string example, string speedLine)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.True(TuneCommand.Run(ExampleFiles.Path(example), output, error) == 0, error.ToString());
        string o = output.ToString();
        Assert.Contains(speedLine, o);
        Assert.Contains("position loop: plant 1/s on the speed reference", o);
        Assert.Contains("K_p = ω_ω/N = 1/(N·T_ω)", o);
        Assert.Contains("damping ζ", o);
        Assert.Contains("position: K_p = ", o);
    }
}

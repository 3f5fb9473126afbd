using System.Globalization;
using System.Text.Json;
using MotorRT.Cli.Commands;
using MotorRT.Sim.Testing;

namespace MotorRT.Cli.Tests;

/// <summary>
/// <c>motorrt simulate</c> on the emulated ODrive (examples/pmdc-speed-odrive.json: 1 kHz speed loop, torque
/// set-points over CANSimple through the in-process socket pair, the board's 10 kHz current loop over the twin)
/// against the simulated rig (examples/pmdc-speed-sim.json: the same plant and reference, cascaded PI with duties at
/// 10 kHz). Stated tolerance (firmware-host/README.md, CAN rigs): speed RMS difference ≤ 3 rad/s and largest
/// difference ≤ 10 rad/s (≤ 7 % of the largest reference step, 150 rad/s) over the whole 1.5 s run.
/// </summary>
[Collection("simulate-gc")]
public class CanRigSimulateTests
{
    [Fact]
    public void OdriveSpeedLoopTracksTheSimulatedRigWithinTolerance()
    {
        string dir = Directory.CreateTempSubdirectory("motorrt-odrive").FullName;
        Dictionary<long, double> Run(string example, long ticks)
        {
            string outDir = Path.Combine(dir, example);
            var stderr = new StringWriter();
            int code = SimulateCommand.Run(ExampleFiles.Path(example), outDir, false, TextWriter.Null, stderr);
            Assert.True(code == 0, stderr.ToString());
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
            JsonElement s = doc.RootElement;
            Assert.Equal(ticks, s.GetProperty("ticks").GetInt64());
            Assert.Equal(0, s.GetProperty("faults").GetArrayLength());
            Assert.Equal(0, s.GetProperty("allocated_bytes_after_warmup").GetInt64());
            Assert.Equal(0, s.GetProperty("gc_collections_during_run").GetInt32());
            string[] lines = File.ReadAllLines(Path.Combine(outDir, "trace.csv"));
            int time = Array.IndexOf(lines[0].Split(','), "time"), omega = Array.IndexOf(lines[0].Split(','), "omega");
            var speed = new Dictionary<long, double>();
            foreach (string line in lines.Skip(1))
            {
                string[] c = line.Split(',');
                speed[(long)Math.Round(double.Parse(c[time], CultureInfo.InvariantCulture) * 1e6)] = double.Parse(c[omega], CultureInfo.InvariantCulture);
            }
            return speed;
        }
        Dictionary<long, double> odrive = Run("pmdc-speed-odrive.json", 1500);
        Dictionary<long, double> sim = Run("pmdc-speed-sim.json", 15000);
        (double max, double rms, int n) = TraceDifference.Of(odrive, sim);
        Assert.Equal(1500, n);
        Assert.True(rms <= 3.0, $"speed RMS difference {rms:F3} rad/s");
        Assert.True(max <= 10.0, $"largest speed difference {max:F3} rad/s");
        Directory.Delete(dir, true);
    }

    [Fact]
    public void MoteusSpeedLoopRunsThroughSimulateWithoutFaultsOrAllocation()
    {
        // examples/moteus-speed.json through motorrt simulate (the comparison with the ODrive and sim rigs, tick by tick,
        // is hil-tests/MotorRT.HilTests/Can/MoteusClosedLoopTests).
        string outDir = Path.Combine(Directory.CreateTempSubdirectory("motorrt-moteus").FullName, "run");
        var stderr = new StringWriter();
        Assert.True(SimulateCommand.Run(ExampleFiles.Path("moteus-speed.json"), outDir, false, TextWriter.Null, stderr) == 0, stderr.ToString());
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        JsonElement s = doc.RootElement;
        Assert.Equal(1500, s.GetProperty("ticks").GetInt64());
        Assert.Equal(0, s.GetProperty("faults").GetArrayLength());
        Assert.Equal(0, s.GetProperty("allocated_bytes_after_warmup").GetInt64());
        Directory.Delete(Path.GetDirectoryName(outDir)!, true);
    }

    [Fact]
    public void InnerStepsNotMatchingTheLoopRateExitsTwoNamingTheField()
    {
        string text = File.ReadAllText(ExampleFiles.Path("pmdc-speed-odrive.json")).Replace("\"inner_steps\": 10", "\"inner_steps\": 5");
        string cfg = ExampleFiles.WriteTemp("odrive-steps", text);
        var stderr = new StringWriter();
        int code = SimulateCommand.Run(cfg, Path.Combine(Path.GetTempPath(), $"motorrt-odrive-{Guid.NewGuid():N}"), false, TextWriter.Null, stderr);
        Assert.Equal(2, code);
        Assert.Contains("rig.inner_steps", stderr.ToString());
        Assert.Contains("frequency_hz", stderr.ToString());
        File.Delete(cfg);
    }
}

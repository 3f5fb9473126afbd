using System.Text.Json;
using MotorRT.Cli.Commands;

namespace MotorRT.Cli.Tests;

[CollectionDefinition("simulate-gc", DisableParallelization = true)]
public class SimulateGcCollection
{
}

/// <summary>Runs alone: the summary asserts zero collections in the whole process.</summary>
[Collection("simulate-gc")]
public class SimulateCommandTests
{
    private static string Root => ExampleFiles.Root;

    /// <summary>The example with a shorter duration and, optionally, ADC noise on the simulated sensors.</summary>
    private static string Variant(string example, string dir, double duration, double noiseCounts = 0, string name = "cfg.json")
    {
        string text = File.ReadAllText(Path.Combine(Root, "examples", example));
        text = System.Text.RegularExpressions.Regex.Replace(text, "\"duration\": [0-9.]+", $"\"duration\": {duration}");
        if (noiseCounts > 0)
        {
            text = text.Replace("\"bridge_off\": \"diode_freewheel\" }",
                $$"""
                "bridge_off": "diode_freewheel", "sensor_errors": { "current": [ { "noise_counts": {{noiseCounts}} } ], "dc_link": { "noise_counts": 1 } } }
                """);
        }
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void PmdcExampleRunsCleanAndWritesEverything()
    {
        string dir = Directory.CreateTempSubdirectory("motorrt-sim").FullName;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = SimulateCommand.Run(Variant("pmdc-current.json", dir, 0.4), Path.Combine(dir, "out"), true, stdout, stderr);
        Assert.True(code == 0, stdout + "\n" + stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "out", "summary.json")));
        JsonElement s = doc.RootElement;
        Assert.Equal(4000, s.GetProperty("ticks").GetInt64());
        Assert.Equal(0, s.GetProperty("faults").GetArrayLength());
        Assert.Equal(0, s.GetProperty("gc_collections_during_run").GetInt32());
        Assert.Equal(0, s.GetProperty("allocated_bytes_after_warmup").GetInt64());
        Assert.Equal(0, s.GetProperty("telemetry").GetProperty("dropped").GetInt64());
        foreach (string key in new[] { "p50", "p99", "p999", "max" }) Assert.True(s.GetProperty("jitter_us").TryGetProperty(key, out _));
        foreach (string key in new[] { "p50", "p99", "max" }) Assert.True(s.GetProperty("tick_compute_ns").GetProperty(key).GetDouble() > 0);
        JsonElement current = s.GetProperty("tracking").GetProperty("current");
        Assert.True(current.GetProperty("rmse").GetDouble() < 3.0, current.ToString());
        Assert.Equal(4001, File.ReadAllLines(Path.Combine(dir, "out", "trace.csv")).Length);
        foreach (string png in new[] { "currents.png", "speed.png", "duty.png" })
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(dir, "out", png));
            Assert.True(bytes.Length > 10_000);
            Assert.Equal(0x89, bytes[0]);   // PNG signature
        }
        Directory.Delete(dir, true);
    }

    [Fact]
    public void RigHilServesTheTwinThroughAPlantServerAndTracksLikeTheSimRig()
    {
        // the same example over UDP through the in-process plant server (lock-step): a clean run, same tracking
        string dir = Directory.CreateTempSubdirectory("motorrt-hil").FullName;
        string cfg = Variant("pmdc-current.json", dir, 0.2);
        double Rmse(string name, MotorRT.Cli.Simulate.Simulation.RigMode mode)
        {
            var stderr = new StringWriter();
            int code = SimulateCommand.Run(cfg, Path.Combine(dir, name), false, TextWriter.Null, stderr, mode);
            Assert.True(code == 0, stderr.ToString());
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, name, "summary.json")));
            JsonElement s = doc.RootElement;
            Assert.Equal(2000, s.GetProperty("ticks").GetInt64());
            Assert.Equal(0, s.GetProperty("faults").GetArrayLength());
            Assert.Equal(0, s.GetProperty("telemetry").GetProperty("dropped").GetInt64());
            return s.GetProperty("tracking").GetProperty("current").GetProperty("rmse").GetDouble();
        }
        double sim = Rmse("sim", MotorRT.Cli.Simulate.Simulation.RigMode.Config);
        double hil = Rmse("hil", MotorRT.Cli.Simulate.Simulation.RigMode.Hil);
        Assert.True(hil < 3.0, $"hil rmse {hil}");
        Assert.Equal(sim, hil, 6);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void RaspberryPiRigTypeRunsTheExampleOnEmulatedDevices()
    {
        // the example with rig.type raspberry-pi (emulate): PWM, GPIO, SPI ADC and encoder pins over the twin of rig.sim
        string dir = Directory.CreateTempSubdirectory("motorrt-pi").FullName;
        string cfg = Variant("pmdc-current.json", dir, 0.2);
        string text = File.ReadAllText(cfg).Replace(
            "\"rig\": { \"type\": \"sim\", \"sub_steps\": 1, \"pwm_delay_periods\": 1, \"bridge_off\": \"diode_freewheel\" },",
            """
            "rig": { "type": "raspberry-pi", "machine": "dc", "emulate": true,
                     "pwm": { "frequency_hz": 10000, "channels": [0, 1] },
                     "gpio": { "enable_pin": 22, "gate_fault_pin": 23, "overcurrent_pin": 24 },
                     "encoder": { "source": "gpio", "pin_a": 17, "pin_b": 27, "pin_z": 5 },
                     "adc": { "type": "mcp3208", "clock_hz": 2000000, "current_channels": [0], "dc_link_channel": 1 },
                     "sim": { "type": "sim", "bridge_off": "diode_freewheel" } },
            """);
        Assert.Contains("raspberry-pi", text);
        File.WriteAllText(cfg, text);
        var stderr = new StringWriter();
        int code = SimulateCommand.Run(cfg, Path.Combine(dir, "out"), false, TextWriter.Null, stderr);
        Assert.True(code == 0, stderr.ToString());
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "out", "summary.json")));
        JsonElement s = doc.RootElement;
        Assert.Equal(2000, s.GetProperty("ticks").GetInt64());
        Assert.Equal(0, s.GetProperty("faults").GetArrayLength());
        Assert.Contains("pi", s.GetProperty("rig").GetString()!, StringComparison.OrdinalIgnoreCase);
        Assert.True(s.GetProperty("tracking").GetProperty("current").GetProperty("rmse").GetDouble() < 3.0);
        Directory.Delete(dir, true);
    }

    /// <summary>
    /// Every example, run twice in lock-step, writes the same trace.csv byte for byte: nothing measured from the wall
    /// clock (inference time, tick time) reaches the control or the trace columns.
    /// </summary>
    [Theory]
    [InlineData("pmdc-current.json")]
    [InlineData("pmdc-onnx-current.json")]
    [InlineData("pmsm-pwa-current.json")]
    [InlineData("pmsm-speed.json")]
    [InlineData("pmdc-speed-odrive.json")]
    [InlineData("moteus-speed.json")]
    public void EveryExampleGivesByteIdenticalTracesAcrossRuns(string example)
    {
        string dir = Directory.CreateTempSubdirectory("motorrt-determinism").FullName;
        string cfg = Variant(example, dir, 0.1);
        // The variant lives in a temporary folder: point the example's model and law files back at examples/.
        string examples = Path.Combine(Root, "examples").Replace('\\', '/');
        File.WriteAllText(cfg, File.ReadAllText(cfg).Replace("\"models/", $"\"{examples}/models/").Replace("\"laws/", $"\"{examples}/laws/"));
        byte[] Run(string name)
        {
            string outDir = Path.Combine(dir, name);
            var stderr = new StringWriter();
            Assert.True(SimulateCommand.Run(cfg, outDir, false, TextWriter.Null, stderr) == 0, stderr.ToString());
            return File.ReadAllBytes(Path.Combine(outDir, "trace.csv"));
        }
        byte[] a = Run("a"), b = Run("b");
        Assert.True(a.Length > 1000, $"trace of {a.Length} bytes");
        Assert.True(a.AsSpan().SequenceEqual(b), $"{example}: the two traces differ");
        Directory.Delete(dir, true);
    }

    [Fact]
    public void SameSeedGivesByteIdenticalTracesOnTheTwin()
    {
        string dir = Directory.CreateTempSubdirectory("motorrt-seed").FullName;
        string Run(string cfg, string name)
        {
            string outDir = Path.Combine(dir, name);
            Assert.Equal(0, SimulateCommand.Run(cfg, outDir, false, TextWriter.Null, TextWriter.Null));
            return File.ReadAllText(Path.Combine(outDir, "trace.csv"));
        }
        string cfg1 = Variant("pmsm-speed.json", dir, 0.3, noiseCounts: 2, name: "a.json");
        string a = Run(cfg1, "a"), b = Run(cfg1, "b");
        string cfg2 = Path.Combine(dir, "c.json");
        File.WriteAllText(cfg2, File.ReadAllText(cfg1).Replace("\"seed\": 1", "\"seed\": 2"));
        string c = Run(cfg2, "c");
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);   // the seed reaches the sensor noise
        Directory.Delete(dir, true);
    }

    [Fact]
    public void ConfigErrorExitsTwoNamingFileAndField()
    {
        string dir = Directory.CreateTempSubdirectory("motorrt-bad").FullName;
        string cfg = Variant("pmdc-current.json", dir, 0.1);
        File.WriteAllText(cfg, File.ReadAllText(cfg).Replace("\"pll_bandwidth\"", "\"pll_bandwith\""));
        var stderr = new StringWriter();
        Assert.Equal(2, SimulateCommand.Run(cfg, Path.Combine(dir, "out"), false, TextWriter.Null, stderr));
        Assert.Contains(cfg, stderr.ToString());
        Assert.Contains("estimator.pll_bandwith", stderr.ToString());
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));   // nothing ran
        Directory.Delete(dir, true);
    }
}

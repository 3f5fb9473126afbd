using MotorRT.Contracts.Configuration;
using MotorRT.Runtime.Configuration;

namespace MotorRT.Runtime.Tests;

public class ConfigTests
{
    [Fact]
    public void ValidConfigLoadsIntoTypedRecords()
    {
        var c = TestConfigs.Config(TestConfigs.Json());
        Assert.Equal(10_000, c.Timing.Frequency);
        Assert.Equal(1e-4, c.Timing.Period, 12);
        Assert.Equal(0.05, c.Sensors.Current.AmperesPerCount);
        Assert.Equal(1024, c.Sensors.Encoder!.LinesPerRevolution);
        Assert.Equal(Contracts.Machines.MotorType.PermanentlyExcitedDc, c.Motor!.Type);
        Assert.Equal(0.1, c.Motor.ExcitationFlux);
        Assert.Equal(10.0, c.Reference.CurrentD!.At(0.1));
        Assert.Null(c.Reference.Speed);
        Assert.Equal(1000, c.Estimator.PllBandwidth);
    }

    [Fact]
    public void UnknownTopLevelKeyNamesFileAndField()
    {
        var e = Assert.Throws<ConfigException>(() => TestConfigs.Config(TestConfigs.Json(extra: ", \"timming\": {}"), "my.json"));
        Assert.Equal("my.json", e.File);
        Assert.Equal("timming", e.Field);
        Assert.Contains("unknown key", e.Message);
        Assert.Contains("my.json", e.Message);
    }

    [Fact]
    public void UnknownNestedKeyNamesThePath()
    {
        var e = Assert.Throws<ConfigException>(() => TestConfigs.Config(TestConfigs.Json(timing: """{ "frequency": 10000, "perod": 1 }"""), "a.json"));
        Assert.Equal("timing.perod", e.Field);
        var e2 = Assert.Throws<ConfigException>(() => TestConfigs.Config(TestConfigs.Json(limits: """{ "phase_curent": 10 }""")));
        Assert.Equal("limits.phase_curent", e2.Field);
    }

    [Theory]
    [InlineData("""{ "frequency": 100 }""", "timing.frequency")]
    [InlineData("""{ "frequency": 10000, "fifo_priority": 120 }""", "timing.fifo_priority")]
    [InlineData("""{ "frequency": 10000, "mode": "fast" }""", "timing.mode")]
    [InlineData("""{ "frequency": 10000, "mode": "lock-step", "duration": 0 }""", "timing.duration")]
    [InlineData("""{ "frequency": 20000, "spin_time": 25e-6 }""", "timing.spin_time")]
    public void OutOfRangeTimingNamesTheField(string timing, string field)
    {
        var e = Assert.Throws<ConfigException>(() => TestConfigs.Config(TestConfigs.Json(timing: timing), "cfg.json"));
        Assert.Equal(field, e.Field);
        Assert.Equal("cfg.json", e.File);
        Assert.False(string.IsNullOrWhiteSpace(e.Fix));
    }

    [Theory]
    [InlineData(5_000, null, 50e-6)]       // default spin fits a 200 µs period
    [InlineData(10_000, null, 25e-6)]      // a quarter of the 100 µs period
    [InlineData(20_000, null, 12.5e-6)]    // default capped at a quarter of the 50 µs period
    [InlineData(20_000, 20e-6, 20e-6)]     // an explicit spin below half the period is kept
    public void SpinTimeDefaultsToAQuarterPeriodAtMost(double frequency, double? spin, double expected)
    {
        string s = spin is double v ? $", \"spin_time\": {v.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "";
        var c = TestConfigs.Config(TestConfigs.Json(timing: $"{{ \"frequency\": {frequency}{s} }}"));
        Assert.Equal(expected, c.Timing.EffectiveSpinTime, 15);
        Assert.True(c.Timing.EffectiveSpinTime < c.Timing.Period / 2);
    }

    [Fact]
    public void RtThrottlingLineNamesTheSpinShare()
    {
        string line = Loop.RealTimeSetup.RtThrottling(new TimingConfig(Frequency: 20_000));
        Assert.StartsWith("rt_throttling: ", line);
        Assert.Contains("12.5 µs of each 50.0 µs tick (25", line);
    }

    [Fact]
    public void OutOfRangeLimitAndSensorNameTheField()
    {
        var e = Assert.Throws<ConfigException>(() => TestConfigs.Config(TestConfigs.Json(limits: """{ "phase_current": -5 }""")));
        Assert.Equal("limits.phase_current", e.Field);
        Assert.Contains("out of range", e.Message);
        var bad = TestConfigs.Json().Replace("\"amperes_per_count\": 0.05", "\"amperes_per_count\": 500");
        var e2 = Assert.Throws<ConfigException>(() => TestConfigs.Config(bad));
        Assert.Equal("sensors.current.amperes_per_count", e2.Field);
    }

    [Fact]
    public void BadReferenceAndControllerNameTheField()
    {
        var e = Assert.Throws<ConfigException>(() => TestConfigs.Config(TestConfigs.Json(reference: """{ "speed": { "type": "ramp", "from": 0, "to": 10, "start": 1, "end": 0.5 } }""")));
        Assert.Equal("reference.speed.end", e.Field);
        var e2 = Assert.Throws<ConfigException>(() => TestConfigs.Config(TestConfigs.Json(reference: """{ "sped": { "type": "constant", "value": 1 } }""")));
        Assert.Equal("reference.sped", e2.Field);
        var c = TestConfigs.Config(TestConfigs.Json(controller: """{ "type": "pid-magic" }"""));
        var e3 = Assert.Throws<ConfigException>(() => ControllerFactory.Create(c.Controller, c.Motor!, c.Timing.Period));
        Assert.Equal("controller.type", e3.Field);
        var c4 = TestConfigs.Config(TestConfigs.Json(controller: """{ "type": "open-loop-voltage", "voltage": 10, "volts": 3 }"""));
        var e4 = Assert.Throws<ConfigException>(() => ControllerFactory.Create(c4.Controller, c4.Motor!, c4.Timing.Period));
        Assert.Equal("controller.volts", e4.Field);
        // Nested controller sections (an ONNX inner loop) are read by their own family, naming the nested path.
        var c5 = TestConfigs.Config(TestConfigs.Json(controller: """{ "type": "onnx", "sidecar": "p.json", "inner": { "type": "pi-dc-current", "current_gains": { "kp": 1, "ki": -2 } } }"""));
        var e5 = Assert.Throws<ConfigException>(() => ControllerFactory.Create(c5.Controller, c5.Motor!, c5.Timing.Period));
        Assert.Equal("controller.inner.current_gains.ki", e5.Field);
        Assert.Contains("out of range", e5.Message);
        var c6 = TestConfigs.Config(TestConfigs.Json(controller: """{ "type": "onnx", "sidecar": "p.json", "inner": { "type": "magic" } }"""));
        Assert.Equal("controller.inner.type", Assert.Throws<ConfigException>(() => ControllerFactory.Create(c6.Controller, c6.Motor!, c6.Timing.Period)).Field);
    }

    [Fact]
    public void MissingMotorAndPlantIsAnError()
    {
        string json = TestConfigs.Json().Replace(TestConfigs.Motor + ",", "");
        var e = Assert.Throws<ConfigException>(() => TestConfigs.Config(json));
        Assert.Equal("motor", e.Field);
    }

    [Fact]
    public void MissingFileNamesTheFile()
    {
        var e = Assert.Throws<ConfigException>(() => RuntimeConfig.Load("/nonexistent/cfg.json"));
        Assert.Equal("/nonexistent/cfg.json", e.File);
    }

    [Fact]
    public void AllControllerTypesAreKnownToTheFactory()
    {
        Assert.Contains("open-loop-voltage", ControllerFactory.Types);
        Assert.Contains("pi-dc-current", ControllerFactory.Types);
        Assert.Contains("foc-speed", ControllerFactory.Types);
        Assert.Contains("onnx", ControllerFactory.Types);
    }

    [Theory]
    [InlineData("""{ "frequency": 10000, "duration": 0.2, "frequency": 20000 }""", "timing.frequency", "duplicate key", "")]
    [InlineData("""{ "frequency": 10000, "warmup_ticks": 1e12 }""", "timing.warmup_ticks", "out of range", "[0, 10000000]")] // a huge integer
    [InlineData("""{ "frequency": "fast" }""", "timing.frequency", "\"fast\"", "")]                                          // the wrong type: what was found
    public void ABadTimingValueNamesTheFieldAndSaysWhy(string timing, string field, string problem, string fix)
    {
        var e = Assert.Throws<ConfigException>(() => TestConfigs.Config(TestConfigs.Json(timing: timing), "bad.json"));
        Assert.Equal(field, e.Field);
        Assert.Contains(problem, e.Message);
        Assert.Contains(fix, e.Fix);
    }

    [Fact]
    public void UnknownValuesAndMissingFieldsSayWhatToWrite()
    {
        var mode = Assert.Throws<ConfigException>(() => TestConfigs.Config(TestConfigs.Json(timing: """{ "frequency": 10000, "mode": "fast" }""")));
        Assert.Contains("lock-step", mode.Fix);
        var profile = Assert.Throws<ConfigException>(() => TestConfigs.Config(TestConfigs.Json(reference: """{ "speed": { "type": "zigzag" } }""")));
        Assert.Equal("reference.speed.type", profile.Field);
        Assert.Contains("ramp", profile.Fix);
        var missing = Assert.Throws<ConfigException>(() => TestConfigs.Config(TestConfigs.Json(reference: """{ "speed": { "type": "ramp", "from": 0, "start": 0, "end": 1 } }""")));
        Assert.Equal("reference.speed.to", missing.Field);
        Assert.Contains("required field is missing", missing.Message);
    }

    [Fact]
    public void CommentsTrailingCommasAndSchemaAreAccepted()
    {
        string json = TestConfigs.Json(extra: ", \"$schema\": \"../docs/motorrt-config.schema.json\", // a comment\n \"seed\": 3,");
        Assert.Equal(3, TestConfigs.Config(json).Seed);
    }

    [Fact]
    public void OversizedFileIsRefusedBeforeReading()
    {
        string file = Path.Combine(Path.GetTempPath(), $"motorrt-big-{Guid.NewGuid():N}.json");
        using (FileStream fs = File.Create(file)) fs.SetLength(RuntimeConfig.MaxFileBytes + 1);
        try
        {
            var e = Assert.Throws<ConfigException>(() => RuntimeConfig.Load(file));
            Assert.Equal(file, e.File);
            Assert.Contains("bytes", e.Problem);
        }
        finally { File.Delete(file); }
    }
}

using MotorRT.Runtime.Loop;
using MotorRT.Runtime.Telemetry;

namespace MotorRT.Runtime.Tests;

public class TelemetryTests
{
    [Fact]
    public void RingCountsDropsWhenFull()
    {
        var ring = new TelemetryRing(16);
        var s = new TelemetrySample();
        for (int i = 0; i < 21; i++) { s.Tick = i; ring.TryWrite(in s); }
        Assert.Equal(16, ring.Written);
        Assert.Equal(5, ring.Dropped);
        Assert.True(ring.TryRead(out var first));
        Assert.Equal(0, first.Tick);
        Assert.True(ring.TryWrite(in s));
    }

    [Fact]
    public void RealTimeRunWithoutWriterReportsDropsNotSilence()
    {
        var config = TestConfigs.Config(TestConfigs.Json(timing: """{ "frequency": 10000, "duration": 0.02, "warmup_ticks": 10, "mode": "real-time" }""",
            limits: """{ "deadline_misses": 100000, "controller_budget": 1, "watchdog_timeout": 5 }""").Replace("\"buffer_samples\": 4096", "\"buffer_samples\": 64"));
        var rig = Harness.Rig(config);
        rig.FreeRunning = true;
        var (result, _, _) = Harness.Run(config, rig);
        Assert.Equal(200, result.Ticks);
        Assert.True(result.TelemetryDropped > 0);
        Assert.Equal(result.Ticks, result.TelemetryWritten + result.TelemetryDropped);  // every Running tick accounted for
    }

    [Fact]
    public void LockStepRunWritesEveryTickToCsv()
    {
        string dir = Directory.CreateTempSubdirectory("motorrt-tel").FullName;
        var config = TestConfigs.Config(TestConfigs.Json(timing: """{ "frequency": 10000, "duration": 0.3, "warmup_ticks": 10 }""").Replace("\"buffer_samples\": 4096", "\"buffer_samples\": 64"));
        var (result, _, _) = Harness.Run(config, trace: Path.Combine(dir, "trace.csv"));
        Assert.Equal(0, result.TelemetryDropped);                 // back-pressure in lock-step
        string[] lines = File.ReadAllLines(Path.Combine(dir, "trace.csv"));
        Assert.Equal(string.Join(',', CsvTelemetryWriter.Columns), lines[0]);
        Assert.Equal(result.TelemetryRows + 1, lines.Length);
        Assert.Equal(3000, lines.Skip(1).Count(l => l.Split(',')[2] == "3"));   // state Running
        Assert.Equal(CsvTelemetryWriter.Columns.Length, lines[^1].Split(',').Length);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void HistogramPercentilesAreWithinBucketResolution()
    {
        var h = new LatencyHistogram();
        for (int i = 1; i <= 100_000; i++) h.Record(i);
        Assert.Equal(50_000, h.Percentile(0.5), 50_000 * 0.02);
        Assert.Equal(99_000, h.Percentile(0.99), 99_000 * 0.02);
        Assert.Equal(100_000, h.Percentile(1.0));
        Assert.Equal(100_000, h.Max);
        h.Clear();
        h.Record(7);
        Assert.Equal(7, h.Percentile(0.5));
    }
}

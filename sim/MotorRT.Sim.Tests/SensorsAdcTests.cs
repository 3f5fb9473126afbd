using MotorRT.Sim.Sensors;

namespace MotorRT.Sim.Tests;

public class SensorsAdcTests
{
    private static AdcChannel Bipolar12(AdcDeviation dev = default, int seed = 1) => new(0.01, 2048, 12, dev, seed, 0);

    [Fact]
    public void Quantises_to_nearest_count()
    {
        var ch = Bipolar12();
        Assert.Equal(2048, ch.Convert(0.0, 0));
        Assert.Equal(2049, ch.Convert(0.0051, 0));   // 0.51 count rounds up
        Assert.Equal(2048, ch.Convert(0.0049, 0));   // 0.49 count rounds down
        Assert.Equal(2048 + 123, ch.Convert(1.23, 0));
        Assert.Equal(2048 - 123, ch.Convert(-1.23, 0));
        // quantisation error never exceeds half a count over a fine sweep
        for (double x = -15; x <= 15; x += 0.000737)
        {
            int c = ch.Convert(x, 0);
            Assert.InRange(ch.ToPhysical(c) - x, -0.005 - 1e-12, 0.005 + 1e-12);
        }
    }

    [Fact]
    public void Saturates_at_the_rails()
    {
        var ch = Bipolar12();
        Assert.Equal(4095, ch.Convert(20.47, 0));
        Assert.Equal(4095, ch.Convert(100.0, 0));
        Assert.Equal(0, ch.Convert(-20.48, 0));
        Assert.Equal(0, ch.Convert(-1e9, 0));
        Assert.Equal(0, ch.Convert(double.NaN, 0));
        Assert.Equal(4095, ch.Convert(double.PositiveInfinity, 0));
    }

    [Fact]
    public void Offset_and_gain_error_shift_the_reading()
    {
        var ch = Bipolar12(new AdcDeviation { OffsetCounts = 37, GainError = 0.05 });
        Assert.Equal(2048 + 37, ch.Convert(0.0, 0));
        Assert.Equal(2048 + 37 + 105, ch.Convert(1.0, 0)); // 100 counts × 1.05
    }

    [Fact]
    public void Faults_stuck_at_rail_and_drift()
    {
        var ch = Bipolar12();
        ch.StuckAtCounts = 1234;
        Assert.Equal(1234, ch.Convert(5.0, 0));
        ch.StuckAtCounts = -1;
        ch.ForcedRail = 1;
        Assert.Equal(4095, ch.Convert(0.0, 0));
        ch.ForcedRail = -1;
        Assert.Equal(0, ch.Convert(0.0, 0));
        ch.ForcedRail = 0;
        ch.OffsetDriftCountsPerSecond = 100;
        ch.DriftStartTime = 1.0;
        Assert.Equal(2048 + 50, ch.Convert(0.0, 1.5));
        ch.Reset();
        Assert.Equal(2048, ch.Convert(0.0, 1.5));
    }

    [Fact]
    public void Voltage_channel_unipolar()
    {
        var ch = new AdcChannel(0.1, 0, 12, default, 0, 16);
        Assert.Equal(480, ch.Convert(48.0, 0));
        Assert.Equal(0, ch.Convert(-3.0, 0));
        Assert.Equal(4095, ch.Convert(500.0, 0));
    }

    [Fact]
    public void Noise_is_deterministic_per_seed_and_has_the_stated_spread()
    {
        var dev = new AdcDeviation { NoiseCounts = 2.0 };
        var a = Bipolar12(dev, seed: 42);
        var b = Bipolar12(dev, seed: 42);
        var c = Bipolar12(dev, seed: 43);
        int n = 20000, differ = 0;
        double sum = 0, sumSq = 0;
        for (int k = 0; k < n; k++)
        {
            int ca = a.Convert(0.0, 0), cb = b.Convert(0.0, 0), cc = c.Convert(0.0, 0);
            Assert.Equal(ca, cb);
            if (ca != cc) differ++;
            double e = ca - 2048;
            sum += e;
            sumSq += e * e;
        }
        double mean = sum / n, std = Math.Sqrt(sumSq / n - mean * mean);
        Assert.InRange(mean, -0.1, 0.1);
        Assert.InRange(std, 1.9, 2.15); // 2 counts of noise plus quantisation (√(4 + 1/12) ≈ 2.02)
        Assert.True(differ > n / 2);
        a.Reset();
        var fresh = Bipolar12(dev, seed: 42);
        for (int k = 0; k < 100; k++) Assert.Equal(fresh.Convert(0.3, 0), a.Convert(0.3, 0));
    }

    [Fact]
    public void Gaussian_source_matches_moments()
    {
        var g = new SeededNoise(7, 3);
        double s = 0, s2 = 0, s4 = 0;
        const int n = 200000;
        for (int i = 0; i < n; i++)
        {
            double x = g.NextGaussian();
            s += x; s2 += x * x; s4 += x * x * x * x;
        }
        Assert.InRange(s / n, -0.01, 0.01);
        Assert.InRange(s2 / n, 0.98, 1.02);
        Assert.InRange(s4 / n, 2.9, 3.1); // kurtosis of a normal distribution
    }
}

using MotorRT.Policies.PI;
using MotorRT.Policies.Tuning;

namespace MotorRT.Policies.Tests;

public class TuningTests
{
    [Fact]
    public void CurrentLoop_MagnitudeOptimumTextbookGains()
    {
        // PermExDc: R = 0.016 Ω, L = 19 µH, Ts = 100 µs, one period delay → T_σ = 150 µs.
        CurrentLoopDesign d = LoopTuner.CurrentLoop("a", 0.016, 1.9e-5, 1e-4, 1.0);
        Assert.Equal(1.5e-4, d.SmallTimeConstant, 15);
        Assert.Equal(1.9e-5 / 3e-4, d.Kp, 12);
        Assert.Equal(0.016 / 3e-4, d.Ki, 9);
        Assert.Equal(1.9e-5 / 0.016, d.IntegralTime, 12);
        Assert.Equal(3e-4, d.EquivalentTimeConstant, 15);
        // MO with a first-order lag has PM 65.5°, crossover 1/(2T_σ); with the exact dead time instead of the lag it is 61.4° (= 90° − 1/2 rad).
        Assert.Equal(90.0 - 0.5 * 180 / Math.PI, d.Analysis.PhaseMargin, 0.5);
        Assert.Equal(1.0 / (2 * 1.5e-4), d.Analysis.CrossoverFrequency, 1.0 / (2 * 1.5e-4) * 0.02);
        Assert.InRange(d.Analysis.Bandwidth, 1.0 / (2 * 1.5e-4), 3.0 / (2 * 1.5e-4));
    }

    [Theory]
    [InlineData(2.0, 36.87)]
    [InlineData(4.0, 61.93)]
    public void SpeedLoop_SymmetricOptimumTextbookGains(double a, double textbookPm)
    {
        CurrentLoopDesign inner = LoopTuner.CurrentLoop("q", 0.018, 1.2e-3, 1e-4, 1.0);
        SpeedLoopDesign s = LoopTuner.SpeedLoop(0.03883, inner, a);
        Assert.Equal(0.03883 / (a * 3e-4), s.Kp, 9);
        Assert.Equal(a * a * 3e-4, s.IntegralTime, 12);
        Assert.Equal(textbookPm, s.TheoreticalPhaseMargin, 1);
        // Around the real inner loop (dead time, not a first-order lag) the margin is within a few degrees of the textbook.
        Assert.InRange(s.Analysis.PhaseMargin, textbookPm - 6, textbookPm + 3);
        Assert.Equal(1.0 / (a * 3e-4), s.Analysis.CrossoverFrequency, 1.0 / (a * 3e-4) * 0.15);
    }

    [Fact]
    public void MachineTuner_SeriesDcUsesSeriesCircuit()
    {
        CascadeDesign d = MachineTuner.Design(TestMotors.SeriesDc, 1e-4, new CascadeOptions { DelayPeriods = 0 }, true);
        Assert.Equal((1.9e-5 + 0.0054) / (2 * 0.5e-4), d.Current.Kp, 9);
        Assert.Equal((0.016 + 0.048) / (2 * 0.5e-4), d.Current.Ki, 9);
        Assert.NotNull(d.Speed);
        Assert.Contains("symmetric optimum", d.Explain());
        Assert.Contains("phase margin", d.Explain());
    }

    [Fact]
    public void MachineTuner_PmsmHasTwoAxes()
    {
        CascadeDesign d = MachineTuner.Design(TestMotors.Pmsm, 1e-4, new CascadeOptions(), false);
        Assert.NotNull(d.CurrentQ);
        Assert.Equal(3.7e-4 / 3e-4, d.Current.Kp, 12);
        Assert.Equal(1.2e-3 / 3e-4, d.CurrentQ!.Kp, 12);
        Assert.Null(d.Speed);
    }
}

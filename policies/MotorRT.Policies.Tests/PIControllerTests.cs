using MotorRT.Policies.PI;

namespace MotorRT.Policies.Tests;

public class PIControllerTests
{
    private const double Ts = 1e-4;

    [Fact]
    public void StepResponse_MatchesAnalyticDiscreteRamp()
    {
        var pi = new PIController(2.0, 500.0, Ts, -1e9, 1e9, AntiWindupMode.BackCalculation);
        const double e = 0.3;
        for (int k = 0; k < 50; k++)
        {
            double u = pi.Update(e, 0.0);
            // u_k = Kp·e + k·Ts·Ki·e (forward-Euler integrator starting from zero)
            Assert.Equal(2.0 * e + k * Ts * 500.0 * e, u, 12);
        }
    }

    [Fact]
    public void FeedForward_IsAddedBeforeTheLimit()
    {
        var pi = new PIController(1.0, 0.0, Ts, -10, 10, AntiWindupMode.BackCalculation);
        Assert.Equal(7.0, pi.Update(2.0, 0.0, 5.0), 12);
        Assert.Equal(10.0, pi.Update(6.0, 0.0, 5.0), 12);
        Assert.True(pi.Saturated);
    }

    [Theory]
    [InlineData(AntiWindupMode.BackCalculation)]
    [InlineData(AntiWindupMode.ConditionalIntegration)]
    public void AntiWindup_KeepsIntegratorBoundedAndRecoversFast(AntiWindupMode mode)
    {
        var guarded = new PIController(1.0, 1000.0, Ts, -1, 1, mode);
        var naive = new PIController(1.0, 1000.0, Ts, -1, 1, AntiWindupMode.None);
        for (int k = 0; k < 5000; k++)
        {
            guarded.Update(5.0, 0.0);
            naive.Update(5.0, 0.0);
        }
        Assert.True(naive.Integral > 2000.0, $"naive integral {naive.Integral}");
        Assert.InRange(guarded.Integral, -1.0, 1.5);
        // Reverse the error: the guarded controller leaves the upper limit within a few periods, the naive one does not.
        int guardedLeaves = -1, naiveLeaves = -1;
        for (int k = 0; k < 2000; k++)
        {
            if (guardedLeaves < 0 && guarded.Update(-0.5, 0.0) < 1.0) guardedLeaves = k;
            if (naiveLeaves < 0 && naive.Update(-0.5, 0.0) < 1.0) naiveLeaves = k;
        }
        Assert.InRange(guardedLeaves, 0, 5);
        Assert.True(naiveLeaves < 0 || naiveLeaves > 1000, $"naive left saturation after {naiveLeaves}");
    }

    [Fact]
    public void ConditionalIntegration_FreezesIntegratorWhilePushingIntoLimit()
    {
        var pi = new PIController(0.1, 100.0, Ts, -1, 1, AntiWindupMode.ConditionalIntegration);
        for (int k = 0; k < 200; k++) pi.Update(100.0, 0.0); // Kp·e = 10 alone saturates
        Assert.Equal(0.0, pi.Integral, 12);
    }

    [Fact]
    public void BackCalculation_SettlesIntegratorOnTheLimit()
    {
        var pi = new PIController(0.5, 50.0, Ts, -1, 1, AntiWindupMode.BackCalculation) { TrackingGain = 1.0 / Ts };
        for (int k = 0; k < 100; k++) pi.Update(4.0, 0.0);
        // Ts·Kt = 1: after each period I + Kp·e = limit exactly, up to this period's integration.
        Assert.Equal(1.0 - 0.5 * 4.0 + Ts * 50.0 * 4.0, pi.Integral, 9);
    }

    [Fact]
    public void ExternalLimit_BackCalculationPullsIntegratorToApplied()
    {
        var pi = new PIController(1.0, 10.0, Ts, -100, 100, AntiWindupMode.BackCalculation) { TrackingGain = 1.0 / Ts };
        double u = pi.Update(50.0, 0.0);
        Assert.Equal(50.0, u, 12);
        pi.ApplyExternalLimit(20.0);
        Assert.True(pi.Saturated);
        Assert.Equal(20.0, pi.Output);
        // Next period with the same error: output = Kp·e + I = 50 + (Ts·Ki·e − 30) = the applied 20 + Ts·Ki·e.
        Assert.Equal(20.0 + Ts * 10.0 * 50.0, pi.Update(50.0, 0.0), 9);
    }

    [Fact]
    public void BumplessEnable_FirstOutputEqualsHeldValue()
    {
        var pi = new PIController(3.0, 900.0, Ts, -60, 60, AntiWindupMode.BackCalculation);
        pi.InitializeBumpless(12.5, 10.0, 7.0, 2.0);
        Assert.Equal(12.5, pi.Update(10.0, 7.0, 2.0), 12);
    }

    [Fact]
    public void BumplessGainChange_NoOutputJump()
    {
        var pi = new PIController(3.0, 900.0, Ts, -60, 60, AntiWindupMode.BackCalculation);
        for (int k = 0; k < 10; k++) pi.Update(2.0, 1.0);
        double before = pi.Update(2.0, 1.0);
        double integrated = Ts * 900.0 * 1.0; // integration of the last period
        pi.SetGainsBumpless(6.0, 900.0);
        Assert.Equal(before + integrated, pi.Update(2.0, 1.0), 9);
    }

    [Fact]
    public void Derivative_ActsOnMeasurementOnly()
    {
        var pid = new PIController(1.0, 0.0, Ts, -1e9, 1e9, AntiWindupMode.None) { Kd = 0.01, DerivativeFilterTime = 0.0 };
        pid.Update(0.0, 0.0);
        Assert.Equal(5.0, pid.Update(5.0, 0.0), 12); // reference step: no derivative kick
        // measurement ramps by 0.1 per period: D = −Kd·Δy/Ts = −10
        Assert.Equal(5.0 - 0.1 - 0.01 * 0.1 / Ts, pid.Update(5.0, 0.1), 9);
    }

    [Fact]
    public void ZeroAllocationPerTick()
    {
        var pi = new PIController(1.0, 100.0, Ts, -1, 1, AntiWindupMode.BackCalculation);
        for (int k = 0; k < 1000; k++) pi.Update(Math.Sin(k), 0.0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        double sink = 0;
        for (int k = 0; k < 10_000; k++) sink += pi.Update(Math.Sin(k), 0.1);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(double.IsFinite(sink));
    }
}

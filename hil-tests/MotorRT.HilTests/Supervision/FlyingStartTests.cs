namespace MotorRT.HilTests.Supervision;

/// <summary>
/// Flying start on the twin: a PermExDc whose shaft already turns at ±100 rad/s (±50 % of GEM's rated speed) is armed
/// under a 0 A current loop. The arming warm-up lets the speed estimator track the shaft before Running, so the EMF
/// feed-forward is right from the first Running tick and the current stays near zero; without the warm-up the estimate
/// starts at 0 and the current loop sees the whole back-EMF as a disturbance.
/// </summary>
public class FlyingStartTests(ITestOutputHelper output)
{
    private static string Json(double omega, int armingWarmup) => TwinDrive.PermExDcCurrentJson(
        $$"""{ "type": "constant_speed", "omega": {{omega}} }""", 0, """{ "phase_current": 250, "speed": 420 }""",
        $$"""{ "frequency": 10000, "duration": 1, "warmup_ticks": 100, "arming_warmup_ticks": {{armingWarmup}} }""", seed: 5);

    /// <summary>Arms at <paramref name="omega"/> (rad/s) and returns the largest |i_a| (A) and |ω̂ − ω| (rad/s) of the first 500 Running ticks.</summary>
    private (double MaxCurrent, double FirstSpeedError) Arm(double omega, int armingWarmup)
    {
        RuntimeConfig config = RuntimeConfig.Parse("flying-start.json", Json(omega, armingWarmup));
        TwinDrive d = TwinDrive.Calibrated(config);
        PhysicalSystem twin = d.Twin;
        using ControlLoop loop = d.Loop;
        loop.Start();
        double maxCurrent = 0, firstSpeedError = double.NaN;
        for (int k = 0; k < 500; k++)
        {
            loop.RunTicks(1);
            if (k == 0) firstSpeedError = Math.Abs(loop.Observation.MechanicalSpeed - omega);
            maxCurrent = Math.Max(maxCurrent, Math.Abs(twin.Outputs.CurrentA));
        }
        Assert.Equal(DriveState.Running, loop.State);
        loop.Finish();
        output.WriteLine($"ω = {omega} rad/s, arming warm-up {armingWarmup} ticks: max |i_a| {maxCurrent:F2} A, first-tick speed error {firstSpeedError:F2} rad/s");
        return (maxCurrent, firstSpeedError);
    }

    [Theory]
    [InlineData(100.0)]
    [InlineData(-100.0)]
    public void A_turning_shaft_gives_no_current_transient_at_arm_time(double omega)
    {
        var (current, speedError) = Arm(omega, 2000);
        Assert.True(speedError < 2.0, $"speed estimate off by {speedError:F2} rad/s at the first Running tick");
        Assert.True(current < 5.0, $"current transient of {current:F2} A at arm time");
    }

    [Fact]
    public void Without_the_warm_up_the_estimate_starts_at_zero_and_the_current_jumps()
    {
        // The case the warm-up exists for (and the proof that the test above can fail).
        var (current, speedError) = Arm(100.0, 0);
        Assert.True(speedError > 50.0, $"speed error {speedError:F2} rad/s");
        Assert.True(current > 20.0, $"current transient {current:F2} A");
    }
}

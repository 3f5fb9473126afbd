using MotorRT.Hardware;
using MotorRT.Hardware.Moteus;
using MotorRT.Runtime.Composition;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Loop;
using MotorRT.Runtime.Safety;
using MotorRT.Sim.Rig;

namespace MotorRT.HilTests.Can;

/// <summary>
/// The speed loop of examples/moteus-speed.json (pi-speed-torque at 1 kHz, torque set-points over CAN-FD, the emulated
/// servo's 10 kHz current loop over the twin) against the same plant, reference and controller on the emulated ODrive
/// (examples/pmdc-speed-odrive.json) and against the simulated rig with both loops ours (examples/pmdc-speed-sim.json,
/// duties at 10 kHz). Stated tolerances (firmware-host/README.md, moteus rig), on the estimated speed over the whole
/// 1.5 s run: against the ODrive ≤ 0.05 rad/s largest difference (measured: 0, the speeds are bit-identical — the same emulated inner
/// loop, the same one-period bus delay, position, current and torque as float32 on both buses; only the reported
/// voltage differs, int8 with a 0.5 V LSB, and the controller does not use it); against the simulated rig the ODrive
/// rig's tolerance, ≤ 10 rad/s largest and ≤ 3 rad/s RMS (measured 4.8 and 1.5; ≈ 3 % of the largest step, 150 rad/s:
/// the 1 kHz outer loop and its one-period bus delay).
/// </summary>
public class MoteusClosedLoopTests(ITestOutputHelper output)
{
    private static readonly DriveRegistry Registry = DriveRegistry.Create([new SimRigKind(), .. HardwareRigKinds.All]);

    /// <summary>The estimated speed at each tick's time (µs), over <paramref name="ticks"/> Running ticks.</summary>
    private static Dictionary<long, double> Run(string example, int ticks, out Drive drive)
    {
        RuntimeConfig config = RuntimeConfig.Load(RepoFiles.Example(example));
        drive = DriveBuilder.Build(config, Registry);
        ControlLoop loop = drive.Loop;
        loop.Open();
        Assert.True(loop.Calibrate(), "calibration failed");
        loop.Start();
        var speed = new Dictionary<long, double>(ticks);
        for (int k = 0; k < ticks; k++)
        {
            loop.RunTicks(1);
            Assert.Equal(DriveState.Running, loop.State);
            speed[(long)Math.Round(loop.Observation.Time * 1e6)] = loop.Observation.MechanicalSpeed;
        }
        return speed;
    }

    [Fact]
    public void Moteus_speed_loop_matches_the_odrive_and_the_simulated_rig_within_tolerance()
    {
        Dictionary<long, double> moteus = Run("moteus-speed.json", 1500, out Drive m);
        Dictionary<long, double> odrive, sim;
        using (m.Loop)
        {
            var rig = (MoteusRig)m.Rig;
            Assert.Equal(0, rig.LateFrames);
            Assert.Equal(0, rig.MalformedReplies);
            Assert.InRange(moteus.Values.Max(), 95, 110);      // it follows the 100 rad/s step …
            Assert.InRange(moteus.Values.Last(), -55, -45);    // … and the reversal to −50 rad/s
        }
        odrive = Run("pmdc-speed-odrive.json", 1500, out Drive o);
        o.Loop.Dispose();
        sim = Run("pmdc-speed-sim.json", 15000, out Drive s);
        s.Loop.Dispose();

        (double maxO, double rmsO, int nO) = TraceDifference.Of(moteus, odrive);
        (double maxS, double rmsS, int nS) = TraceDifference.Of(moteus, sim);
        output.WriteLine($"moteus vs ODrive: max {maxO:E2} rad/s, RMS {rmsO:E2} rad/s; vs sim: max {maxS:F3} rad/s, RMS {rmsS:F3} rad/s");
        Assert.Equal(1500, nO);
        Assert.Equal(1500, nS);
        Assert.True(maxO <= 0.05, $"largest speed difference to the ODrive run {maxO:F4} rad/s");
        Assert.True(maxS <= 10.0, $"largest speed difference to the simulated rig {maxS:F3} rad/s");
        Assert.True(rmsS <= 3.0, $"speed RMS difference to the simulated rig {rmsS:F3} rad/s");
    }
}

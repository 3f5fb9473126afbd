using MotorRT.Contracts;
using MotorRT.Contracts.Sensors;
using MotorRT.Runtime.Signals;
using MotorRT.Sim.Testing;

namespace MotorRT.Runtime.Tests;

public class SignalChainTests
{
    [Fact]
    public void CalibrationRemovesAKnownAdcOffset()
    {
        // The sensor reads 37 counts (1.85 A) high; the config says zero is 2048.
        var config = TestConfigs.Config(TestConfigs.Json(controller: """{ "type": "open-loop-voltage", "voltage": 0 }"""));
        var rig = Harness.Rig(config, speed: 0, sensorErrors: TwinRig.CurrentErrors(offsetCounts: 37, noiseCounts: 1));
        var (loop, _) = Harness.Build(config, rig);
        Assert.True(loop.Calibrate());
        Assert.Equal(2048 + 37, loop.Signals.OffsetA, 0.5);
        var frame = new RawSensorFrame { CurrentCountsA = 2048 + 37, DcLinkCounts = 960 };
        var obs = new MotorObservation();
        loop.Signals.Update(in frame, ref obs);
        Assert.Equal(0.0, obs.CurrentA, 0.03);                       // without calibration this would read 1.85 A
        frame.CurrentCountsA = 2048 + 37 + 200;
        loop.Signals.Update(in frame, ref obs);
        Assert.Equal(10.0, obs.CurrentA, 0.03);
        Assert.Equal(48.0, obs.DcLinkVoltage, 1e-9);
    }

    [Fact]
    public void ChannelGainsDivideEachPhaseCurrent()
    {
        // sensors.current.gains [1, 0.98, 1.03]: channel b reads 2 % low, c 3 % high; the chain divides them back.
        var sensors = new SensorSpec
        {
            Current = new CurrentSensorSpec(12, 3) { AmperesPerCount = 0.1, ZeroCounts = 2048, Gains = [1.0, 0.98, 1.03] },
            DcLink = new VoltageSensorSpec { VoltsPerCount = 0.05 },
        };
        var chain = new SignalChain(sensors, MachineKind.ThreePhase, 3, 1000, 1e-4);
        var frame = new RawSensorFrame { CurrentCountsA = 2048 + 100, CurrentCountsB = 2048 - 49, CurrentCountsC = 2048 - 51, PhaseCSensed = true };
        var obs = new MotorObservation();
        chain.Update(in frame, ref obs);
        Assert.Equal(10.0, obs.CurrentA, 1e-12);
        Assert.Equal(-4.9 / 0.98, obs.CurrentB, 1e-12);
        Assert.Equal(-5.1 / 1.03, obs.CurrentC, 1e-12);
        // Without gains every channel has the nominal scale.
        var nominal = new SignalChain(sensors with { Current = sensors.Current with { Gains = null } }, MachineKind.ThreePhase, 3, 1000, 1e-4);
        nominal.Update(in frame, ref obs);
        Assert.Equal(-4.9, obs.CurrentB, 1e-12);
    }

    [Fact]
    public void MechanicalPositionIsTheUnwrappedEncoderCountAcrossTurnsAndSigns()
    {
        // 1024 lines = 4096 counts per turn; +3.5 turns then −2 turns: the position is continuous, the angle wraps.
        var config = TestConfigs.Config(TestConfigs.Json(controller: """{ "type": "open-loop-voltage", "voltage": 0 }"""));
        var (loop, _) = Harness.Build(config, Harness.Rig(config, speed: 0));
        int cpr = config.Sensors.Encoder!.CountsPerRevolution;
        double perCount = config.Sensors.Encoder.Direction * 2 * Math.PI / cpr;
        var obs = new MotorObservation();
        var frame = new RawSensorFrame { CurrentCountsA = 2048, DcLinkCounts = 960 };
        foreach (long count in new long[] { 0, 1, cpr - 1, cpr, 3 * cpr + cpr / 2, -2 * cpr, -2 * cpr - 1 })
        {
            frame.EncoderCount = count;
            loop.Signals.Update(in frame, ref obs);
            Assert.Equal(count * perCount, obs.MechanicalPosition, 12);
            Assert.Equal(obs.MechanicalPosition, loop.Signals.MeasuredPosition);
            Assert.InRange(obs.MechanicalAngle, 0, 2 * Math.PI);
            Assert.Equal(0, Math.IEEERemainder(obs.MechanicalPosition - obs.MechanicalAngle, 2 * Math.PI), 9);
        }
        Assert.Equal(-(2 * cpr + 1) * 2 * Math.PI / cpr * config.Sensors.Encoder.Direction, obs.MechanicalPosition, 12);
    }

    [Fact]
    public void ImplausibleOffsetFailsCalibrationIntoFault()
    {
        var config = TestConfigs.Config(TestConfigs.Json());
        var rig = Harness.Rig(config, sensorErrors: TwinRig.CurrentErrors(offsetCounts: 400));          // max_offset_deviation is 100 counts
        var (loop, _) = Harness.Build(config, rig);
        Assert.False(loop.Calibrate());
        Assert.Equal(Safety.DriveState.Fault, loop.State);
        Assert.Equal(Safety.FaultCode.CalibrationOffset, loop.Supervisor.Faults[0].Code);
        Assert.Equal(0, rig.DisableCalls > 0 ? 0 : 1);
    }

    [Fact]
    public void SpeedEstimatorTracksARampWithinStatedError()
    {
        // ω(t) = 2000 rad/s² · t from standstill, 1024-line encoder (4096 counts/rev), 10 kHz, PLL bandwidth 1000 rad/s.
        // Stated error after settling (t > 10/ω_b): the critically damped PLL's speed state lags a ramp by 2·a/ω_b
        // (= 4 rad/s here; its position has no ramp error); around that lag the quantisation Δθ_q = 2π/cpr leaves an
        // RMS ripple below 1 rad/s, and the peak error stays below 2·a/ω_b + 2·ω_b·Δθ_q ≈ 7.1 rad/s.
        const double accel = 2000, period = 1e-4, cpr = 4096;
        var pll = new SpeedPll(1000, period);
        double maxErr = 0, sumSq = 0, sum = 0;
        int n = 0;
        for (int k = 0; k < 5000; k++)
        {
            double t = k * period;
            double theta = 0.5 * accel * t * t;
            long count = (long)Math.Floor(theta / (2 * Math.PI) * cpr);
            pll.Update(count * 2 * Math.PI / cpr);
            if (t > 0.01)
            {
                double e = pll.Speed - accel * t;
                maxErr = Math.Max(maxErr, Math.Abs(e));
                sumSq += e * e;
                sum += e;
                n++;
            }
        }
        double mean = sum / n;
        double ripple = Math.Sqrt(Math.Max(0, sumSq / n - mean * mean));
        double lag = 2 * accel / 1000;
        Assert.True(Math.Abs(mean + lag) < 0.1 * lag, $"mean speed error {mean} rad/s, expected -{lag}");
        Assert.True(ripple < 1.0, $"rms ripple {ripple} rad/s");
        Assert.True(maxErr <= lag + 2 * 1000 * 2 * Math.PI / cpr, $"max speed error {maxErr} rad/s");
        Assert.True(ripple > 0);   // quantisation is there: the test would notice a cheating estimator
    }

    [Fact]
    public void EncoderGivesMechanicalAndElectricalAngleForThreePhase()
    {
        var sensors = new SensorSpec
        {
            Current = new CurrentSensorSpec { AmperesPerCount = 0.01, ZeroCounts = 2048 },
            DcLink = new VoltageSensorSpec { VoltsPerCount = 0.1 },
            Encoder = new EncoderSpec { LinesPerRevolution = 1000, ElectricalAngleOffset = 0.1 },
        };
        var chain = new SignalChain(sensors, MachineKind.ThreePhase, 3, 1000, 1e-4);
        // Quarter revolution: 1000 counts of 4000.
        var frame = new RawSensorFrame { EncoderCount = 1000, CurrentCountsA = 2048 + 100, CurrentCountsB = 2048 - 50, DcLinkCounts = 3000 };
        var obs = new MotorObservation();
        chain.Update(in frame, ref obs);
        Assert.Equal(Math.PI / 2, obs.MechanicalAngle, 1e-12);
        Assert.Equal(SpaceVector.WrapToPi(3 * Math.PI / 2 + 0.1), obs.ElectricalAngle, 1e-12);
        Assert.Equal(1.0, obs.CurrentA, 1e-12);
        Assert.Equal(-0.5, obs.CurrentB, 1e-12);
        Assert.Equal(-0.5, obs.CurrentC, 1e-12);                      // c = −a − b with two sensors
        SpaceVector.AbcToDq(1.0, -0.5, -0.5, obs.ElectricalAngle, out double d, out double q);
        Assert.Equal(d, obs.CurrentD, 1e-12);
        Assert.Equal(q, obs.CurrentQ, 1e-12);
        Assert.Equal(1.0, obs.CurrentAlpha, 1e-12);
        Assert.Equal(300.0, obs.DcLinkVoltage, 1e-9);
    }
}

using MotorRT.Contracts;
using MotorRT.Contracts.Sensors;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Safety;

namespace MotorRT.Runtime.Tests;

/// <summary>The open-phase detector: trips after its RMS window on a dead phase, never on a healthy balanced set.</summary>
public class OpenPhaseTests
{
    private const double Period = 1e-4;       // s
    private const double Amplitude = 10.0;    // A
    private const double Threshold = 1.0;     // A (open_phase_current)
    private const double Window = 0.02;       // s (open_phase_time) = 200 ticks

    private static Supervisor Create() => new(
        new LimitsConfig
        {
            PhaseCurrent = 100, VectorCurrent = 100, DcLinkOverVoltage = 1000, DcLinkUnderVoltage = 0, Speed = 1e6,
            OpenPhaseCurrent = Threshold, OpenPhaseTime = Window, ControllerBudget = 1,
        },
        new SensorSpec
        {
            Current = new CurrentSensorSpec { AmperesPerCount = 0.01, ZeroCounts = 2048 },
            DcLink = new VoltageSensorSpec { VoltsPerCount = 0.1 },
        },
        MachineKind.ThreePhase, 3, Period);

    /// <summary>Runs <paramref name="ticks"/> ticks of a balanced set at <paramref name="omegaEl"/> rad/s; phase <paramref name="open"/> (−1 none) carries nothing from tick <paramref name="openFrom"/>. Returns the trip tick or −1.</summary>
    private static long Run(Supervisor sup, double omegaEl, int open, long openFrom, long ticks)
    {
        var frame = new RawSensorFrame { CurrentCountsA = 2048, CurrentCountsB = 2048, DcLinkCounts = 2000 };
        var obs = new MotorObservation { Period = Period, DcLinkVoltage = 200, ElectricalSpeed = omegaEl };
        for (long k = 0; k < ticks; k++)
        {
            double eps = omegaEl * k * Period;
            double a = Amplitude * Math.Cos(eps), b = Amplitude * Math.Cos(eps - 2 * Math.PI / 3), c = Amplitude * Math.Cos(eps + 2 * Math.PI / 3);
            if (open >= 0 && k >= openFrom)
            {
                // the remaining two phases carry one loop current: i_y = −i_z
                if (open == 0) { a = 0; c = -b; }
                else if (open == 1) { b = 0; c = -a; }
                else { c = 0; b = -a; }
            }
            obs.Tick = k;
            obs.Time = k * Period;
            obs.CurrentA = a; obs.CurrentB = b; obs.CurrentC = c;
            obs.CurrentAlpha = 2.0 / 3.0 * (a - 0.5 * b - 0.5 * c);
            obs.CurrentBeta = (b - c) / Math.Sqrt(3);
            frame.Sequence = k + 1;
            FaultCode f = sup.CheckFrame(in frame, in obs);
            if (f != FaultCode.None)
            {
                Assert.Equal(FaultCode.PhaseOpenCircuit, f);
                return k;
            }
        }
        return -1;
    }

    [Theory]
    [InlineData(60.0)]      // lowest armed electrical speed ≈ 1/window = 50 rad/s: zero crossings last many ticks
    [InlineData(300.0)]
    [InlineData(6000.0)]    // ~955 Hz electrical
    public void Healthy_balanced_set_never_trips(double omegaEl)
    {
        Supervisor sup = Create();
        Assert.Equal(-1, Run(sup, omegaEl, -1, 0, 20_000));
        Assert.Empty(sup.Faults.ToArray());
    }

    [Theory]
    [InlineData(0, 300.0)]
    [InlineData(1, 300.0)]
    [InlineData(2, 6000.0)]
    [InlineData(1, 60.0)]
    public void Open_phase_trips_within_one_window(int phase, double omegaEl)
    {
        Supervisor sup = Create();
        const long openFrom = 5000;
        long trip = Run(sup, omegaEl, phase, openFrom, 10_000);
        Assert.Equal(200, sup.OpenPhaseWindowTicks);
        // the dead phase's window RMS falls below 1 A once fewer than (1 A / 7.07 A)² of the window is pre-fault
        Assert.InRange(trip, openFrom, openFrom + sup.OpenPhaseWindowTicks);
        FaultRecord r = sup.Faults[0];
        Assert.Equal(FaultCode.PhaseOpenCircuit, r.Code);
        Assert.Equal(FaultComponent.Motor, r.Component);
        Assert.True(r.Value < Threshold);
    }

    [Fact]
    public void Standstill_dc_current_with_a_zero_phase_does_not_trip()
    {
        // ε = 90°: i_a = 0 legitimately; below 1/window rad/s the detector is not armed
        Supervisor sup = Create();
        var frame = new RawSensorFrame { CurrentCountsA = 2048, CurrentCountsB = 2048, DcLinkCounts = 2000 };
        var obs = new MotorObservation { Period = Period, DcLinkVoltage = 200, CurrentA = 0, CurrentB = 8.66, CurrentC = -8.66, CurrentAlpha = 0, CurrentBeta = 10 };
        for (long k = 0; k < 2000; k++)
        {
            obs.Tick = k;
            frame.Sequence = k + 1;
            Assert.Equal(FaultCode.None, sup.CheckFrame(in frame, in obs));
        }
    }

    [Fact]
    public void Detector_does_not_allocate()
    {
        // 10⁴ warm ticks per attempt; the least of a few attempts excludes one-off JIT tiering work on this thread
        Supervisor sup = Create();
        var zero = new RawSensorFrame();
        long least = long.MaxValue;
        for (int attempt = 0; attempt < 4; attempt++)
        {
            sup.Rebase(in zero);       // restart the sequence check for each run
            long before = GC.GetAllocatedBytesForCurrentThread();
            long trip = Run(sup, 300, -1, 0, 10_000);
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.Equal(-1, trip);
        }
        Assert.Equal(0, least);
    }

    private static LimitsConfig Limits(string json) =>
        RuntimeConfig.ReadSection<LimitsConfig>("c.json", "limits", MotorRT.Contracts.Configuration.ConfigFile.ParseDocument("c.json", json));

    [Fact]
    public void Config_reads_and_validates_the_open_phase_keys()
    {
        LimitsConfig l = Limits("""{ "open_phase_current": 2.5, "open_phase_time": 0.05 }""");
        Assert.Equal(2.5, l.OpenPhaseCurrent);
        Assert.Equal(0.05, l.OpenPhaseTime);
        Assert.ThrowsAny<MotorRT.Contracts.Configuration.ConfigException>(() => Limits("""{ "open_phase_time": 0 }"""));
        Assert.ThrowsAny<MotorRT.Contracts.Configuration.ConfigException>(() => Limits("""{ "open_phase_current": -1 }"""));
    }
}

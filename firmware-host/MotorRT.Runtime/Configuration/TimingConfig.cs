using System.Text.Json.Serialization;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Runtime.Configuration;

/// <summary>How the loop keeps time.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LoopMode>))]
public enum LoopMode
{
    /// <summary>Lock-step when the rig is lock-step (simulated rig), real-time otherwise.</summary>
    [JsonStringEnumMemberName("auto")]
    Auto = 0,

    /// <summary>As fast as possible, no sleeping: the plant advances only when a command is written.</summary>
    [JsonStringEnumMemberName("lock-step")]
    LockStep = 1,

    /// <summary>Fixed period against the wall clock: absolute-deadline sleep, then a short spin.</summary>
    [JsonStringEnumMemberName("real-time")]
    RealTime = 2,
}

/// <summary>The <c>timing</c> section: loop period, run length and the real-time settings.</summary>
public sealed record TimingConfig(double Frequency = 10_000, double Duration = 1.0, LoopMode Mode = LoopMode.Auto, int WarmupTicks = 2000, int ArmingWarmupTicks = 2000, double? SpinTime = null, int Cpu = -1, bool SustainedLowLatency = true, bool MeasureControllerTime = true) : IConfigValidation
{
    /// <summary>Loop frequency, in Hz (1 kHz … 50 kHz). The period is its inverse.</summary>
    [ConfigField("Loop frequency; the period is its inverse.", Min = 1_000, Max = 50_000, Unit = "Hz")]
    public double Frequency { get; init; } = Frequency;

    /// <summary>Loop period, in s.</summary>
    [JsonIgnore]
    public double Period => 1.0 / Frequency;

    /// <summary>Length of the Running phase, in s (0 = until stopped; only allowed in real-time mode).</summary>
    [ConfigField("Length of the Running phase (0 = until stopped; real-time mode only).", Min = 0, Max = 86_400.0 * 365, Unit = "s")]
    public double Duration { get; init; } = Duration;

    /// <summary>Lock-step, real-time or automatic.</summary>
    [ConfigField("auto: lock-step on a lock-step rig (the simulated one), real-time otherwise; lock-step: as fast as possible, the plant waits; real-time: fixed period against the wall clock.")]
    public LoopMode Mode { get; init; } = Mode;

    /// <summary>Ticks at the start of Running excluded from the allocation and timing statistics (JIT/tiering warm-up).</summary>
    [ConfigField("Ticks at the start of Running excluded from the allocation and timing statistics (JIT warm-up).", Min = 0, Max = 10_000_000)]
    public int WarmupTicks { get; init; } = WarmupTicks;

    /// <summary>
    /// Arming warm-up: ticks of the complete tick path (dry rig read, signal chain, supervisor, controller, telemetry
    /// path) run with the bridge held off before Running, so the first Running tick is a steady-state tick. Default 2000.
    /// </summary>
    [ConfigField("Arming warm-up: ticks of the complete tick path run with the bridge held off before Running, so the first Running tick is a steady-state tick.", Min = 0, Max = 1_000_000)]
    public int ArmingWarmupTicks { get; init; } = ArmingWarmupTicks;

    /// <summary>Default spin before each deadline, in s, when the period allows it (see <see cref="EffectiveSpinTime"/>).</summary>
    public const double DefaultSpinTime = 50e-6;

    /// <summary>
    /// Real-time mode: the loop sleeps until this long before the deadline, then spins, in s. Absent (null): 50 µs, capped
    /// at a quarter of the period. It must stay below half the period: a SCHED_FIFO thread that never sleeps is stopped
    /// by the kernel's RT throttling (<c>sched_rt_runtime_us</c>) for the rest of each second.
    /// </summary>
    [ConfigField("Real-time mode: the loop sleeps until this long before the deadline, then spins. Absent: 50 µs capped at a quarter of the period; must be below half the period (a SCHED_FIFO thread that never sleeps is throttled by the kernel).", Min = 0, Max = 1e-3, Unit = "s")]
    public double? SpinTime { get; init; } = SpinTime;

    /// <summary>The spin the loop uses, in s: <see cref="SpinTime"/> when given, else min(50 µs, period / 4).</summary>
    [JsonIgnore]
    public double EffectiveSpinTime => SpinTime ?? Math.Min(DefaultSpinTime, Period / 4);

    /// <summary>SCHED_FIFO priority of the loop thread (1…99), or 0 to leave the scheduler alone.</summary>
    [ConfigField("SCHED_FIFO priority of the loop thread (1…99), 0 = leave the scheduler alone.", Min = 0, Max = 99)]
    public int FifoPriority { get; init; }

    /// <summary>Lock all current and future pages in RAM (mlockall) before running.</summary>
    [ConfigField("Lock all pages in RAM (mlockall) before running.")]
    public bool LockMemory { get; init; }

    /// <summary>CPU the loop thread is pinned to, or −1 for no pinning.</summary>
    [ConfigField("CPU the loop thread is pinned to, −1 = no pinning.", Min = -1, Max = 1023)]
    public int Cpu { get; init; } = Cpu;

    /// <summary>Set <c>GCSettings.LatencyMode = SustainedLowLatency</c> while running.</summary>
    [ConfigField("Set GCSettings.LatencyMode = SustainedLowLatency while running.")]
    public bool SustainedLowLatency { get; init; } = SustainedLowLatency;

    /// <summary>
    /// Time the controller alone on every tick (two extra clock reads). Always on when timing trips are armed
    /// (real-time mode), since the budget check needs it.
    /// </summary>
    [ConfigField("Time the controller alone on every tick (always on when timing trips are armed).")]
    public bool MeasureControllerTime { get; init; } = MeasureControllerTime;

    /// <summary>Size of the no-GC region held while Running, in bytes (0 = none; then nothing may allocate at all).</summary>
    [ConfigField("Size of the no-GC region held while Running (0 = none).", Min = 0, Max = 4L << 30, Unit = "bytes")]
    public long NoGcRegionBytes { get; init; }

    /// <inheritdoc />
    public void Validate(ConfigScope scope)
    {
        if (Duration == 0 && Mode == LoopMode.LockStep)
        {
            throw scope.Error("duration", "a lock-step run needs a finite duration", "give \"duration\" in s (> 0)");
        }
        if (SpinTime is double spin && spin >= Period / 2)
        {
            throw scope.Error("spin_time", $"a spin of {spin:G4} s is at least half the {Period:G4} s period: the loop thread would hardly sleep, and under SCHED_FIFO the kernel's RT throttling stalls it for tens of ms each second",
                $"give at most a quarter of the period ({Period / 4:G4} s), or leave \"spin_time\" out (then min(50 µs, period / 4))");
        }
    }
}

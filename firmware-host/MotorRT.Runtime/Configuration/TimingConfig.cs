using MotorRT.Contracts.Configuration;

namespace MotorRT.Runtime.Configuration;

/// <summary>How the loop keeps time.</summary>
public enum LoopMode
{
    /// <summary>Lock-step when the rig is lock-step (simulated rig), real-time otherwise.</summary>
    Auto = 0,

    /// <summary>As fast as possible, no sleeping: the plant advances only when a command is written.</summary>
    LockStep = 1,

    /// <summary>Fixed period against the wall clock: absolute-deadline sleep, then a short spin.</summary>
    RealTime = 2,
}

/// <summary>The <c>timing</c> section: loop period, run length and the real-time settings.</summary>
public sealed record TimingConfig
{
    /// <summary>Loop frequency, in Hz (1 kHz … 50 kHz). The period is its inverse.</summary>
    public double Frequency { get; init; } = 10_000;

    /// <summary>Loop period, in s.</summary>
    public double Period => 1.0 / Frequency;

    /// <summary>Length of the Running phase, in s (0 = until stopped; only allowed in real-time mode).</summary>
    public double Duration { get; init; } = 1.0;

    /// <summary>Lock-step, real-time or automatic.</summary>
    public LoopMode Mode { get; init; } = LoopMode.Auto;

    /// <summary>Ticks at the start of Running excluded from the allocation and timing statistics (JIT/tiering warm-up).</summary>
    public int WarmupTicks { get; init; } = 2000;

    /// <summary>
    /// Arming warm-up: ticks of the complete tick path (dry rig read, signal chain, supervisor, controller, telemetry
    /// path) run with the bridge held off before Running, so the first Running tick is a steady-state tick. Default 2000.
    /// </summary>
    public int ArmingWarmupTicks { get; init; } = 2000;

    /// <summary>Real-time mode: the loop sleeps until this long before the deadline, then spins, in s.</summary>
    public double SpinTime { get; init; } = 50e-6;

    /// <summary>SCHED_FIFO priority of the loop thread (1…99), or 0 to leave the scheduler alone.</summary>
    public int FifoPriority { get; init; }

    /// <summary>Lock all current and future pages in RAM (mlockall) before running.</summary>
    public bool LockMemory { get; init; }

    /// <summary>CPU the loop thread is pinned to, or −1 for no pinning.</summary>
    public int Cpu { get; init; } = -1;

    /// <summary>Set <c>GCSettings.LatencyMode = SustainedLowLatency</c> while running.</summary>
    public bool SustainedLowLatency { get; init; } = true;

    /// <summary>
    /// Time the controller alone on every tick (two extra clock reads). Always on when timing trips are armed
    /// (real-time mode), since the budget check needs it.
    /// </summary>
    public bool MeasureControllerTime { get; init; } = true;

    /// <summary>Size of the no-GC region held while Running, in bytes (0 = none; then nothing may allocate at all).</summary>
    public long NoGcRegionBytes { get; init; }

    /// <summary>Reads and validates a <c>timing</c> section.</summary>
    public static TimingConfig Read(JsonSection s)
    {
        ArgumentNullException.ThrowIfNull(s);
        string mode = s.Has("mode") ? s.OneOf("mode", "auto", "lock-step", "real-time") : "auto";
        var t = new TimingConfig
        {
            Frequency = s.Number("frequency", 10_000, 1_000, 50_000, "Hz"),
            Duration = s.Number("duration", 1.0, 0.0, 86_400.0 * 365, "s"),
            Mode = mode switch { "lock-step" => LoopMode.LockStep, "real-time" => LoopMode.RealTime, _ => LoopMode.Auto },
            WarmupTicks = s.Integer("warmup_ticks", 2000, 0, 10_000_000),
            ArmingWarmupTicks = s.Integer("arming_warmup_ticks", 2000, 0, 1_000_000),
            SpinTime = s.Number("spin_time", 50e-6, 0.0, 1e-3, "s"),
            FifoPriority = s.Integer("fifo_priority", 0, 0, 99),
            LockMemory = s.Boolean("lock_memory", false),
            Cpu = s.Integer("cpu", -1, -1, 1023),
            SustainedLowLatency = s.Boolean("sustained_low_latency", true),
            MeasureControllerTime = s.Boolean("measure_controller_time", true),
            NoGcRegionBytes = (long)s.Number("no_gc_region_bytes", 0, 0, 4L << 30, "bytes"),
        };
        s.EnsureNoUnknownKeys();
        if (t.Duration == 0 && t.Mode == LoopMode.LockStep)
        {
            throw s.Error("duration", "a lock-step run needs a finite duration", "give \"duration\" in s (> 0)");
        }
        return t;
    }
}

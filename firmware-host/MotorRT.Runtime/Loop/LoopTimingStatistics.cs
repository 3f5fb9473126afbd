namespace MotorRT.Runtime.Loop;

/// <summary>
/// The loop's timing figures: tick compute time, period jitter, start lateness, controller compute time
/// (pre-allocated histograms) and deadline misses. Recording is allocation-free.
/// </summary>
public sealed class LoopTimingStatistics
{
    /// <summary>Tick compute time read → write, in ns.</summary>
    public LatencyHistogram Compute { get; } = new();

    /// <summary>Period jitter |Δt_start − T|, in ns (real-time mode).</summary>
    public LatencyHistogram Jitter { get; } = new();

    /// <summary>Tick start lateness after its deadline, in ns (real-time mode).</summary>
    public LatencyHistogram Lateness { get; } = new();

    /// <summary>Controller compute time, in ns.</summary>
    public LatencyHistogram Controller { get; } = new();

    /// <summary>Running ticks whose lateness plus compute time exceeded the period, counted from the first Running tick.</summary>
    public long DeadlineMisses { get; private set; }

    /// <summary>Counts a deadline miss.</summary>
    public void CountDeadlineMiss() => DeadlineMisses++;

    /// <summary>Forgets the histograms (end of the measurement warm-up); deadline misses are kept.</summary>
    public void ClearHistograms()
    {
        Compute.Clear();
        Jitter.Clear();
        Lateness.Clear();
        Controller.Clear();
    }

    /// <summary>Forgets everything (start of a run).</summary>
    public void Clear()
    {
        ClearHistograms();
        DeadlineMisses = 0;
    }

    /// <summary>The distribution of one histogram.</summary>
    public static DurationSummary Summarise(LatencyHistogram h) =>
        new(h.Count, h.Percentile(0.5), h.Percentile(0.99), h.Percentile(0.999), h.Max, h.Mean);
}

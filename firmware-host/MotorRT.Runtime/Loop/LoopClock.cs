namespace MotorRT.Runtime.Loop;

/// <summary>
/// The loop's clock and pacing. Lock-step: ticks back to back, one clock read per tick (the end of one tick is the
/// start of the next). Real-time: absolute deadlines, sleep then spin (<see cref="PreciseSleep"/>), re-anchored when
/// far behind instead of firing a burst of catch-up ticks. Records jitter and lateness; allocation-free.
/// </summary>
public sealed class LoopClock
{
    private readonly long _periodNs;
    private readonly long _spinNs;
    private readonly bool _lockStep;
    private long _next;
    private long _start;
    private long _previousStart;

    /// <summary>Creates the clock.</summary>
    /// <param name="periodNs">Loop period, in ns.</param>
    /// <param name="spinNs">Real-time mode: spin this long before each deadline, in ns.</param>
    /// <param name="lockStep">True for lock-step (no waiting).</param>
    public LoopClock(long periodNs, long spinNs, bool lockStep)
    {
        _periodNs = periodNs;
        _spinNs = spinNs;
        _lockStep = lockStep;
    }

    /// <summary>Loop period, in ns.</summary>
    public long PeriodNs => _periodNs;

    /// <summary>Anchors the deadlines at now (call before a run of ticks).</summary>
    public void Begin()
    {
        _previousStart = 0;
        _next = PreciseSleep.NowNs();
        _start = _next;
    }

    /// <summary>Waits for the next tick (real-time) and returns how late it started after its deadline, in ns (0 in lock-step).</summary>
    public long WaitForTick(LoopTimingStatistics statistics)
    {
        if (_lockStep) return 0;
        _next += _periodNs;
        _start = PreciseSleep.Until(_next, _spinNs);
        long late = _start - _next;
        if (_previousStart != 0) statistics.Jitter.Record(Math.Abs(_start - _previousStart - _periodNs));
        _previousStart = _start;
        statistics.Lateness.Record(late);
        if (late > _periodNs)
        {
            // Far behind (e.g. the VM was descheduled): re-anchor.
            _next = _start;
        }
        return late;
    }

    /// <summary>Starts timing this tick now (lock-step ticks that are timed without the previous one being timed).</summary>
    public void MarkStart() => _start = PreciseSleep.NowNs();

    /// <summary>Ends the tick: returns its compute time (start → now) in ns and the end time in <paramref name="endNs"/>.</summary>
    public long EndTick(out long endNs)
    {
        endNs = PreciseSleep.NowNs();
        long compute = endNs - _start;
        _start = endNs;
        return compute;
    }
}

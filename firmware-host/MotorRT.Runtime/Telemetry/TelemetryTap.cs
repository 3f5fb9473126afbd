namespace MotorRT.Runtime.Telemetry;

/// <summary>
/// A decimated copy of the telemetry stream for observers off the loop thread (the live view). The trace writer's
/// thread offers every sample it drains from the <see cref="TelemetryRing"/> (<see cref="Loop.ControlLoop.Tap"/>); the tap keeps
/// one sample per <see cref="Interval"/> of loop time in a fixed ring of its own; readers copy out what is new. The loop
/// thread never touches it, so the tick path, its timing and its 0 B per tick are unchanged. Offer and copy allocate nothing.
/// </summary>
public sealed class TelemetryTap
{
    private readonly TelemetrySample[] _buffer;
    private readonly long _mask;
    private readonly Lock _lock = new();
    private long _count;
    private long _offered;
    private double _next = double.NegativeInfinity;
    private TelemetrySample _latest;

    /// <summary>Keeps the last <paramref name="capacity"/> samples (rounded up to a power of two), one per <paramref name="interval"/>.</summary>
    /// <param name="interval">Minimum loop time between two kept samples, in s (0 keeps every sample offered).</param>
    /// <param name="capacity">Samples kept for late readers.</param>
    public TelemetryTap(double interval, int capacity = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(interval);
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity));
        _buffer = new TelemetrySample[size];
        _mask = size - 1;
        Interval = interval;
    }

    /// <summary>Minimum loop time between two kept samples, in s.</summary>
    public double Interval { get; }

    /// <summary>Capacity in samples.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Samples kept so far (the sequence number of the next one).</summary>
    public long Count { get { lock (_lock) return _count; } }

    /// <summary>Samples offered so far (kept or not).</summary>
    public long Offered => Volatile.Read(ref _offered);

    /// <summary>The last sample offered (kept or not), and false before the first one.</summary>
    public bool TryLatest(out TelemetrySample sample)
    {
        lock (_lock)
        {
            sample = _latest;
            return _offered > 0;
        }
    }

    /// <summary>Writer thread: offers one sample; kept when <see cref="Interval"/> of loop time passed since the last kept one,
    /// and always when the drive state or the latched fault changed.</summary>
    public void Offer(in TelemetrySample sample)
    {
        lock (_lock)
        {
            bool changed = _offered == 0 || sample.State != _latest.State || sample.Fault != _latest.Fault;
            _latest = sample;
            _offered++;
            if (!changed && sample.Time < _next && sample.Time >= _next - 2 * Interval) return;
            _next = sample.Time + Interval * (1 - 1e-6);   // not lost to rounding of tick × period
            _buffer[_count & _mask] = sample;
            _count++;
        }
    }

    /// <summary>
    /// Copies the samples kept from sequence number <paramref name="from"/> on into <paramref name="destination"/>
    /// (oldest first; samples already overwritten are skipped) and returns how many; <paramref name="next"/> is the
    /// sequence number to ask for next time.
    /// </summary>
    public int CopySince(long from, Span<TelemetrySample> destination, out long next)
    {
        lock (_lock)
        {
            long start = Math.Max(Math.Max(0, from), _count - _buffer.Length);
            int n = (int)Math.Min(destination.Length, Math.Max(0, _count - start));
            for (int i = 0; i < n; i++) destination[i] = _buffer[(start + i) & _mask];
            next = start + n;
            return n;
        }
    }
}

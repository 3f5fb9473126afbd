namespace MotorRT.Runtime.Telemetry;

/// <summary>
/// Single-producer / single-consumer ring of <see cref="TelemetrySample"/>s, pre-allocated at arm time: the loop
/// writes, the background writer reads, no locks, no allocation. When full, <see cref="TryWrite"/> refuses and the
/// sample is counted in <see cref="Dropped"/> — never lost silently.
/// </summary>
public sealed class TelemetryRing
{
    private readonly TelemetrySample[] _buffer;
    private readonly long _mask;
    private long _head; // next slot to write (producer-owned)
    private long _tail; // next slot to read (consumer-owned)
    private long _dropped;

    /// <summary>Creates a ring holding at least <paramref name="capacity"/> samples (rounded up to a power of two).</summary>
    public TelemetryRing(int capacity)
    {
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity));
        _buffer = new TelemetrySample[size];
        _mask = size - 1;
        Prefault(_buffer);
    }

    /// <summary>
    /// Touches one sample per memory page, so the kernel maps (and zeroes) the ring's pages here, off the loop: a large
    /// ring comes from fresh pages, and the first write of each page from the loop thread took a page fault (seen as
    /// ~6 % of a lock-step PMDC tick in <c>perf</c>; in real time a page fault is jitter).
    /// </summary>
    private static void Prefault(TelemetrySample[] buffer)
    {
        int stride = Math.Max(1, 4096 / System.Runtime.CompilerServices.Unsafe.SizeOf<TelemetrySample>());
        for (int i = 0; i < buffer.Length; i += stride) buffer[i].Tick = 0;
    }

    /// <summary>Capacity in samples.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Samples refused because the ring was full.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Samples written so far.</summary>
    public long Written => Volatile.Read(ref _head);

    /// <summary>Samples waiting for the consumer.</summary>
    public long Pending => Volatile.Read(ref _head) - Volatile.Read(ref _tail);

    /// <summary>True when a write would be refused.</summary>
    public bool IsFull => Volatile.Read(ref _head) - Volatile.Read(ref _tail) >= _buffer.Length;

    /// <summary>Producer: the slot the next sample goes into (check <see cref="IsFull"/> first, then <see cref="Publish"/>).</summary>
    public ref TelemetrySample NextSlot() => ref _buffer[_head & _mask];

    /// <summary>Producer: makes the slot filled through <see cref="NextSlot"/> visible to the consumer.</summary>
    public void Publish() => Volatile.Write(ref _head, _head + 1);

    /// <summary>Producer: counts a sample that did not fit.</summary>
    public void CountDrop() => Volatile.Write(ref _dropped, _dropped + 1);

    /// <summary>Producer: appends a sample, or counts a drop when full.</summary>
    public bool TryWrite(in TelemetrySample sample)
    {
        long head = _head;
        if (head - Volatile.Read(ref _tail) >= _buffer.Length)
        {
            CountDrop();
            return false;
        }
        _buffer[head & _mask] = sample;
        Volatile.Write(ref _head, head + 1);
        return true;
    }

    /// <summary>Consumer: copies the oldest sample out; false when empty.</summary>
    public bool TryRead(out TelemetrySample sample)
    {
        long tail = _tail;
        if (tail >= Volatile.Read(ref _head))
        {
            sample = default;
            return false;
        }
        sample = _buffer[tail & _mask];
        Volatile.Write(ref _tail, tail + 1);
        return true;
    }

    /// <summary>Consumer: samples readable now (the oldest is <c>PeekAt(0)</c>).</summary>
    public int ReadableCount => (int)Math.Min(int.MaxValue, Volatile.Read(ref _head) - _tail);

    /// <summary>Consumer: the sample <paramref name="offset"/> places after the oldest, read in place (offset &lt; <see cref="ReadableCount"/>).</summary>
    public ref readonly TelemetrySample PeekAt(int offset) => ref _buffer[(_tail + offset) & _mask];

    /// <summary>Consumer: frees the <paramref name="count"/> oldest samples for the producer (after reading them with <see cref="PeekAt"/>).</summary>
    public void Release(int count) => Volatile.Write(ref _tail, _tail + count);
}

using System.Runtime.InteropServices;

namespace MotorRT.Hardware.RaspberryPi;

/// <summary>
/// MotorRT's 4× quadrature decoder on the GPIO character device, without dotnet/iot's event thread: A and B (and Z)
/// are one v2 line request with edge detection on both edges; the kernel timestamps and queues every edge
/// (<c>gpio_v2_line_event</c>, 48 bytes, up to 1024 queued); each <see cref="Sample"/> drains the queue with
/// non-blocking read() calls into a pinned buffer allocated once, and decodes the records in order on the calling
/// (loop) thread — no allocation, no lock, no second thread. Decoding shared with <see cref="GpioQuadratureDecoder"/>: every
/// edge steps the Gray sequence (A,B) = 00 → 10 → 11 → 01 (+1) or back (−1); an edge that contradicts the tracked
/// level (its opposite edge never arrived) or a jump of both lines is counted in <see cref="IllegalTransitions"/> and
/// never as motion; Z's rising edge latches the count, in the kernel's order of events, so the latch is exact.
/// Events the kernel dropped because its queue overflowed (it drops the oldest) show as gaps in the request's
/// sequence numbers: counted in <see cref="LostEvents"/> and in <see cref="IllegalTransitions"/>. The queue must
/// therefore hold one tick's edges: 1024 events is 2.5 ms at 409 600 edges/s.
/// </summary>
public sealed class GpioChardevEdgeReader : IQuadratureCounter
{
    private readonly IGpioLineEventSource _source;
    private readonly int _pinA, _pinB, _pinZ;
    private readonly int _eventBufferSize;
    private readonly byte[] _buffer;
    private bool _requested;
    private QuadratureState _q;
    private long _lost;
    private uint _seqno;

    /// <summary>Decodes lines <paramref name="pinA"/>, <paramref name="pinB"/> and optionally <paramref name="pinZ"/> (−1 = none) of <paramref name="source"/>.</summary>
    /// <param name="source">The line request (real or emulated); owned and disposed by the reader.</param>
    /// <param name="pinA">Line offset of A (BCM number on the Pi).</param>
    /// <param name="pinB">Line offset of B.</param>
    /// <param name="pinZ">Line offset of the index, or −1.</param>
    /// <param name="eventBufferSize">Kernel queue asked for, in events (1..1024).</param>
    /// <param name="readBufferEvents">Events read per read() call (the pinned buffer's size, in events).</param>
    public GpioChardevEdgeReader(IGpioLineEventSource source, int pinA, int pinB, int pinZ, int eventBufferSize = GpioV2Abi.MaxEventBufferSize, int readBufferEvents = 256)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(eventBufferSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(eventBufferSize, GpioV2Abi.MaxEventBufferSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(readBufferEvents, 1);
        _source = source;
        _pinA = pinA;
        _pinB = pinB;
        _pinZ = pinZ;
        _eventBufferSize = eventBufferSize;
        _buffer = GC.AllocateArray<byte>(readBufferEvents * GpioV2Abi.EventSize, pinned: true);
    }

    /// <inheritdoc />
    public long IllegalTransitions => _q.Illegal;

    /// <summary>Events the kernel dropped (queue overflow), from sequence-number gaps, since <see cref="Start"/>.</summary>
    public long LostEvents => _lost;

    /// <summary>Edge events decoded since <see cref="Start"/>.</summary>
    public long Edges { get; private set; }

    /// <summary>read() calls since <see cref="Start"/> (each drains up to the buffer's size).</summary>
    public long Reads { get; private set; }

    /// <summary>Kernel timestamp of the last edge decoded, in ns (CLOCK_MONOTONIC); 0 before the first.</summary>
    public ulong LastEdgeTimestampNs { get; private set; }

    /// <summary>Requests the lines (first call), drops queued events, reads A and B as the starting state, count 0.</summary>
    public void Start()
    {
        if (!_requested)
        {
            Span<int> offsets = stackalloc int[3];
            offsets[0] = _pinA;
            offsets[1] = _pinB;
            offsets[2] = _pinZ;
            _source.Request(offsets[..(_pinZ >= 0 ? 3 : 2)], _eventBufferSize);
            _requested = true;
        }
        // Edges queued before now belong to the old position: drop them, but follow the sequence numbers.
        int n;
        while ((n = _source.Read(_buffer)) >= GpioV2Abi.EventSize)
        {
            _seqno = MemoryMarshal.Read<GpioV2LineEvent>(_buffer.AsSpan(n - GpioV2Abi.EventSize, GpioV2Abi.EventSize)).Seqno;
        }
        ulong levels = _source.ReadValues();
        _q.Reset((levels & 1) != 0, (levels & 2) != 0);
        _lost = 0;
        Edges = 0;
        Reads = 0;
    }

    /// <inheritdoc />
    public void Sample(out long count, out int indexPulses, out long countAtIndex)
    {
        int n;
        do
        {
            n = _source.Read(_buffer);
            Reads++;
            Decode(_buffer.AsSpan(0, n));
        }
        while (n == _buffer.Length);
        count = _q.Count;
        indexPulses = _q.IndexPulses;
        countAtIndex = _q.CountAtIndex;
    }

    /// <inheritdoc />
    public void Dispose() => _source.Dispose();

    private void Decode(ReadOnlySpan<byte> records)
    {
        ReadOnlySpan<GpioV2LineEvent> events = MemoryMarshal.Cast<byte, GpioV2LineEvent>(records);
        for (int i = 0; i < events.Length; i++)
        {
            ref readonly GpioV2LineEvent e = ref events[i];
            uint gap = e.Seqno - _seqno - 1;
            if (gap != 0)
            {
                _lost += gap;
                _q.Illegal += gap;
            }
            _seqno = e.Seqno;
            Edges++;
            LastEdgeTimestampNs = e.TimestampNs;
            bool rising = e.Id == GpioV2Abi.EventRisingEdge;
            int line = (int)e.Offset;
            if (line == _pinZ)
            {
                _q.IndexEdge(rising);
                continue;
            }
            bool isA = line == _pinA;
            if (!isA && line != _pinB)
            {
                continue;
            }
            _q.Edge(isA, rising);
        }
    }
}

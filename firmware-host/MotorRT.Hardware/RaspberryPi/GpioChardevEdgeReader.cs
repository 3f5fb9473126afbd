using System.Runtime.InteropServices;

namespace MotorRT.Hardware.RaspberryPi;

/// <summary>
/// MotorRT's 4× quadrature decoder on the GPIO character device, without dotnet/iot's event thread: A and B (and Z)
/// are one v2 line request with edge detection on both edges; the kernel timestamps and queues every edge
/// (<c>gpio_v2_line_event</c>, 48 bytes, up to 1024 queued); each <see cref="Sample"/> drains the queue with
/// non-blocking read() calls into a pinned buffer allocated once, and decodes the records in order on the calling
/// (loop) thread — no allocation, no lock, no second thread. Decoding as <see cref="GpioQuadratureDecoder"/>: every
/// edge steps the Gray sequence (A,B) = 00 → 10 → 11 → 01 (+1) or back (−1); an edge that contradicts the tracked
/// level (its opposite edge never arrived) or a jump of both lines is counted in <see cref="IllegalTransitions"/> and
/// never as motion; Z's rising edge latches the count, in the kernel's order of events, so the latch is exact.
/// Events the kernel dropped because its queue overflowed (it drops the oldest) show as gaps in the request's
/// sequence numbers: counted in <see cref="LostEvents"/> and in <see cref="IllegalTransitions"/>. The queue must
/// therefore hold one tick's edges: 1024 events is 2.5 ms at 409 600 edges/s.
/// </summary>
public sealed class GpioChardevEdgeReader : IQuadratureCounter
{
    // delta[old * 4 + new] over state indices 0:(0,0) 1:(1,0) 2:(1,1) 3:(0,1); 2 marks an illegal jump
    private static readonly sbyte[] Delta = [0, 1, 2, -1, -1, 0, 1, 2, 2, -1, 0, 1, 1, 2, -1, 0];

    private readonly IGpioLineEventSource _source;
    private readonly int _pinA, _pinB, _pinZ;
    private readonly int _eventBufferSize;
    private readonly byte[] _buffer;
    private bool _requested;
    private bool _a, _b;
    private int _state;
    private long _count;
    private int _indexPulses;
    private long _countAtIndex;
    private long _illegal;
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
    public long IllegalTransitions => _illegal;

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
        _a = (levels & 1) != 0;
        _b = (levels & 2) != 0;
        _state = StateOf(_a, _b);
        _count = 0;
        _indexPulses = 0;
        _countAtIndex = 0;
        _illegal = 0;
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
        count = _count;
        indexPulses = _indexPulses;
        countAtIndex = _countAtIndex;
    }

    /// <inheritdoc />
    public void Dispose() => _source.Dispose();

    private static int StateOf(bool a, bool b) => a ? (b ? 2 : 1) : (b ? 3 : 0);

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
                _illegal += gap;
            }
            _seqno = e.Seqno;
            Edges++;
            LastEdgeTimestampNs = e.TimestampNs;
            bool rising = e.Id == GpioV2Abi.EventRisingEdge;
            int line = (int)e.Offset;
            if (line == _pinZ)
            {
                if (rising)
                {
                    _indexPulses++;
                    _countAtIndex = _count;
                }
                continue;
            }
            bool isA = line == _pinA;
            if (!isA && line != _pinB)
            {
                continue;
            }
            if ((isA ? _a : _b) == rising)
            {
                _illegal++; // the opposite edge on this line never arrived
                continue;
            }
            if (isA)
            {
                _a = rising;
            }
            else
            {
                _b = rising;
            }
            int s = StateOf(_a, _b);
            int d = Delta[_state * 4 + s];
            if (d == 2)
            {
                _illegal++;
            }
            else
            {
                _count += d;
            }
            _state = s;
        }
    }
}

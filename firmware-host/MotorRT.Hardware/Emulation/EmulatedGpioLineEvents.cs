using System.Runtime.InteropServices;
using MotorRT.Hardware.RaspberryPi;

namespace MotorRT.Hardware.Emulation;

/// <summary>
/// A GPIO v2 line request as the kernel's gpiolib-cdev keeps it, for CI (no <c>/dev/gpiochip*</c> there): the world
/// drives line levels with <see cref="Drive"/>; each change of a requested line becomes a byte-exact
/// <c>gpio_v2_line_event</c> (timestamp, id rising 1 / falling 2, line offset, request-wide seqno from 1, per-line
/// seqno from 1, zero padding) in a FIFO of the requested size — 16 per line when 0 is asked, capped at 1024 and
/// rounded up to a power of two, as the kernel's kfifo — which drops its oldest event when full (counted in
/// <see cref="DroppedEvents"/>; the reader sees the seqno gap). <see cref="Read"/> copies whole events like
/// read() on the request's descriptor: a buffer shorter than one event is an error (the kernel's EINVAL), an empty
/// queue returns 0 (O_NONBLOCK's EAGAIN). Not thread-safe: world and reader run on one thread (lock-step).
/// </summary>
public sealed class EmulatedGpioLineEvents : IGpioLineEventSource
{
    private readonly bool[] _level = new bool[EmulatedGpioDriver.Lines];
    private readonly int[] _index = new int[EmulatedGpioDriver.Lines];
    private readonly uint[] _lineSeqno = new uint[GpioV2Abi.LinesMax];
    private GpioV2LineEvent[] _fifo = [];
    private int _head, _pending;
    private uint _seqno;

    /// <summary>Creates the chip with every line low and no request.</summary>
    public EmulatedGpioLineEvents() => Array.Fill(_index, -1);

    /// <summary>Capacity of the event FIFO, in events (0 before <see cref="Request"/>).</summary>
    public int Capacity => _fifo.Length;

    /// <summary>Events queued and not yet read.</summary>
    public int Pending => _pending;

    /// <summary>Events dropped because the FIFO was full.</summary>
    public long DroppedEvents { get; private set; }

    /// <summary>Events generated since the request.</summary>
    public long EventsGenerated => _seqno;

    /// <summary>True once lines are requested.</summary>
    public bool Requested => _fifo.Length > 0;

    /// <summary>The level of a line.</summary>
    public bool Level(int line) => _level[line];

    /// <inheritdoc />
    public void Request(ReadOnlySpan<int> offsets, int eventBufferSize)
    {
        if (Requested)
        {
            throw new InvalidOperationException("lines already requested (the kernel answers EBUSY)");
        }
        if (offsets.Length is 0 or > GpioV2Abi.LinesMax)
        {
            throw new ArgumentOutOfRangeException(nameof(offsets), offsets.Length, "1 to 64 lines per request");
        }
        for (int i = 0; i < offsets.Length; i++)
        {
            if (_index[offsets[i]] >= 0)
            {
                throw new ArgumentException($"line {offsets[i]} requested twice", nameof(offsets));
            }
            _index[offsets[i]] = i;
        }
        int size = eventBufferSize == 0 ? offsets.Length * 16 : Math.Min(eventBufferSize, GpioV2Abi.MaxEventBufferSize);
        _fifo = new GpioV2LineEvent[(int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)size)];
    }

    /// <summary>
    /// Drives <paramref name="line"/> to <paramref name="level"/> at world time <paramref name="timestampNs"/>; a change
    /// on a requested line queues its edge event. Allocation-free.
    /// </summary>
    public void Drive(int line, bool level, ulong timestampNs)
    {
        if (_level[line] == level)
        {
            return;
        }
        _level[line] = level;
        int idx = _index[line];
        if (idx < 0 || !Requested)
        {
            return;
        }
        if (_pending == _fifo.Length)
        {
            _head = (_head + 1) & (_fifo.Length - 1); // kfifo_skip: the oldest goes
            _pending--;
            DroppedEvents++;
        }
        ref GpioV2LineEvent e = ref _fifo[(_head + _pending) & (_fifo.Length - 1)];
        e = default;
        e.TimestampNs = timestampNs;
        e.Id = level ? GpioV2Abi.EventRisingEdge : GpioV2Abi.EventFallingEdge;
        e.Offset = (uint)line;
        e.Seqno = ++_seqno;
        e.LineSeqno = ++_lineSeqno[idx];
        _pending++;
    }

    /// <inheritdoc />
    public ulong ReadValues()
    {
        ulong bits = 0;
        for (int line = 0; line < _index.Length; line++)
        {
            if (_index[line] >= 0 && _level[line])
            {
                bits |= 1UL << _index[line];
            }
        }
        return bits;
    }

    /// <inheritdoc />
    public int Read(Span<byte> buffer)
    {
        if (buffer.Length < GpioV2Abi.EventSize)
        {
            throw new ArgumentException("read() of line events needs room for one 48-byte event (the kernel answers EINVAL)", nameof(buffer));
        }
        int n = Math.Min(_pending, buffer.Length / GpioV2Abi.EventSize);
        Span<GpioV2LineEvent> dst = MemoryMarshal.Cast<byte, GpioV2LineEvent>(buffer);
        for (int i = 0; i < n; i++)
        {
            dst[i] = _fifo[_head];
            _head = (_head + 1) & (_fifo.Length - 1);
        }
        _pending -= n;
        return n * GpioV2Abi.EventSize;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using MotorRT.Hardware.Emulation;
using MotorRT.Hardware.RaspberryPi;

namespace MotorRT.Hardware.Tests;

/// <summary>A fact that runs only where a GPIO character device exists, skipped with the reason elsewhere.</summary>
public sealed class GpioChipFactAttribute : FactAttribute
{
    public GpioChipFactAttribute()
    {
        if (!Directory.Exists("/dev") || Directory.GetFiles("/dev", "gpiochip*").Length == 0)
        {
            Skip = "no /dev/gpiochip* on this machine; the reader runs against EmulatedGpioLineEvents in the other tests";
        }
    }
}

/// <summary>The GPIO v2 character-device ABI mirrors, the edge reader against byte-exact kernel records, and at 400 k edges/s.</summary>
public class GpioChardevEdgeReaderTests
{
    private const int PinA = 17, PinB = 27, PinZ = 5;

    private static uint Iowr(uint nr, int size) => (3u << 30) | ((uint)size << 16) | (0xB4u << 8) | nr;

    [Fact]
    public void Abi_structs_and_ioctl_numbers_match_the_uapi_header()
    {
        Assert.Equal(592, Unsafe.SizeOf<GpioV2LineRequest>());
        Assert.Equal(272, Unsafe.SizeOf<GpioV2LineConfig>());
        Assert.Equal(24, Unsafe.SizeOf<GpioV2LineConfigAttribute>());
        Assert.Equal(48, Unsafe.SizeOf<GpioV2LineEvent>());
        Assert.Equal(16, Unsafe.SizeOf<GpioV2LineValues>());
        var r = default(GpioV2LineRequest);
        ref byte b = ref Unsafe.As<GpioV2LineRequest, byte>(ref r);
        Assert.Equal(256, (int)Unsafe.ByteOffset(ref b, ref Unsafe.As<GpioV2Name, byte>(ref r.Consumer)));
        Assert.Equal(288, (int)Unsafe.ByteOffset(ref b, ref Unsafe.As<GpioV2LineConfig, byte>(ref r.Config)));
        Assert.Equal(560, (int)Unsafe.ByteOffset(ref b, ref Unsafe.As<uint, byte>(ref r.NumLines)));
        Assert.Equal(564, (int)Unsafe.ByteOffset(ref b, ref Unsafe.As<uint, byte>(ref r.EventBufferSize)));
        Assert.Equal(588, (int)Unsafe.ByteOffset(ref b, ref Unsafe.As<int, byte>(ref r.Fd)));
        Assert.Equal(GpioV2Abi.GetLineIoctl, Iowr(0x07, 592));
        Assert.Equal(GpioV2Abi.GetValuesIoctl, Iowr(0x0E, 16));
    }

    [Fact]
    public void Emulated_request_queues_byte_exact_event_records()
    {
        var src = new EmulatedGpioLineEvents();
        src.Request([PinA, PinB], 0);
        Assert.Equal(32, src.Capacity); // 16 per line
        src.Drive(PinA, true, 0x0102030405060708);
        src.Drive(PinB, true, 1000);
        src.Drive(PinB, true, 1001); // no change, no event
        src.Drive(PinA, false, 2000);
        src.Drive(3, true, 2500);    // not requested
        byte[] buf = new byte[4 * 48];
        Array.Fill(buf, (byte)0xAA);
        Assert.Equal(3 * 48, src.Read(buf));
        ReadOnlySpan<byte> e0 = buf.AsSpan(0, 48);
        Assert.Equal(0x0102030405060708ul, BinaryPrimitives.ReadUInt64LittleEndian(e0));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(e0[8..]));   // rising
        Assert.Equal(17u, BinaryPrimitives.ReadUInt32LittleEndian(e0[12..])); // offset
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(e0[16..]));  // seqno
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(e0[20..]));  // line seqno
        Assert.True(e0[24..].IndexOfAnyExcept((byte)0) < 0);                  // padding zero
        ReadOnlySpan<byte> e2 = buf.AsSpan(96, 48);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(e2[8..]));   // falling
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(e2[16..]));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(e2[20..]));
        Assert.Equal(0xAA, buf[3 * 48]);                                      // nothing beyond
        Assert.Equal(0, src.Read(buf));
        Assert.Equal(2ul, src.ReadValues());                                  // A low, B high
        Assert.Throws<ArgumentException>(() => src.Read(new byte[47]));
    }

    /// <summary>Hands out bytes built by the test, independent of the emulation's struct.</summary>
    private sealed class BytesSource(byte[] bytes, ulong values) : IGpioLineEventSource
    {
        private int _at = -1;
        public int[] Offsets = [];

        public void Request(ReadOnlySpan<int> offsets, int eventBufferSize) => Offsets = offsets.ToArray();

        public ulong ReadValues() => values;

        public int Read(Span<byte> buffer)
        {
            if (_at < 0) { _at = 0; return 0; } // Start's drain: nothing queued yet
            int n = Math.Min(buffer.Length / 48 * 48, bytes.Length - _at);
            bytes.AsSpan(_at, n).CopyTo(buffer);
            _at += n;
            return n;
        }

        public void Dispose() { }
    }

    private static byte[] Records(params (uint Id, uint Offset, uint Seqno)[] events)
    {
        byte[] b = new byte[events.Length * 48];
        for (int i = 0; i < events.Length; i++)
        {
            Span<byte> r = b.AsSpan(i * 48, 48);
            BinaryPrimitives.WriteUInt64LittleEndian(r, 1000ul * (ulong)(i + 1));
            BinaryPrimitives.WriteUInt32LittleEndian(r[8..], events[i].Id);
            BinaryPrimitives.WriteUInt32LittleEndian(r[12..], events[i].Offset);
            BinaryPrimitives.WriteUInt32LittleEndian(r[16..], events[i].Seqno);
        }
        return b;
    }

    [Fact]
    public void Reader_decodes_kernel_records_counts_illegal_edges_lost_events_and_latches_the_index()
    {
        const uint R = 1, F = 2;
        byte[] bytes = Records(
            (R, PinA, 1), (R, PinB, 2), (F, PinA, 3), (F, PinB, 4), // +4: one cycle forward
            (R, PinZ, 5), (F, PinZ, 6),                            // index at 4
            (R, PinB, 7), (R, PinA, 8),                            // −2: backwards
            (R, PinA, 9),                                          // rising on a high line: the falling edge was lost
            (F, PinB, 12));                                        // seqno 10, 11 dropped by the kernel; 11 → 10: −1
        using var reader = new GpioChardevEdgeReader(new BytesSource(bytes, 0), PinA, PinB, PinZ, readBufferEvents: 4);
        reader.Start();
        reader.Sample(out long c, out int pulses, out long atIndex);
        Assert.Equal(4 - 2 - 1, c);
        Assert.Equal(1, pulses);
        Assert.Equal(4, atIndex);
        Assert.Equal(2, reader.LostEvents);
        Assert.Equal(1 + 2, reader.IllegalTransitions);
        Assert.Equal(10, reader.Edges);
        Assert.Equal(10_000ul, reader.LastEdgeTimestampNs);
        Assert.Equal(3, reader.Reads); // 4 + 4 + 2 events: the last read is short, so draining stops
    }

    /// <summary>An encoder shaft driven at a speed profile; produces the A/B/Z edges of each tick with their times.</summary>
    private sealed class EncoderShaft(EmulatedGpioLineEvents lines, int countsPerRevolution, int indexAt)
    {
        private long _position;

        public long Position => _position;

        public int IndexPulses;

        /// <summary>Moves to <paramref name="target"/> counts, edges spread evenly over (t0, t1] ns.</summary>
        public void MoveTo(long target, ulong t0, ulong t1)
        {
            long n = Math.Abs(target - _position);
            int step = target > _position ? 1 : -1;
            for (long i = 1; i <= n; i++)
            {
                _position += step;
                ulong t = t0 + (ulong)((t1 - t0) * (double)i / n);
                int s = (int)(((_position % 4) + 4) % 4);
                lines.Drive(PinA, s is 1 or 2, t);
                lines.Drive(PinB, s is 2 or 3, t);
                if (((_position % countsPerRevolution) + countsPerRevolution) % countsPerRevolution == indexAt)
                {
                    lines.Drive(PinZ, true, t);
                    lines.Drive(PinZ, false, t);
                    IndexPulses++;
                }
            }
        }
    }

    [Fact]
    public void Reader_counts_exactly_at_400k_edges_per_second_in_100us_batches_and_allocates_nothing_per_tick()
    {
        // 1024 lines × 4 × 100 rev/s = 409 600 edges/s, 40.96 edges (plus index edges) per 100 µs tick; the shaft
        // reverses after 0.6 s and returns, so both directions are decoded.
        const int lines = 1024, cpr = 4 * lines;
        const double tick = 1e-4, edgeRate = cpr * 100.0;
        var src = new EmulatedGpioLineEvents();
        var shaft = new EncoderShaft(src, cpr, indexAt: 123);
        using var reader = new GpioChardevEdgeReader(src, PinA, PinB, PinZ);
        reader.Start();
        Assert.Equal(1024, src.Capacity);
        long Target(int k)
        {
            double t = (k + 1) * tick;
            return (long)Math.Floor(edgeRate * (t < 0.6 ? t : 1.2 - t));
        }
        long maxPerTick = 0;
        for (int k = 0; k < 2000; k++)
        {
            long before = shaft.Position;
            shaft.MoveTo(Target(k), (ulong)(k * 100_000), (ulong)((k + 1) * 100_000));
            maxPerTick = Math.Max(maxPerTick, Math.Abs(shaft.Position - before));
            reader.Sample(out long c, out int pulses, out long atIndex);
            Assert.Equal(shaft.Position, c);
            Assert.Equal(shaft.IndexPulses, pulses);
            if (pulses > 0) Assert.Equal(123, ((atIndex % cpr) + cpr) % cpr);
        }
        Assert.InRange(maxPerTick, 40, 41);
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 2000; k < 12_000; k++)
        {
            shaft.MoveTo(Target(k), (ulong)(k * 100_000), (ulong)((k + 1) * 100_000));
            reader.Sample(out long c, out int pulses, out _);
            if (c != shaft.Position || pulses != shaft.IndexPulses) Assert.Fail($"tick {k}: count {c} vs shaft {shaft.Position}, index {pulses} vs {shaft.IndexPulses}");
        }
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.Equal(0, allocated);
        Assert.Equal(0, reader.IllegalTransitions);
        Assert.Equal(0, reader.LostEvents);
        Assert.Equal(0, src.DroppedEvents);
        Assert.Equal(Target(11_999), shaft.Position);
        Assert.True(reader.Edges > 490_000, $"{reader.Edges} edges decoded"); // 1.2 s × 409 600 edges/s + index edges
    }

    [Fact]
    public void A_late_reader_sees_the_kernels_dropped_events_as_lost()
    {
        var src = new EmulatedGpioLineEvents();
        var shaft = new EncoderShaft(src, 4096, indexAt: -1);
        using var reader = new GpioChardevEdgeReader(src, PinA, PinB, -1, eventBufferSize: 256);
        reader.Start();
        Assert.Equal(256, src.Capacity);
        shaft.MoveTo(1000, 0, 1_000_000); // 1000 edges while the loop stalls: 744 dropped, the oldest first
        reader.Sample(out long c, out _, out _);
        Assert.Equal(744, src.DroppedEvents);
        Assert.Equal(744, reader.LostEvents);
        Assert.True(reader.IllegalTransitions >= 744);
        Assert.NotEqual(1000, c);
    }

    [Fact]
    public void Real_request_reports_a_missing_chip_and_a_file_that_is_not_one_with_errno()
    {
        using var missing = new GpioChardevLineRequest("/dev/gpiochip-motorrt-none");
        Assert.Contains("not found", Assert.Throws<IOException>(() => missing.Request([PinA, PinB], 64)).Message);
        if (!OperatingSystem.IsLinux() || !File.Exists("/dev/null")) return;
        // open() and the GPIO_V2_GET_LINE ioctl run for real: /dev/null answers ENOTTY (25)
        using var notAChip = new GpioChardevLineRequest("/dev/null");
        IOException e = Assert.Throws<IOException>(() => notAChip.Request([PinA, PinB], 64));
        Assert.Contains("GPIO_V2_GET_LINE_IOCTL", e.Message);
        Assert.Contains("errno 25", e.Message);
        Assert.Equal(-1, notAChip.Fd);
    }

    [GpioChipFact]
    public void Real_chip_requests_two_lines_and_reads_without_allocating()
    {
        // Lines BCM 26 and 19 (override: MOTORRT_TEST_GPIO_LINES="chip,a,b"); leave them unconnected or as inputs.
        string[] cfg = (Environment.GetEnvironmentVariable("MOTORRT_TEST_GPIO_LINES") ?? "0,26,19").Split(',');
        using var reader = new GpioChardevEdgeReader(new GpioChardevLineRequest($"/dev/gpiochip{cfg[0]}"), int.Parse(cfg[1]), int.Parse(cfg[2]), -1);
        reader.Start();
        for (int k = 0; k < 100; k++) reader.Sample(out _, out _, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 10_000; k++) reader.Sample(out _, out _, out _);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

using System.Device.Spi;
using MotorRT.Hardware.Emulation;
using MotorRT.Hardware.RaspberryPi;

namespace MotorRT.Hardware.Tests;

/// <summary>The LS7366R driver's bytes on the wire, the emulated chip's register protocol, and the two together at speed.</summary>
public class Ls7366rTests
{
    private static readonly SpiConnectionSettings Settings = new(0, 1) { Mode = SpiMode.Mode0, ClockFrequency = 1_000_000 };

    /// <summary>Records every transaction the driver makes and answers from a queue of MISO bytes.</summary>
    private sealed class RecordingSpi : SpiDevice
    {
        public readonly List<byte[]> Mosi = [];
        public readonly Queue<byte[]> Miso = new();

        public override SpiConnectionSettings ConnectionSettings => Settings;

        public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
        {
            Mosi.Add(writeBuffer.ToArray());
            readBuffer.Clear();
            if (Miso.Count > 0)
            {
                Miso.Dequeue().AsSpan(0, readBuffer.Length).CopyTo(readBuffer);
            }
        }

        public override void Read(Span<byte> buffer) => throw new InvalidOperationException("the driver uses full-duplex transfers only");

        public override void Write(ReadOnlySpan<byte> buffer) => throw new InvalidOperationException("the driver uses full-duplex transfers only");
    }

    [Fact]
    public void Driver_sends_the_datasheet_instruction_bytes()
    {
        var spi = new RecordingSpi();
        using var chip = new Ls7366r(spi);
        chip.WriteMdr0(Ls7366r.Mdr0X4 | Ls7366r.Mdr0FreeRunning | Ls7366r.Mdr0IndexLoadOtr);
        chip.WriteMdr1(Ls7366r.Mdr1FourBytes);
        chip.ClearCounter();
        chip.ClearStatus();
        chip.ClearMdr0();
        chip.ClearMdr1();
        chip.LatchCounter();
        chip.LoadCounterFromData();
        chip.WriteData(0x12345678);
        spi.Miso.Enqueue([0x00, 0xDE, 0xAD, 0xBE, 0xEF]);
        Assert.Equal(0xDEADBEEFu, chip.ReadCounter());
        spi.Miso.Enqueue([0x00, 0x01, 0x02, 0x03, 0x04]);
        Assert.Equal(0x01020304u, chip.ReadOutputLatch());
        spi.Miso.Enqueue([0x00, 0x9A]);
        Assert.Equal(0x9A, chip.ReadStatus());
        chip.ReadMdr0();
        chip.ReadMdr1();
        chip.ReadData();
        byte[][] expected =
        [
            [0x88, 0x33],                   // WR MDR0: x4, free-running, index → LOAD OTR
            [0x90, 0x00],                   // WR MDR1: 4 bytes, counting enabled
            [0x20],                         // CLR CNTR
            [0x30],                         // CLR STR
            [0x08],                         // CLR MDR0
            [0x10],                         // CLR MDR1
            [0xE8],                         // LOAD OTR
            [0xE0],                         // LOAD CNTR
            [0x98, 0x12, 0x34, 0x56, 0x78], // WR DTR, MSB first
            [0x60, 0, 0, 0, 0],             // RD CNTR
            [0x68, 0, 0, 0, 0],             // RD OTR
            [0x70, 0],                      // RD STR
            [0x48, 0],                      // RD MDR0
            [0x50, 0],                      // RD MDR1
            [0x58, 0, 0, 0, 0],             // RD DTR
        ];
        Assert.Equal(expected.Length, spi.Mosi.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], spi.Mosi[i]);
        }
    }

    [Fact]
    public void Driver_follows_the_counter_width_of_mdr1()
    {
        var spi = new RecordingSpi();
        using var chip = new Ls7366r(spi);
        chip.WriteMdr1(0x02); // 2-byte counter
        Assert.Equal(2, chip.CounterBytes);
        spi.Miso.Enqueue([0x00, 0xAB, 0xCD]);
        Assert.Equal(0xABCDu, chip.ReadCounter());
        chip.WriteData(0x11223344);
        Assert.Equal(new byte[] { 0x60, 0, 0 }, spi.Mosi[1]);
        Assert.Equal(new byte[] { 0x98, 0x33, 0x44 }, spi.Mosi[2]);
    }

    [Fact]
    public void Emulated_chip_answers_the_register_protocol_byte_for_byte()
    {
        var emu = new EmulatedLs7366r(Settings);
        Span<byte> rx = stackalloc byte[5];
        emu.TransferFullDuplex([0x70, 0x00], rx[..2]);
        Assert.Equal(0, rx[0]);                                  // MISO quiet while IR shifts in
        Assert.Equal(Ls7366r.StrPowerLoss | Ls7366r.StrCountEnabled | Ls7366r.StrUp, rx[1]); // power-up status
        emu.TransferFullDuplex([0x88, 0x03], rx[..2]);           // WR MDR0 x4
        emu.TransferFullDuplex([0x48, 0x00], rx[..2]);
        Assert.Equal(0x03, rx[1]);
        emu.TransferFullDuplex([0x98, 0x00, 0x01, 0x02, 0x03], rx); // WR DTR
        emu.TransferFullDuplex([0xE0], rx[..1]);                 // LOAD CNTR ← DTR
        emu.TransferFullDuplex([0x60, 0, 0, 0, 0], rx);          // RD CNTR, big-endian
        Assert.Equal(new byte[] { 0, 0x00, 0x01, 0x02, 0x03 }, rx.ToArray());
        Assert.Equal(0x00010203u, emu.OutputLatch);              // RD CNTR went through OTR
        emu.TransferFullDuplex([0x20], rx[..1]);                 // CLR CNTR
        Assert.Equal(0u, emu.Counter);
        emu.TransferFullDuplex([0x68, 0, 0, 0, 0], rx);          // OTR kept the old value
        Assert.Equal(new byte[] { 0, 0x00, 0x01, 0x02, 0x03 }, rx.ToArray());
        emu.TransferFullDuplex([0x30], rx[..1]);                 // CLR STR
        emu.TransferFullDuplex([0x70, 0], rx[..2]);
        Assert.Equal(Ls7366r.StrCountEnabled | Ls7366r.StrUp, rx[1]);
        emu.TransferFullDuplex([0x98, 0x01], rx[..2]);           // WR DTR too short: nothing written
        Assert.Equal(1, emu.IncompleteTransfers);
        emu.TransferFullDuplex([0x18], rx[..1]);                 // CLR DTR: not an instruction of the part
        emu.TransferFullDuplex([0xA0, 1, 2, 3, 4], rx);          // WR CNTR: neither
        Assert.Equal(2, emu.UndefinedInstructions);
        Assert.Equal(0u, emu.Counter);
    }

    /// <summary>Drives A/B in Gray order (00 → 10 → 11 → 01 is up) for <paramref name="edges"/> edges from <paramref name="position"/>.</summary>
    private static void Turn(EmulatedLs7366r emu, ref long position, long edges)
    {
        int step = edges > 0 ? 1 : -1;
        for (long i = 0; i != edges; i += step)
        {
            position += step;
            int s = (int)(((position % 4) + 4) % 4);
            emu.SetInputs(s is 1 or 2, s is 2 or 3);
        }
    }

    [Theory]
    [InlineData(Ls7366r.Mdr0X4, 4)]
    [InlineData(Ls7366r.Mdr0X2, 2)]
    [InlineData(Ls7366r.Mdr0X1, 1)]
    public void Emulated_chip_counts_per_quadrature_mode_and_direction(byte mode, int perCycle)
    {
        var emu = new EmulatedLs7366r(Settings);
        using var chip = new Ls7366r(emu, ownsDevice: false);
        chip.WriteMdr0(mode);
        long pos = 0;
        Turn(emu, ref pos, 4 * 1000);
        Assert.Equal((uint)(perCycle * 1000), chip.ReadCounter());
        Assert.NotEqual(0, chip.ReadStatus() & Ls7366r.StrUp);
        Turn(emu, ref pos, -4 * 1500);
        Assert.Equal(unchecked((uint)(-perCycle * 500)), chip.ReadCounter());
        byte s = chip.ReadStatus();
        Assert.Equal(0, s & Ls7366r.StrUp);
        Assert.NotEqual(0, s & Ls7366r.StrBorrow);
        Assert.NotEqual(0, s & Ls7366r.StrSign);
    }

    [Fact]
    public void Emulated_chip_wraps_at_two_to_the_32_and_at_its_narrower_widths_with_carry_and_borrow()
    {
        var emu = new EmulatedLs7366r(Settings);
        using var chip = new Ls7366r(emu, ownsDevice: false);
        chip.WriteMdr0(Ls7366r.Mdr0X4);
        chip.WriteData(0xFFFF_FFFD);
        chip.LoadCounterFromData();
        chip.ClearStatus();
        long pos = 0;
        Turn(emu, ref pos, 5);
        Assert.Equal(2u, chip.ReadCounter());
        Assert.Equal(Ls7366r.StrCarry, chip.ReadStatus() & (Ls7366r.StrCarry | Ls7366r.StrBorrow | Ls7366r.StrSign));
        chip.ClearStatus();
        Turn(emu, ref pos, -3);
        Assert.Equal(0xFFFF_FFFFu, chip.ReadCounter());
        Assert.Equal(Ls7366r.StrBorrow | Ls7366r.StrSign, chip.ReadStatus() & (Ls7366r.StrCarry | Ls7366r.StrBorrow | Ls7366r.StrSign));

        chip.WriteMdr1(0x03); // 1-byte counter: wraps at 256
        chip.ClearCounter();
        Turn(emu, ref pos, 300);
        Assert.Equal(44u, chip.ReadCounter());
    }

    [Fact]
    public void Emulated_chip_modulo_n_and_index_modes()
    {
        var emu = new EmulatedLs7366r(Settings);
        using var chip = new Ls7366r(emu, ownsDevice: false);
        chip.WriteMdr0(Ls7366r.Mdr0X4 | Ls7366r.Mdr0ModuloN | Ls7366r.Mdr0IndexLoadOtr);
        chip.WriteData(1023); // n = 1024 counts per revolution
        long pos = 0;
        Turn(emu, ref pos, 1024 + 100);
        Assert.Equal(100u, chip.ReadCounter());
        Turn(emu, ref pos, 7);
        chip.ClearStatus();
        emu.PulseIndex();
        Turn(emu, ref pos, 10);
        Assert.NotEqual(0, chip.ReadStatus() & Ls7366r.StrIndex);
        Assert.Equal(107u, chip.ReadOutputLatch());
        Assert.Equal(117u, chip.ReadCounter());
        chip.WriteMdr0(Ls7366r.Mdr0X4 | Ls7366r.Mdr0IndexResetCntr);
        emu.PulseIndex();
        Assert.Equal(0u, chip.ReadCounter());
        chip.WriteMdr0(Ls7366r.Mdr0X4 | Ls7366r.Mdr0IndexDisabled);
        Turn(emu, ref pos, 5);
        emu.PulseIndex();
        Assert.Equal(5u, chip.ReadCounter());
    }

    [Fact]
    public void Encoder_unwraps_across_two_to_the_32_latches_the_index_and_reads_once_per_tick_without_index()
    {
        var emu = new EmulatedLs7366r(Settings);
        var chip = new Ls7366r(emu, ownsDevice: false);
        using var enc = new Ls7366rEncoder(chip, indexWired: true);
        enc.Start();
        Assert.Equal(0x33, emu.Mode0);
        Assert.Equal(0x00, emu.Mode1);
        // start just below the wrap: CNTR preset through DTR, as if the chip had counted 2^32 − 10 edges before
        chip.WriteData(0xFFFF_FFF6);
        chip.LoadCounterFromData();
        enc.Sample(out long c0, out _, out _);
        long pos = 0;
        Turn(emu, ref pos, 25);
        emu.PulseIndex();
        Turn(emu, ref pos, 5);
        enc.Sample(out long c1, out int pulses, out long atIndex);
        Assert.Equal(30, c1 - c0);
        Assert.Equal(1, pulses);
        Assert.Equal(c0 + 25, atIndex);
        Assert.True(emu.Counter < 100); // the chip itself wrapped
        Turn(emu, ref pos, -60);
        enc.Sample(out long c2, out pulses, out _);
        Assert.Equal(-30, c2 - c0);
        Assert.Equal(1, pulses);

        var emu2 = new EmulatedLs7366r(Settings);
        using var noIndex = new Ls7366rEncoder(new Ls7366r(emu2, ownsDevice: false), indexWired: false);
        noIndex.Start();
        long t0 = emu2.Transactions;
        noIndex.Sample(out _, out _, out _);
        Assert.Equal(1, emu2.Transactions - t0); // RD CNTR only
    }

    [Fact]
    public void Encoder_refuses_a_chip_that_does_not_answer()
    {
        using var enc = new Ls7366rEncoder(new Ls7366r(new RecordingSpi()), indexWired: false);
        var e = Assert.Throws<IOException>(enc.Start);
        Assert.Contains("does not answer", e.Message);
    }

    [Fact]
    public void Encoder_counts_exactly_at_400k_edges_per_second_and_allocates_nothing_per_tick()
    {
        // 1024 lines × 4 edges × 100 rev/s = 409 600 edges/s; 10 kHz ticks = 40.96 edges per tick, index once per rev
        const int lines = 1024, cpr = 4 * lines;
        const double edgesPerSecond = cpr * 100.0, tick = 1e-4;
        var emu = new EmulatedLs7366r(Settings);
        using var enc = new Ls7366rEncoder(new Ls7366r(emu, ownsDevice: false), indexWired: true);
        enc.Start();
        long pos = 0;
        int pulsesExpected = 0;
        void Tick(int k)
        {
            long target = (long)Math.Floor(edgesPerSecond * tick * (k + 1));
            while (pos < target)
            {
                Turn(emu, ref pos, 1);
                if (pos % cpr == 17)
                {
                    emu.PulseIndex();
                    pulsesExpected++;
                }
            }
            enc.Sample(out long c, out int pulses, out long atIndex);
            Assert.Equal(pos, c);
            Assert.Equal(pulsesExpected, pulses);
            if (pulses > 0) Assert.Equal(17, ((atIndex % cpr) + cpr) % cpr);
        }
        for (int k = 0; k < 2000; k++) Tick(k);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 2000; k < 12_000; k++)
        {
            long target = (long)Math.Floor(edgesPerSecond * tick * (k + 1));
            Turn(emu, ref pos, target - pos);
            enc.Sample(out long c, out _, out _);
            if (c != pos) Assert.Fail($"tick {k}: count {c}, shaft {pos}");
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(12_000 * 40.96, pos, 0);
    }
}

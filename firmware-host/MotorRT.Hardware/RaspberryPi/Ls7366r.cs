using System.Buffers.Binary;
using System.Device.Spi;

namespace MotorRT.Hardware.RaspberryPi;

/// <summary>
/// The LSI/CSI LS7366R 32-bit quadrature counter on SPI (mode 0, MSB first), register protocol of its datasheet:
/// every transaction (one chip-select assertion) starts with the instruction register byte
/// IR = operation (B7 B6) | register (B5 B4 B3) followed by the register's data bytes, MSB first.
/// <list type="bullet">
/// <item>operations: CLR 00, RD 01, WR 10, LOAD 11 (<see cref="Clear"/>, <see cref="Read"/>, <see cref="Write"/>, <see cref="Load"/>);</item>
/// <item>registers: MDR0 001, MDR1 010, DTR 011, CNTR 100, OTR 101, STR 110;</item>
/// <item>RD CNTR copies CNTR into OTR and shifts OTR out; LOAD OTR copies CNTR into OTR; LOAD CNTR copies DTR into CNTR;</item>
/// <item>CNTR, OTR and DTR are 1–4 bytes wide (MDR1 B1 B0); MDR0, MDR1 and STR one byte.</item>
/// </list>
/// Every method transfers through buffers allocated once in the constructor: no allocation per call.
/// The class is not thread-safe (one owner, the loop thread).
/// </summary>
public sealed class Ls7366r : IDisposable
{
    /// <summary>IR operation CLR (B7 B6 = 00): clears MDR0, MDR1, CNTR or STR.</summary>
    public const byte Clear = 0x00;

    /// <summary>IR operation RD (01): shifts the register out on MISO.</summary>
    public const byte Read = 0x40;

    /// <summary>IR operation WR (10): shifts MOSI into MDR0, MDR1 or DTR.</summary>
    public const byte Write = 0x80;

    /// <summary>IR operation LOAD (11): DTR → CNTR (register CNTR) or CNTR → OTR (register OTR).</summary>
    public const byte Load = 0xC0;

    /// <summary>IR register MDR0 (001): count mode, index mode, filter clock.</summary>
    public const byte Mdr0 = 0x08;

    /// <summary>IR register MDR1 (010): counter width, count enable, flag routing.</summary>
    public const byte Mdr1 = 0x10;

    /// <summary>IR register DTR (011): data (preset/compare) register.</summary>
    public const byte Dtr = 0x18;

    /// <summary>IR register CNTR (100): the counter.</summary>
    public const byte Cntr = 0x20;

    /// <summary>IR register OTR (101): output transfer register (the latched count).</summary>
    public const byte Otr = 0x28;

    /// <summary>IR register STR (110): status.</summary>
    public const byte Str = 0x30;

    /// <summary>MDR0 B1 B0: non-quadrature (A = clock, B = direction).</summary>
    public const byte Mdr0NonQuadrature = 0x00;

    /// <summary>MDR0 B1 B0: x1 quadrature (one count per cycle).</summary>
    public const byte Mdr0X1 = 0x01;

    /// <summary>MDR0 B1 B0: x2 quadrature (both edges of A).</summary>
    public const byte Mdr0X2 = 0x02;

    /// <summary>MDR0 B1 B0: x4 quadrature (every edge of A and B).</summary>
    public const byte Mdr0X4 = 0x03;

    /// <summary>MDR0 B3 B2: free-running count (wraps at 2^(8·width)).</summary>
    public const byte Mdr0FreeRunning = 0x00;

    /// <summary>MDR0 B3 B2: single-cycle count.</summary>
    public const byte Mdr0SingleCycle = 0x04;

    /// <summary>MDR0 B3 B2: range-limit count (0..DTR).</summary>
    public const byte Mdr0RangeLimit = 0x08;

    /// <summary>MDR0 B3 B2: modulo-n count (n = DTR + 1).</summary>
    public const byte Mdr0ModuloN = 0x0C;

    /// <summary>MDR0 B5 B4: index input ignored.</summary>
    public const byte Mdr0IndexDisabled = 0x00;

    /// <summary>MDR0 B5 B4: index loads CNTR from DTR.</summary>
    public const byte Mdr0IndexLoadCntr = 0x10;

    /// <summary>MDR0 B5 B4: index resets CNTR.</summary>
    public const byte Mdr0IndexResetCntr = 0x20;

    /// <summary>MDR0 B5 B4: index latches CNTR into OTR.</summary>
    public const byte Mdr0IndexLoadOtr = 0x30;

    /// <summary>MDR0 B6: synchronous index (quadrature modes only; 0 = asynchronous).</summary>
    public const byte Mdr0SynchronousIndex = 0x40;

    /// <summary>MDR0 B7: filter clock division factor 2 (0 = 1).</summary>
    public const byte Mdr0FilterDivide2 = 0x80;

    /// <summary>MDR1 B1 B0: 4-byte counter (00); 3-byte is 01, 2-byte 10, 1-byte 11.</summary>
    public const byte Mdr1FourBytes = 0x00;

    /// <summary>MDR1 B2: counting disabled.</summary>
    public const byte Mdr1DisableCounting = 0x04;

    /// <summary>STR B7: carry latch (CNTR overflowed).</summary>
    public const byte StrCarry = 0x80;

    /// <summary>STR B6: borrow latch (CNTR underflowed).</summary>
    public const byte StrBorrow = 0x40;

    /// <summary>STR B5: compare latch (CNTR = DTR).</summary>
    public const byte StrCompare = 0x20;

    /// <summary>STR B4: index latch.</summary>
    public const byte StrIndex = 0x10;

    /// <summary>STR B3: counting enabled.</summary>
    public const byte StrCountEnabled = 0x08;

    /// <summary>STR B2: power-loss latch (set at power-up, cleared by CLR STR).</summary>
    public const byte StrPowerLoss = 0x04;

    /// <summary>STR B1: count direction (1 = up).</summary>
    public const byte StrUp = 0x02;

    /// <summary>STR B0: sign (1 = negative: set by a borrow, reset by a carry).</summary>
    public const byte StrSign = 0x01;

    private readonly SpiDevice _spi;
    private readonly bool _ownsDevice;
    private readonly byte[] _tx = new byte[5];
    private readonly byte[] _rx = new byte[5];
    private int _width = 4;

    /// <summary>Drives the counter on <paramref name="spi"/> (mode 0; disposed with this object when <paramref name="ownsDevice"/>).</summary>
    public Ls7366r(SpiDevice spi, bool ownsDevice = true)
    {
        ArgumentNullException.ThrowIfNull(spi);
        _spi = spi;
        _ownsDevice = ownsDevice;
    }

    /// <summary>Width of CNTR, OTR and DTR this driver last wrote to MDR1, in bytes (1–4; 4 after power-up).</summary>
    public int CounterBytes => _width;

    /// <summary>SPI transactions (chip-select assertions) since construction.</summary>
    public long Transactions { get; private set; }

    /// <summary>Writes MDR0 (count, index and filter modes: the <c>Mdr0*</c> constants or-ed).</summary>
    public void WriteMdr0(byte value) => Transfer2(Write | Mdr0, value);

    /// <summary>Writes MDR1 (counter width, count enable, flags); the driver follows the width for later transfers.</summary>
    public void WriteMdr1(byte value)
    {
        Transfer2(Write | Mdr1, value);
        _width = 4 - (value & 0x03);
    }

    /// <summary>Reads MDR0.</summary>
    public byte ReadMdr0() => Transfer2(Read | Mdr0, 0);

    /// <summary>Reads MDR1.</summary>
    public byte ReadMdr1() => Transfer2(Read | Mdr1, 0);

    /// <summary>Reads STR (the <c>Str*</c> bits).</summary>
    public byte ReadStatus() => Transfer2(Read | Str, 0);

    /// <summary>CLR CNTR: the counter becomes 0.</summary>
    public void ClearCounter() => Transfer1(Clear | Cntr);

    /// <summary>CLR STR: clears the carry, borrow, compare, index, power-loss latches and the sign.</summary>
    public void ClearStatus() => Transfer1(Clear | Str);

    /// <summary>CLR MDR0 (count mode non-quadrature, free-running, index off).</summary>
    public void ClearMdr0() => Transfer1(Clear | Mdr0);

    /// <summary>CLR MDR1 (4 bytes, counting enabled, no flags).</summary>
    public void ClearMdr1()
    {
        Transfer1(Clear | Mdr1);
        _width = 4;
    }

    /// <summary>LOAD OTR: latches CNTR into OTR (read later with <see cref="ReadOutputLatch"/>).</summary>
    public void LatchCounter() => Transfer1(Load | Otr);

    /// <summary>LOAD CNTR: CNTR = DTR.</summary>
    public void LoadCounterFromData() => Transfer1(Load | Cntr);

    /// <summary>WR DTR: the data register, <see cref="CounterBytes"/> bytes MSB first (higher bits of <paramref name="value"/> dropped).</summary>
    public void WriteData(uint value)
    {
        int n = _width;
        _tx[0] = Write | Dtr;
        for (int i = 0; i < n; i++)
        {
            _tx[1 + i] = (byte)(value >> (8 * (n - 1 - i)));
        }
        Exchange(1 + n);
    }

    /// <summary>RD CNTR: the counter now (also copied into OTR by the chip), <see cref="CounterBytes"/> bytes big-endian.</summary>
    public uint ReadCounter() => ReadWide(Read | Cntr);

    /// <summary>RD OTR: the count latched by LOAD OTR, by the index (MDR0 index mode LOAD OTR) or by the last RD CNTR.</summary>
    public uint ReadOutputLatch() => ReadWide(Read | Otr);

    /// <summary>RD DTR.</summary>
    public uint ReadData() => ReadWide(Read | Dtr);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsDevice)
        {
            _spi.Dispose();
        }
    }

    private uint ReadWide(byte ir)
    {
        int n = _width;
        _tx[0] = ir;
        Array.Clear(_tx, 1, 4);
        Exchange(1 + n);
        return n == 4 ? BinaryPrimitives.ReadUInt32BigEndian(_rx.AsSpan(1, 4)) : ReadShort(n);
    }

    private uint ReadShort(int n)
    {
        uint v = 0;
        for (int i = 0; i < n; i++)
        {
            v = (v << 8) | _rx[1 + i];
        }
        return v;
    }

    private void Transfer1(int ir)
    {
        _tx[0] = (byte)ir;
        Exchange(1);
    }

    private byte Transfer2(int ir, byte data)
    {
        _tx[0] = (byte)ir;
        _tx[1] = data;
        Exchange(2);
        return _rx[1];
    }

    private void Exchange(int length)
    {
        _spi.TransferFullDuplex(_tx.AsSpan(0, length), _rx.AsSpan(0, length));
        Transactions++;
    }
}

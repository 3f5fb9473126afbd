using System.Device.Spi;
using MotorRT.Hardware.RaspberryPi;

namespace MotorRT.Hardware.Emulation;

/// <summary>
/// A virtual SPI device that answers the LS7366R quadrature counter's register protocol byte for byte (see
/// <see cref="Ls7366r"/> for the instruction byte), so the driver runs unchanged against it. Each
/// <see cref="TransferFullDuplex"/> is one chip-select assertion: MOSI byte 0 is the instruction register (MISO is 0
/// while it shifts in), the data bytes follow MSB first. RD CNTR copies CNTR into OTR first; registers are 1 byte
/// (MDR0, MDR1, STR) or <see cref="CounterBytes"/> bytes (CNTR, OTR, DTR; MDR1 B1 B0); bytes clocked beyond a
/// register read as 0 and are ignored when written. A WR shorter than its register changes nothing and is counted in
/// <see cref="IncompleteTransfers"/>; an instruction the part does not define (CLR DTR, WR CNTR, LOAD MDR0, …) does
/// nothing and is counted in <see cref="UndefinedInstructions"/>.
/// <para>
/// The A/B/index inputs are driven by the emulated world (<see cref="SetInputs"/>, <see cref="PulseIndex"/>): the
/// chip decodes the A/B levels in the mode MDR0 sets — x1 (A rising with B low up, its reverse down), x2 (both A
/// edges), x4 (every edge; Gray order 00 → 10 → 11 → 01 is up) or non-quadrature (A rising counts, B high = up) —
/// and counts free-running (wrap at 2^(8·bytes), carry/borrow latched, sign set by a borrow, reset by a carry),
/// modulo-n (n = DTR + 1), range-limit (holds at 0 and DTR) or single-cycle (counting stops at a carry or borrow
/// until CNTR is cleared or loaded), with CMP latched when CNTR = DTR. Range-limit and single-cycle follow the
/// datasheet's prose and are not exercised by the rig. The index acts at its rising edge as MDR0 B5 B4 say (load
/// CNTR from DTR, reset CNTR, latch CNTR into OTR) and sets the IDX latch; synchronous index (MDR0 B6) is treated as
/// asynchronous. The input filter is not modelled (every edge the world drives is seen). Not thread-safe: the
/// world and the driver run on one thread (lock-step).
/// </para>
/// </summary>
public sealed class EmulatedLs7366r : SpiDevice
{
    // x4 delta[old * 4 + new] over state indices 0:(A,B)=(0,0) 1:(1,0) 2:(1,1) 3:(0,1); 2 marks an illegal jump
    private static readonly sbyte[] Delta4 = [0, 1, 2, -1, -1, 0, 1, 2, 2, -1, 0, 1, 1, 2, -1, 0];

    private readonly SpiConnectionSettings _settings;
    private byte _mdr0, _mdr1, _latches;
    private uint _cntr, _otr, _dtr;
    private int _state;
    private bool _a, _b, _up = true, _frozen;

    /// <summary>Creates the chip at power-up: MDR0 = MDR1 = 0, CNTR = 0, STR power-loss latch set.</summary>
    public EmulatedLs7366r(SpiConnectionSettings settings)
    {
        _settings = settings;
        _latches = Ls7366r.StrPowerLoss;
    }

    /// <inheritdoc />
    public override SpiConnectionSettings ConnectionSettings => _settings;

    /// <summary>CNTR as the chip holds it (for tests).</summary>
    public uint Counter => _cntr;

    /// <summary>OTR (for tests).</summary>
    public uint OutputLatch => _otr;

    /// <summary>MDR0 (for tests).</summary>
    public byte Mode0 => _mdr0;

    /// <summary>MDR1 (for tests).</summary>
    public byte Mode1 => _mdr1;

    /// <summary>Width of CNTR, OTR, DTR, in bytes (from MDR1).</summary>
    public int CounterBytes => 4 - (_mdr1 & 0x03);

    /// <summary>Chip-select assertions answered (dimensionless).</summary>
    public long Transactions { get; private set; }

    /// <summary>Writes shorter than their register (dimensionless).</summary>
    public long IncompleteTransfers { get; private set; }

    /// <summary>Instructions the part does not define (dimensionless).</summary>
    public long UndefinedInstructions { get; private set; }

    /// <summary>A/B changes in which both lines moved at once (the chip cannot tell the direction; not counted).</summary>
    public long IllegalInputTransitions { get; private set; }

    /// <summary>Index rising edges seen (dimensionless).</summary>
    public long IndexPulses { get; private set; }

    /// <summary>The status register as RD STR returns it.</summary>
    public byte Status => (byte)(_latches | ((_mdr1 & Ls7366r.Mdr1DisableCounting) == 0 && !_frozen ? Ls7366r.StrCountEnabled : 0) | (_up ? Ls7366r.StrUp : 0));

    private uint Mask => CounterBytes == 4 ? uint.MaxValue : (1u << (8 * CounterBytes)) - 1;

    /// <summary>Drives the A and B inputs to these levels (one edge or none per call in a real signal; both moving is illegal).</summary>
    public void SetInputs(bool a, bool b)
    {
        bool aRose = a && !_a;
        int s = a ? (b ? 2 : 1) : (b ? 3 : 0);
        int old = _state;
        _a = a;
        _b = b;
        _state = s;
        if (s == old)
        {
            return;
        }
        int mode = _mdr0 & 0x03;
        if (mode == Ls7366r.Mdr0NonQuadrature)
        {
            if (aRose)
            {
                Count(b ? 1 : -1);
            }
            return;
        }
        int d = Delta4[old * 4 + s];
        if (d == 2)
        {
            IllegalInputTransitions++;
            return;
        }
        switch (mode)
        {
            case Ls7366r.Mdr0X4:
                Count(d);
                break;
            case Ls7366r.Mdr0X2:
                // A edges: 0↔1 and 2↔3
                if ((old ^ s) == 1 && (old >> 1) == (s >> 1))
                {
                    Count(d);
                }
                break;
            default: // x1: 0 → 1 up, 1 → 0 down
                if ((old == 0 && s == 1) || (old == 1 && s == 0))
                {
                    Count(d);
                }
                break;
        }
    }

    /// <summary>An index pulse (rising edge of the index input): the MDR0 index action and the IDX latch.</summary>
    public void PulseIndex()
    {
        IndexPulses++;
        switch (_mdr0 & 0x30)
        {
            case Ls7366r.Mdr0IndexLoadCntr:
                _cntr = _dtr & Mask;
                break;
            case Ls7366r.Mdr0IndexResetCntr:
                _cntr = 0;
                break;
            case Ls7366r.Mdr0IndexLoadOtr:
                _otr = _cntr;
                break;
            default:
                return;
        }
        _latches |= Ls7366r.StrIndex;
    }

    /// <inheritdoc />
    public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        if (writeBuffer.Length != readBuffer.Length)
        {
            throw new ArgumentException("SPI full-duplex buffers must have the same length");
        }
        Transaction(writeBuffer, readBuffer);
    }

    /// <inheritdoc />
    public override void Read(Span<byte> buffer)
    {
        // MOSI held low: IR 0x00 is "CLR, no register" — nothing happens and MISO stays 0.
        buffer.Clear();
        Transactions++;
    }

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer) => Transaction(buffer, Span<byte>.Empty);

    private void Transaction(ReadOnlySpan<byte> mosi, Span<byte> miso)
    {
        miso.Clear();
        Transactions++;
        if (mosi.Length == 0)
        {
            return;
        }
        int ir = mosi[0];
        int op = ir & 0xC0;
        int reg = ir & 0x38;
        ReadOnlySpan<byte> data = mosi[1..];
        Span<byte> output = miso.Length > 1 ? miso[1..] : Span<byte>.Empty;
        switch (op)
        {
            case Ls7366r.Clear:
                switch (reg)
                {
                    case Ls7366r.Mdr0: _mdr0 = 0; break;
                    case Ls7366r.Mdr1: _mdr1 = 0; break;
                    case Ls7366r.Cntr: _cntr = 0; _frozen = false; break;
                    case Ls7366r.Str: _latches = 0; break;
                    case 0: break; // "no register": the idle byte
                    default: UndefinedInstructions++; break;
                }
                break;
            case Ls7366r.Read:
                switch (reg)
                {
                    case Ls7366r.Mdr0: Put(output, _mdr0, 1); break;
                    case Ls7366r.Mdr1: Put(output, _mdr1, 1); break;
                    case Ls7366r.Str: Put(output, Status, 1); break;
                    case Ls7366r.Cntr: _otr = _cntr; Put(output, _otr, CounterBytes); break;
                    case Ls7366r.Otr: Put(output, _otr, CounterBytes); break;
                    case Ls7366r.Dtr: Put(output, _dtr, CounterBytes); break;
                    default: UndefinedInstructions++; break;
                }
                break;
            case Ls7366r.Write:
                switch (reg)
                {
                    case Ls7366r.Mdr0 when data.Length >= 1: _mdr0 = data[0]; break;
                    case Ls7366r.Mdr1 when data.Length >= 1: _mdr1 = data[0]; break;
                    case Ls7366r.Dtr when data.Length >= CounterBytes: _dtr = Get(data, CounterBytes); break;
                    case Ls7366r.Mdr0 or Ls7366r.Mdr1 or Ls7366r.Dtr: IncompleteTransfers++; break;
                    default: UndefinedInstructions++; break;
                }
                break;
            default: // LOAD
                switch (reg)
                {
                    case Ls7366r.Cntr: _cntr = _dtr & Mask; _frozen = false; break;
                    case Ls7366r.Otr: _otr = _cntr; break;
                    default: UndefinedInstructions++; break;
                }
                break;
        }
    }

    private static void Put(Span<byte> output, uint value, int bytes)
    {
        int n = Math.Min(bytes, output.Length);
        for (int i = 0; i < n; i++)
        {
            output[i] = (byte)(value >> (8 * (bytes - 1 - i)));
        }
    }

    private static uint Get(ReadOnlySpan<byte> data, int bytes)
    {
        uint v = 0;
        for (int i = 0; i < bytes; i++)
        {
            v = (v << 8) | data[i];
        }
        return v;
    }

    private void Count(int d)
    {
        if ((_mdr1 & Ls7366r.Mdr1DisableCounting) != 0 || _frozen)
        {
            return;
        }
        _up = d > 0;
        uint mask = Mask;
        uint top = (_mdr0 & 0x0C) is Ls7366r.Mdr0ModuloN or Ls7366r.Mdr0RangeLimit ? _dtr & mask : mask;
        int countMode = _mdr0 & 0x0C;
        if (d > 0)
        {
            if (_cntr == top)
            {
                _latches = (byte)((_latches | Ls7366r.StrCarry) & ~Ls7366r.StrSign);
                if (countMode == Ls7366r.Mdr0RangeLimit)
                {
                    return; // holds at DTR
                }
                _cntr = 0;
                _frozen = countMode == Ls7366r.Mdr0SingleCycle;
            }
            else
            {
                _cntr = (_cntr + 1) & mask;
            }
        }
        else
        {
            if (_cntr == 0)
            {
                _latches |= Ls7366r.StrBorrow | Ls7366r.StrSign;
                if (countMode == Ls7366r.Mdr0RangeLimit)
                {
                    return; // holds at 0
                }
                _cntr = top;
                _frozen = countMode == Ls7366r.Mdr0SingleCycle;
            }
            else
            {
                _cntr--;
            }
        }
        if (_cntr == (_dtr & mask))
        {
            _latches |= Ls7366r.StrCompare;
        }
    }
}

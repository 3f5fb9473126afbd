using System.Device.Spi;

namespace MotorRT.Hardware.Emulation;

/// <summary>
/// A virtual SPI device that answers the Microchip MCP3004/3008 (10-bit) and MCP3204/3208 (12-bit) wire protocol bit
/// for bit, so that Iot.Device.Bindings' <c>Mcp3008</c>/<c>Mcp3208</c> classes run unchanged against it. Each
/// <see cref="TransferFullDuplex"/> is one chip-select assertion; bits are clocked MSB first. The chip waits for the
/// start bit (the first 1 on DIN), reads SGL/DIFF and D2 D1 D0 (D2 ignored by the 4-channel parts), spends one clock
/// sampling (DOUT undefined, driven 0 here), outputs a null bit (0), then the result MSB first, then — if the master
/// keeps clocking — the result again LSB first (B1…B(n−1)) and zeros, as in the datasheets' figure 6-1/5-1.
/// Differential mode converts IN+ − IN− clamped at 0 (pairs CH0/CH1, CH2/CH3, …; D0 = 1 swaps the pair).
/// The analogue input of each channel is a count set by the emulated world with <see cref="SetChannel"/>.
/// </summary>
public sealed class EmulatedMcp3xxx : SpiDevice
{
    private readonly int[] _counts;
    private readonly SpiConnectionSettings _settings;

    /// <summary>Creates an emulated converter.</summary>
    /// <param name="channels">4 or 8 input channels.</param>
    /// <param name="bits">Resolution: 10 (MCP300x) or 12 (MCP320x).</param>
    /// <param name="settings">Connection settings the code under test would use (bus, chip select, mode, clock).</param>
    public EmulatedMcp3xxx(int channels, int bits, SpiConnectionSettings settings)
    {
        if (channels is not (4 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "MCP3xxx parts with 4 or 8 channels are emulated");
        }
        if (bits is not (10 or 12))
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "MCP300x are 10-bit, MCP320x 12-bit");
        }
        Channels = channels;
        Bits = bits;
        _counts = new int[channels];
        _settings = settings;
    }

    /// <summary>Number of single-ended inputs.</summary>
    public int Channels { get; }

    /// <summary>Resolution, in bits.</summary>
    public int Bits { get; }

    /// <summary>Conversions answered since construction (dimensionless).</summary>
    public long Conversions { get; private set; }

    /// <summary>Transfers that ended before a complete result was clocked out (dimensionless).</summary>
    public long IncompleteTransfers { get; private set; }

    /// <inheritdoc />
    public override SpiConnectionSettings ConnectionSettings => _settings;

    /// <summary>Sets the analogue input of <paramref name="channel"/>, in counts (clamped to the converter's range).</summary>
    public void SetChannel(int channel, int counts) => _counts[channel] = Math.Clamp(counts, 0, (1 << Bits) - 1);

    /// <summary>The present input of a channel, in counts.</summary>
    public int Channel(int channel) => _counts[channel];

    /// <inheritdoc />
    public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        if (writeBuffer.Length != readBuffer.Length)
        {
            throw new ArgumentException("SPI full-duplex buffers must have the same length");
        }
        readBuffer.Clear();
        int totalBits = writeBuffer.Length * 8;
        int startAt = -1;
        int config = 0;   // SGL, D2, D1, D0 once collected
        int result = 0;
        bool converted = false;
        for (int i = 0; i < totalBits; i++)
        {
            bool din = (writeBuffer[i >> 3] & (0x80 >> (i & 7))) != 0;
            bool dout = false;
            if (startAt < 0)
            {
                if (din)
                {
                    startAt = i;
                }
            }
            else
            {
                int k = i - startAt; // clock number after the start bit
                if (k <= 4)
                {
                    config = (config << 1) | (din ? 1 : 0);
                    if (k == 4)
                    {
                        result = Convert(config);
                        converted = true;
                    }
                }
                else if (k == 5 || k == 6)
                {
                    dout = false; // sample clock (DOUT high-Z), then the null bit
                }
                else if (k < 7 + Bits)
                {
                    dout = ((result >> (Bits - 1 - (k - 7))) & 1) != 0; // MSB first
                }
                else if (k < 7 + 2 * Bits - 1)
                {
                    dout = ((result >> (k - (7 + Bits) + 1)) & 1) != 0; // then LSB first, B1 upwards
                }
            }
            if (dout)
            {
                readBuffer[i >> 3] |= (byte)(0x80 >> (i & 7));
            }
        }
        if (converted && startAt + 7 + Bits <= totalBits)
        {
            Conversions++;
        }
        else
        {
            IncompleteTransfers++;
        }
    }

    /// <inheritdoc />
    public override void Read(Span<byte> buffer)
    {
        // DIN held low: the chip never sees a start bit and DOUT stays high-Z (reads as 0).
        buffer.Clear();
        IncompleteTransfers++;
    }

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer) => IncompleteTransfers++;

    private int Convert(int config)
    {
        bool single = (config & 0b1000) != 0;
        int sel = config & 0b111;
        if (Channels == 4)
        {
            sel &= 0b011; // D2 is "don't care" on the 4-channel parts
        }
        if (single)
        {
            return _counts[sel];
        }
        int pair = sel & ~1;
        bool swapped = (sel & 1) != 0;
        int plus = _counts[swapped ? pair + 1 : pair];
        int minus = _counts[swapped ? pair : pair + 1];
        return Math.Max(0, plus - minus);
    }
}

namespace MotorRT.Hardware.RaspberryPi;

/// <summary>
/// Encoder count from an LS7366R on SPI: the chip counts every A/B edge in hardware (x4, free-running, 4-byte
/// CNTR), so no edge is lost however late the loop is; the loop reads it with one RD CNTR transaction per sample
/// (IR + 4 bytes big-endian) and unwraps the 32-bit value into a 64-bit count (the shaft may move less than 2^31
/// counts between samples). With the index wired to the chip's INDEX input, MDR0's index mode is LOAD OTR: the
/// chip latches CNTR into OTR at the index edge and sets STR's IDX latch; each sample then starts with RD STR and, when
/// IDX is set, RD OTR and CLR STR, before RD CNTR (which overwrites OTR). Limits of that single latch, stated: an
/// index edge that falls between a sample's RD STR and its RD CNTR (a few tens of µs per tick) is latched into OTR
/// and then overwritten, so the next sample reports it with the count of that RD CNTR instead (off by the counts
/// moved in that window); an edge between RD STR and CLR STR is not seen; more than one index edge between two
/// samples counts as one. Cost: one SPI transaction per sample without index, two with it (four on an index tick).
/// </summary>
public sealed class Ls7366rEncoder : IQuadratureCounter
{
    private readonly Ls7366r _chip;
    private readonly bool _index;
    private uint _last;
    private long _count;
    private int _indexPulses;
    private long _countAtIndex;

    /// <summary>Counts with <paramref name="chip"/>; <paramref name="indexWired"/> when the encoder's Z goes to the chip's INDEX input.</summary>
    public Ls7366rEncoder(Ls7366r chip, bool indexWired)
    {
        ArgumentNullException.ThrowIfNull(chip);
        _chip = chip;
        _index = indexWired;
    }

    /// <summary>MDR0 this encoder configures: x4 quadrature, free-running, index → LOAD OTR (or index off), asynchronous index, filter clock ÷1.</summary>
    public byte Mode0 => (byte)(Ls7366r.Mdr0X4 | Ls7366r.Mdr0FreeRunning | (_index ? Ls7366r.Mdr0IndexLoadOtr : Ls7366r.Mdr0IndexDisabled));

    /// <summary>MDR1 this encoder configures: 4-byte counter, counting enabled, no flag outputs.</summary>
    public byte Mode1 => Ls7366r.Mdr1FourBytes;

    /// <summary>The chip.</summary>
    public Ls7366r Chip => _chip;

    /// <summary>The counter does not lose edges and cannot see an illegal A/B transition: always 0.</summary>
    public long IllegalTransitions => 0;

    /// <summary>
    /// Configures the chip (MDR1, MDR0, read back: a chip that does not answer is an <see cref="IOException"/>),
    /// clears CNTR and STR.
    /// </summary>
    public void Start()
    {
        _chip.WriteMdr1(Mode1);
        _chip.WriteMdr0(Mode0);
        byte m0 = _chip.ReadMdr0();
        byte m1 = _chip.ReadMdr1();
        if (m0 != Mode0 || m1 != Mode1)
        {
            throw new IOException($"LS7366R does not answer: MDR0 reads 0x{m0:X2} (wrote 0x{Mode0:X2}), MDR1 reads 0x{m1:X2} (wrote 0x{Mode1:X2}); check MISO/MOSI/SCK/CS wiring, 3.3 V supply, SPI mode 0 and rig.encoder.spi_bus/chip_select");
        }
        _chip.ClearCounter();
        _chip.ClearStatus();
        _last = 0;
        _count = 0;
        _indexPulses = 0;
        _countAtIndex = 0;
    }

    /// <inheritdoc />
    public void Sample(out long count, out int indexPulses, out long countAtIndex)
    {
        if (_index && (_chip.ReadStatus() & Ls7366r.StrIndex) != 0)
        {
            uint atIndex = _chip.ReadOutputLatch();
            _chip.ClearStatus();
            _indexPulses++;
            _countAtIndex = _count + (int)(atIndex - _last);
        }
        uint raw = _chip.ReadCounter();
        _count += (int)(raw - _last);
        _last = raw;
        count = _count;
        indexPulses = _indexPulses;
        countAtIndex = _countAtIndex;
    }

    /// <inheritdoc />
    public void Dispose() => _chip.Dispose();
}

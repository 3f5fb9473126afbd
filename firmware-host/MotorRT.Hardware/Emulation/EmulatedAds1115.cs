using System.Buffers.Binary;
using System.Device.I2c;

namespace MotorRT.Hardware.Emulation;

/// <summary>
/// A virtual I2C device answering the TI ADS1115 register protocol (address pointer register; conversion, config,
/// lo/hi threshold registers, big-endian 16-bit) so that Iot.Device.Bindings' <c>Ads1115</c> runs unchanged. Writing
/// the config register with OS = 1 (or in continuous mode) converts the multiplexer's input at once; the OS bit then
/// reads 1 (idle). Single-ended inputs return 0..32767 counts; differential ones the signed difference. Inputs are
/// set in counts with <see cref="SetChannel"/>.
/// </summary>
public sealed class EmulatedAds1115 : I2cDevice
{
    private readonly int[] _counts = new int[4];
    private readonly ushort[] _registers = new ushort[4];
    private readonly I2cConnectionSettings _settings;
    private int _pointer;

    /// <summary>Creates the device at the given bus and address.</summary>
    public EmulatedAds1115(I2cConnectionSettings settings)
    {
        _settings = settings;
        _registers[1] = 0x8583; // power-on default config
        _registers[2] = 0x8000;
        _registers[3] = 0x7FFF;
    }

    /// <summary>Conversions performed since construction.</summary>
    public long Conversions { get; private set; }

    /// <inheritdoc />
    public override I2cConnectionSettings ConnectionSettings => _settings;

    /// <summary>Sets input AIN<paramref name="channel"/> in counts of the single-ended scale (0..32767).</summary>
    public void SetChannel(int channel, int counts) => _counts[channel] = Math.Clamp(counts, 0, 32767);

    /// <inheritdoc />
    public override void Read(Span<byte> buffer)
    {
        ushort v = _registers[_pointer];
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (i & 1) == 0 ? (byte)(v >> 8) : (byte)v;
        }
    }

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length == 0)
        {
            return;
        }
        _pointer = buffer[0] & 0b11;
        if (buffer.Length >= 3)
        {
            ushort value = BinaryPrimitives.ReadUInt16BigEndian(buffer[1..]);
            if (_pointer == 1)
            {
                bool start = (value & 0x8000) != 0;
                bool continuous = (value & 0x0100) == 0;
                _registers[1] = (ushort)(value | 0x8000); // conversion completes at once: OS reads 1
                if (start || continuous)
                {
                    Convert(value);
                }
            }
            else if (_pointer != 0)
            {
                _registers[_pointer] = value;
            }
        }
    }

    /// <inheritdoc />
    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    private void Convert(ushort config)
    {
        int mux = (config >> 12) & 0b111;
        int value = mux switch
        {
            0 => _counts[0] - _counts[1],
            1 => _counts[0] - _counts[3],
            2 => _counts[1] - _counts[3],
            3 => _counts[2] - _counts[3],
            _ => _counts[mux - 4],
        };
        _registers[0] = (ushort)(short)Math.Clamp(value, short.MinValue, short.MaxValue);
        Conversions++;
    }
}

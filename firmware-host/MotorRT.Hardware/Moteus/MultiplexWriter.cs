using System.Buffers.Binary;

namespace MotorRT.Hardware.Moteus;

/// <summary>
/// Appends multiplex subframes (mjlib multiplex/format.h, as moteus uses it) to a frame's payload: little-endian
/// values, varuints, and register blocks grouped as moteus' own libraries group them (<see cref="WriteBlock"/>).
/// Integers are the value / LSB truncated toward zero and saturated to ± the type's maximum; a non-finite value is the
/// type's most negative integer (NaN), a float NaN the quiet NaN 0x7FC00000 — byte for byte what the python and C++
/// clients send. A <c>ref struct</c> over the caller's span: no allocation.
/// </summary>
public ref struct MultiplexWriter
{
    private readonly Span<byte> _buffer;
    private int _length;

    /// <summary>A writer at the start of <paramref name="buffer"/>.</summary>
    public MultiplexWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _length = 0;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Length => _length;

    /// <summary>Appends one byte.</summary>
    public void WriteByte(byte value) => _buffer[_length++] = value;

    /// <summary>Appends a varuint (7 bits per byte, least significant first, bit 7 = more follows).</summary>
    public void WriteVaruint(uint value)
    {
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            if (value != 0) b |= 0x80;
            WriteByte(b);
        }
        while (value != 0);
    }

    /// <summary>Appends <paramref name="value"/> (in the register's unit) as <paramref name="register"/> is scaled at <paramref name="resolution"/>.</summary>
    public void WriteValue(int register, MoteusResolution resolution, double value)
    {
        Span<byte> d = _buffer[_length..];
        switch (resolution)
        {
            case MoteusResolution.Int8:
                d[0] = (byte)(sbyte)Saturate(value, MoteusRegisters.Lsb(register, resolution), sbyte.MaxValue);
                _length += 1;
                break;
            case MoteusResolution.Int16:
                BinaryPrimitives.WriteInt16LittleEndian(d, (short)Saturate(value, MoteusRegisters.Lsb(register, resolution), short.MaxValue));
                _length += 2;
                break;
            case MoteusResolution.Int32:
                BinaryPrimitives.WriteInt32LittleEndian(d, (int)Saturate(value, MoteusRegisters.Lsb(register, resolution), int.MaxValue));
                _length += 4;
                break;
            case MoteusResolution.Float:
                float f = (float)value;
                BinaryPrimitives.WriteUInt32LittleEndian(d, float.IsNaN(f) ? 0x7FC0_0000u : BitConverter.SingleToUInt32Bits(f));
                _length += 4;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(resolution));
        }
    }

    /// <summary>
    /// Appends the registers <paramref name="startRegister"/> … + n − 1 as subframes of <paramref name="baseType"/>
    /// (0x00 write, 0x10 read, 0x20 reply): each run of equal resolutions is one subframe — the count in the type's
    /// two low bits when 1–3, else as a varuint after it — then the start register and (write, reply) the values;
    /// registers at <see cref="MoteusResolution.Ignore"/> are skipped. Returns the bytes the reply to a read block takes.
    /// </summary>
    /// <param name="baseType">0x00 (write), 0x10 (read) or 0x20 (reply).</param>
    /// <param name="startRegister">The first register of the block.</param>
    /// <param name="resolutions">One per register.</param>
    /// <param name="values">One per register in its unit (write and reply); empty for a read.</param>
    public int WriteBlock(byte baseType, int startRegister, scoped ReadOnlySpan<MoteusResolution> resolutions, scoped ReadOnlySpan<double> values)
    {
        int replySize = 0;
        int i = 0;
        while (i < resolutions.Length)
        {
            MoteusResolution r = resolutions[i];
            int count = 1;
            while (i + count < resolutions.Length && resolutions[i + count] == r) count++;
            if (r != MoteusResolution.Ignore)
            {
                int start = _length;
                byte type = (byte)(baseType | ((int)r << 2));
                if (count <= 3)
                {
                    WriteByte((byte)(type + count));
                }
                else
                {
                    WriteByte(type);
                    WriteVaruint((uint)count);
                }
                WriteVaruint((uint)(startRegister + i));
                replySize += _length - start + count * MoteusRegisters.Size(r);
                if (!values.IsEmpty)
                {
                    for (int k = 0; k < count; k++) WriteValue(startRegister + i + k, r, values[i + k]);
                }
            }
            i += count;
        }
        return replySize;
    }

    private static long Saturate(double value, double lsb, long max)
    {
        if (!double.IsFinite(value)) return -max - 1;
        double scaled = value / lsb;
        if (scaled < -max) return -max;
        if (scaled > max) return max;
        return (long)scaled;   // truncation toward zero, as the moteus clients do
    }
}

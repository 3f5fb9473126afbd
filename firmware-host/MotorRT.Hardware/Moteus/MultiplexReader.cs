using System.Buffers.Binary;

namespace MotorRT.Hardware.Moteus;

/// <summary>What a multiplex subframe is.</summary>
public enum MultiplexSubframeKind : byte
{
    /// <summary>0x00–0x0f: write registers (values follow).</summary>
    Write,
    /// <summary>0x10–0x1f: read registers (no values).</summary>
    Read,
    /// <summary>0x20–0x2f: reply (values follow).</summary>
    Reply,
    /// <summary>0x30: write error (register, error number).</summary>
    WriteError,
    /// <summary>0x31: read error (register, error number).</summary>
    ReadError,
}

/// <summary>One register subframe: kind, resolution, first register, count, and where its values start in the payload.</summary>
/// <param name="Kind">Write, read, reply or error.</param>
/// <param name="Resolution">How the values are carried.</param>
/// <param name="StartRegister">First register (errors: the register).</param>
/// <param name="Count">Registers in the subframe (errors: 1).</param>
/// <param name="ValuesOffset">Payload offset of the first value.</param>
/// <param name="ErrorNumber">Error subframes: the error number.</param>
public readonly record struct MultiplexSubframe(MultiplexSubframeKind Kind, MoteusResolution Resolution, int StartRegister, int Count, int ValuesOffset, int ErrorNumber);

/// <summary>
/// Walks the subframes of a multiplex payload (NOP padding 0x50 skipped). A truncated subframe, a varuint longer than
/// five bytes or an unknown type ends the walk with <see cref="Malformed"/> set. Allocation-free.
/// </summary>
public ref struct MultiplexReader
{
    private const byte Nop = 0x50;
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;

    /// <summary>A reader at the start of <paramref name="data"/>.</summary>
    public MultiplexReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _offset = 0;
        Malformed = false;
    }

    /// <summary>True when the walk ended on bytes that are not a valid subframe.</summary>
    public bool Malformed { get; private set; }

    /// <summary>The next subframe, or false at the end of the payload (or on a malformed one).</summary>
    public bool TryRead(out MultiplexSubframe subframe)
    {
        subframe = default;
        while (_offset < _data.Length && _data[_offset] == Nop) _offset++;
        if (_offset >= _data.Length) return false;
        byte type = _data[_offset++];
        if (type is 0x30 or 0x31)
        {
            if (!TryVaruint(out uint reg) || !TryVaruint(out uint err)) return Fail();
            subframe = new MultiplexSubframe(type == 0x30 ? MultiplexSubframeKind.WriteError : MultiplexSubframeKind.ReadError, MoteusResolution.Ignore, (int)reg, 1, _offset, (int)err);
            return true;
        }
        if (type >= 0x30) return Fail();
        var kind = (MultiplexSubframeKind)(type >> 4);
        var resolution = (MoteusResolution)((type >> 2) & 3);
        uint count = (uint)(type & 3);
        if (count == 0 && !TryVaruint(out count)) return Fail();
        if (!TryVaruint(out uint start)) return Fail();
        int valuesOffset = _offset;
        if (kind != MultiplexSubframeKind.Read)
        {
            long bytes = (long)count * MoteusRegisters.Size(resolution);
            if (bytes > _data.Length - _offset) return Fail();
            _offset += (int)bytes;
        }
        subframe = new MultiplexSubframe(kind, resolution, (int)start, (int)count, valuesOffset, 0);
        return true;
    }

    /// <summary>The <paramref name="index"/>-th value of a write or reply subframe, in its register's unit (NaN for the reserved most negative integer).</summary>
    public readonly double Value(in MultiplexSubframe subframe, int index)
    {
        int register = subframe.StartRegister + index;
        int size = MoteusRegisters.Size(subframe.Resolution);
        ReadOnlySpan<byte> d = _data[(subframe.ValuesOffset + index * size)..];
        double lsb = MoteusRegisters.Lsb(register, subframe.Resolution);
        switch (subframe.Resolution)
        {
            case MoteusResolution.Int8:
                sbyte b = (sbyte)d[0];
                return b == sbyte.MinValue ? double.NaN : b * lsb;
            case MoteusResolution.Int16:
                short s = BinaryPrimitives.ReadInt16LittleEndian(d);
                return s == short.MinValue ? double.NaN : s * lsb;
            case MoteusResolution.Int32:
                int i = BinaryPrimitives.ReadInt32LittleEndian(d);
                return i == int.MinValue ? double.NaN : i * lsb;
            default:
                return BinaryPrimitives.ReadSingleLittleEndian(d);
        }
    }

    private bool TryVaruint(out uint value)
    {
        value = 0;
        for (int i = 0; i < 5; i++)
        {
            if (_offset >= _data.Length) return false;
            byte b = _data[_offset++];
            value |= (uint)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) return true;
        }
        return false;
    }

    private bool Fail()
    {
        Malformed = true;
        _offset = _data.Length;
        return false;
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MotorRT.Hardware.Can;

/// <summary>The 64 data bytes of a CAN-FD frame (inline, no heap).</summary>
[InlineArray(64)]
public struct CanData64
{
    private byte _b0;
}

/// <summary>
/// Linux's <c>struct canfd_frame</c> (linux/can.h), byte for byte: 32-bit identifier with the flags of
/// <see cref="CanFrame"/>, data length in bytes, FD flags (bit-rate switch, error-state indicator, FD format), two
/// reserved bytes, 64 data bytes — 72 bytes (<c>CANFD_MTU</c>). Its first eight bytes are laid out as a classic
/// <see cref="CanFrame"/>'s, so a socket with FD frames enabled returns either size into it.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 72)]
public struct CanFdFrame
{
    /// <summary>CANFD_BRS: the data phase runs at the data bit rate.</summary>
    public const byte BitRateSwitch = 0x01;

    /// <summary>CANFD_ESI: the sender is error passive.</summary>
    public const byte ErrorStateIndicator = 0x02;

    /// <summary>CANFD_FDF: set on receive when the frame was an FD frame (72 bytes read).</summary>
    public const byte FdFormat = 0x04;

    /// <summary>The largest payload, in bytes.</summary>
    public const int MaxLength = 64;

    /// <summary>Identifier with flags (<see cref="CanFrame.ExtendedFlag"/> etc.; 29-bit extended id in bits 0–28).</summary>
    public uint Id;

    /// <summary>Data length, in bytes: 0–8, 12, 16, 20, 24, 32, 48 or 64.</summary>
    public byte Length;

    /// <summary>FD flags (<see cref="BitRateSwitch"/>, <see cref="ErrorStateIndicator"/>, <see cref="FdFormat"/>).</summary>
    public byte Flags;

    private byte _res0;
    private byte _res1;

    /// <summary>Payload.</summary>
    public CanData64 Data;

    /// <summary>The payload's first <see cref="Length"/> bytes.</summary>
    [UnscopedRef]
    public Span<byte> Payload => ((Span<byte>)Data)[..Math.Min((int)Length, MaxLength)];

    /// <summary>The 29-bit identifier (flags stripped); an 11-bit one for standard frames.</summary>
    public readonly uint ExtendedId => Id & 0x1FFF_FFFF;

    /// <summary>True for an extended (29-bit) identifier.</summary>
    public readonly bool IsExtended => (Id & CanFrame.ExtendedFlag) != 0;

    /// <summary>True for an error frame.</summary>
    public readonly bool IsError => (Id & CanFrame.ErrorFlag) != 0;

    /// <summary>True for a remote-transmission request (classic frames only).</summary>
    public readonly bool IsRemote => (Id & CanFrame.RemoteFlag) != 0;

    /// <summary>True when the frame was received as an FD frame.</summary>
    public readonly bool IsFd => (Flags & FdFormat) != 0;

    /// <summary>The smallest CAN-FD data length (DLC step) that holds <paramref name="bytes"/> bytes (0–64).</summary>
    public static int RoundUpLength(int bytes) => bytes switch
    {
        <= 8 => Math.Max(bytes, 0),
        <= 12 => 12,
        <= 16 => 16,
        <= 20 => 20,
        <= 24 => 24,
        <= 32 => 32,
        <= 48 => 48,
        _ => MaxLength,
    };
}

using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MotorRT.Hardware.Can;

/// <summary>The eight data bytes of a classic CAN frame (inline, no heap).</summary>
[InlineArray(8)]
public struct CanData8
{
    private byte _b0;
}

/// <summary>
/// Linux's <c>struct can_frame</c> (linux/can.h), byte for byte: 32-bit identifier (bit 31 EFF, 30 RTR, 29 ERR),
/// data length code, padding, two reserved bytes, eight data bytes — 16 bytes, read and written by SocketCAN raw
/// sockets (and by the in-process socket pair) as is.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 16)]
public struct CanFrame
{
    /// <summary>Extended-frame flag of <see cref="Id"/>.</summary>
    public const uint ExtendedFlag = 0x8000_0000;

    /// <summary>Remote-transmission-request flag of <see cref="Id"/>.</summary>
    public const uint RemoteFlag = 0x4000_0000;

    /// <summary>Error-frame flag of <see cref="Id"/>.</summary>
    public const uint ErrorFlag = 0x2000_0000;

    /// <summary>Identifier with flags (11-bit standard id in bits 0–10).</summary>
    public uint Id;

    /// <summary>Data length, in bytes (0–8).</summary>
    public byte Length;

    private byte _pad;
    private byte _res0;
    private byte _len8Dlc;

    /// <summary>Payload.</summary>
    public CanData8 Data;

    /// <summary>The payload's first <see cref="Length"/> bytes.</summary>
    [UnscopedRef]
    public Span<byte> Payload => ((Span<byte>)Data)[..Math.Min((int)Length, 8)];

    /// <summary>The 11-bit standard identifier (flags stripped).</summary>
    public readonly uint StandardId => Id & 0x7FF;

    /// <summary>True for an error frame (SocketCAN reports bus-off and controller problems this way).</summary>
    public readonly bool IsError => (Id & ErrorFlag) != 0;

    /// <summary>True for a remote-transmission request.</summary>
    public readonly bool IsRemote => (Id & RemoteFlag) != 0;
}

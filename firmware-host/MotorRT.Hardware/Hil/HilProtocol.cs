using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using MotorRT.Contracts;

namespace MotorRT.Hardware.Hil;

/// <summary>Packet types of the HIL protocol.</summary>
public enum HilPacketType : byte
{
    /// <summary>Client → server: "describe your rig" (no session is started).</summary>
    Describe = 1,

    /// <summary>Server → client: the rig description (answer to Describe, and to Hello with the session token).</summary>
    Welcome = 2,

    /// <summary>Client → server: start a session (opens the plant rig) in the mode given.</summary>
    Hello = 3,

    /// <summary>Client → server: a converter command for tick <c>sequence</c>.</summary>
    Command = 4,

    /// <summary>Server → client: the raw sensor frame sampled at tick <c>sequence</c>.</summary>
    Frame = 5,

    /// <summary>Either side: the session ends (server → a client whose Hello it refuses: another session is live).</summary>
    Bye = 6,
}

/// <summary>HIL session modes.</summary>
public enum HilMode : byte
{
    /// <summary>Each command is answered by the next frame; the plant advances only on commands (deterministic).</summary>
    LockStep = 0,

    /// <summary>The plant advances on the server's clock every PWM period with the newest command received.</summary>
    FreeRunning = 1,
}

/// <summary>
/// The HIL wire format (version 2), little-endian, one UDP datagram per packet, documented in
/// <c>firmware-host/README.md</c>:
/// <code>
/// offset size field
///  0     4    magic "MRTP" (0x4D 0x52 0x54 0x50)
///  4     1    version (2)
///  5     1    type (HilPacketType)
///  6     2    flags (bit 0: an HMAC-SHA256 follows the CRC)
///  8     4    session: in Describe/Hello the client's random nonce; in Welcome (answer to Hello) and every later
///             packet of the session the random session token the server chose; 0 in Welcome answering Describe
/// 12     8    sequence (tick number: command k / frame k; in Welcome and a refusing Bye: the client's nonce)
/// 20     2    payload length n
/// 22     2    reserved (0)
/// 24     n    payload
/// 24+n   4    CRC-32 (IEEE, System.IO.Hashing) of bytes 0 .. 24+n−1
/// 28+n  32    with a pre-shared key only: HMAC-SHA256(key, bytes 0 .. 28+n−1)
/// </code>
/// Payloads: Describe/Bye: none. Hello: mode (1 byte). Welcome: machine (1), converter channels (1), mode (1),
/// reserved (1), encoder lines (int32), PWM period in s (float64), name (UTF-8, rest). Command (40 bytes): mode (1),
/// bridge enable (1), reserved (2), switching state (int32), duty[0..3] (4 × float64). Frame (64 bytes): sequence
/// (int64), timestamp ns (int64), current counts a, b, c (3 × int32), dc-link counts (int32), encoder count (int64),
/// index pulses (int32), hall state (int32), count at index (int64), fault inputs (uint32), phase-c sensed (1),
/// reserved (3). A packet with a wrong magic, version, length, CRC or HMAC is dropped and counted.
/// </summary>
public static class HilProtocol
{
    /// <summary>Protocol version (2: server-chosen session tokens, optional HMAC).</summary>
    public const byte Version = 2;

    /// <summary>Header size, in bytes.</summary>
    public const int HeaderSize = 24;

    /// <summary>CRC trailer size, in bytes.</summary>
    public const int TrailerSize = 4;

    /// <summary>HMAC-SHA256 trailer size (pre-shared key only), in bytes.</summary>
    public const int MacSize = 32;

    /// <summary>Smallest pre-shared key, in bytes.</summary>
    public const int MinKeySize = 16;

    /// <summary>
    /// Largest step a sequence number may take past the last one seen; anything further (e.g. 2^63−1, which would wrap
    /// the tick counter) is dropped and counted as out of range.
    /// </summary>
    public const long MaxSequenceStep = 1 << 16;

    /// <summary>Command payload size, in bytes.</summary>
    public const int CommandSize = 40;

    /// <summary>Frame payload size, in bytes.</summary>
    public const int FrameSize = 64;

    /// <summary>Largest packet, in bytes.</summary>
    public const int MaxPacket = 512;

    /// <summary>Default UDP port of the plant server.</summary>
    public const int DefaultPort = 47100;

    private const uint Magic = 0x5054524D; // "MRTP" little-endian

    /// <summary>Writes a header, payload (already in place at offset 24) and CRC; returns the packet length.</summary>
    public static int Seal(Span<byte> packet, HilPacketType type, uint session, long sequence, int payloadLength) =>
        Seal(packet, type, session, sequence, payloadLength, default);

    /// <summary>
    /// Writes a header, payload (already in place at offset 24), CRC and — when <paramref name="key"/> is not empty — the
    /// HMAC-SHA256 trailer; returns the packet length.
    /// </summary>
    public static int Seal(Span<byte> packet, HilPacketType type, uint session, long sequence, int payloadLength, ReadOnlySpan<byte> key)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(packet, Magic);
        packet[4] = Version;
        packet[5] = (byte)type;
        BinaryPrimitives.WriteUInt16LittleEndian(packet[6..], key.IsEmpty ? (ushort)0 : (ushort)1);
        BinaryPrimitives.WriteUInt32LittleEndian(packet[8..], session);
        BinaryPrimitives.WriteInt64LittleEndian(packet[12..], sequence);
        BinaryPrimitives.WriteUInt16LittleEndian(packet[20..], (ushort)payloadLength);
        BinaryPrimitives.WriteUInt16LittleEndian(packet[22..], 0);
        int end = HeaderSize + payloadLength;
        BinaryPrimitives.WriteUInt32LittleEndian(packet[end..], Crc32.HashToUInt32(packet[..end]));
        end += TrailerSize;
        if (!key.IsEmpty)
        {
            HMACSHA256.HashData(key, packet[..end], packet.Slice(end, MacSize));
            end += MacSize;
        }
        return end;
    }

    /// <summary>Checks magic, version, length and CRC of an unauthenticated packet. Returns false for anything malformed.</summary>
    public static bool TryOpen(ReadOnlySpan<byte> packet, out HilPacketType type, out uint session, out long sequence, out ReadOnlySpan<byte> payload) =>
        TryOpen(packet, default, out type, out session, out sequence, out payload);

    /// <summary>
    /// Checks magic, version, length, CRC and — with a <paramref name="key"/> — the HMAC (constant-time compare); without
    /// a key, an authenticated packet is rejected too (the two sides disagree on the key). Returns false for anything
    /// malformed.
    /// </summary>
    public static bool TryOpen(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> key, out HilPacketType type, out uint session, out long sequence, out ReadOnlySpan<byte> payload)
    {
        type = 0;
        session = 0;
        sequence = 0;
        payload = default;
        if (packet.Length < HeaderSize + TrailerSize || BinaryPrimitives.ReadUInt32LittleEndian(packet) != Magic || packet[4] != Version)
        {
            return false;
        }
        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(packet[6..]);
        if (flags != (key.IsEmpty ? 0 : 1))
        {
            return false;
        }
        int n = BinaryPrimitives.ReadUInt16LittleEndian(packet[20..]);
        int end = HeaderSize + n + TrailerSize;
        if (packet.Length != end + (key.IsEmpty ? 0 : MacSize))
        {
            return false;
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(packet[(HeaderSize + n)..]) != Crc32.HashToUInt32(packet[..(HeaderSize + n)]))
        {
            return false;
        }
        if (!key.IsEmpty)
        {
            Span<byte> mac = stackalloc byte[MacSize];
            HMACSHA256.HashData(key, packet[..end], mac);
            if (!CryptographicOperations.FixedTimeEquals(mac, packet.Slice(end, MacSize)))
            {
                return false;
            }
        }
        type = (HilPacketType)packet[5];
        session = BinaryPrimitives.ReadUInt32LittleEndian(packet[8..]);
        sequence = BinaryPrimitives.ReadInt64LittleEndian(packet[12..]);
        payload = packet.Slice(HeaderSize, n);
        return true;
    }

    /// <summary>A random, non-zero 32-bit nonce or session token (cryptographic generator; setup time only).</summary>
    public static uint RandomToken()
    {
        Span<byte> b = stackalloc byte[4];
        uint t;
        do
        {
            RandomNumberGenerator.Fill(b);
            t = BinaryPrimitives.ReadUInt32LittleEndian(b);
        }
        while (t == 0);
        return t;
    }

    /// <summary>Writes a command payload at offset 24 of <paramref name="packet"/>.</summary>
    public static void WriteCommand(Span<byte> packet, in ConverterCommand c)
    {
        Span<byte> p = packet[HeaderSize..];
        p[0] = (byte)c.Mode;
        p[1] = c.BridgeEnable ? (byte)1 : (byte)0;
        p[2] = 0;
        p[3] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(p[4..], c.SwitchingState);
        for (int i = 0; i < Channels4.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(p[(8 + 8 * i)..], c.Duty[i]);
        }
    }

    /// <summary>Reads a command payload.</summary>
    public static bool TryReadCommand(ReadOnlySpan<byte> p, out ConverterCommand c)
    {
        c = default;
        if (p.Length != CommandSize || p[0] > 1 || p[1] > 1)
        {
            return false;
        }
        c.Mode = (CommandMode)p[0];
        c.BridgeEnable = p[1] == 1;
        c.SwitchingState = BinaryPrimitives.ReadInt32LittleEndian(p[4..]);
        for (int i = 0; i < Channels4.Length; i++)
        {
            c.Duty[i] = BinaryPrimitives.ReadDoubleLittleEndian(p[(8 + 8 * i)..]);
        }
        return true;
    }

    /// <summary>Writes a frame payload at offset 24 of <paramref name="packet"/>.</summary>
    public static void WriteFrame(Span<byte> packet, in RawSensorFrame f)
    {
        Span<byte> p = packet[HeaderSize..];
        BinaryPrimitives.WriteInt64LittleEndian(p, f.Sequence);
        BinaryPrimitives.WriteInt64LittleEndian(p[8..], f.TimestampNs);
        BinaryPrimitives.WriteInt32LittleEndian(p[16..], f.CurrentCountsA);
        BinaryPrimitives.WriteInt32LittleEndian(p[20..], f.CurrentCountsB);
        BinaryPrimitives.WriteInt32LittleEndian(p[24..], f.CurrentCountsC);
        BinaryPrimitives.WriteInt32LittleEndian(p[28..], f.DcLinkCounts);
        BinaryPrimitives.WriteInt64LittleEndian(p[32..], f.EncoderCount);
        BinaryPrimitives.WriteInt32LittleEndian(p[40..], f.EncoderIndexPulses);
        BinaryPrimitives.WriteInt32LittleEndian(p[44..], f.HallState);
        BinaryPrimitives.WriteInt64LittleEndian(p[48..], f.EncoderCountAtIndex);
        BinaryPrimitives.WriteUInt32LittleEndian(p[56..], f.FaultInputs);
        p[60] = f.PhaseCSensed ? (byte)1 : (byte)0;
        p[61] = 0;
        p[62] = 0;
        p[63] = 0;
    }

    /// <summary>Reads a frame payload.</summary>
    public static bool TryReadFrame(ReadOnlySpan<byte> p, ref RawSensorFrame f)
    {
        if (p.Length != FrameSize)
        {
            return false;
        }
        f.Sequence = BinaryPrimitives.ReadInt64LittleEndian(p);
        f.TimestampNs = BinaryPrimitives.ReadInt64LittleEndian(p[8..]);
        f.CurrentCountsA = BinaryPrimitives.ReadInt32LittleEndian(p[16..]);
        f.CurrentCountsB = BinaryPrimitives.ReadInt32LittleEndian(p[20..]);
        f.CurrentCountsC = BinaryPrimitives.ReadInt32LittleEndian(p[24..]);
        f.DcLinkCounts = BinaryPrimitives.ReadInt32LittleEndian(p[28..]);
        f.EncoderCount = BinaryPrimitives.ReadInt64LittleEndian(p[32..]);
        f.EncoderIndexPulses = BinaryPrimitives.ReadInt32LittleEndian(p[40..]);
        f.HallState = BinaryPrimitives.ReadInt32LittleEndian(p[44..]);
        f.EncoderCountAtIndex = BinaryPrimitives.ReadInt64LittleEndian(p[48..]);
        f.FaultInputs = BinaryPrimitives.ReadUInt32LittleEndian(p[56..]);
        f.PhaseCSensed = p[60] == 1;
        return true;
    }

    /// <summary>Writes a Welcome payload; returns its length.</summary>
    public static int WriteWelcome(Span<byte> packet, RigDescription d, HilMode mode)
    {
        Span<byte> p = packet[HeaderSize..];
        p[0] = (byte)d.Machine;
        p[1] = (byte)d.ConverterChannels;
        p[2] = (byte)mode;
        p[3] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(p[4..], d.EncoderLinesPerRevolution);
        BinaryPrimitives.WriteDoubleLittleEndian(p[8..], d.PwmPeriod);
        int n = System.Text.Encoding.UTF8.GetBytes(d.Name.AsSpan(0, Math.Min(d.Name.Length, 64)), p[16..]);
        return 16 + n;
    }

    /// <summary>Reads a Welcome payload (load time: allocates the description).</summary>
    public static RigDescription ReadWelcome(ReadOnlySpan<byte> p, out HilMode mode)
    {
        if (p.Length < 16)
        {
            throw new InvalidDataException("HIL Welcome packet too short");
        }
        mode = (HilMode)p[2];
        return new RigDescription
        {
            Name = "remote-hil:" + System.Text.Encoding.UTF8.GetString(p[16..]),
            Machine = (MachineKind)p[0],
            ConverterChannels = p[1],
            EncoderLinesPerRevolution = BinaryPrimitives.ReadInt32LittleEndian(p[4..]),
            PwmPeriod = BinaryPrimitives.ReadDoubleLittleEndian(p[8..]),
        };
    }
}

using MotorRT.Hardware.Can;

namespace MotorRT.Hardware.Moteus;

/// <summary>Which registers of a position-mode command are sent (the others keep the board's defaults).</summary>
[Flags]
public enum MoteusPositionFields
{
    /// <summary>Only the mode.</summary>
    None = 0,
    /// <summary>0x020 position.</summary>
    Position = 1 << 0,
    /// <summary>0x021 velocity.</summary>
    Velocity = 1 << 1,
    /// <summary>0x022 feed-forward torque.</summary>
    FeedforwardTorque = 1 << 2,
    /// <summary>0x023 kp scale.</summary>
    KpScale = 1 << 3,
    /// <summary>0x024 kd scale.</summary>
    KdScale = 1 << 4,
    /// <summary>0x025 maximum torque.</summary>
    MaximumTorque = 1 << 5,
    /// <summary>0x026 stop position.</summary>
    StopPosition = 1 << 6,
    /// <summary>0x027 watchdog timeout.</summary>
    WatchdogTimeout = 1 << 7,
}

/// <summary>
/// A position-mode command (mode 10): the board applies
/// τ = kp·kp_scale·(position − p) + kd·kd_scale·(velocity − v) + feed-forward torque, limited to the maximum torque,
/// and advances the control position at the commanded velocity. Only the registers in <see cref="Fields"/> are sent.
/// </summary>
public struct MoteusPositionCommand
{
    /// <summary>Position, in rev; NaN = keep the present control position.</summary>
    public double Position;
    /// <summary>Velocity, in rev/s.</summary>
    public double Velocity;
    /// <summary>Feed-forward torque at the output shaft, in N·m.</summary>
    public double FeedforwardTorque;
    /// <summary>Scale of the board's kp (0–1).</summary>
    public double KpScale;
    /// <summary>Scale of the board's kd (0–1).</summary>
    public double KdScale;
    /// <summary>Torque limit, in N·m; NaN = the board's configured one.</summary>
    public double MaximumTorque;
    /// <summary>Stop position, in rev (deprecated by moteus).</summary>
    public double StopPosition;
    /// <summary>Watchdog timeout, in s: no newer command for this long → mode Timeout; 0 = the board's default, NaN = none.</summary>
    public double WatchdogTimeout;
    /// <summary>Which of the above are sent.</summary>
    public MoteusPositionFields Fields;
}

/// <summary>The resolution each queried register is asked in (<see cref="MoteusResolution.Ignore"/>: not queried).</summary>
public struct MoteusQuery
{
    /// <summary>Mode (0x000).</summary>
    public MoteusResolution Mode;
    /// <summary>Position (0x001).</summary>
    public MoteusResolution Position;
    /// <summary>Velocity (0x002).</summary>
    public MoteusResolution Velocity;
    /// <summary>Torque (0x003).</summary>
    public MoteusResolution Torque;
    /// <summary>q-axis current (0x004).</summary>
    public MoteusResolution QCurrent;
    /// <summary>Voltage (0x00d).</summary>
    public MoteusResolution Voltage;
    /// <summary>Board temperature (0x00e).</summary>
    public MoteusResolution Temperature;
    /// <summary>Fault code (0x00f).</summary>
    public MoteusResolution Fault;

    /// <summary>The python client's default query (QueryResolution): mode int8, position/velocity/torque float, voltage/temperature/fault int8.</summary>
    public static MoteusQuery Default => new()
    {
        Mode = MoteusResolution.Int8, Position = MoteusResolution.Float, Velocity = MoteusResolution.Float, Torque = MoteusResolution.Float,
        QCurrent = MoteusResolution.Ignore, Voltage = MoteusResolution.Int8, Temperature = MoteusResolution.Int8, Fault = MoteusResolution.Int8,
    };

    /// <summary>The rig's query: <see cref="Default"/> plus the q-axis current as float.</summary>
    public static MoteusQuery WithQCurrent => Default with { QCurrent = MoteusResolution.Float };
}

/// <summary>Which registers a reply carried.</summary>
[Flags]
public enum MoteusReplyFields
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>Mode.</summary>
    Mode = 1 << 0,
    /// <summary>Position.</summary>
    Position = 1 << 1,
    /// <summary>Velocity.</summary>
    Velocity = 1 << 2,
    /// <summary>Torque.</summary>
    Torque = 1 << 3,
    /// <summary>q-axis current.</summary>
    QCurrent = 1 << 4,
    /// <summary>Voltage.</summary>
    Voltage = 1 << 5,
    /// <summary>Board temperature.</summary>
    Temperature = 1 << 6,
    /// <summary>Fault code.</summary>
    Fault = 1 << 7,
}

/// <summary>A decoded reply: the board's state in SI-adjacent units as moteus reports them (rev, rev/s, N·m, A, V, °C).</summary>
public struct MoteusReply
{
    /// <summary>Mode (<see cref="MoteusModes"/>).</summary>
    public int Mode;
    /// <summary>Output position, in rev.</summary>
    public double Position;
    /// <summary>Output velocity, in rev/s.</summary>
    public double Velocity;
    /// <summary>Output torque, in N·m.</summary>
    public double Torque;
    /// <summary>q-axis current, in A.</summary>
    public double QCurrent;
    /// <summary>Input (bus) voltage, in V.</summary>
    public double Voltage;
    /// <summary>Board temperature, in °C.</summary>
    public double Temperature;
    /// <summary>Fault code (<see cref="MoteusFaults"/>).</summary>
    public int Fault;
    /// <summary>Registers present in the reply.</summary>
    public MoteusReplyFields Present;
    /// <summary>Write/read error subframes in the reply.</summary>
    public int Errors;
}

/// <summary>
/// moteus' register protocol over CAN-FD (docs/protocol/can.md): one frame carries subframes (mode write, register
/// writes, reads); the 16-bit id is source &lt;&lt; 8 | destination, bit 15 set when a reply is required (then the
/// frame is extended, id &gt; 0x7FF), the reply comes from destination &lt;&lt; 8 | source. Payloads are padded with
/// NOP (0x50) to the next CAN-FD length and sent with bit-rate switch. Everything here writes into the caller's frame
/// (no allocation).
/// </summary>
public static class MoteusProtocol
{
    /// <summary>Reply-required bit of the arbitration id.</summary>
    public const uint ReplyRequired = 0x8000;

    /// <summary>The padding byte (NOP subframe).</summary>
    public const byte Nop = 0x50;

    /// <summary>The arbitration id from <paramref name="source"/> to <paramref name="destination"/> (0–127), with the 13-bit CAN prefix.</summary>
    public static uint ArbitrationId(int source, int destination, bool replyRequired, int prefix = 0) =>
        ((uint)prefix << 16) | (replyRequired ? ReplyRequired : 0) | ((uint)(source & 0x7F) << 8) | (uint)(destination & 0x7F);

    /// <summary>Source of an arbitration id (flags stripped).</summary>
    public static int Source(uint id) => (int)((id >> 8) & 0x7F);

    /// <summary>Destination of an arbitration id.</summary>
    public static int Destination(uint id) => (int)(id & 0x7F);

    /// <summary>An empty frame from <paramref name="source"/> to <paramref name="destination"/>: extended when the id needs it, bit-rate switch on.</summary>
    public static CanFdFrame NewFrame(int source, int destination, bool replyRequired)
    {
        uint id = ArbitrationId(source, destination, replyRequired);
        return new CanFdFrame { Id = id > 0x7FF ? id | CanFrame.ExtendedFlag : id, Flags = CanFdFrame.BitRateSwitch };
    }

    /// <summary>Sets the frame's length to the CAN-FD length holding <paramref name="length"/> bytes, the rest NOP.</summary>
    public static void Finish(ref CanFdFrame frame, int length)
    {
        int padded = CanFdFrame.RoundUpLength(length);
        Span<byte> d = frame.Data;
        d[length..padded].Fill(Nop);
        frame.Length = (byte)padded;
    }

    /// <summary>Writes the mode register (int8): <c>01 00 mode</c>.</summary>
    public static void WriteMode(ref MultiplexWriter w, int mode)
    {
        w.WriteByte(0x01);
        w.WriteByte(MoteusRegisters.Mode);
        w.WriteByte((byte)mode);
    }

    /// <summary>A stop command (mode 0): the bridge off, a latched fault cleared.</summary>
    public static void WriteStop(ref MultiplexWriter w) => WriteMode(ref w, MoteusModes.Stopped);

    /// <summary>A position-mode command: the mode, then registers 0x020–0x027 of <paramref name="c"/>'s fields, all at <paramref name="resolution"/>.</summary>
    public static void WritePosition(ref MultiplexWriter w, in MoteusPositionCommand c, MoteusResolution resolution = MoteusResolution.Float)
    {
        WriteMode(ref w, MoteusModes.Position);
        Span<MoteusResolution> r = stackalloc MoteusResolution[8];
        Span<double> v = stackalloc double[8];
        v[0] = c.Position;
        v[1] = c.Velocity;
        v[2] = c.FeedforwardTorque;
        v[3] = c.KpScale;
        v[4] = c.KdScale;
        v[5] = c.MaximumTorque;
        v[6] = c.StopPosition;
        v[7] = c.WatchdogTimeout;
        for (int i = 0; i < 8; i++) r[i] = ((int)c.Fields & (1 << i)) != 0 ? resolution : MoteusResolution.Ignore;
        w.WriteBlock(0x00, MoteusRegisters.CommandPosition, r, v);
    }

    /// <summary>A current-mode command (mode 9): q and d currents in A at <paramref name="resolution"/>.</summary>
    public static void WriteCurrent(ref MultiplexWriter w, double qCurrent, double dCurrent, MoteusResolution resolution = MoteusResolution.Float)
    {
        WriteMode(ref w, MoteusModes.Current);
        Span<MoteusResolution> r = [resolution, resolution];
        Span<double> v = [qCurrent, dCurrent];
        w.WriteBlock(0x00, MoteusRegisters.CommandQCurrent, r, v);
    }

    /// <summary>Read subframes for <paramref name="q"/>; returns the reply's size in bytes.</summary>
    public static int WriteQuery(ref MultiplexWriter w, in MoteusQuery q) => WriteStateBlocks(ref w, 0x10, in q, default, default);

    /// <summary>The reply to <paramref name="q"/> for <paramref name="state"/> (what a board sends).</summary>
    public static void WriteReply(ref MultiplexWriter w, in MoteusQuery q, in MoteusReply state)
    {
        Span<double> motion = [state.Mode, state.Position, state.Velocity, state.Torque, state.QCurrent];
        Span<double> status = [state.Voltage, state.Temperature, state.Fault];
        WriteStateBlocks(ref w, 0x20, in q, motion, status);
    }

    /// <summary>
    /// The two register blocks of a query or reply at <paramref name="q"/>'s resolutions: motion 0x000–0x004 (mode,
    /// position, velocity, torque, q current), then status 0x00d–0x00f (voltage, temperature, fault); read subframes
    /// (0x10) without values, reply subframes (0x20) with them. Returns the reply's size in bytes.
    /// </summary>
    private static int WriteStateBlocks(ref MultiplexWriter w, byte baseType, in MoteusQuery q, scoped ReadOnlySpan<double> motionValues,
        scoped ReadOnlySpan<double> statusValues)
    {
        Span<MoteusResolution> motion = [q.Mode, q.Position, q.Velocity, q.Torque, q.QCurrent];
        Span<MoteusResolution> status = [q.Voltage, q.Temperature, q.Fault];
        return w.WriteBlock(baseType, MoteusRegisters.Mode, motion, motionValues)
            + w.WriteBlock(baseType, MoteusRegisters.Voltage, status, statusValues);
    }

    /// <summary>
    /// Decodes the reply subframes of <paramref name="payload"/> into <paramref name="reply"/> (registers it does not
    /// carry are left as they were; <see cref="MoteusReply.Present"/> gets the ones it does). False for a malformed payload.
    /// </summary>
    public static bool TryParseReply(ReadOnlySpan<byte> payload, ref MoteusReply reply)
    {
        var r = new MultiplexReader(payload);
        reply.Present = MoteusReplyFields.None;
        reply.Errors = 0;
        while (r.TryRead(out MultiplexSubframe s))
        {
            if (s.Kind is MultiplexSubframeKind.WriteError or MultiplexSubframeKind.ReadError)
            {
                reply.Errors++;
                continue;
            }
            if (s.Kind != MultiplexSubframeKind.Reply) continue;
            for (int k = 0; k < s.Count; k++)
            {
                double v = r.Value(in s, k);
                switch (s.StartRegister + k)
                {
                    case MoteusRegisters.Mode: reply.Mode = double.IsNaN(v) ? -1 : (int)v; reply.Present |= MoteusReplyFields.Mode; break;
                    case MoteusRegisters.Position: reply.Position = v; reply.Present |= MoteusReplyFields.Position; break;
                    case MoteusRegisters.Velocity: reply.Velocity = v; reply.Present |= MoteusReplyFields.Velocity; break;
                    case MoteusRegisters.Torque: reply.Torque = v; reply.Present |= MoteusReplyFields.Torque; break;
                    case MoteusRegisters.QCurrent: reply.QCurrent = v; reply.Present |= MoteusReplyFields.QCurrent; break;
                    case MoteusRegisters.Voltage: reply.Voltage = v; reply.Present |= MoteusReplyFields.Voltage; break;
                    case MoteusRegisters.Temperature: reply.Temperature = v; reply.Present |= MoteusReplyFields.Temperature; break;
                    case MoteusRegisters.Fault: reply.Fault = double.IsNaN(v) ? -1 : (int)v; reply.Present |= MoteusReplyFields.Fault; break;
                }
            }
        }
        return !r.Malformed;
    }
}

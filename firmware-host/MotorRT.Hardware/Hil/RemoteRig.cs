using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MotorRT.Contracts;

namespace MotorRT.Hardware.Hil;

/// <summary>
/// The remote HIL rig: the runtime's side of the HIL link to <c>motorrt plant-server</c> (<see cref="PlantServer"/>)
/// over UDP on 127.0.0.1. Lock-step: <see cref="Write"/> sends command k, the next <see cref="Read"/> waits for
/// frame k+1 (retransmitting the command every <see cref="RemoteRigOptions.RetransmitMs"/>; the server answers a
/// repeat from its cache), so the trajectory is the simulated rig's, bit for bit. Free-running: reads take the newest
/// frame that has arrived; older (reordered, duplicated) frames count as late, gaps in the sequence as lost.
/// A read that gets no new frame reports <see cref="RigIoStatus.Timeout"/>; after
/// <see cref="RemoteRigOptions.LinkLossTicks"/> such reads in a row, <see cref="RigIoStatus.LinkLost"/> (latched), so a
/// dead link is a supervised fault within a bounded number of ticks. Read and Write do not allocate while the link
/// is up (a refused datagram after a server crash raises a socket error, which is counted). The socket is connected
/// to the server, so datagrams from other endpoints never reach it; the session token comes from the server's Welcome,
/// and with <see cref="RemoteRigOptions.Key"/> every packet is authenticated (HMAC-SHA256).
/// </summary>
public sealed class RemoteRig : IRigIo
{
    private const int Slots = 8;
    private readonly RemoteRigOptions _o;
    private readonly Socket _socket;
    private readonly byte[] _rx = new byte[HilProtocol.MaxPacket];
    private readonly byte[] _tx = new byte[HilProtocol.MaxPacket];
    private readonly byte[][] _held = new byte[Slots][];
    private readonly int[] _heldLength = new int[Slots];
    private readonly long _retransmitTicks, _timeoutTicks, _waitTicks;
    private int _heldCount;
    private int _txLength;
    private RawSensorFrame _frame;
    private long _frameSeq = -1;
    private long _tick;
    private uint _session;
    private int _misses;
    private bool _linkLost;
    private bool _open;
    private ulong _rng;

    /// <summary>Connects to the plant server and asks for its rig description (throws when it does not answer).</summary>
    public RemoteRig(RemoteRigOptions options)
    {
        _o = options;
        for (int i = 0; i < Slots; i++)
        {
            _held[i] = new byte[HilProtocol.MaxPacket];
        }
        _retransmitTicks = (long)(options.RetransmitMs * 1e-3 * Stopwatch.Frequency);
        _timeoutTicks = (long)(options.TimeoutMs * 1e-3 * Stopwatch.Frequency);
        _waitTicks = (long)(options.FreeRunningWaitMs * 1e-3 * Stopwatch.Frequency);
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Connect(new IPEndPoint(IPAddress.Loopback, options.Port));
        Description = Handshake(HilPacketType.Describe, out _);
    }

    /// <inheritdoc />
    public RigDescription Description { get; }

    /// <inheritdoc />
    public bool IsLockStep => _o.Mode == HilMode.LockStep;

    /// <summary>Link settings.</summary>
    public RemoteRigOptions Options => _o;

    /// <summary>Reads that got no new frame in time.</summary>
    public long Timeouts { get; private set; }

    /// <summary>Frames that arrived after a newer one (reordered or duplicated), discarded.</summary>
    public long LateFrames { get; private set; }

    /// <summary>Frames never received (gaps in the sequence).</summary>
    public long LostFrames { get; private set; }

    /// <summary>Commands resent (lock-step).</summary>
    public long Retransmissions { get; private set; }

    /// <summary>Packets dropped as malformed or of another session.</summary>
    public long BadPackets { get; private set; }

    /// <summary>Frames whose sequence number is negative or implausibly far ahead (dropped).</summary>
    public long OutOfRangePackets { get; private set; }

    /// <summary>Socket errors (e.g. connection refused after the server died).</summary>
    public long LinkErrors { get; private set; }

    /// <summary>Frames the injected impairment dropped.</summary>
    public long InjectedDrops { get; private set; }

    /// <summary>True once the link has been declared lost (until the next <see cref="Open"/>).</summary>
    public bool LinkLost => _linkLost;

    /// <summary>Simulates a cut link from now on (scenario suites): nothing sent or received reaches the other side.</summary>
    public bool Blackout { get; set; }

    /// <inheritdoc />
    public void Open()
    {
        _rng = (ulong)_o.Impairment.Seed * 0x9E3779B97F4A7C15UL | 1;
        _heldCount = 0;
        _tick = 0;
        _frameSeq = -1;
        _misses = 0;
        _linkLost = false;
        Timeouts = LateFrames = LostFrames = Retransmissions = BadPackets = OutOfRangePackets = LinkErrors = InjectedDrops = 0;
        Handshake(HilPacketType.Hello, out _);
        _open = true;
    }

    /// <inheritdoc />
    public RigIoStatus Read(ref RawSensorFrame frame)
    {
        if (!_open)
        {
            return RigIoStatus.DeviceError;
        }
        if (_linkLost)
        {
            return RigIoStatus.LinkLost;
        }
        long start = Stopwatch.GetTimestamp();
        if (IsLockStep)
        {
            long lastSend = start;
            while (_frameSeq < _tick)
            {
                long now = Stopwatch.GetTimestamp();
                if (now - start >= _timeoutTicks)
                {
                    return Miss();
                }
                if (now - lastSend >= _retransmitTicks && _txLength > 0)
                {
                    Retransmissions++;
                    SendRaw();
                    lastSend = now;
                }
                long untilRetransmit = _retransmitTicks - (now - lastSend);
                long untilTimeout = _timeoutTicks - (now - start);
                Receive(Math.Min(untilRetransmit, untilTimeout));
            }
        }
        else
        {
            long before = _frameSeq;
            Receive(0);
            while (_frameSeq == before)
            {
                long elapsed = Stopwatch.GetTimestamp() - start;
                if (elapsed >= _waitTicks)
                {
                    return Miss();
                }
                Receive(_waitTicks - elapsed);
            }
            if (_frameSeq < before)
            {
                return Miss();
            }
        }
        _misses = 0;
        frame = _frame;
        return RigIoStatus.Ok;
    }

    /// <inheritdoc />
    public RigIoStatus Write(in ConverterCommand command)
    {
        if (!_open)
        {
            return RigIoStatus.DeviceError;
        }
        HilProtocol.WriteCommand(_tx, in command);
        _txLength = HilProtocol.Seal(_tx, HilPacketType.Command, _session, _tick, HilProtocol.CommandSize, _o.Key);
        _tick++;
        if (_linkLost)
        {
            return RigIoStatus.LinkLost;
        }
        return SendRaw() ? RigIoStatus.Ok : RigIoStatus.LinkLost;
    }

    /// <summary>
    /// Sends a safe command (bridge disabled) for the present tick at once. The plant server applies it like any
    /// command; when the link is gone the server-side plant keeps its last command (there is no real bridge behind
    /// a HIL link to open).
    /// </summary>
    public void DisableBridge()
    {
        try
        {
            if (_open && !Blackout)
            {
                var safe = default(ConverterCommand);
                safe.SetSafe();
                Span<byte> p = stackalloc byte[HilProtocol.HeaderSize + HilProtocol.CommandSize + HilProtocol.TrailerSize + HilProtocol.MacSize];
                HilProtocol.WriteCommand(p, in safe);
                int n = HilProtocol.Seal(p, HilPacketType.Command, _session, Math.Max(0, _tick - 1), HilProtocol.CommandSize, _o.Key);
                _socket.Send(p[..n]);
            }
        }
        catch (Exception)
        {
            // never throws
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            if (_open && !_linkLost)
            {
                Span<byte> p = stackalloc byte[HilProtocol.HeaderSize + HilProtocol.TrailerSize + HilProtocol.MacSize];
                _socket.Send(p[..HilProtocol.Seal(p, HilPacketType.Bye, _session, _tick, 0, _o.Key)]);
            }
        }
        catch (SocketException)
        {
            // server already gone
        }
        _open = false;
        _socket.Dispose();
    }

    private RigIoStatus Miss()
    {
        Timeouts++;
        if (++_misses >= _o.LinkLossTicks)
        {
            _linkLost = true;
            return RigIoStatus.LinkLost;
        }
        return RigIoStatus.Timeout;
    }

    private bool SendRaw()
    {
        if (Blackout)
        {
            return true;
        }
        try
        {
            _socket.Send(_tx.AsSpan(0, _txLength));
            return true;
        }
        catch (SocketException)
        {
            LinkErrors++;
            return true; // a refused datagram is a symptom; the missing frames decide link loss
        }
    }

    /// <summary>Waits up to <paramref name="waitTicks"/> (Stopwatch ticks) for packets and processes all that are pending.</summary>
    private void Receive(long waitTicks)
    {
        int waitUs = waitTicks <= 0 ? 0 : (int)Math.Min(int.MaxValue, waitTicks * 1_000_000 / Stopwatch.Frequency);
        try
        {
            if (!_socket.Poll(waitUs, SelectMode.SelectRead))
            {
                return;
            }
            while (_socket.Available > 0)
            {
                int n = _socket.Receive(_rx);
                if (!Blackout)
                {
                    Impair(n);
                }
            }
        }
        catch (SocketException)
        {
            LinkErrors++;
        }
    }

    private void Impair(int n)
    {
        LinkImpairment imp = _o.Impairment;
        if (imp.DropProbability > 0 && NextUniform() < imp.DropProbability)
        {
            InjectedDrops++;
            return;
        }
        if (imp.DelayPackets > 0 || _heldCount > 0 || (imp.ReorderProbability > 0 && NextUniform() < imp.ReorderProbability))
        {
            // queue this packet; deliver the oldest once the delay line (or the one-slot reorder hold) is full
            int depth = Math.Clamp(Math.Max(imp.DelayPackets, 1), 1, Slots - 1);
            _rx.AsSpan(0, n).CopyTo(_held[_heldCount]);
            _heldLength[_heldCount] = n;
            _heldCount++;
            if (_heldCount > depth)
            {
                if (imp.DelayPackets == 0 && _heldCount == 2)
                {
                    Process(_held[1].AsSpan(0, _heldLength[1])); // reorder: the newer packet first
                    Process(_held[0].AsSpan(0, _heldLength[0]));
                    _heldCount = 0;
                    return;
                }
                Process(_held[0].AsSpan(0, _heldLength[0]));
                byte[] first = _held[0];
                int firstLength = _heldLength[0];
                for (int i = 1; i < _heldCount; i++)
                {
                    _held[i - 1] = _held[i];
                    _heldLength[i - 1] = _heldLength[i];
                }
                _held[_heldCount - 1] = first;
                _heldLength[_heldCount - 1] = firstLength;
                _heldCount--;
            }
            return;
        }
        Process(_rx.AsSpan(0, n));
    }

    private void Process(ReadOnlySpan<byte> packet)
    {
        if (!HilProtocol.TryOpen(packet, _o.Key, out HilPacketType type, out uint session, out long seq, out ReadOnlySpan<byte> payload)
            || session != _session)
        {
            BadPackets++;
            return;
        }
        if (seq < 0 || seq - Math.Max(_tick, _frameSeq) > HilProtocol.MaxSequenceStep)
        {
            OutOfRangePackets++;
            return;
        }
        if (type == HilPacketType.Bye)
        {
            _linkLost = true;
            return;
        }
        if (type != HilPacketType.Frame)
        {
            return;
        }
        if (seq <= _frameSeq)
        {
            LateFrames++;
            return;
        }
        if (_frameSeq >= 0 && seq > _frameSeq + 1 && !IsLockStep)
        {
            LostFrames += seq - _frameSeq - 1;
        }
        if (HilProtocol.TryReadFrame(payload, ref _frame))
        {
            _frameSeq = seq;
        }
        else
        {
            BadPackets++;
        }
    }

    private double NextUniform()
    {
        _rng ^= _rng << 13;
        _rng ^= _rng >> 7;
        _rng ^= _rng << 17;
        return (_rng >> 11) * (1.0 / 9007199254740992.0);
    }

    private RigDescription Handshake(HilPacketType type, out HilMode mode)
    {
        mode = HilMode.LockStep;
        uint nonce = HilProtocol.RandomToken();
        bool hello = type == HilPacketType.Hello;
        if (hello)
        {
            _session = 0; // until the server's Welcome names the session token
        }
        Span<byte> request = stackalloc byte[HilProtocol.HeaderSize + 1 + HilProtocol.TrailerSize + HilProtocol.MacSize];
        request[HilProtocol.HeaderSize] = (byte)_o.Mode;
        int n = HilProtocol.Seal(request, type, nonce, 0, hello ? 1 : 0, _o.Key);
        RigDescription? description = null;
        for (int attempt = 0; attempt < 20 && (description is null || (hello && _frameSeq < 0)); attempt++)
        {
            try
            {
                if (description is null)
                {
                    _socket.Send(request[..n]);
                }
                long deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
                while (Stopwatch.GetTimestamp() < deadline && (description is null || (hello && _frameSeq < 0)))
                {
                    if (!_socket.Poll(20_000, SelectMode.SelectRead))
                    {
                        continue;
                    }
                    int len = _socket.Receive(_rx);
                    if (!HilProtocol.TryOpen(_rx.AsSpan(0, len), _o.Key, out HilPacketType t, out uint s, out long seq, out ReadOnlySpan<byte> payload))
                    {
                        continue;
                    }
                    if (t == HilPacketType.Welcome && seq == nonce && description is null)
                    {
                        description = HilProtocol.ReadWelcome(payload, out mode);
                        if (hello)
                        {
                            _session = s;
                        }
                    }
                    else if (t == HilPacketType.Bye && seq == nonce)
                    {
                        throw new IOException(
                            $"the HIL plant server at 127.0.0.1:{_o.Port} is serving another client; wait until that session ends (the server's session timeout) or start the server with --allow-takeover");
                    }
                    else if (hello && description is not null && t == HilPacketType.Frame && s == _session && HilProtocol.TryReadFrame(payload, ref _frame))
                    {
                        _frameSeq = seq;
                    }
                }
            }
            catch (SocketException)
            {
                Thread.Sleep(50); // server not up yet
            }
        }
        return description ?? throw new IOException(
            $"the HIL plant server at 127.0.0.1:{_o.Port} does not answer; start it with `motorrt plant-server <config.json>` (same rig.sim section, port {_o.Port}{(_o.Key is null ? "" : ", same psk_file")})");
    }
}

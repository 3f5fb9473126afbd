using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MotorRT.Contracts;

namespace MotorRT.Hardware.Hil;

/// <summary>
/// The HIL plant server: owns a plant rig (in practice the twin's <c>SimulatedRig</c>, built by <c>motorrt
/// plant-server</c>) and serves it over the HIL protocol (<see cref="HilProtocol"/>) on UDP, bound to 127.0.0.1 only.
/// Lock-step sessions: each command with the expected sequence advances the plant one period and is answered by the
/// next frame; a repeat of the last command (the client retransmits after a lost frame) is answered from the cached
/// frame without stepping again, so retransmission never changes the trajectory. Free-running sessions: the plant
/// advances every PWM period on the server's clock with the newest command received, and a frame is sent each period.
/// <para>
/// Sessions are bound: a Hello starts one for the sender's endpoint, and the server answers with a random session
/// token that every later packet must carry. Datagrams from other endpoints or with a wrong token are dropped and
/// counted (<see cref="ForeignPackets"/>, <see cref="WrongSessionPackets"/>); Describe is answered to its sender and
/// never touches the session; a Hello from another endpoint is refused (<see cref="RefusedHellos"/>, answered by Bye)
/// while the session is live, unless the old client has been silent for <see cref="PlantServerOptions.SessionTimeout"/>
/// or <see cref="PlantServerOptions.AllowTakeover"/> is set. Sequence numbers more than
/// <see cref="HilProtocol.MaxSequenceStep"/> ahead are dropped (<see cref="OutOfRangePackets"/>). With a pre-shared key
/// every packet is authenticated (HMAC-SHA256). Counters are written by the server thread and safe to read from any thread.
/// </para>
/// </summary>
public sealed class PlantServer : IDisposable
{
    private readonly IRigIo _plant;
    private readonly PlantServerOptions _options;
    private readonly byte[]? _key;
    private readonly Socket _socket;
    private readonly byte[] _rx = new byte[HilProtocol.MaxPacket];
    private readonly byte[] _tx = new byte[HilProtocol.MaxPacket];
    private readonly byte[] _lastFrame = new byte[HilProtocol.MaxPacket];
    private readonly SocketAddress _from;
    private readonly SocketAddress _client;
    private readonly long _sessionTimeoutTicks;
    private int _lastFrameLength;
    private RawSensorFrame _frame;
    private ConverterCommand _latest;
    private long _latestSeq = -1;
    private long _tick;
    private uint _session;
    private bool _active;
    private HilMode _mode;
    private long _nextDeadline;
    private long _periodTicks;
    private long _lastHeard;
    private volatile bool _stop;
    private Thread? _thread;
    private long _applied, _duplicates, _lost, _late, _bad, _overruns, _sent, _foreign, _wrongSession, _outOfRange, _stale, _refused, _takeovers, _sessions;

    /// <summary>Serves <paramref name="plant"/> on 127.0.0.1:<paramref name="port"/> (0 = any free port, see <see cref="Port"/>).</summary>
    public PlantServer(IRigIo plant, int port = HilProtocol.DefaultPort, PlantServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(plant);
        if (!plant.IsLockStep)
        {
            throw new ArgumentException("the plant server needs a lock-step plant rig (it keeps the clock itself)", nameof(plant));
        }
        _options = options ?? PlantServerOptions.Default;
        if (_options.Key is { Length: < HilProtocol.MinKeySize })
        {
            throw new ArgumentException($"the pre-shared key has {_options.Key.Length} bytes; use at least {HilProtocol.MinKeySize}", nameof(options));
        }
        _key = _options.Key;
        _sessionTimeoutTicks = (long)(_options.SessionTimeout * Stopwatch.Frequency);
        _plant = plant;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        _from = new IPEndPoint(IPAddress.Loopback, 0).Serialize();
        _client = new IPEndPoint(IPAddress.Loopback, 0).Serialize();
        _frame = default;
        _latest.SetSafe();
    }

    /// <summary>The UDP port served (on 127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>Commands that advanced the plant.</summary>
    public long CommandsApplied => Volatile.Read(ref _applied);

    /// <summary>Repeats of the last command answered from the cache (client retransmissions).</summary>
    public long DuplicateCommands => Volatile.Read(ref _duplicates);

    /// <summary>Commands skipped over (a newer sequence arrived before an older one), lock-step sessions.</summary>
    public long LostCommands => Volatile.Read(ref _lost);

    /// <summary>Commands older than the newest one received, free-running sessions (ignored).</summary>
    public long LateCommands => Volatile.Read(ref _late);

    /// <summary>Packets dropped as malformed (magic, version, length, CRC, HMAC, payload) or of an unexpected type.</summary>
    public long BadPackets => Volatile.Read(ref _bad);

    /// <summary>Session packets from an endpoint other than the session's client (dropped).</summary>
    public long ForeignPackets => Volatile.Read(ref _foreign);

    /// <summary>Packets from the client's endpoint with a wrong session token, or with no session live (dropped).</summary>
    public long WrongSessionPackets => Volatile.Read(ref _wrongSession);

    /// <summary>Commands whose sequence number is negative or more than <see cref="HilProtocol.MaxSequenceStep"/> ahead (dropped).</summary>
    public long OutOfRangePackets => Volatile.Read(ref _outOfRange);

    /// <summary>Lock-step commands older than the last one (replays), dropped without an answer.</summary>
    public long StaleCommands => Volatile.Read(ref _stale);

    /// <summary>Hellos from another endpoint refused because a session was live.</summary>
    public long RefusedHellos => Volatile.Read(ref _refused);

    /// <summary>Sessions taken over by another endpoint (after the timeout, or with takeover allowed).</summary>
    public long Takeovers => Volatile.Read(ref _takeovers);

    /// <summary>Sessions started.</summary>
    public long Sessions => Volatile.Read(ref _sessions);

    /// <summary>Free-running periods the server started late by more than one period.</summary>
    public long Overruns => Volatile.Read(ref _overruns);

    /// <summary>Frames sent.</summary>
    public long FramesSent => Volatile.Read(ref _sent);

    /// <summary>The counters as one line (what <c>motorrt plant-server</c> prints on exit).</summary>
    public string Statistics() =>
        $"sessions {Sessions}, commands applied {CommandsApplied}, duplicates {DuplicateCommands}, lost {LostCommands}, late {LateCommands}, stale {StaleCommands}, " +
        $"bad packets {BadPackets}, foreign {ForeignPackets}, wrong session {WrongSessionPackets}, out of range {OutOfRangePackets}, " +
        $"refused hellos {RefusedHellos}, takeovers {Takeovers}, overruns {Overruns}, frames sent {FramesSent}";

    /// <summary>Starts serving on a background thread.</summary>
    public void Start()
    {
        _thread = new Thread(() => Run(CancellationToken.None)) { IsBackground = true, Name = "motorrt-plant-server" };
        _thread.Start();
    }

    /// <summary>Serves until <paramref name="cancel"/> fires or <see cref="Stop"/>/<see cref="Kill"/> is called.</summary>
    public void Run(CancellationToken cancel)
    {
        try
        {
            while (!_stop && !cancel.IsCancellationRequested)
            {
                int waitUs = 5000;
                if (_active && _mode == HilMode.FreeRunning)
                {
                    long now = Stopwatch.GetTimestamp();
                    if (now >= _nextDeadline)
                    {
                        FreeRunningPeriod(now);
                        continue;
                    }
                    long remainingUs = (_nextDeadline - now) * 1_000_000 / Stopwatch.Frequency;
                    waitUs = remainingUs > 1500 ? 1000 : 0;
                }
                if (_socket.Poll(waitUs, SelectMode.SelectRead))
                {
                    int n;
                    try
                    {
                        n = _socket.ReceiveFrom(_rx, SocketFlags.None, _from);
                    }
                    catch (SocketException) when (!_stop)
                    {
                        continue; // e.g. ICMP port unreachable from a client that went away
                    }
                    Handle(_rx.AsSpan(0, n));
                }
                else if (waitUs == 0)
                {
                    Thread.SpinWait(20);
                }
            }
        }
        catch (ObjectDisposedException) when (_stop)
        {
            // killed
        }
        catch (SocketException) when (_stop)
        {
            // killed
        }
    }

    /// <summary>Stops serving after telling the client (Bye).</summary>
    public void Stop()
    {
        if (_active)
        {
            Send(HilPacketType.Bye, _tick, 0, _session, _client);
        }
        _stop = true;
        _thread?.Join(1000);
    }

    /// <summary>Stops abruptly without a Bye and closes the socket: what a crash looks like from the client.</summary>
    public void Kill()
    {
        _stop = true;
        _socket.Close();
        _thread?.Join(1000);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_stop)
        {
            Stop();
        }
        _socket.Dispose();
        _plant.Dispose();
    }

    private static void Bump(ref long counter) => Interlocked.Increment(ref counter);

    private void Handle(ReadOnlySpan<byte> packet)
    {
        if (!HilProtocol.TryOpen(packet, _key, out HilPacketType type, out uint session, out long seq, out ReadOnlySpan<byte> payload))
        {
            Bump(ref _bad);
            return;
        }
        bool fromClient = _active && SameAddress(_from, _client);
        switch (type)
        {
            case HilPacketType.Describe:
                // Answered to the sender; the session (and where its frames go) is untouched.
                Send(HilPacketType.Welcome, session, HilProtocol.WriteWelcome(_tx, _plant.Description, HilMode.LockStep), 0, _from);
                break;
            case HilPacketType.Hello:
                if (_active && !fromClient)
                {
                    bool silent = Stopwatch.GetTimestamp() - _lastHeard >= _sessionTimeoutTicks;
                    if (!silent && !_options.AllowTakeover)
                    {
                        Bump(ref _refused);
                        Send(HilPacketType.Bye, session, 0, 0, _from);
                        return;
                    }
                    Bump(ref _takeovers);
                }
                CopyAddress(_from, _client);
                StartSession(session, payload.Length > 0 && payload[0] == (byte)HilMode.FreeRunning ? HilMode.FreeRunning : HilMode.LockStep);
                break;
            case HilPacketType.Command:
            case HilPacketType.Bye:
                if (!_active || !SameAddress(_from, _client))
                {
                    if (_active) Bump(ref _foreign); else Bump(ref _wrongSession);
                    return;
                }
                if (session != _session)
                {
                    Bump(ref _wrongSession);
                    return;
                }
                if (type == HilPacketType.Bye)
                {
                    _active = false;
                    return;
                }
                Command(seq, payload);
                break;
            default:
                Bump(ref _bad);
                break;
        }
    }

    private void Command(long seq, ReadOnlySpan<byte> payload)
    {
        if (!HilProtocol.TryReadCommand(payload, out ConverterCommand cmd))
        {
            Bump(ref _bad);
            return;
        }
        long reference = _mode == HilMode.FreeRunning ? Math.Max(_latestSeq, 0) : _tick;
        if (seq < 0 || seq - reference > HilProtocol.MaxSequenceStep)
        {
            Bump(ref _outOfRange);
            return;
        }
        _lastHeard = Stopwatch.GetTimestamp();
        if (_mode == HilMode.FreeRunning)
        {
            if (seq > _latestSeq)
            {
                _latest = cmd;
                _latestSeq = seq;
            }
            else
            {
                Bump(ref _late);
            }
        }
        else if (seq == _tick - 1)
        {
            Bump(ref _duplicates);
            _socket.SendTo(_lastFrame.AsSpan(0, _lastFrameLength), SocketFlags.None, _client);
        }
        else if (seq < _tick)
        {
            Bump(ref _stale);
        }
        else
        {
            Interlocked.Add(ref _lost, seq - _tick);
            _plant.Write(in cmd);
            _plant.Read(ref _frame);
            _tick = seq + 1;
            Bump(ref _applied);
            SendFrame();
        }
    }

    private void StartSession(uint nonce, HilMode mode)
    {
        uint token;
        do
        {
            token = HilProtocol.RandomToken();
        }
        while (token == nonce || token == _session);
        _session = token;
        _mode = mode;
        _plant.Open();
        _plant.Read(ref _frame);
        _tick = 0;
        _latest.SetSafe();
        _latestSeq = -1;
        _active = true;
        _lastHeard = Stopwatch.GetTimestamp();
        Bump(ref _sessions);
        Send(HilPacketType.Welcome, nonce, HilProtocol.WriteWelcome(_tx, _plant.Description, mode), _session, _client);
        SendFrame();
        _periodTicks = Math.Max(1, (long)Math.Round(_plant.Description.PwmPeriod * Stopwatch.Frequency));
        _nextDeadline = Stopwatch.GetTimestamp() + _periodTicks;
    }

    private void FreeRunningPeriod(long now)
    {
        if (now - _nextDeadline > _periodTicks)
        {
            Bump(ref _overruns);
            _nextDeadline = now; // resynchronise instead of bursting to catch up
        }
        _nextDeadline += _periodTicks;
        _plant.Write(in _latest);
        _plant.Read(ref _frame);
        _tick++;
        Bump(ref _applied);
        SendFrame();
    }

    private void SendFrame()
    {
        HilProtocol.WriteFrame(_tx, in _frame);
        int n = HilProtocol.Seal(_tx, HilPacketType.Frame, _session, _tick, HilProtocol.FrameSize, _key);
        _tx.AsSpan(0, n).CopyTo(_lastFrame);
        _lastFrameLength = n;
        SendTo(_tx.AsSpan(0, n), _client);
        Bump(ref _sent);
    }

    private void Send(HilPacketType type, long seq, int payloadLength, uint session, SocketAddress to)
    {
        int n = HilProtocol.Seal(_tx, type, session, seq, payloadLength, _key);
        SendTo(_tx.AsSpan(0, n), to);
    }

    private void SendTo(ReadOnlySpan<byte> packet, SocketAddress to)
    {
        try
        {
            _socket.SendTo(packet, SocketFlags.None, to);
        }
        catch (SocketException) when (!_stop)
        {
            // the peer's port is closed (ICMP); its next packet or the session timeout decides
        }
    }

    private static bool SameAddress(SocketAddress a, SocketAddress b) =>
        a.Size == b.Size && a.Buffer.Span[..a.Size].SequenceEqual(b.Buffer.Span[..b.Size]);

    private static void CopyAddress(SocketAddress from, SocketAddress to)
    {
        from.Buffer.Span.CopyTo(to.Buffer.Span);
        to.Size = from.Size;
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MotorRT.Contracts;

namespace MotorRT.Hardware.Hil;

/// <summary>
/// The HIL plant server: owns a plant rig (in practice the twin's <c>SimulatedRig</c>, built by <c>motorrt
/// plant-server</c>) and serves it over the HIL protocol (<see cref="HilProtocol"/>) on UDP, bound to 127.0.0.1 only.
/// Lock-step sessions: each command with the expected sequence advances the plant one period and is answered by the
/// next frame; a repeated command (the client retransmits after a lost frame) is answered from the cached frame
/// without stepping again, so retransmission never changes the trajectory. Free-running sessions: the plant advances
/// every PWM period on the server's clock with the newest command received, and a frame is sent each period.
/// One session at a time; a new Hello replaces the old session. Malformed packets are dropped and counted.
/// </summary>
public sealed class PlantServer : IDisposable
{
    private readonly IRigIo _plant;
    private readonly Socket _socket;
    private readonly byte[] _rx = new byte[HilProtocol.MaxPacket];
    private readonly byte[] _tx = new byte[HilProtocol.MaxPacket];
    private readonly byte[] _lastFrame = new byte[HilProtocol.MaxPacket];
    private readonly SocketAddress _from;
    private readonly SocketAddress _client;
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
    private volatile bool _stop;
    private Thread? _thread;

    /// <summary>Serves <paramref name="plant"/> on 127.0.0.1:<paramref name="port"/> (0 = any free port, see <see cref="Port"/>).</summary>
    public PlantServer(IRigIo plant, int port = HilProtocol.DefaultPort)
    {
        ArgumentNullException.ThrowIfNull(plant);
        if (!plant.IsLockStep)
        {
            throw new ArgumentException("the plant server needs a lock-step plant rig (it keeps the clock itself)", nameof(plant));
        }
        _plant = plant;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        _from = new IPEndPoint(IPAddress.Loopback, 0).Serialize();
        _client = new IPEndPoint(IPAddress.Loopback, 0).Serialize();
        _frame = default;
        _latest.SetSafe();
    }

    /// <summary>The UDP port served (on 127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>Commands that advanced the plant.</summary>
    public long CommandsApplied { get; private set; }

    /// <summary>Repeated commands answered from the cache (client retransmissions).</summary>
    public long DuplicateCommands { get; private set; }

    /// <summary>Commands skipped over (a newer sequence arrived before an older one), lock-step sessions.</summary>
    public long LostCommands { get; private set; }

    /// <summary>Commands older than the newest one received, free-running sessions (ignored).</summary>
    public long LateCommands { get; private set; }

    /// <summary>Packets dropped as malformed (magic, version, length, CRC) or of another session.</summary>
    public long BadPackets { get; private set; }

    /// <summary>Free-running periods the server started late by more than one period.</summary>
    public long Overruns { get; private set; }

    /// <summary>Frames sent.</summary>
    public long FramesSent { get; private set; }

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
                    int n = _socket.ReceiveFrom(_rx, SocketFlags.None, _from);
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
            Send(HilPacketType.Bye, _tick, 0);
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

    private void Handle(ReadOnlySpan<byte> packet)
    {
        if (!HilProtocol.TryOpen(packet, out HilPacketType type, out uint session, out long seq, out ReadOnlySpan<byte> payload))
        {
            BadPackets++;
            return;
        }
        switch (type)
        {
            case HilPacketType.Describe:
                CopyAddress(_from, _client);
                Send(HilPacketType.Welcome, 0, HilProtocol.WriteWelcome(_tx, _plant.Description, HilMode.LockStep), session);
                break;
            case HilPacketType.Hello:
                CopyAddress(_from, _client);
                StartSession(session, payload.Length > 0 && payload[0] == (byte)HilMode.FreeRunning ? HilMode.FreeRunning : HilMode.LockStep);
                break;
            case HilPacketType.Command when _active && session == _session:
                if (!HilProtocol.TryReadCommand(payload, out ConverterCommand cmd))
                {
                    BadPackets++;
                    return;
                }
                if (_mode == HilMode.FreeRunning)
                {
                    if (seq > _latestSeq)
                    {
                        _latest = cmd;
                        _latestSeq = seq;
                    }
                    else
                    {
                        LateCommands++;
                    }
                }
                else if (seq < _tick)
                {
                    DuplicateCommands++;
                    _socket.SendTo(_lastFrame.AsSpan(0, _lastFrameLength), SocketFlags.None, _client);
                }
                else
                {
                    LostCommands += seq - _tick;
                    _plant.Write(in cmd);
                    _plant.Read(ref _frame);
                    CommandsApplied++;
                    _tick = seq + 1;
                    SendFrame();
                }
                break;
            case HilPacketType.Bye when session == _session:
                _active = false;
                break;
            default:
                BadPackets++;
                break;
        }
    }

    private void StartSession(uint session, HilMode mode)
    {
        _session = session;
        _mode = mode;
        _plant.Open();
        _plant.Read(ref _frame);
        _tick = 0;
        _latest.SetSafe();
        _latestSeq = -1;
        _active = true;
        Send(HilPacketType.Welcome, 0, HilProtocol.WriteWelcome(_tx, _plant.Description, mode));
        SendFrame();
        _periodTicks = Math.Max(1, (long)Math.Round(_plant.Description.PwmPeriod * Stopwatch.Frequency));
        _nextDeadline = Stopwatch.GetTimestamp() + _periodTicks;
    }

    private void FreeRunningPeriod(long now)
    {
        if (now - _nextDeadline > _periodTicks)
        {
            Overruns++;
            _nextDeadline = now; // resynchronise instead of bursting to catch up
        }
        _nextDeadline += _periodTicks;
        _plant.Write(in _latest);
        _plant.Read(ref _frame);
        CommandsApplied++;
        _tick++;
        SendFrame();
    }

    private void SendFrame()
    {
        HilProtocol.WriteFrame(_tx, in _frame);
        int n = HilProtocol.Seal(_tx, HilPacketType.Frame, _session, _tick, HilProtocol.FrameSize);
        _tx.AsSpan(0, n).CopyTo(_lastFrame);
        _lastFrameLength = n;
        _socket.SendTo(_tx.AsSpan(0, n), SocketFlags.None, _client);
        FramesSent++;
    }

    private void Send(HilPacketType type, long seq, int payloadLength, uint? session = null)
    {
        int n = HilProtocol.Seal(_tx, type, session ?? _session, seq, payloadLength);
        _socket.SendTo(_tx.AsSpan(0, n), SocketFlags.None, _client);
    }

    private static void CopyAddress(SocketAddress from, SocketAddress to)
    {
        from.Buffer.Span.CopyTo(to.Buffer.Span);
        to.Size = from.Size;
    }
}

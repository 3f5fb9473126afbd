using MotorRT.Contracts;
using MotorRT.Contracts.Sensors;
using MotorRT.Hardware.Can;

namespace MotorRT.Hardware.Moteus;

/// <summary>
/// A moteus servo over CAN-FD (register protocol, <see cref="MoteusProtocol"/>): the board closes the current loop; the
/// runtime sends one frame per tick — a command and a query together, reply required — and reads the reply in the next
/// tick's <see cref="Read"/>. A torque set-point goes out as a position-mode command with position NaN, velocity 0,
/// kp and kd scales 0 and the torque as feed-forward (so the board applies exactly that torque, limited to
/// <c>maximum_torque</c>); a current set-point as a current-mode command (q current = <c>CurrentSetpointD</c>, the
/// armature current of the one-channel presentation, d current 0); a velocity set-point as a position-mode command
/// with position NaN, the velocity in rev/s, kp scale 0, kd scale 1 and the torque feed-forward. Every position-mode
/// command carries the board's command watchdog (<c>watchdog_timeout</c>): commands that stop arriving put the board
/// in mode Timeout on its own.
/// <para>The servo is presented as a DC-like machine (one channel), as the ODrive rig presents its axis: the queried
/// q current → <c>CurrentCountsA</c> in the config's current-sensor counts, the input voltage → <c>DcLinkCounts</c>,
/// the position (rev) → <c>EncoderCount</c> in counts of <c>sensors.encoder</c>. Mode Fault with its code, and mode
/// Timeout, map onto the fault inputs (<see cref="MoteusFaults.ToFaultInputs"/>).</para>
/// <para>Per tick: every waiting frame is drained (non-blocking); a tick without a new reply is a late frame
/// (<see cref="RigIoStatus.Timeout"/>, counted towards <c>limits.rig_failures</c>); no reply for <c>reply_timeout</c>
/// is a lost link (<see cref="RigIoStatus.LinkLost"/>, latched until <see cref="CanSetpointRig{TTransport}.Open"/>), as is a bus-off error frame.
/// A write with the bridge disabled, and <see cref="CanSetpointRig{TTransport}.DisableBridge"/> from any thread, send a stop (mode 0) at once;
/// afterwards a disabled tick sends the query alone (stop is sent once, not per tick: it would also clear a fault the
/// board latches while we are stopped, before its reply could show it). No allocation per tick.</para>
/// </summary>
public sealed class MoteusRig : CanSetpointRig<ICanFdTransport>
{
    private readonly int _servo, _source;
    private readonly double _maximumTorque, _watchdogTimeout;
    private readonly MoteusQuery _query = MoteusQuery.WithQCurrent;
    private MoteusReply _state;
    private int _boardMode = -1;

    /// <summary>Builds the rig over <paramref name="can"/> (owned from now on).</summary>
    /// <param name="can">The CAN-FD endpoint.</param>
    /// <param name="servoId">The servo's CAN id (id.id, 1–127).</param>
    /// <param name="sourceId">This host's source id (0–127) the replies are addressed to.</param>
    /// <param name="period">Loop period, in s (one command + query per period).</param>
    /// <param name="replyTimeout">Reply silence after which the link is lost, in s.</param>
    /// <param name="maximumTorque">Torque limit sent with each position-mode command, in N·m; NaN = the board's.</param>
    /// <param name="watchdogTimeout">The board's command watchdog sent with each position-mode command, in s.</param>
    /// <param name="sensors">The config's sensor scaling (counts of the frame).</param>
    /// <param name="world">The emulated board (lock-step CI runs), or null on a real bus.</param>
    public MoteusRig(ICanFdTransport can, int servoId, int sourceId, double period, double replyTimeout, double maximumTorque, double watchdogTimeout,
        SensorSpec sensors, IEmulatedWorld? world = null)
        : this((Func<ICanFdTransport>?)null, servoId, sourceId, period, replyTimeout, maximumTorque, watchdogTimeout, sensors, world)
    {
        ArgumentNullException.ThrowIfNull(can);
        Transport = can;
    }

    /// <summary>Builds the rig; <paramref name="connect"/> opens the CAN-FD endpoint in <see cref="CanSetpointRig{TTransport}.Open"/> (off the real-time path; it may throw).</summary>
    public MoteusRig(Func<ICanFdTransport> connect, int servoId, int sourceId, double period, double replyTimeout, double maximumTorque, double watchdogTimeout,
        SensorSpec sensors)
        : this(connect, servoId, sourceId, period, replyTimeout, maximumTorque, watchdogTimeout, sensors, null)
    {
        ArgumentNullException.ThrowIfNull(connect);
    }

    private MoteusRig(Func<ICanFdTransport>? connect, int servoId, int sourceId, double period, double replyTimeout, double maximumTorque, double watchdogTimeout,
        SensorSpec sensors, IEmulatedWorld? world)
        : base(connect, "moteus", "the moteus rig reports the servo's position as encoder counts: sensors.encoder is required", period, replyTimeout, sensors, world)
    {
        if (servoId is < 1 or > 127) throw new ArgumentOutOfRangeException(nameof(servoId), servoId, "moteus servo ids are 1–127");
        if (sourceId is < 0 or > 127 || sourceId == servoId) throw new ArgumentOutOfRangeException(nameof(sourceId), sourceId, "the source id is 0–127 and not the servo's");
        _servo = servoId;
        _source = sourceId;
        _maximumTorque = maximumTorque;
        _watchdogTimeout = watchdogTimeout;
    }

    /// <summary>The board's state from the last reply.</summary>
    public MoteusReply BoardState => _state;

    /// <summary>
    /// The last reply in mode Fault or Timeout (kept until <see cref="CanSetpointRig{TTransport}.Open"/>; default when none): the stop a trip sends
    /// clears the servo's fault, so this is where its code stays visible.
    /// </summary>
    public MoteusReply LastFaultReply { get; private set; }

    /// <summary>Replies that were not valid subframes (ignored).</summary>
    public long MalformedReplies { get; private set; }

    /// <inheritdoc />
    private protected override void Opened()
    {
        _boardMode = -1;
        LastFaultReply = default;
        SendStop(query: true);
    }

    /// <inheritdoc />
    public override RigIoStatus Read(ref RawSensorFrame frame)
    {
        Link.BeginRead();
        while (Transport.TryReceiveFd(out CanFdFrame f))
        {
            if (Link.TakeErrorFrame(f.IsError, f.Id)) continue;
            uint id = f.ExtendedId;
            // replies carry prefix 0 (bits 16–28), no reply-required bit, servo → us
            if (f.IsRemote || (id & ~0x7F7Fu) != 0 || MoteusProtocol.Source(id) != _servo || MoteusProtocol.Destination(id) != _source) continue;
            MoteusReply reply = _state;   // a malformed reply leaves the last good state as it was
            if (!MoteusProtocol.TryParseReply(f.Payload, ref reply) || (reply.Present & MoteusReplyFields.Position) == 0)
            {
                MalformedReplies++;
                continue;
            }
            _state = reply;
            Link.NoteFresh();
            Link.NoteAlive();
        }
        RigIoStatus status = Link.EndRead(Transport.LastError);
        if (status != RigIoStatus.Ok) return status;
        _boardMode = _state.Mode;
        if (_state.Mode is MoteusModes.Fault or MoteusModes.Timeout) LastFaultReply = _state;
        Link.Fill(ref frame, _state.QCurrent, _state.Voltage, _state.Position, MoteusFaults.ToFaultInputs(_state.Mode, _state.Fault));
        return RigIoStatus.Ok;
    }

    /// <inheritdoc />
    public override RigIoStatus Write(in ConverterCommand command)
    {
        bool enable = Link.BeginWrite(in command);
        bool ok;
        if (!enable)
        {
            ok = Link.Armed ? SendStop(query: true) : SendQuery();
            Link.Armed = false;
        }
        else
        {
            // Leaving Fault or Timeout takes a stop first (moteus stays there whatever else is written).
            if (!Link.Armed && _boardMode is MoteusModes.Fault or MoteusModes.Timeout) SendStop(query: false);
            CanFdFrame f = MoteusProtocol.NewFrame(_source, _servo, replyRequired: true);
            var w = new MultiplexWriter(f.Data);
            if (command.Mode == CommandMode.CurrentSetpoint)
            {
                MoteusProtocol.WriteCurrent(ref w, command.CurrentSetpointD, 0.0);
            }
            else
            {
                bool velocity = command.Mode == CommandMode.VelocitySetpoint;
                var c = new MoteusPositionCommand
                {
                    Position = double.NaN,
                    Velocity = velocity ? command.VelocitySetpoint / (2 * Math.PI) : 0.0,
                    FeedforwardTorque = command.TorqueSetpoint,
                    KpScale = 0.0,
                    KdScale = velocity ? 1.0 : 0.0,
                    MaximumTorque = _maximumTorque,
                    WatchdogTimeout = _watchdogTimeout,
                    Fields = MoteusPositionFields.Position | MoteusPositionFields.Velocity | MoteusPositionFields.FeedforwardTorque | MoteusPositionFields.KpScale
                        | MoteusPositionFields.KdScale | MoteusPositionFields.MaximumTorque | MoteusPositionFields.WatchdogTimeout,
                };
                MoteusProtocol.WritePosition(ref w, in c);
            }
            MoteusProtocol.WriteQuery(ref w, in _query);
            MoteusProtocol.Finish(ref f, w.Length);
            ok = Transport.TrySendFd(in f);
            Link.Armed = ok;
            if (!ok) SendStop(query: false);
        }
        return Link.EndWrite(ok);
    }

    /// <inheritdoc />
    private protected override bool SendOff() => SendStop(query: false);

    private bool SendStop(bool query)
    {
        CanFdFrame f = MoteusProtocol.NewFrame(_source, _servo, replyRequired: query);
        var w = new MultiplexWriter(f.Data);
        MoteusProtocol.WriteStop(ref w);
        if (query) MoteusProtocol.WriteQuery(ref w, in _query);
        MoteusProtocol.Finish(ref f, w.Length);
        return Transport.TrySendFd(in f);
    }

    private bool SendQuery()
    {
        CanFdFrame f = MoteusProtocol.NewFrame(_source, _servo, replyRequired: true);
        var w = new MultiplexWriter(f.Data);
        MoteusProtocol.WriteQuery(ref w, in _query);
        MoteusProtocol.Finish(ref f, w.Length);
        return Transport.TrySendFd(in f);
    }
}

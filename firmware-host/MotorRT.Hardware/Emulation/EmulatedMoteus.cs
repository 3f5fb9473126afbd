using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Contracts.Sensors;
using MotorRT.Hardware.Can;
using MotorRT.Hardware.Moteus;

namespace MotorRT.Hardware.Emulation;

/// <summary>
/// A moteus servo for CI, byte-exact on the register protocol over CAN-FD, with a plant behind it (in practice the
/// twin's <c>SimulatedRig</c> of a permanently excited DC machine, whose sensor models produce the counts). It reads
/// every frame addressed to its id on its end of the link, applies the subframes in order — the mode register (0
/// stopped: clears a fault; 9 current; 10 position; refused while in Fault or Timeout), the position-mode registers
/// 0x020–0x027 (each command starts from moteus' defaults: velocity and torque 0, kp/kd scales 1, maximum torque
/// the board's, watchdog the board's default), the current-mode registers 0x01c/0x01d and the reads — and, when the
/// id asks for a reply (bit 15), answers the reads after the period with one reply frame to the sender, padded with
/// NOP, in the resolutions asked for.
/// <para>The inner loop is the board's: the position-mode law τ = <see cref="Kp"/>·kp_scale·(p_cmd − p) +
/// <see cref="Kd"/>·kd_scale·(v_cmd − v) + τ_ff, limited to the maximum torque, becomes a current set-point τ / k_t
/// (k_t = ψ_e of the twin) limited to <see cref="EmulatedCanDrive{TTransport}.CurrentLimit"/>; a PI current loop on the plant's armature current
/// at the plant's own period, <see cref="EmulatedCanDrive{TTransport}.InnerSteps"/> plant steps per runtime period, bandwidth 1/(10 plant periods)
/// from R and L, EMF fed forward, back-calculation against the DC link (the loop of <c>EmulatedDrivePlant</c>,
/// shared with <see cref="EmulatedODrive"/>, so the two boards are comparable). A measured current beyond 1.5 × the limit latches Fault with code 33 (motor
/// driver fault, as the gate driver's over-current protection reports it). A position-mode command older than its
/// watchdog timeout puts the board in mode Timeout (zero current here; the real board holds a damped stop).</para>
/// <para>Fault injection for the suites: <see cref="InjectFault"/>, <see cref="EmulatedCanDrive{TTransport}.Silent"/> (no replies),
/// <see cref="InjectBusOff"/> and <see cref="DropReplies"/> (replies left out for some periods).</para>
/// </summary>
public sealed class EmulatedMoteus : EmulatedCanDrive<ICanFdTransport>
{
    private readonly int _servo;
    private int _mode = MoteusModes.Stopped;
    private int _fault;
    private double _controlPosition = double.NaN;
    private double _velocityCommand, _feedforward, _kpScale = 1, _kdScale = 1, _maximumTorque = double.NaN, _watchdog;
    private double _qCommand;
    private long _lastCommandPeriod;
    private double _iq, _torque;
    private bool _replyPending;
    private int _replyTo;
    private MoteusQuery _query;
    private int _droppedReplies;

    /// <summary>Builds the board.</summary>
    /// <param name="can">The board's end of the CAN-FD link.</param>
    /// <param name="plant">The plant rig (lock-step, DC machine, one converter channel); opened on <see cref="EmulatedCanDrive{TTransport}.Start"/>.</param>
    /// <param name="motor">The plant's machine (permanently excited DC: r_a, l_a, ψ_e).</param>
    /// <param name="sensors">The plant's sensor scaling.</param>
    /// <param name="servoId">The board's CAN id (1–127).</param>
    /// <param name="innerSteps">Plant steps (inner current-loop periods) per runtime period.</param>
    public EmulatedMoteus(ICanFdTransport can, IRigIo plant, MotorParameters motor, SensorSpec sensors, int servoId, int innerSteps)
        : base(can, plant, motor, sensors, innerSteps, "moteus")
    {
        _servo = servoId;
    }

    /// <summary>The board's position gain (servo.pid_position.kp), in N·m/rev; 0 by default.</summary>
    public double Kp { get; init; }

    /// <summary>The board's velocity gain (servo.pid_position.kd), in N·m/(rev/s); 0 by default.</summary>
    public double Kd { get; init; }

    /// <summary>The watchdog timeout a command's 0 (or absent) value stands for (servo.default_timeout_s), in s.</summary>
    public double DefaultWatchdogTimeout { get; init; } = 0.1;

    /// <summary>The board temperature it reports, in °C.</summary>
    public double BoardTemperature { get; init; } = 30.0;

    /// <summary>The mode (<see cref="MoteusModes"/>).</summary>
    public int Mode => _mode;

    /// <summary>The fault code (while the mode is Fault).</summary>
    public int Fault => _fault;

    /// <summary>The feed-forward torque received last, in N·m.</summary>
    public double FeedforwardTorque => _feedforward;

    /// <summary>Position- or current-mode command frames received.</summary>
    public long SetpointCommands { get; private set; }

    /// <summary>Stop commands (mode 0) received.</summary>
    public long StopRequests { get; private set; }

    /// <summary>Replies sent.</summary>
    public long Replies { get; private set; }

    /// <summary>Latches Fault with <paramref name="code"/>, as the board does on a fault of its own (the bridge off).</summary>
    public void InjectFault(int code)
    {
        _mode = MoteusModes.Fault;
        _fault = code;
    }

    /// <summary>Sends a SocketCAN error frame reporting bus-off (CAN_ERR_BUSOFF), as the host's controller would after too many errors.</summary>
    public void InjectBusOff() => Transport.TrySendFd(new CanFdFrame { Id = CanFrame.ErrorFlag | 0x40, Length = 8 });

    /// <summary>Leaves out the replies of the next <paramref name="periods"/> periods (late frames); later ones are sent again.</summary>
    public void DropReplies(int periods) => _droppedReplies = periods;

    /// <inheritdoc />
    private protected override void Started()
    {
        Drive.ResetVelocity();
        _lastCommandPeriod = 0;
        Receive();
        Transmit();
    }

    /// <inheritdoc />
    private protected override void Receive()
    {
        while (Transport.TryReceiveFd(out CanFdFrame f))
        {
            if (f.IsError || f.IsRemote) continue;
            uint id = f.ExtendedId;
            if ((id >> 16) != 0 || (id & 0x80) != 0 || MoteusProtocol.Destination(id) != _servo) continue;   // prefix 0, our id
            Handle(f.Payload);
            if ((id & MoteusProtocol.ReplyRequired) != 0)
            {
                _replyPending = true;
                _replyTo = MoteusProtocol.Source(id);
            }
        }
    }

    private void Handle(ReadOnlySpan<byte> payload)
    {
        var r = new MultiplexReader(payload);
        bool queried = false;
        while (r.TryRead(out MultiplexSubframe s))
        {
            if (s.Kind == MultiplexSubframeKind.Read)
            {
                if (!queried) _query = Ignored();
                queried = true;
                for (int k = 0; k < s.Count; k++) Ask(ref _query, s.StartRegister + k, s.Resolution);
                continue;
            }
            if (s.Kind != MultiplexSubframeKind.Write) continue;
            for (int k = 0; k < s.Count; k++) WriteRegister(s.StartRegister + k, r.Value(in s, k));
        }
    }

    private void WriteRegister(int register, double value)
    {
        switch (register)
        {
            case MoteusRegisters.Mode:
                SetMode((int)value);
                return;
        }
        if (_mode == MoteusModes.Position)
        {
            switch (register)
            {
                case MoteusRegisters.CommandPosition:
                    if (!double.IsNaN(value)) _controlPosition = value;
                    break;
                case MoteusRegisters.CommandVelocity: _velocityCommand = double.IsNaN(value) ? 0 : value; break;
                case MoteusRegisters.CommandFeedforwardTorque: _feedforward = value; break;
                case MoteusRegisters.CommandKpScale: _kpScale = value; break;
                case MoteusRegisters.CommandKdScale: _kdScale = value; break;
                case MoteusRegisters.CommandMaximumTorque: _maximumTorque = value; break;
                case MoteusRegisters.CommandWatchdogTimeout: _watchdog = value; break;
            }
        }
        else if (_mode == MoteusModes.Current && register == MoteusRegisters.CommandQCurrent)
        {
            _qCommand = value;
        }
    }

    private void SetMode(int mode)
    {
        if (mode == MoteusModes.Stopped)
        {
            StopRequests++;
            _mode = MoteusModes.Stopped;
            _fault = 0;
            _controlPosition = double.NaN;
            return;
        }
        if (_mode is MoteusModes.Fault or MoteusModes.Timeout) return;   // only a stop leaves them
        if (mode is not (MoteusModes.Position or MoteusModes.Current)) return;
        if (_mode != mode) Drive.ResetCurrentLoop();
        if (mode == MoteusModes.Position && double.IsNaN(_controlPosition)) _controlPosition = Drive.Position;
        _mode = mode;
        // each command starts from the defaults: what it does not write is 0 (kp/kd scales 1, limits the board's)
        _velocityCommand = 0;
        _feedforward = 0;
        _kpScale = 1;
        _kdScale = 1;
        _maximumTorque = double.NaN;
        _watchdog = 0;
        _qCommand = 0;
        _lastCommandPeriod = Drive.Period;
        SetpointCommands++;
    }

    /// <inheritdoc />
    private protected override void InnerStep(ref ConverterCommand cmd)
    {
        double i = Drive.Current;
        double udc = Drive.DcLinkVoltage;
        _iq = i;
        _torque = TorqueConstant * i;
        cmd.SetSafe();
        if (_mode == MoteusModes.Position)
        {
            double timeout = _watchdog == 0 ? DefaultWatchdogTimeout : _watchdog;
            if (double.IsFinite(timeout) && (Drive.Period - _lastCommandPeriod) * InnerSteps * Drive.InnerPeriod > timeout + 1e-12) _mode = MoteusModes.Timeout;
        }
        if (_mode is not (MoteusModes.Position or MoteusModes.Current) || udc <= 0) return;
        if (Drive.IsOverCurrent(i))
        {
            InjectFault(MoteusFaults.MotorDriverFault);
            return;
        }
        double iref;
        if (_mode == MoteusModes.Position)
        {
            double p = Drive.Position;
            double tau = _feedforward;
            if (Kp * _kpScale != 0) tau += Kp * _kpScale * (_controlPosition - p);
            if (Kd * _kdScale != 0) tau += Kd * _kdScale * (_velocityCommand - Drive.Velocity);
            double maxTorque = double.IsNaN(_maximumTorque) ? CurrentLimit * TorqueConstant : _maximumTorque;
            tau = Math.Clamp(tau, -maxTorque, maxTorque);
            _controlPosition += _velocityCommand * Drive.InnerPeriod;
            iref = tau / TorqueConstant;
        }
        else
        {
            iref = _qCommand;
        }
        iref = Math.Clamp(iref, -CurrentLimit, CurrentLimit);
        Drive.DriveCurrent(iref, i, udc, TorqueConstant * Drive.Velocity * 2 * Math.PI, ref cmd);
    }

    /// <inheritdoc />
    private protected override void Transmit()
    {
        if (!_replyPending) return;
        _replyPending = false;
        if (Silent) return;
        if (_droppedReplies > 0)
        {
            _droppedReplies--;
            return;
        }
        var state = new MoteusReply
        {
            Mode = _mode,
            Position = Drive.Position,
            Velocity = Drive.Velocity,
            Torque = _torque,
            QCurrent = _iq,
            Voltage = Drive.DcLinkVoltage,
            Temperature = BoardTemperature,
            Fault = _fault,
        };
        CanFdFrame f = MoteusProtocol.NewFrame(_servo, _replyTo, replyRequired: false);
        var w = new MultiplexWriter(f.Data);
        MoteusProtocol.WriteReply(ref w, in _query, in state);
        MoteusProtocol.Finish(ref f, w.Length);
        if (Transport.TrySendFd(in f)) Replies++;
    }

    private static MoteusQuery Ignored() => new()
    {
        Mode = MoteusResolution.Ignore, Position = MoteusResolution.Ignore, Velocity = MoteusResolution.Ignore, Torque = MoteusResolution.Ignore,
        QCurrent = MoteusResolution.Ignore, Voltage = MoteusResolution.Ignore, Temperature = MoteusResolution.Ignore, Fault = MoteusResolution.Ignore,
    };

    private static void Ask(ref MoteusQuery q, int register, MoteusResolution resolution)
    {
        switch (register)
        {
            case MoteusRegisters.Mode: q.Mode = resolution; break;
            case MoteusRegisters.Position: q.Position = resolution; break;
            case MoteusRegisters.Velocity: q.Velocity = resolution; break;
            case MoteusRegisters.Torque: q.Torque = resolution; break;
            case MoteusRegisters.QCurrent: q.QCurrent = resolution; break;
            case MoteusRegisters.Voltage: q.Voltage = resolution; break;
            case MoteusRegisters.Temperature: q.Temperature = resolution; break;
            case MoteusRegisters.Fault: q.Fault = resolution; break;
        }
    }
}

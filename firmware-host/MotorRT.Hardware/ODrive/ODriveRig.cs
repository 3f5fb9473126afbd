using MotorRT.Contracts;
using MotorRT.Contracts.Sensors;
using MotorRT.Hardware.Can;

namespace MotorRT.Hardware.ODrive;

/// <summary>
/// An ODrive axis over CAN (CANSimple): the board closes the current loop; the runtime sends a torque set-point per
/// tick (<c>Set_Input_Torque</c>; a current set-point is sent as torque_constant × current; a velocity set-point as
/// <c>Set_Input_Vel</c> in turns/s with the torque feed-forward, after <c>Set_Controller_Mode(VELOCITY)</c>) and reads the board's cyclic
/// messages: <c>Get_Encoder_Estimates</c>, <c>Get_Iq</c>, <c>Get_Bus_Voltage_Current</c> and the heartbeat.
/// <para>The axis is presented as a DC-like machine (one channel): <c>CurrentCountsA</c> carries I_q measured, the
/// torque-producing current, in the config's current-sensor counts; the DC link the bus voltage in its counts; the
/// encoder the position estimate in counts of <c>sensors.encoder</c> (4 × lines per turn). The axis error of the
/// heartbeat maps onto the fault inputs (<see cref="ODriveErrors.ToFaultInputs"/>), which the supervisor trips on.</para>
/// <para>Per tick: every waiting frame is drained (non-blocking); a tick without a new encoder estimate is a late frame
/// (<see cref="RigIoStatus.Timeout"/>, counted by the supervisor towards <c>limits.rig_failures</c>); no heartbeat for
/// <c>heartbeat_timeout</c> is a lost link (<see cref="RigIoStatus.LinkLost"/>, latched until <see cref="Open"/>), as is
/// a bus-off error frame. A write with the bridge disabled, and <see cref="DisableBridge"/> from any thread, send
/// <c>Set_Axis_State(IDLE)</c> at once; enabling sends <c>Set_Controller_Mode(TORQUE, PASSTHROUGH)</c> and
/// <c>Set_Axis_State(CLOSED_LOOP_CONTROL)</c> once. No allocation per tick (frames are structs on the stack).</para>
/// </summary>
public sealed class ODriveRig : IRigIo
{
    private const uint CanErrBusOff = 0x40;
    private readonly Func<ICanTransport>? _connect;
    private ICanTransport _can;
    private readonly IEmulatedWorld? _world;
    private readonly int _node;
    private readonly double _countsPerTurn;
    private readonly double _amperesPerCount, _zeroCounts, _voltsPerCount;
    private readonly int _currentMax, _dcMax;
    private readonly double _torqueConstant;
    private readonly long _heartbeatTicks;
    private readonly long _periodNs;
    private long _tick;
    private long _sequence;
    private long _lastHeartbeat;
    private bool _newEstimate;
    private float _position, _velocity, _iq, _busVoltage;
    private uint _axisError;
    private byte _axisState;
    private bool _armed;
    private uint _controlMode;
    private bool _linkLost;
    private bool _disposed;
    private volatile bool _forceOff;

    /// <summary>Builds the rig over <paramref name="can"/> (owned from now on).</summary>
    /// <param name="can">The CAN endpoint.</param>
    /// <param name="nodeId">The axis' CAN node id (0–63).</param>
    /// <param name="period">Loop period = the board's cyclic message period, in s.</param>
    /// <param name="heartbeatTimeout">Heartbeat silence after which the link is lost, in s.</param>
    /// <param name="torqueConstant">Torque per ampere of I_q, in N·m/A (converts current set-points).</param>
    /// <param name="sensors">The config's sensor scaling (counts of the frame).</param>
    /// <param name="world">The emulated board (lock-step CI runs), or null on a real bus.</param>
    public ODriveRig(ICanTransport can, int nodeId, double period, double heartbeatTimeout, double torqueConstant, SensorSpec sensors, IEmulatedWorld? world = null)
        : this(nodeId, period, heartbeatTimeout, torqueConstant, sensors, world)
    {
        ArgumentNullException.ThrowIfNull(can);
        _can = can;
    }

    /// <summary>Builds the rig; <paramref name="connect"/> opens the CAN endpoint in <see cref="Open"/> (off the real-time path; it may throw).</summary>
    public ODriveRig(Func<ICanTransport> connect, int nodeId, double period, double heartbeatTimeout, double torqueConstant, SensorSpec sensors)
        : this(nodeId, period, heartbeatTimeout, torqueConstant, sensors, null)
    {
        ArgumentNullException.ThrowIfNull(connect);
        _connect = connect;
    }

    private ODriveRig(int nodeId, double period, double heartbeatTimeout, double torqueConstant, SensorSpec sensors, IEmulatedWorld? world)
    {
        ArgumentNullException.ThrowIfNull(sensors);
        _can = ClosedTransport.Instance;
        if (sensors.Encoder is null) throw new ArgumentException("the ODrive rig reports the position estimate as encoder counts: sensors.encoder is required", nameof(sensors));
        _world = world;
        _node = nodeId;
        _countsPerTurn = sensors.Encoder.CountsPerRevolution;
        _amperesPerCount = sensors.Current.AmperesPerCount;
        _zeroCounts = sensors.Current.ZeroCounts;
        _currentMax = (1 << sensors.Current.Bits) - 1;
        _voltsPerCount = sensors.DcLink.VoltsPerCount;
        _dcMax = (1 << sensors.DcLink.Bits) - 1;
        _torqueConstant = torqueConstant;
        _heartbeatTicks = Math.Max(1, (long)Math.Ceiling(heartbeatTimeout / period - 1e-9));
        _periodNs = (long)Math.Round(period * 1e9);
        Description = new RigDescription
        {
            Name = world is null ? "odrive" : "odrive-emulated",
            Machine = MachineKind.Dc,
            ConverterChannels = 1,
            PwmPeriod = period,
            EncoderLinesPerRevolution = sensors.Encoder.LinesPerRevolution,
            Capabilities = new RigCapabilities(RigCommandModes.TorqueSetpoint | RigCommandModes.CurrentSetpoint | RigCommandModes.VelocitySetpoint,
                RigMeasurements.PhaseCurrents | RigMeasurements.DcLinkVoltage | RigMeasurements.EncoderPosition | RigMeasurements.FaultInputs),
        };
    }

    /// <inheritdoc />
    public RigDescription Description { get; }

    /// <inheritdoc />
    public bool IsLockStep => _world is not null;

    /// <summary>The emulated board behind the link (an <c>EmulatedODrive</c>), or null on a real bus.</summary>
    public IEmulatedWorld? World => _world;

    /// <summary>The axis error of the last heartbeat (ODrive error bits, <see cref="ODriveErrors"/>).</summary>
    public uint AxisError => _axisError;

    /// <summary>The axis state of the last heartbeat (1 idle, 8 closed loop).</summary>
    public int AxisState => _axisState;

    /// <summary>Ticks that had no new encoder estimate (late or lost frames).</summary>
    public long LateFrames { get; private set; }

    /// <summary>Error frames received (bus-off, error passive, controller problems).</summary>
    public long ErrorFrames { get; private set; }

    /// <inheritdoc />
    public void Open()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_connect is not null && _can == ClosedTransport.Instance) _can = _connect();
        _tick = 0;
        _sequence = 0;
        _lastHeartbeat = 0;
        _linkLost = false;
        _armed = false;
        _forceOff = false;
        SendIdle();
        _world?.Start();
    }

    /// <inheritdoc />
    public RigIoStatus Read(ref RawSensorFrame frame)
    {
        bool busOff = false;
        _tick++;
        while (_can.TryReceive(out CanFrame f))
        {
            if (f.IsError)
            {
                ErrorFrames++;
                if ((f.Id & CanErrBusOff) != 0) busOff = true;
                continue;
            }
            if ((f.Id & (CanFrame.ExtendedFlag | CanFrame.RemoteFlag)) != 0 || CanSimple.Node(f.Id) != _node) continue;
            switch (CanSimple.Command(f.Id))
            {
                case CanSimple.Heartbeat when f.Length >= 5:
                    _axisError = CanSimple.ReadU32(in f, 0);
                    _axisState = f.Data[4];
                    _lastHeartbeat = _tick;
                    break;
                case CanSimple.GetEncoderEstimates when f.Length == 8:
                    _position = CanSimple.ReadF32(in f, 0);
                    _velocity = CanSimple.ReadF32(in f, 4);
                    _newEstimate = true;
                    break;
                case CanSimple.GetIq when f.Length == 8:
                    _iq = CanSimple.ReadF32(in f, 4);
                    break;
                case CanSimple.GetBusVoltageCurrent when f.Length == 8:
                    _busVoltage = CanSimple.ReadF32(in f, 0);
                    break;
            }
        }
        int error = _can.LastError;
        if (busOff || _tick - _lastHeartbeat > _heartbeatTicks) _linkLost = true;
        if (_linkLost) return RigIoStatus.LinkLost;
        if (error != 0) return RigIoStatus.DeviceError;
        if (!_newEstimate)
        {
            LateFrames++;
            return RigIoStatus.Timeout;
        }
        _newEstimate = false;
        frame.Sequence = ++_sequence;
        frame.TimestampNs = _world?.NowNs ?? _tick * _periodNs;
        frame.CurrentCountsA = Clamp(_zeroCounts + _iq / _amperesPerCount, _currentMax);
        frame.CurrentCountsB = 0;
        frame.CurrentCountsC = 0;
        frame.PhaseCSensed = false;
        frame.DcLinkCounts = Clamp(_busVoltage / _voltsPerCount, _dcMax);
        frame.EncoderCount = (long)Math.Round(_position * _countsPerTurn);
        frame.EncoderIndexPulses = 0;
        frame.EncoderCountAtIndex = 0;
        frame.HallState = -1;
        frame.FaultInputs = ODriveErrors.ToFaultInputs(_axisError);
        return RigIoStatus.Ok;
    }

    /// <inheritdoc />
    public RigIoStatus Write(in ConverterCommand command)
    {
        bool enable = command.BridgeEnable && !_forceOff && !_linkLost
            && command.Mode is CommandMode.TorqueSetpoint or CommandMode.CurrentSetpoint or CommandMode.VelocitySetpoint;
        _forceOff = false;
        bool ok = true;
        if (!enable)
        {
            if (_armed) ok = SendIdle();
            _armed = false;
        }
        else
        {
            uint control = command.Mode == CommandMode.VelocitySetpoint ? CanSimple.ControlVelocity : CanSimple.ControlTorque;
            if (!_armed || control != _controlMode)
            {
                ok &= _can.TrySend(CanSimple.U32U32(_node, CanSimple.SetControllerMode, control, CanSimple.InputPassthrough));
                _controlMode = control;
            }
            if (!_armed)
            {
                ok &= _can.TrySend(CanSimple.U32(_node, CanSimple.SetAxisState, CanSimple.StateClosedLoop));
                _armed = true;
            }
            if (control == CanSimple.ControlVelocity)
            {
                ok &= _can.TrySend(CanSimple.F32F32(_node, CanSimple.SetInputVel, (float)(command.VelocitySetpoint / (2 * Math.PI)), (float)command.TorqueSetpoint));
            }
            else
            {
                double torque = command.Mode == CommandMode.TorqueSetpoint ? command.TorqueSetpoint : _torqueConstant * command.CurrentSetpointD;
                ok &= _can.TrySend(CanSimple.F32(_node, CanSimple.SetInputTorque, (float)torque));
            }
            if (!ok)
            {
                SendIdle();
                _armed = false;
            }
        }
        _world?.EndPeriod();
        return ok ? RigIoStatus.Ok : RigIoStatus.DeviceError;
    }

    /// <inheritdoc />
    public void DisableBridge()
    {
        _forceOff = true;
        try
        {
            SendIdle();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        SendIdle();
        _can.Dispose();
        (_world as IDisposable)?.Dispose();
    }

    private bool SendIdle() => _can.TrySend(CanSimple.U32(_node, CanSimple.SetAxisState, CanSimple.StateIdle));

    private static int Clamp(double counts, int max) => (int)Math.Clamp(Math.Round(counts), 0, max);

    /// <summary>The endpoint before <see cref="Open"/> connected: sends and receives nothing.</summary>
    private sealed class ClosedTransport : ICanTransport
    {
        public static readonly ClosedTransport Instance = new();

        public string Name => "closed";

        public int LastError => 107; // ENOTCONN

        public bool TrySend(in CanFrame frame) => false;

        public bool TryReceive(out CanFrame frame)
        {
            frame = default;
            return false;
        }

        public void Dispose()
        {
        }
    }
}

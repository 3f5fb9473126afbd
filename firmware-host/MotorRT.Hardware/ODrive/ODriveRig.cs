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
/// <c>heartbeat_timeout</c> is a lost link (<see cref="RigIoStatus.LinkLost"/>, latched until <see cref="CanSetpointRig{TTransport}.Open"/>), as is
/// a bus-off error frame. A write with the bridge disabled, and <see cref="CanSetpointRig{TTransport}.DisableBridge"/> from any thread, send
/// <c>Set_Axis_State(IDLE)</c> at once; enabling sends <c>Set_Controller_Mode(TORQUE, PASSTHROUGH)</c> and
/// <c>Set_Axis_State(CLOSED_LOOP_CONTROL)</c> once. No allocation per tick (frames are structs on the stack).</para>
/// </summary>
public sealed class ODriveRig : CanSetpointRig<ICanTransport>
{
    private readonly int _node;
    private readonly double _torqueConstant;
    private float _position, _velocity, _iq, _busVoltage;
    private uint _axisError;
    private byte _axisState;
    private uint _controlMode;

    /// <summary>Builds the rig over <paramref name="can"/> (owned from now on).</summary>
    /// <param name="can">The CAN endpoint.</param>
    /// <param name="nodeId">The axis' CAN node id (0–63).</param>
    /// <param name="period">Loop period = the board's cyclic message period, in s.</param>
    /// <param name="heartbeatTimeout">Heartbeat silence after which the link is lost, in s.</param>
    /// <param name="torqueConstant">Torque per ampere of I_q, in N·m/A (converts current set-points).</param>
    /// <param name="sensors">The config's sensor scaling (counts of the frame).</param>
    /// <param name="world">The emulated board (lock-step CI runs), or null on a real bus.</param>
    public ODriveRig(ICanTransport can, int nodeId, double period, double heartbeatTimeout, double torqueConstant, SensorSpec sensors, IEmulatedWorld? world = null)
        : this((Func<ICanTransport>?)null, nodeId, period, heartbeatTimeout, torqueConstant, sensors, world)
    {
        ArgumentNullException.ThrowIfNull(can);
        Transport = can;
    }

    /// <summary>Builds the rig; <paramref name="connect"/> opens the CAN endpoint in <see cref="CanSetpointRig{TTransport}.Open"/> (off the real-time path; it may throw).</summary>
    public ODriveRig(Func<ICanTransport> connect, int nodeId, double period, double heartbeatTimeout, double torqueConstant, SensorSpec sensors)
        : this(connect, nodeId, period, heartbeatTimeout, torqueConstant, sensors, null)
    {
        ArgumentNullException.ThrowIfNull(connect);
    }

    private ODriveRig(Func<ICanTransport>? connect, int nodeId, double period, double heartbeatTimeout, double torqueConstant, SensorSpec sensors, IEmulatedWorld? world)
        : base(connect, "odrive", "the ODrive rig reports the position estimate as encoder counts: sensors.encoder is required", period, heartbeatTimeout, sensors, world)
    {
        _node = nodeId;
        _torqueConstant = torqueConstant;
    }

    /// <summary>The axis error of the last heartbeat (ODrive error bits, <see cref="ODriveErrors"/>).</summary>
    public uint AxisError => _axisError;

    /// <summary>The axis state of the last heartbeat (1 idle, 8 closed loop).</summary>
    public int AxisState => _axisState;

    /// <inheritdoc />
    public override RigIoStatus Read(ref RawSensorFrame frame)
    {
        Link.BeginRead();
        while (Transport.TryReceive(out CanFrame f))
        {
            if (Link.TakeErrorFrame(f.IsError, f.Id)) continue;
            if ((f.Id & (CanFrame.ExtendedFlag | CanFrame.RemoteFlag)) != 0 || CanSimple.Node(f.Id) != _node) continue;
            switch (CanSimple.Command(f.Id))
            {
                case CanSimple.Heartbeat when f.Length >= 5:
                    _axisError = CanSimple.ReadU32(in f, 0);
                    _axisState = f.Data[4];
                    Link.NoteAlive();
                    break;
                case CanSimple.GetEncoderEstimates when f.Length == 8:
                    _position = CanSimple.ReadF32(in f, 0);
                    _velocity = CanSimple.ReadF32(in f, 4);
                    Link.NoteFresh();
                    break;
                case CanSimple.GetIq when f.Length == 8:
                    _iq = CanSimple.ReadF32(in f, 4);
                    break;
                case CanSimple.GetBusVoltageCurrent when f.Length == 8:
                    _busVoltage = CanSimple.ReadF32(in f, 0);
                    break;
            }
        }
        RigIoStatus status = Link.EndRead(Transport.LastError);
        if (status != RigIoStatus.Ok) return status;
        Link.Fill(ref frame, _iq, _busVoltage, _position, ODriveErrors.ToFaultInputs(_axisError));
        return RigIoStatus.Ok;
    }

    /// <inheritdoc />
    public override RigIoStatus Write(in ConverterCommand command)
    {
        bool enable = Link.BeginWrite(in command);
        bool ok = true;
        if (!enable)
        {
            if (Link.Armed) ok = SendIdle();
            Link.Armed = false;
        }
        else
        {
            uint control = command.Mode == CommandMode.VelocitySetpoint ? CanSimple.ControlVelocity : CanSimple.ControlTorque;
            if (!Link.Armed || control != _controlMode)
            {
                ok &= Transport.TrySend(CanSimple.U32U32(_node, CanSimple.SetControllerMode, control, CanSimple.InputPassthrough));
                _controlMode = control;
            }
            if (!Link.Armed)
            {
                ok &= Transport.TrySend(CanSimple.U32(_node, CanSimple.SetAxisState, CanSimple.StateClosedLoop));
                Link.Armed = true;
            }
            if (control == CanSimple.ControlVelocity)
            {
                ok &= Transport.TrySend(CanSimple.F32F32(_node, CanSimple.SetInputVel, (float)(command.VelocitySetpoint / (2 * Math.PI)), (float)command.TorqueSetpoint));
            }
            else
            {
                double torque = command.Mode == CommandMode.TorqueSetpoint ? command.TorqueSetpoint : _torqueConstant * command.CurrentSetpointD;
                ok &= Transport.TrySend(CanSimple.F32(_node, CanSimple.SetInputTorque, (float)torque));
            }
            if (!ok)
            {
                SendIdle();
                Link.Armed = false;
            }
        }
        return Link.EndWrite(ok);
    }

    /// <inheritdoc />
    private protected override void Opened() => SendIdle();

    /// <inheritdoc />
    private protected override bool SendOff() => SendIdle();

    private bool SendIdle() => Transport.TrySend(CanSimple.U32(_node, CanSimple.SetAxisState, CanSimple.StateIdle));
}

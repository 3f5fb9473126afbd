using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Contracts.Sensors;
using MotorRT.Hardware.Can;
using MotorRT.Hardware.ODrive;

namespace MotorRT.Hardware.Emulation;

/// <summary>
/// An ODrive axis for CI, byte-exact on CANSimple, with a plant behind it (in practice the twin's <c>SimulatedRig</c>
/// of a permanently excited DC machine, whose sensor models produce the counts). It answers on its end of the CAN
/// link what a board would: <c>Set_Axis_State</c> (IDLE, CLOSED_LOOP_CONTROL), <c>Set_Controller_Mode</c> (torque),
/// <c>Set_Input_Torque</c>, <c>Clear_Errors</c>, <c>Estop</c>; and per period it sends the cyclic messages
/// <c>Get_Encoder_Estimates</c>, <c>Get_Iq</c>, <c>Get_Bus_Voltage_Current</c> and every
/// <see cref="HeartbeatPeriods"/> periods the heartbeat.
/// <para>The inner loop is the board's: a PI current loop on the plant's armature current at the plant's own period,
/// <see cref="EmulatedCanDrive{TTransport}.InnerSteps"/> plant steps per runtime period, tuned to a bandwidth of 1/(10 plant periods) from the
/// motor's R and L (K_p = L·ω_c, K_i = R·ω_c, back-calculation against the DC-link voltage) with the EMF fed
/// forward (<c>EmulatedDrivePlant</c>, shared with <see cref="EmulatedMoteus"/>); the current set-point is torque / torque constant, limited to <see cref="EmulatedCanDrive{TTransport}.CurrentLimit"/>. A measured
/// current beyond 1.5 × that limit disarms the axis with CURRENT_LIMIT_VIOLATION, as the board does.</para>
/// <para>Fault injection for the suites: <see cref="InjectAxisError"/>, <see cref="HeartbeatSilent"/>,
/// <see cref="EmulatedCanDrive{TTransport}.Silent"/> (nothing sent), <see cref="InjectBusOff"/> and <see cref="DelayEstimates"/> (estimates held back for some periods).</para>
/// </summary>
public sealed class EmulatedODrive : EmulatedCanDrive<ICanTransport>
{
    private readonly int _node;
    private double _torque;
    private uint _state = CanSimple.StateIdle;
    private uint _controlMode = CanSimple.ControlTorque;
    private uint _error;
    private double _iqSetpoint, _iq;
    private double _busCurrent;
    private int _heldEstimates;

    /// <summary>Builds the board.</summary>
    /// <param name="can">The board's end of the CAN link.</param>
    /// <param name="plant">The plant rig (lock-step, DC machine, one converter channel); opened on <see cref="EmulatedCanDrive{TTransport}.Start"/>.</param>
    /// <param name="motor">The plant's machine (permanently excited DC: r_a, l_a, ψ_e).</param>
    /// <param name="sensors">The plant's sensor scaling.</param>
    /// <param name="nodeId">CAN node id (0–63).</param>
    /// <param name="innerSteps">Plant steps (inner current-loop periods) per runtime period.</param>
    public EmulatedODrive(ICanTransport can, IRigIo plant, MotorParameters motor, SensorSpec sensors, int nodeId, int innerSteps)
        : base(can, plant, motor, sensors, innerSteps, "ODrive")
    {
        _node = nodeId;
    }

    /// <summary>Runtime periods between heartbeats (ODrive's default rate is 100 ms; here 10 periods).</summary>
    public int HeartbeatPeriods { get; init; } = 10;

    /// <summary>The axis state (1 idle, 8 closed loop).</summary>
    public uint State => _state;

    /// <summary>The axis error bits.</summary>
    public uint Error => _error;

    /// <summary>The torque set-point received last, in N·m.</summary>
    public double TorqueSetpoint => _torque;

    /// <summary>Set-point frames (Set_Input_Torque) received.</summary>
    public long TorqueCommands { get; private set; }

    /// <summary>Idle requests (Set_Axis_State IDLE) received.</summary>
    public long IdleRequests { get; private set; }

    /// <summary>True: heartbeats are no longer sent (everything else is).</summary>
    public bool HeartbeatSilent { get; set; }

    /// <summary>Sets axis error bits as the board would on a fault of its own: the axis disarms to IDLE.</summary>
    public void InjectAxisError(uint bits)
    {
        _error |= bits;
        _state = CanSimple.StateIdle;
    }

    /// <summary>Sends a SocketCAN error frame reporting bus-off (CAN_ERR_BUSOFF), as the host's controller would after too many errors.</summary>
    public void InjectBusOff() => Transport.TrySend(new CanFrame { Id = CanFrame.ErrorFlag | 0x40, Length = 8 });

    /// <summary>Leaves out the next <paramref name="periods"/> encoder estimates (late frames); later ones are sent again.</summary>
    public void DelayEstimates(int periods) => _heldEstimates = periods;

    /// <inheritdoc />
    private protected override void Started() => Transmit();

    /// <inheritdoc />
    private protected override void Receive()
    {
        while (Transport.TryReceive(out CanFrame f))
        {
            if ((f.Id & (CanFrame.ExtendedFlag | CanFrame.RemoteFlag | CanFrame.ErrorFlag)) != 0 || CanSimple.Node(f.Id) != _node) continue;
            Handle(in f);
        }
    }

    private void Handle(in CanFrame f)
    {
        switch (CanSimple.Command(f.Id))
        {
            case CanSimple.SetAxisState when f.Length >= 4:
                uint requested = CanSimple.ReadU32(in f, 0);
                if (requested == CanSimple.StateIdle)
                {
                    IdleRequests++;
                    _state = CanSimple.StateIdle;
                }
                else if (requested == CanSimple.StateClosedLoop && _error == 0)
                {
                    if (_state != CanSimple.StateClosedLoop) Drive.ResetCurrentLoop();
                    _state = CanSimple.StateClosedLoop;
                }
                break;
            case CanSimple.SetControllerMode when f.Length >= 8:
                _controlMode = CanSimple.ReadU32(in f, 0);
                break;
            case CanSimple.SetInputTorque when f.Length >= 4:
                _torque = CanSimple.ReadF32(in f, 0);
                TorqueCommands++;
                break;
            case CanSimple.ClearErrors:
                _error = 0;
                break;
            case CanSimple.Estop:
                InjectAxisError(ODriveErrors.EstopRequested);
                break;
        }
    }

    /// <inheritdoc />
    private protected override void InnerStep(ref ConverterCommand cmd)
    {
        double i = Drive.Current;
        double udc = Drive.DcLinkVoltage;
        _iq = i;
        cmd.SetSafe();
        if (_state != CanSimple.StateClosedLoop || _controlMode != CanSimple.ControlTorque || udc <= 0)
        {
            _iqSetpoint = 0;
            _busCurrent = 0;
            return;
        }
        if (Drive.IsOverCurrent(i))
        {
            InjectAxisError(ODriveErrors.CurrentLimitViolation);
            return;
        }
        double iref = Math.Clamp(_torque / TorqueConstant, -CurrentLimit, CurrentLimit);
        _iqSetpoint = iref;
        double d = Drive.DriveCurrent(iref, i, udc, TorqueConstant * (Drive.Velocity * 2 * Math.PI), ref cmd);
        _busCurrent = d * i;
    }

    /// <inheritdoc />
    private protected override void Transmit()
    {
        if (Silent) return;
        if (_heldEstimates > 0)
        {
            _heldEstimates--;
        }
        else
        {
            Transport.TrySend(CanSimple.F32F32(_node, CanSimple.GetEncoderEstimates, (float)Drive.Position, (float)Drive.Velocity));
        }
        Transport.TrySend(CanSimple.F32F32(_node, CanSimple.GetIq, (float)_iqSetpoint, (float)_iq));
        Transport.TrySend(CanSimple.F32F32(_node, CanSimple.GetBusVoltageCurrent, (float)Drive.DcLinkVoltage, (float)_busCurrent));
        if (!HeartbeatSilent && Drive.Period % HeartbeatPeriods == 0)
        {
            Transport.TrySend(CanSimple.HeartbeatFrame(_node, _error, (byte)_state, 0, 0));
        }
    }
}

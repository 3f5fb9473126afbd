using MotorRT.Contracts;

namespace MotorRT.Runtime.Calibration;

/// <summary>Limits and durations of a DC-machine calibration run (SI units; the shared ones in <see cref="CalibrationOptions"/>).</summary>
public sealed record DcCalibrationOptions : CalibrationOptions
{
    /// <summary>Options with the DC defaults: a hold of 0.6 s (<see cref="CalibrationOptions.HoldDuration"/>: the speed held at a fixed voltage, the flux measured over its last 40 %).</summary>
    public DcCalibrationOptions() => HoldDuration = 0.6;
}

/// <summary>The phases of <see cref="DcCalibrationProcedure"/>, in the order they run.</summary>
public enum DcCalibrationPhase
{
    /// <summary>Short voltage pulses of growing amplitude until the current reaches the step target.</summary>
    Probe,
    /// <summary>DC voltage steps (half and full probe voltage, both polarities, eight cycles), then zero volts: the R_a, L_a record.</summary>
    Steps,
    /// <summary>Acceleration at a constant current (known torque ψ·i) to the spin speed.</summary>
    Accelerate,
    /// <summary>Fixed armature voltage until the speed settles: u − R·i = ψ·ω.</summary>
    Hold,
    /// <summary>Braking at a constant negative current to near standstill.</summary>
    Decelerate,
    /// <summary>Finished: zero volts, bridge off.</summary>
    Done,
    /// <summary>Aborted on a limit or a timeout (see <see cref="CalibrationProcedure{TPhase}.AbortReason"/>).</summary>
    Aborted,
}

/// <summary>
/// Identification of a DC machine's armature circuit and shaft, as one <see cref="IController"/> the runtime's
/// <see cref="Loop.ControlLoop"/> runs (so the supervisor and every limit stay active): a state machine over
/// <see cref="DcCalibrationPhase"/> on the per-tick observation, writing duty cycles. Every buffer is allocated in the
/// constructor; <see cref="Compute"/> allocates nothing. <see cref="DcIdentification"/> turns the records into parameters.
/// </summary>
public sealed class DcCalibrationProcedure : CalibrationProcedure<DcCalibrationPhase>
{
    private const int StepRows = 1 << 14;

    private readonly DcCalibrationOptions _o;
    internal readonly double[] StepU = new double[StepRows];
    internal readonly double[] StepI = new double[StepRows];
    internal readonly double[] StepTheta = new double[StepRows];
    internal int StepCount;

    private double _probeU;
    private double _probePeak;
    private double _lastU;
    private double _r;
    private double _l;
    private AxisCurrentPi _pi;
    private double _holdU;
    private double _holdSumI;
    private double _holdSumW;
    private long _holdN;
    private double _angle0;
    private AngleUnwrap _unwrap;

    /// <summary>Creates the procedure with its limits.</summary>
    public DcCalibrationProcedure(DcCalibrationOptions options)
        : base(options, DcCalibrationPhase.Aborted) => _o = options;

    /// <inheritdoc/>
    public override string Name => "calibrate-dc";

    /// <summary>Probe voltage the steps use (the full step), in V.</summary>
    public double StepVoltage => _probeU;

    /// <summary>Mean armature voltage of the hold, in V.</summary>
    public double HoldVoltage => _holdU;

    /// <summary>Mean armature current of the hold, in A.</summary>
    public double HoldCurrent => _holdN > 0 ? _holdSumI / _holdN : 0;

    /// <summary>Mean mechanical speed of the hold, in rad/s.</summary>
    public double HoldSpeed => _holdN > 0 ? _holdSumW / _holdN : 0;

    /// <summary>True once finished or aborted.</summary>
    public bool Finished => Phase is DcCalibrationPhase.Done or DcCalibrationPhase.Aborted;

    /// <summary>Sets the armature R (Ω) and L (H) the current loop of the spin steps uses (after <see cref="DcIdentification.FitArmature"/>).</summary>
    internal void SetArmature(double r, double l)
    {
        _r = r;
        _l = l;
    }

    /// <inheritdoc/>
    public override void Reset()
    {
        ResetScaffold(DcCalibrationPhase.Probe);
        _probeU = 0;
        _probePeak = 0;
        _lastU = 0;
        StepCount = 0;
        _pi.Integral = 0;
        _holdN = 0;
        _holdSumI = 0;
        _holdSumW = 0;
    }

    /// <inheritdoc/>
    public override void Compute(in MotorObservation o, ref ConverterCommand command)
    {
        double dt = o.Period;
        double i = o.CurrentA;
        double w = o.MechanicalSpeed;
        Status = ControllerStatus.Ok;
        if (Math.Abs(i) > _o.CurrentLimit && !Finished)
        {
            Abort("armature current above the calibration current limit");
        }
        long stepTicks = StepTicks(dt);
        double iStep = _o.StepCurrentFraction * _o.CurrentLimit;
        double iSpin = _o.SpinCurrentFraction * _o.CurrentLimit;
        double u = 0;
        bool enable = true;
        switch (Phase)
        {
            case DcCalibrationPhase.Probe:
            {
                // A pulse of stepTicks at _probeU, then 3 × stepTicks at zero volts; grow the pulse by 25 % until the peak reaches the target.
                long k = PhaseTicks % (4 * stepTicks);
                if (k == 0)
                {
                    if (_probePeak >= iStep)
                    {
                        Enter(DcCalibrationPhase.Steps);
                        goto case DcCalibrationPhase.Steps;
                    }
                    _probeU = _probeU <= 0 ? 0.002 * o.DcLinkVoltage : _probeU * 1.25;
                    if (_probeU > _o.VoltageLimit)
                    {
                        Abort("the probe reached the voltage limit before the step current (open armature circuit?)");
                        break;
                    }
                    _probePeak = 0;
                }
                if (k > 0) _probePeak = Math.Max(_probePeak, Math.Abs(i));
                u = k < stepTicks ? _probeU : 0;
                break;
            }
            case DcCalibrationPhase.Steps:
            {
                long k = PhaseTicks;
                if (StepCount < StepRows)
                {
                    StepU[StepCount] = _lastU;
                    StepI[StepCount] = i;
                    StepTheta[StepCount] = Unwrap(o.MechanicalAngle);
                    StepCount++;
                }
                // Eight cycles of +½U, +U, 0, −½U, −U, 0 (2 step lengths each: the rotor stays near standstill), then zero volts.
                long seg = k / (2 * stepTicks);
                u = seg >= 48 ? 0 : (seg % 6) switch { 0 => 0.5 * _probeU, 1 => _probeU, 3 => -0.5 * _probeU, 4 => -_probeU, _ => 0 };
                if (k >= 98 * stepTicks)
                {
                    Phase = DcCalibrationPhase.Done; // the caller fits R, L and resumes with Accelerate
                    u = 0;
                }
                break;
            }
            case DcCalibrationPhase.Accelerate:
                u = CurrentLoop(iSpin, i, dt);
                Mech.Add(i, 0, w, dt);
                if (w >= _o.SpinSpeed)
                {
                    _holdU = _lastU - _r * iSpin;
                    Enter(DcCalibrationPhase.Hold);
                }
                else if (PhaseTicks * dt > _o.SpinTimeout)
                {
                    Abort("the spin-up did not reach the spin speed in time");
                }
                break;
            case DcCalibrationPhase.Hold:
                u = _holdU;
                Mech.Add(i, 0, w, dt);
                if (PhaseTicks * dt >= 0.6 * _o.HoldDuration)
                {
                    _holdSumI += i;
                    _holdSumW += w;
                    _holdN++;
                }
                if (PhaseTicks * dt >= _o.HoldDuration)
                {
                    _pi.Integral = _lastU;
                    Enter(DcCalibrationPhase.Decelerate);
                }
                break;
            case DcCalibrationPhase.Decelerate:
                u = CurrentLoop(-iSpin, i, dt);
                Mech.Add(i, 0, w, dt);
                if (w <= 0.1 * _o.SpinSpeed)
                {
                    Phase = DcCalibrationPhase.Done;
                    u = 0;
                    enable = false;
                }
                else if (PhaseTicks * dt > _o.SpinTimeout)
                {
                    Abort("the spin-down did not reach standstill in time");
                }
                break;
            default:
                enable = false;
                break;
        }
        if (Phase == DcCalibrationPhase.Aborted)
        {
            Status = ControllerStatus.Failed;
            enable = false;
            u = 0;
        }
        u = Math.Clamp(u, -_o.VoltageLimit, _o.VoltageLimit);
        double udc = o.DcLinkVoltage > 1e-3 ? o.DcLinkVoltage : 1e-3;
        double d = Math.Clamp(u / udc, -1, 1);
        command.Duty[0] = enable ? d : 0;
        command.BridgeEnable = enable;
        command.VoltageD = enable ? d * udc : 0;
        _lastU = command.VoltageD;
        PhaseTicks++;
    }

    /// <summary>Resumes after the armature fit with the spin-up (not on the hot path).</summary>
    internal void StartSpin()
    {
        _pi.Integral = 0;
        Enter(DcCalibrationPhase.Accelerate);
    }

    private double CurrentLoop(double iRef, double i, double dt) => _pi.Next(iRef - i, _r, _l, dt, _o.VoltageLimit);

    /// <summary>The step record's angle: continuous, relative to its first sample, in rad.</summary>
    private double Unwrap(double angle)
    {
        if (StepCount == 0) _unwrap.Reset();
        double continuous = _unwrap.Next(angle);
        if (StepCount == 0) _angle0 = continuous;
        return continuous - _angle0;
    }
}

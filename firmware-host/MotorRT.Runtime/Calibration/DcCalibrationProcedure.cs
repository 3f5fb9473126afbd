using MotorRT.Contracts;

namespace MotorRT.Runtime.Calibration;

/// <summary>Limits and durations of a DC-machine calibration run (SI units).</summary>
public sealed record DcCalibrationOptions
{
    /// <summary>Largest armature current any step may draw, in A; exceeding it aborts the run (controller status Failed → supervisor trip).</summary>
    public required double CurrentLimit { get; init; }

    /// <summary>Largest armature voltage any step may apply, in V.</summary>
    public required double VoltageLimit { get; init; }

    /// <summary>Target speed of the spin-up (flux and inertia steps), in rad/s.</summary>
    public required double SpinSpeed { get; init; }

    /// <summary>Current of the voltage-step target (fraction of <see cref="CurrentLimit"/> the probe pulses stop at, dimensionless).</summary>
    public double StepCurrentFraction { get; init; } = 0.5;

    /// <summary>Accelerating/braking current of the inertia step (fraction of <see cref="CurrentLimit"/>, dimensionless).</summary>
    public double SpinCurrentFraction { get; init; } = 0.3;

    /// <summary>Length of one probe pulse and of each voltage step, in s.</summary>
    public double StepDuration { get; init; } = 0.006;

    /// <summary>Time the speed is held at a fixed voltage before the flux is measured, in s.</summary>
    public double HoldDuration { get; init; } = 0.6;

    /// <summary>Longest spin-up or spin-down, in s (then the run aborts).</summary>
    public double SpinTimeout { get; init; } = 20.0;
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
    /// <summary>Aborted on a limit or a timeout (see <see cref="DcCalibrationProcedure.AbortReason"/>).</summary>
    Aborted,
}

/// <summary>
/// Identification of a DC machine's armature circuit and shaft, as one <see cref="IController"/> the runtime's
/// <see cref="Loop.ControlLoop"/> runs (so the supervisor and every limit stay active): a state machine over
/// <see cref="DcCalibrationPhase"/> on the per-tick observation, writing duty cycles. Every buffer is allocated in the
/// constructor; <see cref="Compute"/> allocates nothing. <see cref="DcIdentification"/> turns the records into parameters.
/// </summary>
public sealed class DcCalibrationProcedure : IController
{
    private const int StepRows = 1 << 14;
    private const int MechRows = 1 << 14;
    private const int MechDecimation = 10;

    private readonly DcCalibrationOptions _o;
    internal readonly double[] StepU = new double[StepRows];
    internal readonly double[] StepI = new double[StepRows];
    internal readonly double[] StepTheta = new double[StepRows];
    internal int StepCount;
    internal readonly double[] MechT = new double[MechRows];
    internal readonly double[] MechW = new double[MechRows];
    internal readonly double[] MechIntI = new double[MechRows];
    internal readonly double[] MechIntW = new double[MechRows];
    internal int MechCount;

    private long _phaseTicks;
    private double _probeU;
    private double _probePeak;
    private double _lastU;
    private double _r;
    private double _l;
    private double _integ;
    private double _holdU;
    private double _holdSumI;
    private double _holdSumW;
    private long _holdN;
    private bool _mechStarted;
    private double _t;
    private double _intI;
    private double _intW;
    private int _mechDec;
    private double _angle0;
    private AngleUnwrap _unwrap;

    /// <summary>Creates the procedure with its limits.</summary>
    public DcCalibrationProcedure(DcCalibrationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _o = options;
    }

    /// <inheritdoc/>
    public string Name => "calibrate-dc";

    /// <inheritdoc/>
    public ControllerStatus Status { get; private set; }

    /// <summary>The current phase.</summary>
    public DcCalibrationPhase Phase { get; private set; }

    /// <summary>Why the run aborted (empty unless <see cref="Phase"/> is Aborted).</summary>
    public string AbortReason { get; private set; } = "";

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

    /// <summary>Length of one voltage step at control period <paramref name="dt"/> (s), in ticks.</summary>
    internal long StepTicks(double dt) => Math.Max(4, (long)Math.Round(_o.StepDuration / dt));

    /// <summary>Sets the armature R (Ω) and L (H) the current loop of the spin steps uses (after <see cref="DcIdentification.FitArmature"/>).</summary>
    internal void SetArmature(double r, double l)
    {
        _r = r;
        _l = l;
    }

    /// <inheritdoc/>
    public void Reset()
    {
        Phase = DcCalibrationPhase.Probe;
        Status = ControllerStatus.Ok;
        AbortReason = "";
        _phaseTicks = 0;
        _probeU = 0;
        _probePeak = 0;
        _lastU = 0;
        StepCount = 0;
        MechCount = 0;
        _integ = 0;
        _holdN = 0;
        _holdSumI = 0;
        _holdSumW = 0;
        _mechStarted = false;
        _t = _intI = _intW = 0;
        _mechDec = 0;
    }

    /// <inheritdoc/>
    public void Compute(in MotorObservation o, ref ConverterCommand command)
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
                long k = _phaseTicks % (4 * stepTicks);
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
                long k = _phaseTicks;
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
                u = CurrentLoop(iSpin, i, w, dt);
                RecordMech(i, w, dt);
                if (w >= _o.SpinSpeed)
                {
                    _holdU = _lastU - _r * iSpin;
                    Enter(DcCalibrationPhase.Hold);
                }
                else if (_phaseTicks * dt > _o.SpinTimeout)
                {
                    Abort("the spin-up did not reach the spin speed in time");
                }
                break;
            case DcCalibrationPhase.Hold:
                u = _holdU;
                RecordMech(i, w, dt);
                if (_phaseTicks * dt >= 0.6 * _o.HoldDuration)
                {
                    _holdSumI += i;
                    _holdSumW += w;
                    _holdN++;
                }
                if (_phaseTicks * dt >= _o.HoldDuration)
                {
                    _integ = _lastU;
                    Enter(DcCalibrationPhase.Decelerate);
                }
                break;
            case DcCalibrationPhase.Decelerate:
                u = CurrentLoop(-iSpin, i, w, dt);
                RecordMech(i, w, dt);
                if (w <= 0.1 * _o.SpinSpeed)
                {
                    Phase = DcCalibrationPhase.Done;
                    u = 0;
                    enable = false;
                }
                else if (_phaseTicks * dt > _o.SpinTimeout)
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
        _phaseTicks++;
    }

    /// <summary>Resumes after the armature fit with the spin-up (not on the hot path).</summary>
    internal void StartSpin()
    {
        _integ = 0;
        Enter(DcCalibrationPhase.Accelerate);
    }

    private double CurrentLoop(double iRef, double i, double w, double dt)
    {
        // PI on the identified armature: bandwidth 1/(20·dt), zero at R/L; the integral carries the back-EMF.
        double kp = _l / (20 * dt);
        double ki = _r / (20 * dt);
        double e = iRef - i;
        _integ = Math.Clamp(_integ + ki * e * dt, -_o.VoltageLimit, _o.VoltageLimit);
        return _integ + kp * e;
    }

    private void RecordMech(double i, double w, double dt)
    {
        if (!_mechStarted)
        {
            if (w < 0.05 * _o.SpinSpeed) return;
            _mechStarted = true;
        }
        _t += dt;
        _intI += i * dt;
        _intW += w * dt;
        if (++_mechDec < MechDecimation) return;
        _mechDec = 0;
        if (MechCount >= MechRows) return;
        MechT[MechCount] = _t;
        MechW[MechCount] = w;
        MechIntI[MechCount] = _intI;
        MechIntW[MechCount] = _intW;
        MechCount++;
    }

    /// <summary>The step record's angle: continuous, relative to its first sample, in rad.</summary>
    private double Unwrap(double angle)
    {
        if (StepCount == 0) _unwrap.Reset();
        double continuous = _unwrap.Next(angle);
        if (StepCount == 0) _angle0 = continuous;
        return continuous - _angle0;
    }

    private void Enter(DcCalibrationPhase p)
    {
        Phase = p;
        _phaseTicks = 0;
    }

    private void Abort(string reason)
    {
        if (Phase == DcCalibrationPhase.Aborted) return;
        AbortReason = reason;
        Phase = DcCalibrationPhase.Aborted;
    }
}

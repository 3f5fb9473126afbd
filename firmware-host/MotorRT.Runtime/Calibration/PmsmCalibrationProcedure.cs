using MotorRT.Contracts;

namespace MotorRT.Runtime.Calibration;

/// <summary>Limits and durations of a PMSM or SynRM calibration run (SI units; the shared ones in <see cref="CalibrationOptions"/>).</summary>
public sealed record PmsmCalibrationOptions : CalibrationOptions
{
    /// <summary>
    /// Options with the synchronous-machine defaults: holds of 1 s (<see cref="CalibrationOptions.HoldDuration"/>: at the
    /// spin speed, the flux measured over its second half; then at half the spin speed).
    /// </summary>
    public PmsmCalibrationOptions() => HoldDuration = 1.0;

    /// <summary>
    /// Current of the fixed vector that aligns the rotor (fraction of <see cref="CalibrationOptions.CurrentLimit"/>, dimensionless). Small:
    /// with L_q &gt; L_d the reluctance torque turns the d-axis away from the vector once (L_q − L_d)·i exceeds ψ_p
    /// (GEM's PMSM: above 79 A); the d steps, in the measured rotor frame, use <see cref="CalibrationOptions.StepCurrentFraction"/>.
    /// </summary>
    public double AlignCurrentFraction { get; init; } = 0.1;

    /// <summary>
    /// d current of the spin-up, the holds and the braking (fraction of <see cref="CalibrationOptions.CurrentLimit"/>, dimensionless): 0 for a
    /// PMSM (the magnet makes the torque); a SynRM's torque 1.5·p·(L_d − L_q)·i_d·i_q needs it (then i_q sets the torque).
    /// </summary>
    public double SpinDCurrentFraction { get; init; }

    /// <summary>
    /// True for a synchronous reluctance machine (ψ_p = 0): the rotor aligns by reluctance torque (its d-axis, L_d &gt; L_q,
    /// to the vector), the fits fix the back-EMF flux at 0 and the hold's flux is not measured (reported as 0).
    /// </summary>
    public bool Reluctance { get; init; }

    /// <summary>Time the rotor is given to settle on a fixed voltage vector, in s.</summary>
    public double AlignDuration { get; init; } = 1.0;

    /// <summary>Electrical revolutions of the field rotation that counts the pole pairs (dimensionless).</summary>
    public int RotationTurns { get; init; } = 1;

    /// <summary>
    /// Duration of each field rotation (forward, then back), in s. The vector is voltage-fed (the back-EMF damps the
    /// rotor), so the rotor lags by about back-EMF / (R·i) rad electrical: the field turns slowly (peak
    /// 2·2π·turns / duration rad/s) to stay well below the pull-out at R·i/ψ_p rad/s.
    /// </summary>
    public double RotationDuration { get; init; } = 6.0;
}

/// <summary>The phases of <see cref="PmsmCalibrationProcedure"/>, in the order they run.</summary>
public enum PmsmCalibrationPhase
{
    /// <summary>Voltage pulses of growing amplitude and alternating sign along the α axis until the current reaches the step target: a rough R for the alignment.</summary>
    Probe,
    /// <summary>Zero volts (the residual current-sensor offsets), then a fixed voltage vector at electrical angle 0 (stator frame): the rotor's d-axis turns to it.</summary>
    Align,
    /// <summary>The vector turns slowly through <see cref="PmsmCalibrationOptions.RotationTurns"/> electrical revolutions, settles, turns back and settles.</summary>
    Rotate,
    /// <summary>d-axis voltage steps in the measured rotor frame (the d-current holds the rotor): R_s, L_d.</summary>
    DSteps,
    /// <summary>Symmetric q-axis triplets of growing amplitude until the q current reaches the step target.</summary>
    QProbe,
    /// <summary>Symmetric ±U / ±½U q-axis triplets, mirrored every other cycle (the rotor barely moves): L_q.</summary>
    QSteps,
    /// <summary>Acceleration at a constant q current (known torque) to the spin speed.</summary>
    Accelerate,
    /// <summary>Constant speed under a speed PI, at the spin speed (u_q = R·i_q + ω_el·(L_d·i_d + ψ_p)), then at half of it (friction).</summary>
    Hold,
    /// <summary>Braking at a constant negative q current to near standstill.</summary>
    Decelerate,
    /// <summary>Finished (or paused for a fit between phases): zero volts.</summary>
    Done,
    /// <summary>Aborted on a limit or a timeout (see <see cref="CalibrationProcedure{TPhase}.AbortReason"/>).</summary>
    Aborted,
}

/// <summary>
/// Identification of a PMSM's electrical angle offset, pole pairs, stator circuit, flux and shaft, as one
/// <see cref="IController"/> the runtime's <see cref="Loop.ControlLoop"/> runs (so the supervisor and every limit stay
/// active). It keeps its own electrical angle from the encoder's mechanical angle (p and the offset it measures, not
/// the config's) and writes B6 duty cycles. Every buffer is allocated in the constructor; <see cref="Compute"/>
/// allocates nothing. <see cref="PmsmIdentification"/> turns the records into parameters; <see cref="PmsmCalibrationRun"/>
/// runs the phases and the fits in between.
/// </summary>
public sealed class PmsmCalibrationProcedure : CalibrationProcedure<PmsmCalibrationPhase>
{
    private const int Rows = 1 << 16;

    private readonly PmsmCalibrationOptions _o;

    /// <summary>Probe record along α (stator frame).</summary>
    internal readonly AxisStepRecord ProbeRecord = new(Rows);

    /// <summary>d-axis step record (rotor frame).</summary>
    internal readonly AxisStepRecord DRecord = new(Rows);

    /// <summary>q-axis step record (rotor frame).</summary>
    internal readonly AxisStepRecord QRecord = new(Rows);

    private int _sub;
    private double _probeU;
    private double _probePeak;
    private double _alignU;
    private double _dStepU;
    private double _lProbe;
    private double _stepTheta0;
    private double _alignSumU, _alignSumI;
    private double _alignSumA, _alignSumB, _alignSumC;
    private long _alignN;
    private double _zeroA, _zeroB, _zeroC;
    private long _zeroN;
    private double _lastUa, _lastUb, _lastUd, _lastUq;
    private double _r, _ld, _lq, _psi;
    private int _lag;
    private int _p;
    private double _offset;
    private bool _frame;
    private double _dSegment;
    private AxisCurrentPi _piD, _piQ;
    private double _iqRef;
    private double _speedKp, _speedKi, _speedInt;
    private double _accelTime;
    private AngleUnwrap _mechAngle; // not relative to the start: the offset is between the encoder's zero and the d-axis
    private double _thetaElLast;
    private double _knownD, _knownQ;
    private double _idLast;
    private double _iqLast;
    private double _uqW0, _uqW1, _uqW2;

    /// <summary>Creates the procedure with its limits.</summary>
    public PmsmCalibrationProcedure(PmsmCalibrationOptions options)
        : base(options, PmsmCalibrationPhase.Aborted) => _o = options;

    /// <inheritdoc/>
    public override string Name => _o.Reluctance ? "calibrate-synrm" : "calibrate-pmsm";

    /// <summary>True when calibrating a synchronous reluctance machine (<see cref="PmsmCalibrationOptions.Reluctance"/>).</summary>
    public bool Reluctance => _o.Reluctance;

    /// <summary>The phase that ran last before a pause in <see cref="PmsmCalibrationPhase.Done"/>.</summary>
    public PmsmCalibrationPhase Completed { get; private set; }

    /// <summary>True once finished or aborted.</summary>
    public bool Finished => Phase is PmsmCalibrationPhase.Done or PmsmCalibrationPhase.Aborted;

    /// <summary>Unwrapped encoder angle at the end of the first alignment (vector at 0), in rad.</summary>
    public double AlignedAngle0 { get; private set; }

    /// <summary>Unwrapped encoder angle after the forward rotation (vector at 2π·turns), in rad.</summary>
    public double AlignedAngleForward { get; private set; }

    /// <summary>Unwrapped encoder angle after the rotation back (vector at 0), in rad.</summary>
    public double AlignedAngleBack { get; private set; }

    /// <summary>Angle the voltage vector turned through in the forward rotation, in rad.</summary>
    public double RotationAngle => 2 * Math.PI * _o.RotationTurns;

    /// <summary>Largest excursion of the rotor's electrical angle from where the d steps started, during the d and q steps, in rad.</summary>
    public double StepExcursion { get; private set; }

    /// <summary>Amplitude of the q triplets, in V.</summary>
    public double QStepVoltage => _probeU;

    /// <summary>Hold window: ∫u_q dt (the voltage acting, lag applied), in V·s.</summary>
    public double HoldIntUq { get; private set; }

    /// <summary>Hold window: ∫i_q dt, in A·s.</summary>
    public double HoldIntIq { get; private set; }

    /// <summary>Hold window: ∫i_d dθ_el, in A·rad.</summary>
    public double HoldIntIdDTheta { get; private set; }

    /// <summary>Hold window: i_q(end) − i_q(start), in A.</summary>
    public double HoldDeltaIq { get; private set; }

    /// <summary>Hold window: Δθ_el, in rad.</summary>
    public double HoldDeltaTheta { get; private set; }

    /// <summary>Hold window length, in s.</summary>
    public double HoldTime { get; private set; }

    private double _holdIq0;
    private bool _holdStarted;

    /// <summary>Length of one q segment, in ticks: half a probe pulse (at least 4 ticks).</summary>
    private static long QTicks(long stepTicks) => Math.Max(4, stepTicks / 2);

    /// <summary>Sets the rough stator resistance (Ω) and time constant (s) of the probe fit: the alignment voltage and the d-step length.</summary>
    internal void SetProbeFit(double r, double l)
    {
        // A first guess only: a rotor that is not aligned couples the α axis to β and to its back-EMF, so the probe's R
        // can be off severalfold. The alignment adapts its voltage to the target current, and its settled U/|i| gives
        // the R that sets the d steps.
        _alignU = Math.Min(r * _o.AlignCurrentFraction * _o.CurrentLimit, _o.VoltageLimit);
        _lProbe = l;
    }

    /// <summary>Stator resistance from the settled alignment, U/|i| (voltage-fed, rotor at rest), in Ω; NaN before.</summary>
    public double AlignResistance { get; private set; } = double.NaN;

    /// <summary>
    /// Gain of current channel b relative to channel a, as the signal chain reads them (dimensionless; NaN before the
    /// alignment): the settled alignments (the first one and the two rests of the field rotation) drive a DC vector along
    /// phase a at standstill, so the true phase currents are u/R — i, −i/2, −i/2 whatever the inductances and the rotor
    /// angle — and a ratio other than −1/2 between the measured b and a currents is their gain mismatch. The resistance
    /// cancels; the gain common to both does too (not identifiable without a reference current). What the arm-time
    /// offsets left of each zero point (their own noise: about σ/√N counts) is measured over the zero-volt window that
    /// opens the alignment and subtracted. The currents are constant: without ADC noise (dither) the mean keeps the
    /// quantisation, up to half a count of the b current.
    /// </summary>
    public double GainRatioB => -2 * AlignedCurrent(_alignSumB, _zeroB) / AlignedCurrent(_alignSumA, _zeroA);

    /// <summary>As <see cref="GainRatioB"/>, for channel c (meaningful only when phase c has a sensor; else c = −a − b).</summary>
    public double GainRatioC => -2 * AlignedCurrent(_alignSumC, _zeroC) / AlignedCurrent(_alignSumA, _zeroA);

    /// <summary>Sets the pole pairs and the electrical angle offset (rad) of the rotor frame the later phases use.</summary>
    internal void SetFrame(int polePairs, double offset)
    {
        _p = polePairs;
        _offset = offset;
        _frame = true;
    }

    /// <summary>Sets R_s (Ω), L_d, L_q (H), the back-EMF flux of the steps (V·s) and the voltage lag (ticks) of the spin's current loops.</summary>
    internal void SetMachine(double r, double ld, double lq, double psi, int lag)
    {
        _r = r;
        _ld = ld;
        _lq = lq;
        _psi = psi;
        _lag = lag;
    }

    /// <inheritdoc/>
    public override void Reset()
    {
        ResetScaffold(PmsmCalibrationPhase.Probe);
        _sub = 0;
        _probeU = 0;
        _probePeak = 0;
        _lastUa = _lastUb = _lastUd = _lastUq = 0;
        ProbeRecord.Count = DRecord.Count = QRecord.Count = 0;
        _mechAngle.Reset();
        _frame = false;
        _holdStarted = false;
        _alignSumU = _alignSumI = 0;
        _alignSumA = _alignSumB = _alignSumC = 0;
        _zeroA = _zeroB = _zeroC = 0;
        _alignN = _zeroN = 0;
        AlignResistance = double.NaN;
        StepExcursion = 0;
        HoldIntUq = HoldIntIq = HoldIntIdDTheta = HoldDeltaIq = HoldDeltaTheta = HoldTime = 0;
    }

    /// <summary>Resumes after a fit with the next phase (not on the hot path).</summary>
    internal void Resume(PmsmCalibrationPhase next)
    {
        _piD.Integral = _piQ.Integral = 0;
        _speedInt = 0;
        _sub = 0;
        _probeU = next == PmsmCalibrationPhase.QProbe ? 0.5 * _dStepU : _probeU;
        _probePeak = 0;
        _knownD = _knownQ = 0;
        Enter(next);
    }

    /// <inheritdoc/>
    public override void Compute(in MotorObservation o, ref ConverterCommand command)
    {
        double dt = o.Period;
        Status = ControllerStatus.Ok;
        double iMag = Math.Sqrt(o.CurrentAlpha * o.CurrentAlpha + o.CurrentBeta * o.CurrentBeta);
        if (iMag > _o.CurrentLimit && !Finished) Abort("stator current above the calibration current limit");

        // The measured mechanical angle, unwrapped; the electrical angle of the rotor frame once p and the offset are known.
        double thetaM = _mechAngle.Next(o.MechanicalAngle);
        double thetaEl = _frame ? _p * thetaM + _offset : 0;
        (double sEl, double cEl) = Math.SinCos(thetaEl);
        SpaceVector.Park(o.CurrentAlpha, o.CurrentBeta, sEl, cEl, out double id, out double iq);
        double dTheta = thetaEl - _thetaElLast;
        _thetaElLast = thetaEl;

        long stepTicks = StepTicks(dt);
        double iStep = _o.StepCurrentFraction * _o.CurrentLimit;
        double iSpin = _o.SpinCurrentFraction * _o.CurrentLimit;
        double idSpin = _o.SpinDCurrentFraction * _o.CurrentLimit;
        double w = o.MechanicalSpeed;
        bool enable = true;
        bool rotorFrame = false;
        double ua = 0, ub = 0, ud = 0, uq = 0;
        switch (Phase)
        {
            case PmsmCalibrationPhase.Probe:
            {
                // A pulse of stepTicks, then 3 × stepTicks at zero volts, alternating sign (the rotor is not aligned yet:
                // alternating torque pulses keep it near standstill); grow by 25 % until the peak reaches the target.
                long k = PhaseTicks % (4 * stepTicks);
                long n = PhaseTicks / (4 * stepTicks);
                if (k == 0)
                {
                    if (_probePeak >= iStep)
                    {
                        Pause();
                        break;
                    }
                    _probeU = _probeU <= 0 ? 0.002 * o.DcLinkVoltage : _probeU * 1.25;
                    if (_probeU > _o.VoltageLimit)
                    {
                        Abort("the probe reached the voltage limit before the step current (open stator circuit?)");
                        break;
                    }
                    _probePeak = 0;
                }
                if (k > 0) _probePeak = Math.Max(_probePeak, iMag);
                ProbeRecord.Add(_lastUa, o.CurrentAlpha, 0, 0);
                ua = k < stepTicks ? (n % 2 == 0 ? _probeU : -_probeU) : 0;
                break;
            }
            case PmsmCalibrationPhase.Align:
            {
                // First zero volts for half the settle time (the rotor stops, the current decays): its second half
                // measures what the arm-time offsets left of the zero points (the gain ratios subtract it). Then twice
                // the settle time on the vector: the voltage first adapts to the target current, then the rotor settles.
                double tz = 0.5 * _o.AlignDuration;
                double t = PhaseTicks * dt - tz, ta = 2 * _o.AlignDuration;
                if (t < 0)
                {
                    if (t >= -0.5 * tz)
                    {
                        _zeroA += o.CurrentA;
                        _zeroB += o.CurrentB;
                        _zeroC += o.CurrentC;
                        _zeroN++;
                    }
                    break;
                }
                AdaptAlignVoltage(iMag, dt);
                ua = _alignU;
                if (t >= 0.8 * ta)
                {
                    _alignSumU += _alignU;
                    _alignSumI += iMag;
                    AddGainSample(in o);
                }
                if (t >= ta)
                {
                    AlignedAngle0 = thetaM;
                    AlignResistance = _alignSumI > 0 ? _alignSumU / _alignSumI : double.NaN;
                    double r = AlignResistance;
                    if (!(r > 0) || !double.IsFinite(r))
                    {
                        Abort("no current on the aligning voltage vector (open stator circuit?)");
                        break;
                    }
                    _dStepU = Math.Min(r * iStep, _o.VoltageLimit);
                    _dSegment = Math.Clamp(_lProbe / r, 2 * _o.StepDuration, 50 * _o.StepDuration);
                    Enter(PmsmCalibrationPhase.Rotate);
                }
                break;
            }
            case PmsmCalibrationPhase.Rotate:
            {
                // Forward over RotationDuration (zero speed at both ends), settle, back, settle.
                double tr = _o.RotationDuration, ta = _o.AlignDuration, t = PhaseTicks * dt;
                double phi = _sub switch
                {
                    0 => RotationAngle * Smooth(t / tr),
                    1 => RotationAngle,
                    2 => RotationAngle * (1 - Smooth(t / tr)),
                    _ => 0,
                };
                if (_sub % 2 == 1) AdaptAlignVoltage(iMag, dt); // at rest only: while turning, the back-EMF lowers |i|
                if (_sub % 2 == 1 && t >= 0.8 * ta) AddGainSample(in o); // settled again on a vector at 0 (mod 2π)
                (double s, double c) = Math.SinCos(phi);
                ua = _alignU * c;
                ub = _alignU * s;
                if ((_sub % 2 == 0 && t >= tr) || (_sub % 2 == 1 && t >= ta))
                {
                    if (_sub == 1) AlignedAngleForward = thetaM;
                    if (_sub == 3)
                    {
                        AlignedAngleBack = thetaM;
                        Pause();
                        break;
                    }
                    _sub++;
                    PhaseTicks = -1;
                }
                break;
            }
            case PmsmCalibrationPhase.DSteps:
            {
                // Levels 1, ½, 1, ¼ of the step voltage along d (in the rotor frame the d-current makes no torque), six
                // cycles, then two segments at zero volts; each segment one probe time constant (at least 2 pulses).
                rotorFrame = true;
                if (PhaseTicks == 0) _stepTheta0 = thetaEl;
                StepExcursion = Math.Max(StepExcursion, Math.Abs(thetaEl - _stepTheta0));
                long seg = Math.Max(2 * stepTicks, (long)Math.Round(_dSegment / dt));
                long s = PhaseTicks / seg;
                if (PhaseTicks > 0) _knownD -= _lq * 0.5 * (iq + _iqLast) * dTheta; // −ω_el·L_q·i_q over [k−1, k]
                DRecord.Add(_lastUd, id, thetaEl, _knownD);
                ud = s >= 24 ? 0 : (s % 4) switch { 0 => _dStepU, 1 => 0.5 * _dStepU, 2 => _dStepU, _ => 0.25 * _dStepU };
                if (s >= 26) Pause();
                break;
            }
            case PmsmCalibrationPhase.QProbe:
            {
                // Triplets +U, −U, −U, +U (the current swings to ±peak and back: no net impulse), then 4 lengths at zero;
                // +25 % until the peak reaches the target. Half a probe pulse each: the rotor's swing grows with i·t².
                rotorFrame = true;
                long len = QTicks(stepTicks);
                long k = PhaseTicks % (8 * len);
                if (k == 0)
                {
                    if (_probePeak >= iStep)
                    {
                        Enter(PmsmCalibrationPhase.QSteps);
                        goto case PmsmCalibrationPhase.QSteps;
                    }
                    if (PhaseTicks > 0) _probeU *= 1.25;
                    if (_probeU > _o.VoltageLimit)
                    {
                        Abort("the q probe reached the voltage limit before the step current");
                        break;
                    }
                    _probePeak = 0;
                }
                if (k > 0) _probePeak = Math.Max(_probePeak, Math.Abs(iq));
                StepExcursion = Math.Max(StepExcursion, Math.Abs(thetaEl - _stepTheta0));
                double sign = (PhaseTicks / (8 * len)) % 2 == 0 ? 1 : -1; // mirrored every other: the rotor's swing cancels
                uq = sign * (k < len || (k >= 3 * len && k < 4 * len) ? _probeU : k < 3 * len ? -_probeU : 0);
                break;
            }
            case PmsmCalibrationPhase.QSteps:
            {
                // Eight cycles of the triplets +U −U −U +U, 0 0, +½U −½U −½U +½U, 0 0 (half a pulse length each): the
                // q current swings symmetrically and the torque integral returns to zero, so the rotor stays near its place.
                rotorFrame = true;
                StepExcursion = Math.Max(StepExcursion, Math.Abs(thetaEl - _stepTheta0));
                long len = QTicks(stepTicks);
                long s = PhaseTicks / len;
                if (PhaseTicks > 0) _knownQ += _ld * 0.5 * (id + _idLast) * dTheta; // ω_el·L_d·i_d over [k−1, k]
                QRecord.Add(_lastUq, iq, thetaEl, _knownQ);
                // Odd cycles negated: within a triplet the rotor swings one way and stops; the mirrored next cycle brings it back.
                double sign = (s / 12) % 2 == 0 ? 1 : -1;
                uq = s >= 96 ? 0 : sign * (s % 12) switch
                {
                    0 or 3 => _probeU, 1 or 2 => -_probeU, 6 or 9 => 0.5 * _probeU, 7 or 8 => -0.5 * _probeU, _ => 0,
                };
                if (s >= 98) Pause();
                break;
            }
            case PmsmCalibrationPhase.Accelerate:
                rotorFrame = true;
                (ud, uq) = CurrentLoops(idSpin, iSpin, id, iq, _p * w, dt);
                Mech.Add(iq, id * iq, w, dt);
                if (w >= _o.SpinSpeed)
                {
                    // Speed PI from the acceleration seen: J/k_t ≈ i·t/ω; bandwidth 30 rad/s, integral zero at 7.5 rad/s.
                    _accelTime = Math.Max(PhaseTicks * dt, dt);
                    double jOverKt = iSpin * _accelTime / Math.Max(w, 1e-6);
                    _speedKp = 30 * jOverKt;
                    _speedKi = 7.5 * _speedKp;
                    _speedInt = 0;
                    _sub = 0;
                    Enter(PmsmCalibrationPhase.Hold);
                }
                else if (PhaseTicks * dt > _o.SpinTimeout)
                {
                    Abort("the spin-up did not reach the spin speed in time");
                }
                break;
            case PmsmCalibrationPhase.Hold:
            {
                // First at the spin speed (the flux window is its second half), then at half of it: the friction at two
                // speeds separates its Coulomb and viscous parts, which the speed steps alone hardly do.
                rotorFrame = true;
                double e = (_sub == 0 ? 1.0 : 0.5) * _o.SpinSpeed - w;
                _speedInt = Math.Clamp(_speedInt + _speedKi * e * dt, -iSpin, iSpin);
                _iqRef = Math.Clamp(_speedInt + _speedKp * e, -iSpin, iSpin);
                (ud, uq) = CurrentLoops(idSpin, _iqRef, id, iq, _p * w, dt);
                Mech.Add(iq, id * iq, w, dt);
                double t = PhaseTicks * dt;
                if (_sub == 0 && t >= 0.5 * _o.HoldDuration)
                {
                    if (!_holdStarted)
                    {
                        _holdStarted = true;
                        _holdIq0 = iq;
                    }
                    else
                    {
                        // [previous sample, this sample]: the voltage acting then was written lag ticks before the previous one.
                        double uActing = _lag switch { 0 => _uqW0, 1 => _uqW1, _ => _uqW2 };
                        HoldIntUq += uActing * dt;
                        HoldIntIq += 0.5 * (iq + _iqLast) * dt;
                        HoldIntIdDTheta += 0.5 * (id + _idLast) * dTheta;
                        HoldDeltaTheta += dTheta;
                        HoldTime += dt;
                        HoldDeltaIq = iq - _holdIq0;
                    }
                }
                if (t >= _o.HoldDuration)
                {
                    if (_sub++ == 0) PhaseTicks = -1;
                    else Enter(PmsmCalibrationPhase.Decelerate);
                }
                break;
            }
            case PmsmCalibrationPhase.Decelerate:
                rotorFrame = true;
                (ud, uq) = CurrentLoops(idSpin, -iSpin, id, iq, _p * w, dt);
                Mech.Add(iq, id * iq, w, dt);
                if (w <= 0.1 * _o.SpinSpeed)
                {
                    Completed = Phase;
                    Phase = PmsmCalibrationPhase.Done;
                    ud = uq = 0;
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
        if (Phase == PmsmCalibrationPhase.Aborted)
        {
            Status = ControllerStatus.Failed;
            enable = false;
        }
        if (Phase is PmsmCalibrationPhase.Done or PmsmCalibrationPhase.Aborted) ua = ub = ud = uq = 0;

        if (rotorFrame)
        {
            // Clamp the vector, then rotate it to where the rotor will be while it acts (lag + ½ tick ahead).
            double m = Math.Sqrt(ud * ud + uq * uq);
            if (m > _o.VoltageLimit)
            {
                ud *= _o.VoltageLimit / m;
                uq *= _o.VoltageLimit / m;
                Status = ControllerStatus.Saturated;
            }
            double ahead = thetaEl + _p * w * dt * (_lag + 0.5);
            SpaceVector.InversePark(ud, uq, ahead, out ua, out ub);
        }
        else
        {
            double m = Math.Sqrt(ua * ua + ub * ub);
            if (m > _o.VoltageLimit)
            {
                ua *= _o.VoltageLimit / m;
                ub *= _o.VoltageLimit / m;
            }
            SpaceVector.Park(ua, ub, sEl, cEl, out ud, out uq);
        }
        double udc = o.DcLinkVoltage > 1e-3 ? o.DcLinkVoltage : 1e-3;
        SpaceVector.InverseClarke(ua, ub, out double pa, out double pb, out double pc);
        double k2 = 2.0 / udc;
        command.Mode = CommandMode.DutyCycle;
        command.Duty[0] = enable ? Math.Clamp(pa * k2, -1, 1) : 0;
        command.Duty[1] = enable ? Math.Clamp(pb * k2, -1, 1) : 0;
        command.Duty[2] = enable ? Math.Clamp(pc * k2, -1, 1) : 0;
        command.BridgeEnable = enable;
        command.VoltageD = enable ? ud : 0;
        command.VoltageQ = enable ? uq : 0;
        _lastUa = enable ? ua : 0;
        _lastUb = enable ? ub : 0;
        _lastUd = enable ? ud : 0;
        _lastUq = enable ? uq : 0;
        _uqW2 = _uqW1;
        _uqW1 = _uqW0;
        _uqW0 = _lastUq;
        _idLast = id;
        _iqLast = iq;
        PhaseTicks++;
    }

    private void AddGainSample(in MotorObservation o)
    {
        _alignSumA += o.CurrentA;
        _alignSumB += o.CurrentB;
        _alignSumC += o.CurrentC;
        _alignN++;
    }

    /// <summary>Mean current of a channel over the settled alignments less its mean over the zero-volt window, in A.</summary>
    private double AlignedCurrent(double sum, double zero) => _alignN > 0 && _zeroN > 0 ? sum / _alignN - zero / _zeroN : double.NaN;

    private void AdaptAlignVoltage(double iMag, double dt)
    {
        // Multiplicative, time constant 1/3 s (slower than the stator's L/R): |i| → the alignment current.
        double target = _o.AlignCurrentFraction * _o.CurrentLimit;
        _alignU = Math.Clamp(_alignU * (1 + 3 * dt * (target - iMag) / target), 1e-6 * _o.VoltageLimit, _o.VoltageLimit);
    }

    /// <summary>Smooth 0 → 1 over x in [0, 1] with zero slope at both ends (x − sin(2πx)/2π).</summary>
    private static double Smooth(double x)
    {
        x = Math.Clamp(x, 0, 1);
        return x - Math.Sin(2 * Math.PI * x) / (2 * Math.PI);
    }

    private (double Ud, double Uq) CurrentLoops(double idRef, double iqRef, double id, double iq, double omegaEl, double dt)
    {
        // PI per axis on the identified machine: bandwidth 1/(20·dt), zero at R/L; decoupling and back-EMF feed-forward.
        double ed = idRef - id, eq = iqRef - iq;
        double lim = _o.VoltageLimit;
        double ud = _piD.Next(ed, _r, _ld, dt, lim) - omegaEl * _lq * iq;
        double uq = _piQ.Next(eq, _r, _lq, dt, lim) + omegaEl * (_ld * id + _psi);
        return (ud, uq);
    }

    private void Pause()
    {
        Completed = Phase;
        Phase = PmsmCalibrationPhase.Done;
        PhaseTicks = 0;
    }
}

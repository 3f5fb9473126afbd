using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Contracts.Sensors;
using MotorRT.Runtime.Configuration;

namespace MotorRT.Runtime.Safety;

/// <summary>
/// The safety supervisor: checks every frame and every controller output against the limits and returns the fault
/// code of the first trip (or <see cref="FaultCode.None"/>). The loop disables the bridge in the same tick. Faults are
/// recorded in a pre-allocated log (each code once per latch); nothing here allocates or throws.
/// </summary>
public sealed class Supervisor
{
    private readonly LimitsConfig _limits;
    private readonly SensorSpec _sensors;
    private readonly MachineKind _machine;
    private readonly double _period;
    private readonly int _currentMax;
    private readonly int _dcLinkMax;
    private readonly int _cpr;
    private readonly bool _hasIndex;
    private readonly int _channels;
    private readonly FaultRecord[] _log = new FaultRecord[64];
    private readonly bool[] _seen = new bool[1000];
    private int _logCount;
    private long _overflow;

    private long _lastSequence = long.MinValue;
    private int _staleFrames;
    private int _rigFailures;
    private long _lastEncoderCount;
    private bool _encoderSeen;
    private int _encoderStillTicks;
    private int _lastIndexPulses;
    private long _indexReference;
    private bool _indexReferenceSet;
    private int _consecutiveMisses;

    // Open-phase detector: per-phase running sums of i² over a pre-allocated ring of _openWindow ticks.
    private readonly int _openWindow;
    private readonly double[] _openRing;   // [tick * 4 + k], k = 0..2 phase a..c, 3 = vector (i_α² + i_β²)
    private readonly double[] _openSum = new double[4];
    private int _openIndex;
    private int _openFilled;
    private int _openArmedTicks;   // consecutive ticks with |ω_el| ≥ 1 / window

    // DC-link brown-out (debounced) and ripple (peak-to-peak per block window).
    private readonly int _brownOutTicks;
    private int _brownOutCount;
    private readonly int _rippleWindow;
    private int _rippleCount;
    private int _rippleWindowsOver;          // consecutive windows with p-p above the limit
    private double _rippleMin = double.PositiveInfinity;
    private double _rippleMax = double.NegativeInfinity;

    // Current sum (three phases sensed): first-order filtered (i_a + i_b + i_c)².
    private readonly double _sumAlpha;
    private double _sumSquare;

    // Speed following error (speed-referenced runs).
    private readonly bool _speedReferenced;
    private readonly int _followTicks;
    private int _followCount;

    // Voltage model (PM / externally excited DC): armature parameters, command history, filtered back-EMF estimates.
    private readonly bool _vmEnabled;
    private readonly double _vmR;
    private readonly double _vmL;
    private readonly double _vmPsi;          // V·s/rad (PM DC), or NaN: L_m·i_e (externally excited)
    private readonly double _vmLm;
    private readonly double _vmAlpha;
    private double _duty1, _duty2;           // duty written one and two ticks ago
    private bool _bridge1, _bridge2;
    private bool _vmPrimed;
    private double _vmLastI, _vmLastW;
    private double _vmEmfVoltage;            // filtered u − R·i − L·di/dt, V
    private double _vmEmfSpeed;              // filtered ψ·ω from the encoder speed, V

    /// <summary>Creates the supervisor with resolved limits (see <see cref="LimitsConfig.Resolve"/>).</summary>
    public Supervisor(LimitsConfig limits, SensorSpec sensors, MachineKind machine, int converterChannels, double period)
        : this(limits, sensors, machine, converterChannels, period, null, false)
    {
    }

    /// <summary>
    /// Creates the supervisor with resolved limits and the machine as the controller knows it: <paramref name="motor"/>
    /// arms the voltage-model check (DC machines, <see cref="LimitsConfig.VoltageModelResidual"/>),
    /// <paramref name="speedReferenced"/> (the run has a speed reference) the speed following-error check.
    /// </summary>
    public Supervisor(LimitsConfig limits, SensorSpec sensors, MachineKind machine, int converterChannels, double period, MotorParameters? motor, bool speedReferenced)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(sensors);
        _limits = limits;
        _sensors = sensors;
        _machine = machine;
        _period = period;
        _channels = Math.Clamp(converterChannels, 1, Channels4.Length);
        _currentMax = (1 << sensors.Current.Bits) - 1;
        _dcLinkMax = (1 << sensors.DcLink.Bits) - 1;
        _cpr = sensors.Encoder?.CountsPerRevolution ?? 0;
        _hasIndex = sensors.Encoder?.HasIndex ?? false;
        _openWindow = Math.Max(1, (int)Math.Ceiling(limits.OpenPhaseTime / period - 1e-9));
        _openRing = new double[machine == MachineKind.ThreePhase && limits.OpenPhaseCurrent > 0 ? _openWindow * 4 : 0];
        _brownOutTicks = limits.DcLinkBrownOutVoltage > 0 ? Math.Max(1, (int)Math.Ceiling(limits.DcLinkBrownOutTime / period - 1e-9)) : 0;
        _rippleWindow = limits.DcLinkRipple > 0 ? Math.Max(2, (int)Math.Ceiling(limits.DcLinkRippleTime / period - 1e-9)) : 0;
        _sumAlpha = Math.Min(1.0, period / limits.CurrentSumTime);
        _speedReferenced = speedReferenced;
        _followTicks = Math.Max(1, (int)Math.Ceiling(limits.SpeedFollowingTime / period - 1e-9));
        if (motor is not null && machine == MachineKind.Dc && limits.VoltageModelResidual > 0 && sensors.Encoder is not null
            && motor.Type is MotorType.PermanentlyExcitedDc or MotorType.ExternallyExcitedDc)
        {
            _vmEnabled = true;
            _vmR = motor.ArmatureResistance;
            _vmL = motor.ArmatureInductance;
            _vmPsi = motor.Type == MotorType.PermanentlyExcitedDc ? motor.ExcitationFlux : double.NaN;
            _vmLm = motor.MutualInductance;
            _vmAlpha = Math.Min(1.0, period / limits.VoltageModelTime);
        }
    }

    /// <summary>True when the voltage-model check runs (DC machine with an encoder, motor known, limit set).</summary>
    public bool VoltageModelArmed => _vmEnabled;

    private void ResetDynamicChecks()
    {
        _brownOutCount = 0;
        _rippleCount = 0;
        _rippleWindowsOver = 0;
        _rippleMin = double.PositiveInfinity;
        _rippleMax = double.NegativeInfinity;
        _sumSquare = 0;
        _followCount = 0;
        _duty1 = _duty2 = 0;
        _bridge1 = _bridge2 = false;
        _vmPrimed = false;
        _vmEmfVoltage = 0;
        _vmEmfSpeed = 0;
    }

    /// <summary>Length of the open-phase RMS window, in ticks.</summary>
    public int OpenPhaseWindowTicks => _openWindow;

    private void ResetOpenPhase()
    {
        Array.Clear(_openRing);
        Array.Clear(_openSum);
        _openIndex = 0;
        _openFilled = 0;
        _openArmedTicks = 0;
    }

    /// <summary>The limits in force.</summary>
    public LimitsConfig Limits => _limits;

    /// <summary>Faults recorded since construction or <see cref="ClearLatch"/> (first 64; see <see cref="LostRecords"/>).</summary>
    public ReadOnlySpan<FaultRecord> Faults => _log.AsSpan(0, _logCount);

    /// <summary>Fault records that did not fit the log (counted, not silently lost).</summary>
    public long LostRecords => _overflow;

    /// <summary>Number of consecutive deadline misses at the moment.</summary>
    public int ConsecutiveDeadlineMisses => _consecutiveMisses;

    /// <summary>Records a fault (once per code until <see cref="ClearLatch"/>). Returns <paramref name="code"/>.</summary>
    public FaultCode Record(FaultCode code, long tick, double time, double value, double limit)
    {
        int i = (int)code;
        if (i > 0 && i < _seen.Length && _seen[i]) return code;
        if (i > 0 && i < _seen.Length) _seen[i] = true;
        if (_logCount < _log.Length) _log[_logCount++] = new FaultRecord(code, tick, time, value, limit);
        else _overflow++;
        return code;
    }

    /// <summary>Clears per-latch memory (used on Reset); the log is kept as history.</summary>
    public void ClearLatch()
    {
        Array.Clear(_seen);
        ResetCounters();
    }

    /// <summary>Re-baselines the stateful checks (encoder, sequence) without clearing faults; called on entering Running.</summary>
    public void Rebase(in RawSensorFrame frame)
    {
        _lastSequence = frame.Sequence;
        _lastEncoderCount = frame.EncoderCount;
        _encoderSeen = true;
        ResetCounters();
    }

    /// <summary>Zeroes the consecutive-event counters (stale frames, rig failures, encoder standstill, deadline misses) and the open-phase and dynamic checks.</summary>
    private void ResetCounters()
    {
        _staleFrames = 0;
        _rigFailures = 0;
        _encoderStillTicks = 0;
        _consecutiveMisses = 0;
        ResetOpenPhase();
        ResetDynamicChecks();
    }

    /// <summary>
    /// The first of the tick's checks, in this order: an external fault (watchdog, signal, operator), the rig read
    /// outcome, then the frame and the observation made from it (only for a good read). Returns the first trip or None.
    /// </summary>
    public FaultCode CheckInputs(FaultCode external, RigIoStatus read, in RawSensorFrame frame, in MotorObservation obs)
    {
        if (external != FaultCode.None) return Record(external, obs.Tick, obs.Time, double.NaN, double.NaN);
        FaultCode f = CheckIo(read, in obs);
        if (f != FaultCode.None || read != RigIoStatus.Ok) return f;
        return CheckFrame(in frame, in obs);
    }

    /// <summary>Checks a rig read or write outcome (failures count towards <see cref="LimitsConfig.RigFailures"/>).</summary>
    public FaultCode CheckIo(RigIoStatus status, in MotorObservation obs)
    {
        if (status == RigIoStatus.Ok) { _rigFailures = 0; return FaultCode.None; }
        if (status == RigIoStatus.LinkLost || ++_rigFailures >= _limits.RigFailures)
        {
            return Record(FaultCode.RigIo, obs.Tick, obs.Time, (double)status, _limits.RigFailures);
        }
        return FaultCode.None;
    }

    /// <summary>Checks a frame and the observation made from it. Returns the first trip or None.</summary>
    public FaultCode CheckFrame(in RawSensorFrame frame, in MotorObservation obs)
    {
        long tick = obs.Tick;
        double time = obs.Time;

        // Frame freshness: the sequence must advance every tick.
        if (frame.Sequence <= _lastSequence)
        {
            if (++_staleFrames >= _limits.RigFailures) return Record(FaultCode.StaleFrame, tick, time, frame.Sequence, _lastSequence);
        }
        else
        {
            _staleFrames = 0;
            _lastSequence = frame.Sequence;
        }

        if ((frame.FaultInputs & 1u) != 0) return Record(FaultCode.GateDriverFault, tick, time, frame.FaultInputs, 0);
        if ((frame.FaultInputs & 2u) != 0) return Record(FaultCode.HardwareOverCurrent, tick, time, frame.FaultInputs, 0);
        if ((frame.FaultInputs & 4u) != 0) return Record(FaultCode.DriveBoardFault, tick, time, frame.FaultInputs, 0);

        // ADC rails: a saturated channel no longer measures; the current may be anything.
        int m = _limits.AdcRailMargin;
        int sensed = _sensors.Current.PhasesSensed;
        if (AtRail(frame.CurrentCountsA, _currentMax, m)) return Record(FaultCode.CurrentSensorOutOfRange, tick, time, frame.CurrentCountsA, _currentMax);
        if (sensed >= 2 && AtRail(frame.CurrentCountsB, _currentMax, m)) return Record(FaultCode.CurrentSensorOutOfRange, tick, time, frame.CurrentCountsB, _currentMax);
        if (frame.PhaseCSensed && AtRail(frame.CurrentCountsC, _currentMax, m)) return Record(FaultCode.CurrentSensorOutOfRange, tick, time, frame.CurrentCountsC, _currentMax);
        if (AtRail(frame.DcLinkCounts, _dcLinkMax, m) && frame.DcLinkCounts > m) return Record(FaultCode.DcLinkSensorOutOfRange, tick, time, frame.DcLinkCounts, _dcLinkMax);

        double iMax = _limits.PhaseCurrent;
        if (Math.Abs(obs.CurrentA) > iMax) return Record(FaultCode.OverCurrentPhaseA, tick, time, obs.CurrentA, iMax);
        double iMag;
        if (_machine == MachineKind.ThreePhase)
        {
            if (Math.Abs(obs.CurrentB) > iMax) return Record(FaultCode.OverCurrentPhaseB, tick, time, obs.CurrentB, iMax);
            if (Math.Abs(obs.CurrentC) > iMax) return Record(FaultCode.OverCurrentPhaseC, tick, time, obs.CurrentC, iMax);
            iMag = Math.Sqrt(obs.CurrentAlpha * obs.CurrentAlpha + obs.CurrentBeta * obs.CurrentBeta);
            if (iMag > _limits.VectorCurrent) return Record(FaultCode.OverCurrentVector, tick, time, iMag, _limits.VectorCurrent);
            if (_openRing.Length > 0 && CheckOpenPhase(in obs, iMag, out _, out double rms))
            {
                return Record(FaultCode.PhaseOpenCircuit, tick, time, rms, _limits.OpenPhaseCurrent);
            }
            if (frame.PhaseCSensed && _limits.CurrentSum > 0)
            {
                // A star-connected machine's phase currents sum to zero: the filtered mean square of the sum is sensor error.
                double sum = obs.CurrentA + obs.CurrentB + obs.CurrentC;
                _sumSquare += (sum * sum - _sumSquare) * _sumAlpha;
                double sumRms = Math.Sqrt(_sumSquare);
                if (sumRms > _limits.CurrentSum) return Record(FaultCode.CurrentSumMismatch, tick, time, sumRms, _limits.CurrentSum);
            }
        }
        else
        {
            if (Math.Abs(obs.CurrentExcitation) > iMax) return Record(FaultCode.OverCurrentExcitation, tick, time, obs.CurrentExcitation, iMax);
            iMag = Math.Abs(obs.CurrentA);
        }

        if (obs.DcLinkVoltage > _limits.DcLinkOverVoltage) return Record(FaultCode.DcLinkOverVoltage, tick, time, obs.DcLinkVoltage, _limits.DcLinkOverVoltage);
        if (obs.DcLinkVoltage < _limits.DcLinkUnderVoltage) return Record(FaultCode.DcLinkUnderVoltage, tick, time, obs.DcLinkVoltage, _limits.DcLinkUnderVoltage);
        if (_brownOutTicks > 0)
        {
            if (obs.DcLinkVoltage < _limits.DcLinkBrownOutVoltage)
            {
                if (++_brownOutCount >= _brownOutTicks) return Record(FaultCode.DcLinkBrownOut, tick, time, obs.DcLinkVoltage, _limits.DcLinkBrownOutVoltage);
            }
            else
            {
                _brownOutCount = 0;
            }
        }
        if (_rippleWindow > 0)
        {
            double u = obs.DcLinkVoltage;
            if (u < _rippleMin) _rippleMin = u;
            if (u > _rippleMax) _rippleMax = u;
            if (++_rippleCount >= _rippleWindow)
            {
                double pp = _rippleMax - _rippleMin;
                _rippleCount = 0;
                _rippleMin = double.PositiveInfinity;
                _rippleMax = double.NegativeInfinity;
                _rippleWindowsOver = pp > _limits.DcLinkRipple ? _rippleWindowsOver + 1 : 0;
                if (_rippleWindowsOver >= 3) return Record(FaultCode.DcLinkRipple, tick, time, pp, _limits.DcLinkRipple);
            }
        }
        if (Math.Abs(obs.MechanicalSpeed) > _limits.Speed) return Record(FaultCode.OverSpeed, tick, time, obs.MechanicalSpeed, _limits.Speed);
        if (_speedReferenced && _limits.SpeedFollowingError > 0)
        {
            double err = obs.Reference.Speed - obs.MechanicalSpeed;
            if (Math.Abs(err) > _limits.SpeedFollowingError)
            {
                if (++_followCount >= _followTicks) return Record(FaultCode.SpeedFollowingError, tick, time, err, _limits.SpeedFollowingError);
            }
            else
            {
                _followCount = 0;
            }
        }
        if (_vmEnabled)
        {
            FaultCode vm = CheckVoltageModel(in obs);
            if (vm != FaultCode.None) return vm;
        }

        if (_cpr > 0)
        {
            // Encoder alive: with a substantial current the rotor (or at least the count) must move within the window.
            if (_limits.EncoderCheckCurrent > 0 && _encoderSeen && iMag > _limits.EncoderCheckCurrent && frame.EncoderCount == _lastEncoderCount)
            {
                if (++_encoderStillTicks * _period > _limits.EncoderCheckTime)
                {
                    return Record(FaultCode.EncoderNoCounts, tick, time, _encoderStillTicks * _period, _limits.EncoderCheckTime);
                }
            }
            else
            {
                _encoderStillTicks = 0;
            }
            _lastEncoderCount = frame.EncoderCount;
            _encoderSeen = true;

            // Index consistency: every index pulse must latch the same count modulo one revolution.
            if (_hasIndex && frame.EncoderIndexPulses != _lastIndexPulses)
            {
                _lastIndexPulses = frame.EncoderIndexPulses;
                if (!_indexReferenceSet)
                {
                    _indexReference = frame.EncoderCountAtIndex;
                    _indexReferenceSet = true;
                }
                else
                {
                    long diff = (frame.EncoderCountAtIndex - _indexReference) % _cpr;
                    if (diff < 0) diff += _cpr;
                    long dev = Math.Min(diff, _cpr - diff);
                    if (dev > _limits.IndexTolerance) return Record(FaultCode.EncoderIndexMismatch, tick, time, dev, _limits.IndexTolerance);
                }
            }
        }
        return FaultCode.None;
    }

    /// <summary>
    /// Checks the controller's output and status, and its compute time <paramref name="computeSeconds"/> (s) against the
    /// budget when <paramref name="enforceTiming"/>.
    /// </summary>
    public FaultCode CheckCommand(in ConverterCommand cmd, ControllerStatus status, double computeSeconds, bool enforceTiming, in MotorObservation obs)
    {
        switch (status)
        {
            case ControllerStatus.OutputInvalid: return Record(FaultCode.ControllerOutputInvalid, obs.Tick, obs.Time, double.NaN, double.NaN);
            case ControllerStatus.OutOfDomain: return Record(FaultCode.ControllerOutOfDomain, obs.Tick, obs.Time, double.NaN, double.NaN);
            case ControllerStatus.Failed: return Record(FaultCode.ControllerFailed, obs.Tick, obs.Time, double.NaN, double.NaN);
            case ControllerStatus.Overrun when enforceTiming: return Record(FaultCode.ControllerOverrun, obs.Tick, obs.Time, computeSeconds, _limits.ControllerBudget);
        }
        if (enforceTiming && computeSeconds > _limits.ControllerBudget)
        {
            return Record(FaultCode.ControllerOverrun, obs.Tick, obs.Time, computeSeconds, _limits.ControllerBudget);
        }
        if (cmd.Mode == CommandMode.DutyCycle)
        {
            for (int i = 0; i < _channels; i++)
            {
                double d = cmd.Duty[i];
                if (!double.IsFinite(d) || Math.Abs(d) > 1.0 + 1e-9) return Record(FaultCode.ControllerOutputInvalid, obs.Tick, obs.Time, d, 1.0);
            }
        }
        else if (cmd.Mode is CommandMode.CurrentSetpoint or CommandMode.TorqueSetpoint or CommandMode.VelocitySetpoint)
        {
            double sp = cmd.Mode switch
            {
                CommandMode.TorqueSetpoint => cmd.TorqueSetpoint,
                CommandMode.VelocitySetpoint => cmd.VelocitySetpoint + cmd.TorqueSetpoint,
                _ => cmd.CurrentSetpointD + cmd.CurrentSetpointQ,
            };
            if (!double.IsFinite(sp)) return Record(FaultCode.ControllerOutputInvalid, obs.Tick, obs.Time, sp, double.NaN);
        }
        else if (cmd.SwitchingState < 0)
        {
            return Record(FaultCode.ControllerOutputInvalid, obs.Tick, obs.Time, cmd.SwitchingState, 0);
        }
        if (_vmEnabled)
        {
            _duty2 = _duty1;
            _bridge2 = _bridge1;
            _duty1 = cmd.Duty[0];
            _bridge1 = cmd.BridgeEnable && cmd.Mode == CommandMode.DutyCycle;
        }
        return FaultCode.None;
    }

    /// <summary>
    /// The DC armature equation u = R·i + L·di/dt + ψ·ω over the last period, u being the duty written two ticks ago
    /// (one-period PWM delay) times the measured DC link: both sides' back-EMF (from the voltage, and ψ·ω from the
    /// encoder speed) are low-pass filtered and compared. A disagreement where the encoder's present speed has the
    /// opposite sign of the filtered back-EMF speed names the encoder's direction; anything else is a voltage-model mismatch. Runs only while the bridge applied the duties.
    /// </summary>
    private FaultCode CheckVoltageModel(in MotorObservation obs)
    {
        double i = obs.CurrentA, w = obs.MechanicalSpeed;
        double psi = double.IsNaN(_vmPsi) ? _vmLm * obs.CurrentExcitation : _vmPsi;
        bool applied = _vmPrimed && _bridge1 && _bridge2;
        double emfSpeed = psi * 0.5 * (w + _vmLastW);
        if (applied)
        {
            double iMid = 0.5 * (i + _vmLastI);
            double emfVoltage = _duty2 * obs.DcLinkVoltage - _vmR * iMid - _vmL * (i - _vmLastI) / _period;
            _vmEmfVoltage += (emfVoltage - _vmEmfVoltage) * _vmAlpha;
            _vmEmfSpeed += (emfSpeed - _vmEmfSpeed) * _vmAlpha;
        }
        else
        {
            _vmEmfVoltage = 0;
            _vmEmfSpeed = 0;
        }
        _vmLastI = i;
        _vmLastW = w;
        _vmPrimed = true;
        double residual = _vmEmfVoltage - _vmEmfSpeed;
        double limit = _limits.VoltageModelResidual;
        if (!applied || Math.Abs(residual) <= limit) return FaultCode.None;
        // The encoder's present speed against the filtered back-EMF: opposite signs, both substantial, name the encoder.
        if (_vmEmfVoltage * emfSpeed < 0 && Math.Abs(emfSpeed) > 0.25 * Math.Abs(_vmEmfVoltage) && Math.Abs(psi) > 0)
        {
            return Record(FaultCode.EncoderDirectionReversed, obs.Tick, obs.Time, emfSpeed / psi, _vmEmfVoltage / psi);
        }
        return Record(FaultCode.VoltageModelMismatch, obs.Tick, obs.Time, residual, limit);
    }

    /// <summary>Counts a deadline miss (or a met deadline); trips after <see cref="LimitsConfig.DeadlineMisses"/> in a row when enforced.</summary>
    public FaultCode CheckDeadline(bool missed, bool enforceTiming, in MotorObservation obs)
    {
        if (!missed) { _consecutiveMisses = 0; return FaultCode.None; }
        _consecutiveMisses++;
        return enforceTiming && _consecutiveMisses >= _limits.DeadlineMisses
            ? Record(FaultCode.DeadlineMisses, obs.Tick, obs.Time, _consecutiveMisses, _limits.DeadlineMisses)
            : FaultCode.None;
    }

    /// <summary>
    /// Adds this tick to the RMS window and reports an open phase: window full, |ω_el| ≥ 1 / window throughout it, vector RMS above
    /// 4 × <see cref="LimitsConfig.OpenPhaseCurrent"/> and one phase RMS below it. A healthy balanced set has each phase
    /// RMS at 1/√2 of the vector RMS over whole periods and above 1/4 of it over any window with ω_el·window ≥ 0.9 rad.
    /// </summary>
    private bool CheckOpenPhase(in MotorObservation obs, double iMag, out int phase, out double rms)
    {
        int w = _openWindow;
        int baseIdx = _openIndex * 4;
        double ia2 = obs.CurrentA * obs.CurrentA, ib2 = obs.CurrentB * obs.CurrentB, ic2 = obs.CurrentC * obs.CurrentC, iv2 = iMag * iMag;
        _openSum[0] += ia2 - _openRing[baseIdx];
        _openSum[1] += ib2 - _openRing[baseIdx + 1];
        _openSum[2] += ic2 - _openRing[baseIdx + 2];
        _openSum[3] += iv2 - _openRing[baseIdx + 3];
        _openRing[baseIdx] = ia2;
        _openRing[baseIdx + 1] = ib2;
        _openRing[baseIdx + 2] = ic2;
        _openRing[baseIdx + 3] = iv2;
        if (++_openIndex == w) _openIndex = 0;
        if (_openFilled < w) _openFilled++;
        phase = -1;
        rms = double.NaN;
        // Armed only once the whole window was spent above 1 / window rad/s (≥ 1 rad of electrical angle covered), so a
        // window holding standstill DC currents (one phase legitimately ≈ 0) from before an acceleration never trips.
        if (Math.Abs(obs.ElectricalSpeed) * w * _period < 1.0) { _openArmedTicks = 0; return false; }
        if (_openArmedTicks < w) _openArmedTicks++;
        if (_openFilled < w || _openArmedTicks < w) return false;
        double thr = _limits.OpenPhaseCurrent;
        double vecRms = Math.Sqrt(Math.Max(0.0, _openSum[3]) / w);
        if (vecRms <= 4.0 * thr) return false;
        for (int k = 0; k < 3; k++)
        {
            double r = Math.Sqrt(Math.Max(0.0, _openSum[k]) / w);
            if (r < thr)
            {
                phase = k;
                rms = r;
                return true;
            }
        }
        return false;
    }

    private static bool AtRail(int counts, int max, int margin) => counts <= margin || counts >= max - margin;
}

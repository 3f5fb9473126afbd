using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Contracts.Sensors;

namespace MotorRT.Runtime.Signals;

/// <summary>
/// Counts → SI: current channels with the sensor spec's scale over each channel's relative gain and offsets measured at arm time; the DC-link
/// channel; the encoder → mechanical and electrical angle and (through <see cref="SpeedPll"/>) speed; Clarke and Park
/// for three-phase machines. Fills a <see cref="MotorObservation"/> in place; no allocation.
/// </summary>
public sealed class SignalChain
{
    private readonly SensorSpec _sensors;
    private readonly bool _threePhase;
    private readonly double _polePairs;
    private readonly double _radPerCount;
    private readonly double _encoderOffset;
    private readonly double _kA, _kB, _kC;
    private SpeedPll _pll;

    /// <summary>Creates the chain for a machine and its sensors.</summary>
    /// <param name="sensors">Sensor scaling (nominal; current offsets are replaced by <see cref="SetOffsets"/>).</param>
    /// <param name="machine">Machine family.</param>
    /// <param name="polePairs">Pole pairs p (dimensionless).</param>
    /// <param name="pllBandwidth">Speed PLL bandwidth, in rad/s.</param>
    /// <param name="period">Sample period, in s.</param>
    public SignalChain(SensorSpec sensors, MachineKind machine, double polePairs, double pllBandwidth, double period)
    {
        ArgumentNullException.ThrowIfNull(sensors);
        _sensors = sensors;
        _threePhase = machine == MachineKind.ThreePhase;
        _polePairs = polePairs;
        Period = period;
        if (sensors.Encoder is { } e)
        {
            _radPerCount = e.Direction * 2.0 * Math.PI / e.CountsPerRevolution;
            _encoderOffset = e.ElectricalAngleOffset;
        }
        _pll = new SpeedPll(pllBandwidth, period);
        // Counts → A per channel: the nominal scale over the channel's relative gain (sensors.current.gains).
        double k = sensors.Current.AmperesPerCount;
        _kA = k / sensors.Current.Gain(0);
        _kB = k / sensors.Current.Gain(1);
        _kC = k / sensors.Current.Gain(2);
        OffsetA = OffsetB = OffsetC = sensors.Current.ZeroCounts;
    }

    /// <summary>Sample period, in s.</summary>
    public double Period { get; }

    /// <summary>Zero-current count of channel A in use, in counts.</summary>
    public double OffsetA { get; private set; }

    /// <summary>Zero-current count of channel B in use, in counts.</summary>
    public double OffsetB { get; private set; }

    /// <summary>Zero-current count of channel C in use, in counts.</summary>
    public double OffsetC { get; private set; }

    /// <summary>Encoder speed estimator (read-only view).</summary>
    public SpeedPll Pll => _pll;

    /// <summary>Unwrapped mechanical position from the encoder counts, in rad (also written to <see cref="MotorObservation.MechanicalPosition"/>).</summary>
    public double MeasuredPosition { get; private set; }

    /// <summary>Installs current offsets measured at arm time, in counts.</summary>
    public void SetOffsets(double a, double b, double c)
    {
        OffsetA = a;
        OffsetB = b;
        OffsetC = c;
    }

    /// <summary>Restarts the speed estimator (on entering Running).</summary>
    public void ResetEstimator() => _pll.Reset();

    /// <summary>Converts one raw frame into the measured part of <paramref name="obs"/> (references untouched).</summary>
    public void Update(in RawSensorFrame frame, ref MotorObservation obs)
    {
        double ia = (frame.CurrentCountsA - OffsetA) * _kA;
        double ib = (frame.CurrentCountsB - OffsetB) * _kB;
        obs.DcLinkVoltage = frame.DcLinkCounts * _sensors.DcLink.VoltsPerCount;

        if (_sensors.Encoder is not null)
        {
            double theta = frame.EncoderCount * _radPerCount;
            MeasuredPosition = theta;
            obs.MechanicalPosition = theta;
            _pll.Update(theta);
            obs.MechanicalAngle = Contracts.SpaceVector.WrapToTwoPi(theta);
            obs.MechanicalSpeed = _pll.Speed;
            obs.ElectricalSpeed = _polePairs * _pll.Speed;
            obs.ElectricalAngle = _threePhase ? Contracts.SpaceVector.WrapToPi(_polePairs * theta + _encoderOffset) : 0.0;
        }

        if (!_threePhase)
        {
            obs.CurrentA = ia;
            obs.CurrentExcitation = _sensors.Current.PhasesSensed >= 2 ? ib : 0.0;
            return;
        }

        double ic = frame.PhaseCSensed ? (frame.CurrentCountsC - OffsetC) * _kC : -ia - ib;
        obs.CurrentA = ia;
        obs.CurrentB = ib;
        obs.CurrentC = ic;
        SpaceVector.Clarke(ia, ib, ic, out double alpha, out double beta);
        obs.CurrentAlpha = alpha;
        obs.CurrentBeta = beta;
        (double s, double c) = Math.SinCos(obs.ElectricalAngle);
        SpaceVector.Park(alpha, beta, s, c, out double d, out double q);
        obs.CurrentD = d;
        obs.CurrentQ = q;
    }
}

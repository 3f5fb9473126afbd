namespace MotorRT.Policies.Position;

/// <summary>
/// The position stage of a position cascade: a P law on the unwrapped position error whose output is a speed
/// reference, in rad/s — ω_ref = clamp(ω_ff + sat_brake(K_p·e), ± speed limit), e = θ_ref − θ. The braking curve limits
/// the proportional part to √(2·α·|e|) (α the deceleration limit), so a long move arrives at the speed the drive can
/// still stop from; near the target (|e| &lt; 2α/K_p²) the linear law acts alone. The optional feed-forward ω_ff is
/// the reference's backward difference (θ_ref,k − θ_ref,k−1)/T; a jump faster than the speed limit (a step) gives none.
/// A mutable struct: keep it in a field and call it through that field. No allocation.
/// </summary>
public struct PositionStage
{
    private readonly double _kp;
    private readonly double _period;
    private readonly double _speedLimit;
    private readonly double _twiceDeceleration;
    private readonly bool _feedForward;
    private double _lastReference;
    private bool _started;

    /// <summary>Creates the stage.</summary>
    /// <param name="kp">Position gain K_p, in (rad/s)/rad = 1/s (&gt; 0).</param>
    /// <param name="period">Control period T, in s (&gt; 0).</param>
    /// <param name="speedLimit">Limit of the speed reference, in rad/s (&gt; 0).</param>
    /// <param name="decelerationLimit">Deceleration α of the braking curve, in rad/s² (&gt; 0; +∞ = no braking curve).</param>
    /// <param name="feedForward">True to add the reference derivative as speed feed-forward.</param>
    public PositionStage(double kp, double period, double speedLimit, double decelerationLimit, bool feedForward)
    {
        if (!(kp > 0) || !double.IsFinite(kp)) throw new ArgumentOutOfRangeException(nameof(kp), kp, "the position gain must be positive and finite");
        if (!(period > 0)) throw new ArgumentOutOfRangeException(nameof(period), period, "the period must be positive");
        if (!(speedLimit > 0) || !double.IsFinite(speedLimit)) throw new ArgumentOutOfRangeException(nameof(speedLimit), speedLimit, "the speed limit must be positive and finite");
        if (!(decelerationLimit > 0)) throw new ArgumentOutOfRangeException(nameof(decelerationLimit), decelerationLimit, "the deceleration limit must be positive");
        _kp = kp;
        _period = period;
        _speedLimit = speedLimit;
        _twiceDeceleration = 2.0 * decelerationLimit;
        _feedForward = feedForward;
    }

    /// <summary>Position gain K_p, in 1/s.</summary>
    public readonly double Kp => _kp;

    /// <summary>Limit of the speed reference, in rad/s.</summary>
    public readonly double SpeedLimit => _speedLimit;

    /// <summary>True when the last speed reference sat on the speed limit or the braking curve.</summary>
    public bool Limited { get; private set; }

    /// <summary>The speed feed-forward of the last tick, in rad/s.</summary>
    public double FeedForward { get; private set; }

    /// <summary>Forgets the previous reference (no feed-forward on the next tick).</summary>
    public void Reset()
    {
        _started = false;
        _lastReference = 0;
        Limited = false;
        FeedForward = 0;
    }

    /// <summary>One tick: the speed reference, in rad/s, for position reference and measurement in rad (unwrapped).</summary>
    public double Update(double reference, double position)
    {
        double ff = 0;
        if (_feedForward && _started)
        {
            ff = (reference - _lastReference) / _period;
            // A step (or anything faster than the speed limit) is not a trajectory to follow: the P law takes it.
            if (!(Math.Abs(ff) <= _speedLimit)) ff = 0;
        }
        _lastReference = reference;
        _started = true;
        FeedForward = ff;
        double e = reference - position;
        double p = _kp * e;
        bool limited = false;
        double brake = Math.Sqrt(_twiceDeceleration * Math.Abs(e));
        if (Math.Abs(p) > brake)
        {
            p = Math.CopySign(brake, e);
            limited = true;
        }
        double w = ff + p;
        if (w > _speedLimit)
        {
            w = _speedLimit;
            limited = true;
        }
        else if (w < -_speedLimit)
        {
            w = -_speedLimit;
            limited = true;
        }
        Limited = limited;
        return w;
    }
}

namespace MotorRT.Runtime.Signals;

/// <summary>
/// A second-order tracking loop (phase-locked loop) on the measured mechanical position: it turns quantised encoder
/// position into a smooth position and speed estimate. Critically damped with bandwidth ω_b: k_p = 2·ω_b,
/// k_i = ω_b². Tracks a speed ramp with zero steady-state speed error and a position lag of (ramp rate)/ω_b².
/// The position error is computed against the unwrapped measurement, so it never has a 2π jump.
/// </summary>
public struct SpeedPll
{
    private double _kp;
    private double _ki;
    private double _period;
    private bool _started;

    /// <summary>Estimated unwrapped mechanical position, in rad.</summary>
    public double Position;

    /// <summary>Estimated mechanical speed, in rad/s.</summary>
    public double Speed;

    /// <summary>Configures the loop for bandwidth <paramref name="bandwidth"/> (rad/s) at sample period <paramref name="period"/> (s).</summary>
    public SpeedPll(double bandwidth, double period)
    {
        // Stable for k_p·T < 2; clamp the bandwidth so a high setting at a low rate cannot make the estimator oscillate.
        double wb = Math.Min(bandwidth, 0.5 / period);
        _kp = 2.0 * wb;
        _ki = wb * wb;
        _period = period;
        Position = 0;
        Speed = 0;
        _started = false;
    }

    /// <summary>Bandwidth in effect, in rad/s.</summary>
    public readonly double Bandwidth => 0.5 * _kp;

    /// <summary>Forgets the estimate; the next update starts at the measured position with zero speed.</summary>
    public void Reset() => _started = false;

    /// <summary>Advances one sample with the measured unwrapped position <paramref name="measured"/> (rad).</summary>
    public void Update(double measured)
    {
        if (!_started)
        {
            Position = measured;
            Speed = 0;
            _started = true;
            return;
        }
        Position += _period * Speed;
        double error = measured - Position;
        Position += _period * _kp * error;
        Speed += _period * _ki * error;
    }
}

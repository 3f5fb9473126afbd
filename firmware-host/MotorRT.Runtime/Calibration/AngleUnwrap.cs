namespace MotorRT.Runtime.Calibration;

/// <summary>
/// Follows a wrapped angle (the observation's <see cref="Contracts.MotorObservation.MechanicalAngle"/>, [0, 2π)) across
/// its jumps: a step of more than π between two samples is taken as one wrap. Allocation-free; a mutable struct held
/// by value in a calibration procedure.
/// </summary>
internal struct AngleUnwrap
{
    private double _last;
    private double _turns;
    private bool _started;

    /// <summary>Forgets the history: the next sample starts a new continuous angle at its own value.</summary>
    public void Reset() => _started = false;

    /// <summary>The continuous angle of <paramref name="angle"/> (rad): the sample plus the whole turns seen so far.</summary>
    public double Next(double angle)
    {
        if (!_started)
        {
            _started = true;
            _turns = 0;
        }
        else
        {
            double d = angle - _last;
            if (d > Math.PI) _turns -= 2 * Math.PI;
            else if (d < -Math.PI) _turns += 2 * Math.PI;
        }
        _last = angle;
        return angle + _turns;
    }
}

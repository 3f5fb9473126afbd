using MotorRT.Policies.PI;

namespace MotorRT.Policies.Foc;

/// <summary>
/// The speed stage shared by synchronous and induction FOC: a reference pre-filter (cancels the zero of the
/// symmetric-optimum PI) and the speed PI whose output is the torque reference, in N·m. A mutable struct: keep it in a
/// field and call it through that field.
/// </summary>
public struct SpeedStage
{
    private PIController _pi;
    private ReferenceFilter _filter;

    /// <summary>Creates the stage.</summary>
    /// <param name="gains">Speed PI gains, in N·m·s/rad and N·m/rad.</param>
    /// <param name="period">Control period, in s.</param>
    /// <param name="torqueLimit">Torque limit of the output (symmetric), in N·m.</param>
    /// <param name="antiWindup">Anti-windup scheme.</param>
    /// <param name="filterReference">True to pre-filter the reference with T = K_p/K_i.</param>
    public SpeedStage(PIGains gains, double period, double torqueLimit, AntiWindupMode antiWindup, bool filterReference)
    {
        _pi = new PIController(gains.Kp, gains.Ki, period, -torqueLimit, torqueLimit, antiWindup);
        _filter = new ReferenceFilter(filterReference && gains.Ki > 0 ? gains.Kp / gains.Ki : 0.0, period);
    }

    /// <summary>True when the torque output sat on a limit in the last tick.</summary>
    public readonly bool Saturated => _pi.Saturated;

    /// <summary>Clears the PI and the filter.</summary>
    public void Reset()
    {
        _pi.Reset();
        _filter.Reset();
    }

    /// <summary>First tick: presets the filter to the measured speed <paramref name="omega"/> (rad/s).</summary>
    public void Start(double omega) => _filter.Preset(omega);

    /// <summary>First tick with bumpless enable: also presets the PI to produce the present torque <paramref name="torque"/> (N·m).</summary>
    public void StartBumpless(double omega, double torque)
    {
        _filter.Preset(omega);
        _pi.InitializeBumpless(torque, omega, omega, 0.0);
    }

    /// <summary>One tick: the torque reference, in N·m, for speed reference and measurement in rad/s.</summary>
    public double Update(double reference, double omega) => _pi.Update(_filter.Update(reference), omega);

    /// <summary>A later stage produced <paramref name="torque"/> (N·m) instead of the output: anti-windup on the difference.</summary>
    public void ApplyExternalLimit(double torque) => _pi.ApplyExternalLimit(torque);
}

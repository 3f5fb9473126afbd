using MotorRT.Contracts;
using MotorRT.Policies.PI;

namespace MotorRT.Policies.Setpoint;

/// <summary>
/// Outer speed loop for a smart drive that closes its own torque/current loop (ODrive, moteus): a PI on the
/// mechanical speed whose output is a torque set-point (<see cref="CommandMode.TorqueSetpoint"/>), limited to
/// ± <see cref="TorqueLimit"/> with back-calculation anti-windup, behind an optional reference prefilter
/// 1/(1 + s·T_i). Tuned by the symmetric optimum on J/s with the summed small time constant
/// T_σ = (delay periods + torque-loop time / T)·T: K_p = J/(a·T_σ), T_i = a²·T_σ, K_i = K_p/T_i.
/// </summary>
public sealed class SpeedTorqueController : IController
{
    private PIController _pi;
    private ReferenceFilter _filter;
    private readonly bool _useFilter;

    /// <summary>Builds the loop.</summary>
    /// <param name="kp">Proportional gain, in N·m·s/rad.</param>
    /// <param name="ki">Integral gain, in N·m/rad.</param>
    /// <param name="period">Control period, in s.</param>
    /// <param name="torqueLimit">Torque limit, in N·m.</param>
    /// <param name="filterTime">Reference prefilter time constant, in s (0 = none).</param>
    public SpeedTorqueController(double kp, double ki, double period, double torqueLimit, double filterTime)
    {
        _pi = new PIController(kp, ki, period, -torqueLimit, torqueLimit, AntiWindupMode.BackCalculation);
        _useFilter = filterTime > 0;
        _filter = new ReferenceFilter(filterTime, period);
        TorqueLimit = torqueLimit;
    }

    /// <inheritdoc />
    public string Name => "pi-speed-torque";

    /// <inheritdoc />
    public ControllerStatus Status { get; private set; }

    /// <inheritdoc />
    public CommandMode CommandMode => CommandMode.TorqueSetpoint;

    /// <summary>Proportional gain, in N·m·s/rad.</summary>
    public double Kp => _pi.Kp;

    /// <summary>Integral gain, in N·m/rad.</summary>
    public double Ki => _pi.Ki;

    /// <summary>Torque limit, in N·m.</summary>
    public double TorqueLimit { get; }

    /// <inheritdoc />
    public void Reset()
    {
        _pi.Reset();
        _filter.Reset();
        Status = ControllerStatus.Ok;
    }

    /// <inheritdoc />
    public void Compute(in MotorObservation observation, ref ConverterCommand command)
    {
        double reference = _useFilter ? _filter.Update(observation.Reference.Speed) : observation.Reference.Speed;
        double torque = _pi.Update(reference, observation.MechanicalSpeed);
        command.Mode = CommandMode.TorqueSetpoint;
        command.TorqueSetpoint = torque;
        command.BridgeEnable = true;
        Status = !double.IsFinite(torque) ? ControllerStatus.OutputInvalid : _pi.Saturated ? ControllerStatus.Saturated : ControllerStatus.Ok;
    }
}

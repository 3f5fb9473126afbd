using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;

namespace MotorRT.Policies.OpenLoop;

/// <summary>
/// A diagnostic controller with no feedback: it applies a fixed voltage (ramped in over <see cref="RampTime"/>) and
/// converts it to duty cycles with the measured DC-link voltage. DC machines: <see cref="VoltageD"/> on the armature
/// (channel 0) and <see cref="VoltageExcitation"/> on the excitation (channel 1). Three-phase machines:
/// (<see cref="VoltageD"/>, <see cref="VoltageQ"/>) in the rotor frame at the measured electrical angle, turned into
/// phase voltages against the DC-link midpoint (B6: u_x = d_x·u_dc/2). Config <c>"type": "open-loop-voltage"</c>.
/// Useful to check wiring, sensor signs and encoder alignment before closing any loop.
/// </summary>
public sealed class OpenLoopVoltageController : IController
{
    private readonly bool _isDc;

    /// <summary>Creates the controller.</summary>
    /// <param name="motor">The machine (decides DC or three-phase layout).</param>
    /// <param name="voltageD">DC armature voltage, or d-axis voltage of an AC machine, in V.</param>
    /// <param name="voltageQ">q-axis voltage of an AC machine, in V (ignored for DC machines).</param>
    /// <param name="voltageExcitation">Excitation voltage (wound-field machines), in V.</param>
    /// <param name="rampTime">Time to ramp from zero to the full voltage after Reset, in s (0 = step).</param>
    public OpenLoopVoltageController(MotorParameters motor, double voltageD, double voltageQ = 0, double voltageExcitation = 0, double rampTime = 0)
    {
        ArgumentNullException.ThrowIfNull(motor);
        _isDc = motor.IsDc;
        VoltageD = voltageD;
        VoltageQ = voltageQ;
        VoltageExcitation = voltageExcitation;
        RampTime = rampTime;
    }

    /// <summary>DC armature voltage, or the d-axis voltage of an AC machine, in V.</summary>
    public double VoltageD { get; }

    /// <summary>q-axis voltage of an AC machine, in V.</summary>
    public double VoltageQ { get; }

    /// <summary>Excitation voltage, in V.</summary>
    public double VoltageExcitation { get; }

    /// <summary>Ramp-in time, in s.</summary>
    public double RampTime { get; }

    /// <inheritdoc />
    public string Name => "open-loop-voltage";

    /// <inheritdoc />
    public ControllerStatus Status { get; private set; }

    private long _firstTick = -1;

    /// <summary>
    /// Builds the controller from its validated section record found at <paramref name="scope"/>; the voltages must lie
    /// within ± the motor's voltage limit, and a DC machine takes no <c>voltage_q</c>.
    /// </summary>
    public static OpenLoopVoltageController FromConfig(OpenLoopVoltageSection section, ConfigScope scope, MotorParameters motor, double period)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(motor);
        double vmax = motor.Limits.Voltage > 0 ? motor.Limits.Voltage : 1e4;
        double ud = SectionRange.Check(scope, "voltage", section.Voltage, -vmax, vmax, "V");
        if (motor.IsDc && section.VoltageQ is not null)
        {
            throw scope.Error("voltage_q", "a DC machine has no q axis", "remove it (\"voltage\" is the armature voltage)");
        }
        double uq = SectionRange.Check(scope, "voltage_q", section.VoltageQ ?? 0.0, -vmax, vmax, "V");
        double ue = SectionRange.Check(scope, "voltage_excitation", section.VoltageExcitation, -vmax, vmax, "V");
        _ = period;
        return new OpenLoopVoltageController(motor, ud, uq, ue, section.RampTime);
    }

    /// <inheritdoc />
    public void Reset()
    {
        _firstTick = -1;
        Status = ControllerStatus.Ok;
    }

    /// <inheritdoc />
    public void Compute(in MotorObservation observation, ref ConverterCommand command)
    {
        double udc = observation.DcLinkVoltage;
        if (!(udc > 0) || !double.IsFinite(udc))
        {
            Status = ControllerStatus.OutOfDomain;
            return;
        }
        if (_firstTick < 0) _firstTick = observation.Tick;
        double elapsed = (observation.Tick - _firstTick) * observation.Period;
        double scale = RampTime > 0 && elapsed < RampTime ? elapsed / RampTime : 1.0;
        bool saturated = false;
        command.Mode = CommandMode.DutyCycle;
        if (_isDc)
        {
            command.Duty[0] = Clamp(scale * VoltageD / udc, ref saturated);
            command.Duty[1] = Clamp(scale * VoltageExcitation / udc, ref saturated);
        }
        else
        {
            SpaceVector.DqToAbc(scale * VoltageD, scale * VoltageQ, observation.ElectricalAngle, out double ua, out double ub, out double uc);
            double k = 2.0 / udc;
            command.Duty[0] = Clamp(ua * k, ref saturated);
            command.Duty[1] = Clamp(ub * k, ref saturated);
            command.Duty[2] = Clamp(uc * k, ref saturated);
            command.Duty[3] = Clamp(scale * VoltageExcitation / udc, ref saturated);
        }
        command.BridgeEnable = true;
        command.ReportVoltageFromDuty(udc, observation.ElectricalAngle, !_isDc);
        Status = saturated ? ControllerStatus.Saturated : ControllerStatus.Ok;
    }

    private static double Clamp(double d, ref bool saturated)
    {
        if (d > 1.0) { saturated = true; return 1.0; }
        if (d < -1.0) { saturated = true; return -1.0; }
        return d;
    }
}

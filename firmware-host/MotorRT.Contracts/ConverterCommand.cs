namespace MotorRT.Contracts;

/// <summary>How a <see cref="ConverterCommand"/> is to be read.</summary>
public enum CommandMode
{
    /// <summary>Continuous duty cycles in <see cref="ConverterCommand.Duty"/>.</summary>
    DutyCycle = 0,

    /// <summary>A discrete switching state in <see cref="ConverterCommand.SwitchingState"/> (GEM's finite converters).</summary>
    SwitchingState = 1,

    /// <summary>
    /// Current set-points for a smart drive that closes its own current loop (e.g. ODrive, moteus):
    /// <see cref="ConverterCommand.CurrentSetpointD"/> and <see cref="ConverterCommand.CurrentSetpointQ"/>.
    /// </summary>
    CurrentSetpoint = 2,

    /// <summary>A torque set-point for a smart drive that closes its own torque loop: <see cref="ConverterCommand.TorqueSetpoint"/>.</summary>
    TorqueSetpoint = 3,

    /// <summary>
    /// A speed set-point for a smart drive that closes its own velocity loop: <see cref="ConverterCommand.VelocitySetpoint"/>,
    /// with <see cref="ConverterCommand.TorqueSetpoint"/> as torque feed-forward.
    /// </summary>
    VelocitySetpoint = 4,
}

/// <summary>
/// What a controller asks of the power converter for the next PWM period. Duty cycles follow GEM's continuous
/// converter convention, in [−1, 1] (dimensionless): a four-quadrant converter applies u = d·u_dc; a B6 bridge applies
/// phase voltage u_x = d_x·u_dc/2 against the DC-link midpoint. Channel layout: DC machines use channel 0 for the
/// armature and channel 1 for the excitation (multi converter); three-phase machines use channels 0, 1, 2 for phases
/// a, b, c and channel 3 for the excitation of an EESM. The controller also reports the voltage it applied
/// (<see cref="VoltageD"/>, <see cref="VoltageQ"/>), so nothing downstream re-derives it from the duties.
/// </summary>
public struct ConverterCommand
{
    /// <summary>How to read this command.</summary>
    public CommandMode Mode;

    /// <summary>Per-channel duty cycle in [−1, 1] (dimensionless), see the type's remarks for the channel layout.</summary>
    public Channels4 Duty;

    /// <summary>Switching state index (GEM's finite converters), used when <see cref="Mode"/> is <see cref="CommandMode.SwitchingState"/>.</summary>
    public int SwitchingState;

    /// <summary>d-axis current set-point (DC machines: the armature current), in A; used in <see cref="CommandMode.CurrentSetpoint"/>.</summary>
    public double CurrentSetpointD;

    /// <summary>q-axis current set-point, in A; used in <see cref="CommandMode.CurrentSetpoint"/>.</summary>
    public double CurrentSetpointQ;

    /// <summary>Torque set-point, in N·m; used in <see cref="CommandMode.TorqueSetpoint"/>.</summary>
    public double TorqueSetpoint;

    /// <summary>Mechanical speed set-point, in rad/s; used in <see cref="CommandMode.VelocitySetpoint"/>.</summary>
    public double VelocitySetpoint;

    /// <summary>True to let the bridge switch; false keeps all switches open (the safe state).</summary>
    public bool BridgeEnable;

    /// <summary>
    /// Voltage the controller applies with this command, d component in its rotor frame (DC machines: the armature
    /// voltage), in V. Reported by the controller; zero in the safe command.
    /// </summary>
    public double VoltageD;

    /// <summary>Voltage the controller applies with this command, q component in its rotor frame, in V (zero for DC machines).</summary>
    public double VoltageQ;

    /// <summary>Sets the command to its safe value: bridge disabled, zero duty on every channel (zero volts), no set-points.</summary>
    public void SetSafe()
    {
        Mode = CommandMode.DutyCycle;
        Duty = default;
        SwitchingState = 0;
        CurrentSetpointD = 0;
        CurrentSetpointQ = 0;
        TorqueSetpoint = 0;
        VelocitySetpoint = 0;
        BridgeEnable = false;
        VoltageD = 0;
        VoltageQ = 0;
    }

    /// <summary>
    /// Reports the voltage of the duty cycles for a controller that only produces duties (PWA laws, ONNX policies,
    /// open loop): DC machines <c>u = d_0·u_dc</c>; three-phase machines the Park transform at
    /// <paramref name="electricalAngle"/> of the B6 phase voltages <c>d_x·u_dc/2</c>.
    /// </summary>
    /// <param name="dcLink">DC-link voltage, in V.</param>
    /// <param name="electricalAngle">Electrical rotor angle, in rad (three-phase machines).</param>
    /// <param name="threePhase">True for a three-phase machine on a B6 bridge.</param>
    public void ReportVoltageFromDuty(double dcLink, double electricalAngle, bool threePhase)
    {
        if (!threePhase)
        {
            VoltageD = Duty[0] * dcLink;
            VoltageQ = 0;
            return;
        }
        double h = 0.5 * dcLink;
        SpaceVector.Clarke(Duty[0] * h, Duty[1] * h, Duty[2] * h, out double alpha, out double beta);
        SpaceVector.Park(alpha, beta, electricalAngle, out VoltageD, out VoltageQ);
    }
}

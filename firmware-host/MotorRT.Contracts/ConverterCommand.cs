namespace MotorRT.Contracts;

/// <summary>How a <see cref="ConverterCommand"/> is to be read.</summary>
public enum CommandMode
{
    /// <summary>Continuous duty cycles in <see cref="ConverterCommand.Duty"/>.</summary>
    DutyCycle = 0,

    /// <summary>A discrete switching state in <see cref="ConverterCommand.SwitchingState"/> (GEM's finite converters).</summary>
    SwitchingState = 1,
}

/// <summary>
/// What a controller asks of the power converter for the next PWM period. Duty cycles follow GEM's continuous
/// converter convention, in [−1, 1] (dimensionless): a four-quadrant converter applies u = d·u_dc; a B6 bridge applies
/// phase voltage u_x = d_x·u_dc/2 against the DC-link midpoint. Channel layout: DC machines use channel 0 for the
/// armature and channel 1 for the excitation (multi converter); three-phase machines use channels 0, 1, 2 for phases
/// a, b, c and channel 3 for the excitation of an EESM.
/// </summary>
public struct ConverterCommand
{
    /// <summary>How to read this command.</summary>
    public CommandMode Mode;

    /// <summary>Per-channel duty cycle in [−1, 1] (dimensionless), see the type's remarks for the channel layout.</summary>
    public Channels4 Duty;

    /// <summary>Switching state index (GEM's finite converters), used when <see cref="Mode"/> is <see cref="CommandMode.SwitchingState"/>.</summary>
    public int SwitchingState;

    /// <summary>True to let the bridge switch; false keeps all switches open (the safe state).</summary>
    public bool BridgeEnable;

    /// <summary>Sets the command to its safe value: bridge disabled, zero duty on every channel (zero volts).</summary>
    public void SetSafe()
    {
        Mode = CommandMode.DutyCycle;
        Duty = default;
        SwitchingState = 0;
        BridgeEnable = false;
    }
}

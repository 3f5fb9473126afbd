namespace MotorRT.Hardware.ODrive;

/// <summary>
/// ODrive axis error bits (ODrive.Error, firmware 0.6) the rig maps onto MotorRT's fault inputs, and the mapping.
/// </summary>
public static class ODriveErrors
{
    /// <summary>INITIALIZING.</summary>
    public const uint Initializing = 0x1;
    /// <summary>SYSTEM_LEVEL.</summary>
    public const uint SystemLevel = 0x2;
    /// <summary>TIMING_ERROR.</summary>
    public const uint TimingError = 0x4;
    /// <summary>MISSING_ESTIMATE.</summary>
    public const uint MissingEstimate = 0x8;
    /// <summary>BAD_CONFIG.</summary>
    public const uint BadConfig = 0x10;
    /// <summary>DRV_FAULT: the gate driver reported a fault.</summary>
    public const uint DrvFault = 0x20;
    /// <summary>MISSING_INPUT.</summary>
    public const uint MissingInput = 0x40;
    /// <summary>DC_BUS_OVER_VOLTAGE.</summary>
    public const uint DcBusOverVoltage = 0x100;
    /// <summary>DC_BUS_UNDER_VOLTAGE.</summary>
    public const uint DcBusUnderVoltage = 0x200;
    /// <summary>DC_BUS_OVER_CURRENT.</summary>
    public const uint DcBusOverCurrent = 0x400;
    /// <summary>DC_BUS_OVER_REGEN_CURRENT.</summary>
    public const uint DcBusOverRegenCurrent = 0x800;
    /// <summary>CURRENT_LIMIT_VIOLATION: the motor current left its limit.</summary>
    public const uint CurrentLimitViolation = 0x1000;
    /// <summary>MOTOR_OVER_TEMP.</summary>
    public const uint MotorOverTemp = 0x2000;
    /// <summary>INVERTER_OVER_TEMP.</summary>
    public const uint InverterOverTemp = 0x4000;
    /// <summary>VELOCITY_LIMIT_VIOLATION.</summary>
    public const uint VelocityLimitViolation = 0x8000;
    /// <summary>WATCHDOG_TIMER_EXPIRED: the board's own CAN watchdog saw no input.</summary>
    public const uint WatchdogTimerExpired = 0x100_0000;
    /// <summary>ESTOP_REQUESTED.</summary>
    public const uint EstopRequested = 0x200_0000;

    /// <summary>Fault-input bit 0: gate-driver fault (→ <c>GateDriverFault</c>, 802).</summary>
    public const uint InputGateDriver = 1;
    /// <summary>Fault-input bit 1: hardware over-current (→ <c>HardwareOverCurrent</c>, 803).</summary>
    public const uint InputOverCurrent = 2;
    /// <summary>Fault-input bit 2: any other drive-board fault (→ <c>DriveBoardFault</c>, 804).</summary>
    public const uint InputDriveBoard = 4;

    /// <summary>
    /// MotorRT fault inputs for an axis error: DRV_FAULT → gate driver (802); CURRENT_LIMIT_VIOLATION, DC_BUS_OVER_CURRENT,
    /// DC_BUS_OVER_REGEN_CURRENT → hardware over-current (803); every other bit → drive-board fault (804). DC-bus
    /// over/under voltage also trips the supervisor's own DC-link checks from the reported bus voltage.
    /// </summary>
    public static uint ToFaultInputs(uint axisError)
    {
        if (axisError == 0) return 0;
        uint inputs = 0;
        if ((axisError & DrvFault) != 0) inputs |= InputGateDriver;
        if ((axisError & (CurrentLimitViolation | DcBusOverCurrent | DcBusOverRegenCurrent)) != 0) inputs |= InputOverCurrent;
        if ((axisError & ~(DrvFault | CurrentLimitViolation | DcBusOverCurrent | DcBusOverRegenCurrent)) != 0) inputs |= InputDriveBoard;
        return inputs;
    }
}

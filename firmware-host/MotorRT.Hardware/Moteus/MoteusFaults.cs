namespace MotorRT.Hardware.Moteus;

/// <summary>
/// moteus fault codes (register 0x00f while the mode is Fault, docs/protocol/registers.md) the rig maps onto MotorRT's
/// fault inputs, and the mapping.
/// </summary>
public static class MoteusFaults
{
    /// <summary>32 calibration fault.</summary>
    public const int CalibrationFault = 32;
    /// <summary>33 motor driver fault (the gate driver, e.g. DRV8323, reported a fault: over-current, under-voltage).</summary>
    public const int MotorDriverFault = 33;
    /// <summary>34 over voltage (bus above servo.max_voltage).</summary>
    public const int OverVoltage = 34;
    /// <summary>35 encoder fault.</summary>
    public const int EncoderFault = 35;
    /// <summary>36 motor not configured.</summary>
    public const int MotorNotConfigured = 36;
    /// <summary>37 PWM cycle overrun.</summary>
    public const int PwmCycleOverrun = 37;
    /// <summary>38 over temperature.</summary>
    public const int OverTemperature = 38;
    /// <summary>39 outside limit.</summary>
    public const int OutsideLimit = 39;
    /// <summary>40 under voltage.</summary>
    public const int UnderVoltage = 40;
    /// <summary>44 driver enable fault: the gate driver could not be enabled.</summary>
    public const int DriverEnableFault = 44;

    /// <summary>Fault-input bit 0: gate-driver fault (→ <c>GateDriverFault</c>, 802).</summary>
    public const uint InputGateDriver = 1;
    /// <summary>Fault-input bit 1: hardware over-current (→ <c>HardwareOverCurrent</c>, 803).</summary>
    public const uint InputOverCurrent = 2;
    /// <summary>Fault-input bit 2: any other drive-board fault (→ <c>DriveBoardFault</c>, 804).</summary>
    public const uint InputDriveBoard = 4;

    /// <summary>
    /// MotorRT fault inputs for a reported mode and fault code. Only modes Fault and Timeout are faults: in the
    /// control modes a non-zero code (96–103) names the limit that is shaping the output and is no fault. In Fault,
    /// motor driver fault (33) and driver enable fault (44) → gate driver (802); every other code → drive-board fault
    /// (804). Timeout (the board's command watchdog expired) → drive-board fault. (moteus has no over-current code
    /// of its own: the driver's over-current protection reports 33.) Over/under voltage also trip the supervisor's own
    /// DC-link checks from the reported voltage.
    /// </summary>
    public static uint ToFaultInputs(int mode, int fault)
    {
        if (mode == MoteusModes.Timeout) return InputDriveBoard;
        if (mode != MoteusModes.Fault) return 0;
        return fault is MotorDriverFault or DriverEnableFault ? InputGateDriver : InputDriveBoard;
    }
}

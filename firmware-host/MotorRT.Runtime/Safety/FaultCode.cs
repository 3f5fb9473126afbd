namespace MotorRT.Runtime.Safety;

/// <summary>The component a fault belongs to (ODrive-style: error codes grouped per component).</summary>
public enum FaultComponent
{
    /// <summary>No fault.</summary>
    None = 0,
    /// <summary>Motor currents.</summary>
    Motor = 1,
    /// <summary>DC link / supply.</summary>
    DcLink = 2,
    /// <summary>Mechanics (speed).</summary>
    Mechanics = 3,
    /// <summary>Encoder.</summary>
    Encoder = 4,
    /// <summary>ADC sensors.</summary>
    Sensors = 5,
    /// <summary>The controller.</summary>
    Controller = 6,
    /// <summary>The loop's timing and watchdog.</summary>
    Loop = 7,
    /// <summary>The rig I/O (devices, link, gate driver).</summary>
    Rig = 8,
    /// <summary>The process (signals, exceptions, calibration).</summary>
    System = 9,
}

/// <summary>
/// Every trip the supervisor knows. The hundreds digit is the <see cref="FaultComponent"/>, so codes sort and read by
/// component (e.g. 1xx motor, 4xx encoder). Names appear verbatim in <c>summary.json</c>.
/// </summary>
public enum FaultCode
{
    /// <summary>No fault.</summary>
    None = 0,
    /// <summary>|i_a| above the phase limit.</summary>
    OverCurrentPhaseA = 101,
    /// <summary>|i_b| above the phase limit.</summary>
    OverCurrentPhaseB = 102,
    /// <summary>|i_c| above the phase limit.</summary>
    OverCurrentPhaseC = 103,
    /// <summary>Current-vector magnitude above its limit.</summary>
    OverCurrentVector = 104,
    /// <summary>Excitation current above the phase limit (DC excitation channel).</summary>
    OverCurrentExcitation = 105,
    /// <summary>
    /// Three-phase machines: one phase's RMS current over the open-phase window stays near zero while the current
    /// vector's RMS is well above it (phase open circuit: broken lead, blown fuse, failed half-bridge).
    /// </summary>
    PhaseOpenCircuit = 106,
    /// <summary>
    /// DC machines: the armature voltage equation's filtered residual u − R·i − L·di/dt − ψ·ω is beyond its limit (the
    /// converter output does not follow the command, e.g. a PWM channel stopped updating; or a current-sensor gain or
    /// encoder scaling error).
    /// </summary>
    VoltageModelMismatch = 107,
    /// <summary>DC link above its over-voltage trip.</summary>
    DcLinkOverVoltage = 201,
    /// <summary>DC link below its under-voltage trip.</summary>
    DcLinkUnderVoltage = 202,
    /// <summary>DC link below its brown-out level for longer than the ride-through time.</summary>
    DcLinkBrownOut = 203,
    /// <summary>Peak-to-peak DC-link voltage above its limit in three consecutive ripple windows (failing capacitor, lost rectifier phase).</summary>
    DcLinkRipple = 204,
    /// <summary>|ω| above the speed trip.</summary>
    OverSpeed = 301,
    /// <summary>|ω_ref − ω| above the following-error limit for longer than its time (runaway, wrong direction).</summary>
    SpeedFollowingError = 302,
    /// <summary>Current flows but the encoder counts do not move.</summary>
    EncoderNoCounts = 401,
    /// <summary>An index pulse arrived at a count inconsistent with the first one (lost or extra counts).</summary>
    EncoderIndexMismatch = 402,
    /// <summary>
    /// DC machines: the encoder speed and the back-EMF speed from the voltage model have opposite signs while the
    /// voltage model disagrees (encoder A/B swapped, or the encoder's direction configured wrongly).
    /// </summary>
    EncoderDirectionReversed = 403,
    /// <summary>A current ADC channel sits at a rail (sensor saturated or disconnected).</summary>
    CurrentSensorOutOfRange = 501,
    /// <summary>The DC-link ADC channel sits at a rail.</summary>
    DcLinkSensorOutOfRange = 502,
    /// <summary>The measured current offset at calibration is implausible (sensor fault, or current flowing).</summary>
    CalibrationOffset = 503,
    /// <summary>Three phases sensed: the RMS of i_a + i_b + i_c is above its limit (a current sensor's gain or offset is wrong).</summary>
    CurrentSumMismatch = 504,
    /// <summary>Controller output NaN, ∞ or a duty outside [−1, 1], or status OutputInvalid.</summary>
    ControllerOutputInvalid = 601,
    /// <summary>The controller reported its input outside its domain.</summary>
    ControllerOutOfDomain = 602,
    /// <summary>The controller reported an internal failure.</summary>
    ControllerFailed = 603,
    /// <summary>The controller exceeded its compute budget (measured, or reported Overrun).</summary>
    ControllerOverrun = 604,
    /// <summary>Too many consecutive loop deadline misses.</summary>
    DeadlineMisses = 701,
    /// <summary>The watchdog saw the loop stall (no completed tick within its timeout).</summary>
    Watchdog = 702,
    /// <summary>The rig's frames stopped advancing (stale sequence number).</summary>
    StaleFrame = 703,
    /// <summary>Rig read/write failures (timeouts, link lost, device errors) beyond the threshold.</summary>
    RigIo = 801,
    /// <summary>The gate driver reported a fault (fault input bit 0).</summary>
    GateDriverFault = 802,
    /// <summary>The hardware over-current comparator fired (fault input bit 1).</summary>
    HardwareOverCurrent = 803,
    /// <summary>A smart drive board (ODrive, moteus) reported a fault of its own (fault input bit 2).</summary>
    DriveBoardFault = 804,
    /// <summary>A stop signal (SIGINT/SIGTERM) arrived while the bridge was enabled.</summary>
    StopSignal = 901,
    /// <summary>An unhandled exception; the bridge was disabled before exit.</summary>
    UnhandledException = 902,
}

/// <summary>One recorded trip.</summary>
/// <param name="Code">What tripped.</param>
/// <param name="Tick">Loop tick of the trip (−1 outside the loop).</param>
/// <param name="Time">Loop time of the trip, in s.</param>
/// <param name="Value">The offending value, in the unit of the limit (A, V, rad/s, s, counts), or NaN.</param>
/// <param name="Limit">The limit it violated, same unit, or NaN.</param>
public readonly record struct FaultRecord(FaultCode Code, long Tick, double Time, double Value, double Limit)
{
    /// <summary>The component of <see cref="Code"/>.</summary>
    public FaultComponent Component => (FaultComponent)((int)Code / 100);
}

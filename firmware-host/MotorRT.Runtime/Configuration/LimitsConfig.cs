using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;

namespace MotorRT.Runtime.Configuration;

/// <summary>
/// The <c>limits</c> section: trip thresholds of the safety supervisor. Thresholds left out are derived from the
/// motor's limits by <see cref="Resolve"/> (over-current 1.2 × I_max, over-speed 1.2 × ω_max); NaN means "derive".
/// </summary>
public sealed record LimitsConfig(double PhaseCurrent = double.NaN, double VectorCurrent = double.NaN, double DcLinkOverVoltage = double.NaN, double Speed = double.NaN, double EncoderCheckTime = 0.05, double OpenPhaseCurrent = double.NaN, double OpenPhaseTime = 0.02, int IndexTolerance = 4, double ControllerBudget = double.NaN, int DeadlineMisses = 3, double WatchdogTimeout = 0.01, int RigFailures = 3,
    double DcLinkBrownOutTime = 0.005, double DcLinkRippleTime = 0.02, double VoltageModelTime = 0.005, double CurrentSumTime = 0.005, double SpeedFollowingTime = 0.1) : IConfigValidation
{
    /// <summary>Per-phase (DC: armature) over-current trip, in A.</summary>
    [ConfigField("Per-phase (DC: armature) over-current trip; absent = 1.2 × motor current limit.", Min = 1e-3, Max = 1e5, Unit = "A")]
    public double PhaseCurrent { get; init; } = PhaseCurrent;

    /// <summary>Current-vector magnitude trip √(i_α² + i_β²) (AC machines), in A.</summary>
    [ConfigField("Current-vector magnitude trip (AC machines); absent = 1.2 × motor current limit.", Min = 1e-3, Max = 1e5, Unit = "A")]
    public double VectorCurrent { get; init; } = VectorCurrent;

    /// <summary>DC-link over-voltage trip, in V.</summary>
    [ConfigField("DC-link over-voltage trip; absent = the DC-link sensor full scale.", Min = 1e-3, Max = 1e5, Unit = "V")]
    public double DcLinkOverVoltage { get; init; } = DcLinkOverVoltage;

    /// <summary>DC-link under-voltage trip, in V.</summary>
    [ConfigField("DC-link under-voltage trip.", Min = 0, Max = 1e5, Unit = "V")]
    public double DcLinkUnderVoltage { get; init; }

    /// <summary>
    /// DC-link brown-out level, in V (0 disables): a DC link below it for longer than <see cref="DcLinkBrownOutTime"/>
    /// trips <c>DcLinkBrownOut</c>; shorter dips are ridden through. Lies between the instantaneous under-voltage trip
    /// and the nominal supply.
    /// </summary>
    [ConfigField("DC-link brown-out level: below it for longer than dc_link_brown_out_time trips (0 disables).", Min = 0, Max = 1e5, Unit = "V")]
    public double DcLinkBrownOutVoltage { get; init; }

    /// <summary>Ride-through time of the brown-out check (debounce), in s.</summary>
    [ConfigField("Ride-through time of the brown-out check: a dip shorter than this does not trip.", Min = 1e-4, Max = 10.0, Unit = "s")]
    public double DcLinkBrownOutTime { get; init; } = DcLinkBrownOutTime;

    /// <summary>
    /// DC-link ripple trip: peak-to-peak DC-link voltage above this in three consecutive <see cref="DcLinkRippleTime"/>
    /// windows, in V (0 disables). A failing DC-link capacitor or a lost rectifier phase shows as ripple at the mains
    /// harmonics; a single step or a dip shorter than a window touches at most two windows and does not count.
    /// </summary>
    [ConfigField("DC-link ripple trip: peak-to-peak voltage above this in three consecutive dc_link_ripple_time windows (0 disables).", Min = 0, Max = 1e5, Unit = "V")]
    public double DcLinkRipple { get; init; }

    /// <summary>Window of the ripple check, in s (at least one period of the lowest ripple frequency expected).</summary>
    [ConfigField("Window of the DC-link ripple check (at least one period of the lowest ripple frequency; longer than the dips to ride through).", Min = 1e-3, Max = 1.0, Unit = "s")]
    public double DcLinkRippleTime { get; init; } = DcLinkRippleTime;

    /// <summary>
    /// Voltage-model plausibility (permanently and externally excited DC machines): the armature equation's residual
    /// u − R·i − L·di/dt − ψ·ω, low-pass filtered over <see cref="VoltageModelTime"/>, may not exceed this, in V
    /// (0 disables). It catches a converter output that does not follow the command (a PWM channel that stopped
    /// updating), a current-sensor gain error and an encoder that counts the wrong way or the wrong number of lines.
    /// u is the duty written two ticks earlier (one-period PWM delay) times the measured DC link.
    /// </summary>
    [ConfigField("Voltage-model plausibility (DC machines): largest filtered residual of u − R·i − L·di/dt − ψ·ω (0 disables).", Min = 0, Max = 1e5, Unit = "V")]
    public double VoltageModelResidual { get; init; }

    /// <summary>Time constant of the voltage-model residual's low-pass filter, in s.</summary>
    [ConfigField("Time constant of the voltage-model residual's low-pass filter.", Min = 1e-4, Max = 1.0, Unit = "s")]
    public double VoltageModelTime { get; init; } = VoltageModelTime;

    /// <summary>
    /// Current-sum check (three-phase machines with all three phases sensed): RMS of i_a + i_b + i_c, filtered over
    /// <see cref="CurrentSumTime"/>, may not exceed this, in A (0 disables). A star-connected machine's phase currents
    /// sum to zero, so a residual is a sensor gain or offset error.
    /// </summary>
    [ConfigField("Current-sum check (three phases sensed): largest RMS of i_a + i_b + i_c (0 disables).", Min = 0, Max = 1e5, Unit = "A")]
    public double CurrentSum { get; init; }

    /// <summary>Averaging time of the current-sum RMS (first-order filter of the squared sum), in s.</summary>
    [ConfigField("Averaging time of the current-sum RMS.", Min = 1e-4, Max = 1.0, Unit = "s")]
    public double CurrentSumTime { get; init; } = CurrentSumTime;

    /// <summary>
    /// Speed following error (speed-referenced runs): |ω_ref − ω| above this for longer than
    /// <see cref="SpeedFollowingTime"/> trips <c>SpeedFollowingError</c>, in rad/s (0 disables). Catches a drive that
    /// runs away or the wrong way (phase order swapped, encoder reversed) before it reaches the over-speed trip.
    /// </summary>
    [ConfigField("Speed following error: |speed reference − speed| above this for speed_following_time trips (0 disables).", Min = 0, Max = 1e6, Unit = "rad/s")]
    public double SpeedFollowingError { get; init; }

    /// <summary>How long the speed following error may persist, in s (longer than the speed loop's largest transient).</summary>
    [ConfigField("How long the speed following error may persist (longer than the speed loop's largest transient).", Min = 1e-4, Max = 100.0, Unit = "s")]
    public double SpeedFollowingTime { get; init; } = SpeedFollowingTime;

    /// <summary>Over-speed trip on |mechanical speed|, in rad/s.</summary>
    [ConfigField("Over-speed trip on |mechanical speed|; absent = 1.2 × motor speed limit.", Min = 1e-3, Max = 1e6, Unit = "rad/s")]
    public double Speed { get; init; } = Speed;

    /// <summary>Encoder check: current above which encoder counts must move, in A (0 disables the check).</summary>
    [ConfigField("Encoder check: current above which the counts must move (0 disables).", Min = 0, Max = 1e5, Unit = "A")]
    public double EncoderCheckCurrent { get; init; }

    /// <summary>Encoder check: how long the counts may stand still while that current flows, in s.</summary>
    [ConfigField("Encoder check: how long the counts may stand still while that current flows.", Min = 1e-4, Max = 10.0, Unit = "s")]
    public double EncoderCheckTime { get; init; } = EncoderCheckTime;

    /// <summary>
    /// Open-phase check (three-phase machines): a phase whose RMS current over the window stays below this while the
    /// current-vector RMS exceeds 4 × this is open, in A (0 disables; NaN = derive 0.1 × motor current limit).
    /// </summary>
    [ConfigField("Open-phase check threshold (three-phase machines; 0 disables; absent = 0.1 × motor current limit).", Min = 0, Max = 1e5, Unit = "A")]
    public double OpenPhaseCurrent { get; init; } = OpenPhaseCurrent;

    /// <summary>
    /// Open-phase check: the RMS window, in s. The check is armed only above the electrical speed 1 / window (rad/s),
    /// where a healthy phase's zero crossing is too short to pull its window RMS below a quarter of the vector's.
    /// </summary>
    [ConfigField("Open-phase check RMS window.", Min = 1e-3, Max = 1.0, Unit = "s")]
    public double OpenPhaseTime { get; init; } = OpenPhaseTime;

    /// <summary>Allowed deviation of the count at a later index pulse from the first one, in counts.</summary>
    [ConfigField("Allowed deviation of the count at a later index pulse from the first one.", Min = 0, Max = 1 << 20, Unit = "counts")]
    public int IndexTolerance { get; init; } = IndexTolerance;

    /// <summary>Margin, in counts, from either ADC rail that counts as a saturated (out-of-range) sensor.</summary>
    [ConfigField("Margin from either ADC rail that counts as a saturated sensor.", Min = 0, Max = 1 << 20, Unit = "counts")]
    public int AdcRailMargin { get; init; }

    /// <summary>Controller compute budget per tick, in s (NaN = half the period).</summary>
    [ConfigField("Controller compute budget per tick; absent = half the period.", Min = 1e-7, Max = 1.0, Unit = "s")]
    public double ControllerBudget { get; init; } = ControllerBudget;

    /// <summary>Consecutive deadline misses that trip the loop.</summary>
    [ConfigField("Consecutive deadline misses that trip the loop.", Min = 1, Max = int.MaxValue)]
    public int DeadlineMisses { get; init; } = DeadlineMisses;

    /// <summary>Watchdog: longest time the loop may go without completing a tick before the bridge is forced off, in s.</summary>
    [ConfigField("Longest time without a completed tick before the bridge is forced off.", Min = 1e-4, Max = 10.0, Unit = "s")]
    public double WatchdogTimeout { get; init; } = WatchdogTimeout;

    /// <summary>Consecutive rig read/write failures (timeouts, stale frames) that trip.</summary>
    [ConfigField("Consecutive rig read/write failures (timeouts, stale frames) that trip.", Min = 1, Max = 1_000_000)]
    public int RigFailures { get; init; } = RigFailures;

    /// <summary>
    /// Whether timing trips (controller budget, deadline misses, watchdog) are armed in lock-step mode. Off by default:
    /// in lock-step the plant waits for the loop, so wall-clock lateness harms nothing and would make runs
    /// non-deterministic; it is still measured and reported.
    /// </summary>
    [ConfigField("Arm the timing trips (budget, deadline misses, watchdog) in lock-step mode too.")]
    public bool EnforceTimingInLockStep { get; init; }

    /// <inheritdoc />
    public void Validate(ConfigScope scope)
    {
        if (DcLinkOverVoltage <= DcLinkUnderVoltage)
        {
            throw scope.Error("dc_link_over_voltage", "the over-voltage trip must lie above the under-voltage trip", "raise dc_link_over_voltage or lower dc_link_under_voltage");
        }
        if (DcLinkBrownOutVoltage > 0 && (DcLinkBrownOutVoltage <= DcLinkUnderVoltage || DcLinkBrownOutVoltage >= DcLinkOverVoltage))
        {
            throw scope.Error("dc_link_brown_out_voltage", "the brown-out level must lie between the under-voltage and the over-voltage trips", "set it between dc_link_under_voltage and dc_link_over_voltage, or 0 to disable");
        }
    }

    /// <summary>Fills the thresholds left out from the motor's limits and the loop period.</summary>
    public LimitsConfig Resolve(MotorParameters motor, double period, double dcLinkFullScale)
    {
        ArgumentNullException.ThrowIfNull(motor);
        return this with
        {
            PhaseCurrent = double.IsNaN(PhaseCurrent) ? 1.2 * motor.Limits.Current : PhaseCurrent,
            VectorCurrent = double.IsNaN(VectorCurrent) ? 1.2 * motor.Limits.Current : VectorCurrent,
            DcLinkOverVoltage = double.IsNaN(DcLinkOverVoltage) ? dcLinkFullScale : DcLinkOverVoltage,
            OpenPhaseCurrent = double.IsNaN(OpenPhaseCurrent) ? 0.1 * motor.Limits.Current : OpenPhaseCurrent,
            Speed = double.IsNaN(Speed) ? 1.2 * motor.Limits.Speed : Speed,
            ControllerBudget = double.IsNaN(ControllerBudget) ? 0.5 * period : ControllerBudget,
        };
    }
}

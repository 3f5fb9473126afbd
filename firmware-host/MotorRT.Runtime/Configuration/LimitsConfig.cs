using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;

namespace MotorRT.Runtime.Configuration;

/// <summary>
/// The <c>limits</c> section: trip thresholds of the safety supervisor. Thresholds left out are derived from the
/// motor's limits by <see cref="Resolve"/> (over-current 1.2 × I_max, over-speed 1.2 × ω_max); NaN means "derive".
/// </summary>
public sealed record LimitsConfig(double PhaseCurrent = double.NaN, double VectorCurrent = double.NaN, double DcLinkOverVoltage = double.NaN, double Speed = double.NaN, double EncoderCheckTime = 0.05, double OpenPhaseCurrent = double.NaN, double OpenPhaseTime = 0.02, int IndexTolerance = 4, double ControllerBudget = double.NaN, int DeadlineMisses = 3, double WatchdogTimeout = 0.01, int RigFailures = 3) : IConfigValidation
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

using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;

namespace MotorRT.Runtime.Configuration;

/// <summary>
/// The <c>limits</c> section: trip thresholds of the safety supervisor. Thresholds left out are derived from the
/// motor's limits by <see cref="Resolve"/> (over-current 1.2 × I_max, over-speed 1.2 × ω_max); NaN means "derive".
/// </summary>
public sealed record LimitsConfig
{
    /// <summary>Per-phase (DC: armature) over-current trip, in A.</summary>
    public double PhaseCurrent { get; init; } = double.NaN;

    /// <summary>Current-vector magnitude trip √(i_α² + i_β²) (AC machines), in A.</summary>
    public double VectorCurrent { get; init; } = double.NaN;

    /// <summary>DC-link over-voltage trip, in V.</summary>
    public double DcLinkOverVoltage { get; init; } = double.NaN;

    /// <summary>DC-link under-voltage trip, in V.</summary>
    public double DcLinkUnderVoltage { get; init; }

    /// <summary>Over-speed trip on |mechanical speed|, in rad/s.</summary>
    public double Speed { get; init; } = double.NaN;

    /// <summary>Encoder check: current above which encoder counts must move, in A (0 disables the check).</summary>
    public double EncoderCheckCurrent { get; init; }

    /// <summary>Encoder check: how long the counts may stand still while that current flows, in s.</summary>
    public double EncoderCheckTime { get; init; } = 0.05;

    /// <summary>
    /// Open-phase check (three-phase machines): a phase whose RMS current over the window stays below this while the
    /// current-vector RMS exceeds 4 × this is open, in A (0 disables; NaN = derive 0.1 × motor current limit).
    /// </summary>
    public double OpenPhaseCurrent { get; init; } = double.NaN;

    /// <summary>
    /// Open-phase check: the RMS window, in s. The check is armed only above the electrical speed 1 / window (rad/s),
    /// where a healthy phase's zero crossing is too short to pull its window RMS below a quarter of the vector's.
    /// </summary>
    public double OpenPhaseTime { get; init; } = 0.02;

    /// <summary>Allowed deviation of the count at a later index pulse from the first one, in counts.</summary>
    public int IndexTolerance { get; init; } = 4;

    /// <summary>Margin, in counts, from either ADC rail that counts as a saturated (out-of-range) sensor.</summary>
    public int AdcRailMargin { get; init; }

    /// <summary>Controller compute budget per tick, in s (NaN = half the period).</summary>
    public double ControllerBudget { get; init; } = double.NaN;

    /// <summary>Consecutive deadline misses that trip the loop.</summary>
    public int DeadlineMisses { get; init; } = 3;

    /// <summary>Watchdog: longest time the loop may go without completing a tick before the bridge is forced off, in s.</summary>
    public double WatchdogTimeout { get; init; } = 0.01;

    /// <summary>Consecutive rig read/write failures (timeouts, stale frames) that trip.</summary>
    public int RigFailures { get; init; } = 3;

    /// <summary>
    /// Whether timing trips (controller budget, deadline misses, watchdog) are armed in lock-step mode. Off by default:
    /// in lock-step the plant waits for the loop, so wall-clock lateness harms nothing and would make runs
    /// non-deterministic; it is still measured and reported.
    /// </summary>
    public bool EnforceTimingInLockStep { get; init; }

    /// <summary>Reads and validates a <c>limits</c> section.</summary>
    public static LimitsConfig Read(JsonSection s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var l = new LimitsConfig
        {
            PhaseCurrent = s.Number("phase_current", double.NaN, 1e-3, 1e5, "A"),
            VectorCurrent = s.Number("vector_current", double.NaN, 1e-3, 1e5, "A"),
            DcLinkOverVoltage = s.Number("dc_link_over_voltage", double.NaN, 1e-3, 1e5, "V"),
            DcLinkUnderVoltage = s.Number("dc_link_under_voltage", 0.0, 0.0, 1e5, "V"),
            Speed = s.Number("speed", double.NaN, 1e-3, 1e6, "rad/s"),
            EncoderCheckCurrent = s.Number("encoder_check_current", 0.0, 0.0, 1e5, "A"),
            EncoderCheckTime = s.Number("encoder_check_time", 0.05, 1e-4, 10.0, "s"),
            OpenPhaseCurrent = s.Number("open_phase_current", double.NaN, 0.0, 1e5, "A"),
            OpenPhaseTime = s.Number("open_phase_time", 0.02, 1e-3, 1.0, "s"),
            IndexTolerance = s.Integer("index_tolerance", 4, 0, 1 << 20),
            AdcRailMargin = s.Integer("adc_rail_margin", 0, 0, 1 << 20),
            ControllerBudget = s.Number("controller_budget", double.NaN, 1e-7, 1.0, "s"),
            DeadlineMisses = s.Integer("deadline_misses", 3, 1, int.MaxValue),
            WatchdogTimeout = s.Number("watchdog_timeout", 0.01, 1e-4, 10.0, "s"),
            RigFailures = s.Integer("rig_failures", 3, 1, 1_000_000),
            EnforceTimingInLockStep = s.Boolean("enforce_timing_in_lock_step", false),
        };
        s.EnsureNoUnknownKeys();
        if (l.DcLinkOverVoltage <= l.DcLinkUnderVoltage)
        {
            throw s.Error("dc_link_over_voltage", "the over-voltage trip must lie above the under-voltage trip", "raise dc_link_over_voltage or lower dc_link_under_voltage");
        }
        return l;
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

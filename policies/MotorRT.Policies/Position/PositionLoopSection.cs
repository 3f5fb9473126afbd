using System.Text.Json.Serialization;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Policies.Position;

/// <summary>
/// The <c>position</c> object of a <c>*-position</c> controller section (<c>foc-position</c>, <c>pi-dc-position</c>,
/// <c>pi-position-torque</c>): the outer position P loop over the family's speed loop. Every key is optional.
/// </summary>
public sealed record PositionLoopSection
{
    /// <summary>Separation N of the position loop from the closed speed loop (dimensionless): K_p = 1/(N·T_ω).</summary>
    [ConfigField("Separation N of the position loop from the closed speed loop, K_p = 1/(N·T_ω) = ω_ω/N (dimensionless; 4 = critically damped, 2 ≈ 4 % overshoot; see `motorrt tune`).", Min = 1, Max = 100)]
    [JsonInclude]
    public double Separation { get; internal set; } = PositionOptions.DefaultSeparation;

    /// <summary>Position gain override, in 1/s ((rad/s)/rad); absent = tuned.</summary>
    [ConfigField("Position gain override ((rad/s) of speed reference per rad of error); absent = tuned from the speed loop.", Min = 1e-6, Max = 1e5, Unit = "1/s")]
    [JsonInclude]
    public double? Kp { get; internal set; }

    /// <summary>Limit of the speed reference, in rad/s; 0 = the motor's speed limit.</summary>
    [ConfigField("Limit of the speed reference the position loop gives; 0 = the motor's speed limit.", Min = 0, Max = 1e6, Unit = "rad/s")]
    [JsonInclude]
    public double SpeedLimit { get; internal set; }

    /// <summary>Deceleration of the braking curve, in rad/s²; 0 = half the torque limit over the inertia.</summary>
    [ConfigField("Deceleration of the braking curve √(2·α·|e|) that caps the speed reference near the target; 0 = half the speed loop's torque limit over the inertia.", Min = 0, Max = 1e9, Unit = "rad/s²")]
    [JsonInclude]
    public double DecelerationLimit { get; internal set; }

    /// <summary>Speed feed-forward from the reference derivative.</summary>
    [ConfigField("Speed feed-forward from the position reference's derivative (ramps and sines are followed without lag; a step gives none).")]
    [JsonInclude]
    public bool SpeedFeedForward { get; internal set; } = true;

    /// <summary>The options (all defaults when <paramref name="s"/> is null).</summary>
    public static PositionOptions ToOptions(PositionLoopSection? s) => s is null
        ? new PositionOptions()
        : new PositionOptions
        {
            Separation = s.Separation,
            Kp = s.Kp,
            SpeedLimit = s.SpeedLimit,
            DecelerationLimit = s.DecelerationLimit,
            SpeedFeedForward = s.SpeedFeedForward,
        };
}

/// <summary>Options of the position loop (SI units); see <see cref="PositionLoopSection"/>.</summary>
public sealed record PositionOptions
{
    /// <summary>Default separation N (critically damped with a first-order speed loop).</summary>
    public const double DefaultSeparation = 4.0;

    /// <summary>Separation N (dimensionless, ≥ 1).</summary>
    public double Separation { get; init; } = DefaultSeparation;

    /// <summary>Position gain override, in 1/s; null = tuned.</summary>
    public double? Kp { get; init; }

    /// <summary>Speed-reference limit, in rad/s; 0 = the motor's speed limit.</summary>
    public double SpeedLimit { get; init; }

    /// <summary>Braking-curve deceleration, in rad/s²; 0 = half the torque limit over the inertia.</summary>
    public double DecelerationLimit { get; init; }

    /// <summary>Speed feed-forward from the reference derivative.</summary>
    public bool SpeedFeedForward { get; init; } = true;
}

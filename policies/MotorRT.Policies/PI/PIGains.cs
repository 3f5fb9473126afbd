using MotorRT.Contracts.Configuration;

namespace MotorRT.Policies.PI;

/// <summary>A pair of PI gains (overrides of the automatic tuning, or the tuned values).</summary>
/// <param name="Kp">Proportional gain (output unit per input unit).</param>
/// <param name="Ki">Integral gain (output unit per input unit and second).</param>
public sealed record PIGains(double Kp, double Ki);

/// <summary>A current-loop gain override as written in a controller section: <c>{"kp": V/A, "ki": V/(A·s)}</c>.</summary>
public sealed record CurrentGainsSection
{
    /// <summary>Proportional gain, in V/A.</summary>
    [ConfigField("Proportional gain of the current PI.", Min = 0, Max = 1e9, Unit = "V/A")]
    public required double Kp { get; init; }

    /// <summary>Integral gain, in V/(A·s).</summary>
    [ConfigField("Integral gain of the current PI.", Min = 0, Max = 1e12, Unit = "V/(A·s)")]
    public required double Ki { get; init; }

    /// <summary>The gains.</summary>
    public PIGains ToGains() => new(Kp, Ki);
}

/// <summary>A speed-loop gain override as written in a controller section: <c>{"kp": N·m·s/rad, "ki": N·m/rad}</c>.</summary>
public sealed record SpeedGainsSection
{
    /// <summary>Proportional gain, in N·m·s/rad.</summary>
    [ConfigField("Proportional gain of the speed PI.", Min = 0, Max = 1e9, Unit = "N·m·s/rad")]
    public required double Kp { get; init; }

    /// <summary>Integral gain, in N·m/rad.</summary>
    [ConfigField("Integral gain of the speed PI.", Min = 0, Max = 1e12, Unit = "N·m/rad")]
    public required double Ki { get; init; }

    /// <summary>The gains.</summary>
    public PIGains ToGains() => new(Kp, Ki);
}

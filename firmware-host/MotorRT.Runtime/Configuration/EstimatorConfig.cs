using MotorRT.Contracts.Configuration;

namespace MotorRT.Runtime.Configuration;

/// <summary>The <c>estimator</c> section: encoder speed PLL and current-offset calibration.</summary>
public sealed record EstimatorConfig(double PllBandwidth = 2000, int CalibrationSamples = 500, double MaxOffsetDeviation = 200)
{
    /// <summary>Bandwidth of the encoder position/speed PLL, in rad/s (critically damped: k_p = 2·ω_b, k_i = ω_b²).</summary>
    [ConfigField("Bandwidth of the encoder position/speed PLL (critically damped).", Min = 1.0, Max = 1e5, Unit = "rad/s")]
    public double PllBandwidth { get; init; } = PllBandwidth;

    /// <summary>Number of frames averaged (bridge off) to measure the current-sensor offsets at arm time.</summary>
    [ConfigField("Frames averaged (bridge off) to measure the current-sensor offsets at arm time.", Min = 1, Max = 1_000_000)]
    public int CalibrationSamples { get; init; } = CalibrationSamples;

    /// <summary>Largest accepted deviation of a measured offset from the nominal zero count, in counts.</summary>
    [ConfigField("Largest accepted deviation of a measured offset from the nominal zero count.", Min = 0, Max = 1 << 24, Unit = "counts")]
    public double MaxOffsetDeviation { get; init; } = MaxOffsetDeviation;
}

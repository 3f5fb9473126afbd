using MotorRT.Contracts.Configuration;

namespace MotorRT.Runtime.Configuration;

/// <summary>The <c>estimator</c> section: encoder speed PLL and current-offset calibration.</summary>
public sealed record EstimatorConfig
{
    /// <summary>Bandwidth of the encoder position/speed PLL, in rad/s (critically damped: k_p = 2·ω_b, k_i = ω_b²).</summary>
    public double PllBandwidth { get; init; } = 2000;

    /// <summary>Number of frames averaged (bridge off) to measure the current-sensor offsets at arm time.</summary>
    public int CalibrationSamples { get; init; } = 500;

    /// <summary>Largest accepted deviation of a measured offset from the nominal zero count, in counts.</summary>
    public double MaxOffsetDeviation { get; init; } = 200;

    /// <summary>Reads and validates an <c>estimator</c> section.</summary>
    public static EstimatorConfig Read(JsonSection s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var e = new EstimatorConfig
        {
            PllBandwidth = s.Number("pll_bandwidth", 2000, 1.0, 1e5, "rad/s"),
            CalibrationSamples = s.Integer("calibration_samples", 500, 1, 1_000_000),
            MaxOffsetDeviation = s.Number("max_offset_deviation", 200, 0.0, 1 << 24, "counts"),
        };
        s.EnsureNoUnknownKeys();
        return e;
    }
}

using System.Text.Json.Serialization;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Contracts.Sensors;

/// <summary>
/// Nominal description of a rig's sensors: how raw counts map to physical units. The runtime's signal chain uses it as
/// its calibration (offsets are re-measured at arm time); the simulated rig uses it as the truth of its emulated
/// hardware unless the rig section injects deviations. Read from the config's <c>sensors</c> section.
/// </summary>
public sealed record SensorSpec
{
    /// <summary>Phase-current (or armature/excitation current) ADC channels.</summary>
    [ConfigField("Phase-current (DC: armature/excitation current) ADC channels.")]
    public required CurrentSensorSpec Current { get; init; }

    /// <summary>DC-link voltage ADC channel.</summary>
    [ConfigField("DC-link voltage ADC channel.")]
    public required VoltageSensorSpec DcLink { get; init; }

    /// <summary>Incremental encoder, or null when the rig has none.</summary>
    [ConfigField("Incremental encoder; absent when the rig has none.")]
    public EncoderSpec? Encoder { get; init; }

    /// <summary>True when the rig has three Hall sensors (60° electrical resolution).</summary>
    [ConfigField("True when the rig has three Hall sensors (60° electrical resolution).")]
    public bool HallSensors { get; init; }

}

/// <summary>A current-sensing ADC channel set (shunt or Hall-effect sensor plus ADC).</summary>
public sealed record CurrentSensorSpec(int Bits = 12, int PhasesSensed = 2) : IConfigValidation
{
    /// <summary>ADC resolution, in bits (counts span [0, 2^bits − 1]).</summary>
    [ConfigField("ADC resolution (counts span [0, 2^bits − 1]).", Min = 8, Max = 24, Unit = "bits")]
    public int Bits { get; init; } = Bits;

    /// <summary>Current per ADC count, in A/count.</summary>
    [ConfigField("Current per ADC count.", Min = 1e-6, Max = 100.0, Unit = "A/count")]
    public required double AmperesPerCount { get; init; }

    /// <summary>Nominal count at zero current (usually mid-scale), in counts. Re-measured at arm time.</summary>
    [ConfigField("Nominal count at zero current (usually mid-scale); re-measured at arm time. At most 2^bits − 1.", Min = 0, Unit = "counts")]
    public required double ZeroCounts { get; init; }

    /// <summary>How many phases have a sensor: 2 (a, b; c = −a − b) or 3. DC machines: 1 (armature) or 2 (plus excitation).</summary>
    [ConfigField("Phases with a sensor: 2 (c = −a − b) or 3; DC machines 1 (armature) or 2 (plus excitation).", Min = 1, Max = 3)]
    public int PhasesSensed { get; init; } = PhasesSensed;

    /// <summary>
    /// Relative gain of each sensed channel (a, b[, c]; DC: armature[, excitation]), dimensionless; null = all 1. The
    /// signal chain divides channel k's current by <c>gains[k]</c>. <c>motorrt calibrate</c> measures these (gain
    /// matching between the phases, channel a the reference); an absolute gain error common to all channels is not
    /// identifiable without a reference current and stays in <see cref="AmperesPerCount"/>.
    /// </summary>
    [ConfigField("Relative gain of each sensed channel (a, b[, c]; DC: armature[, excitation]): the signal chain divides channel k's current by gains[k]. Measured by motorrt calibrate (phases matched to channel a; a gain error common to all channels needs a reference current and stays in amperes_per_count). Absent = all 1.", Min = 0.5, Max = 2.0)]
    public double[]? Gains { get; init; }

    /// <summary>Relative gain of channel <paramref name="k"/> (0 = a), dimensionless: <see cref="Gains"/>[k], or 1 when not given.</summary>
    public double Gain(int k) => Gains is { } g && k < g.Length ? g[k] : 1.0;

    /// <summary>Full-scale current in either direction, in A (from bits, gain and zero point).</summary>
    [JsonIgnore]
    public double FullScale => Math.Min(ZeroCounts, (1 << Bits) - 1 - ZeroCounts) * AmperesPerCount;

    /// <inheritdoc />
    public void Validate(ConfigScope scope)
    {
        if (ZeroCounts > (1 << Bits) - 1)
        {
            throw scope.Error("zero_counts", $"value {ZeroCounts} counts is out of range", $"use a value in [0, {(1 << Bits) - 1}] counts");
        }
        if (Gains is { } g && g.Length != PhasesSensed)
        {
            throw scope.Error("gains", $"{g.Length} gains given, phases_sensed is {PhasesSensed}", $"give one gain per sensed channel ({PhasesSensed} values), or drop gains");
        }
    }

}

/// <summary>The DC-link voltage ADC channel (resistive divider plus ADC).</summary>
public sealed record VoltageSensorSpec(int Bits = 12)
{
    /// <summary>ADC resolution, in bits.</summary>
    [ConfigField("ADC resolution.", Min = 8, Max = 24, Unit = "bits")]
    public int Bits { get; init; } = Bits;

    /// <summary>Voltage per ADC count, in V/count (divider ratio included).</summary>
    [ConfigField("Voltage per ADC count (divider ratio included).", Min = 1e-6, Max = 100.0, Unit = "V/count")]
    public required double VoltsPerCount { get; init; }

    /// <summary>Full-scale voltage, in V.</summary>
    [JsonIgnore]
    public double FullScale => ((1 << Bits) - 1) * VoltsPerCount;

}

/// <summary>An incremental quadrature encoder on the rotor shaft.</summary>
public sealed record EncoderSpec(bool HasIndex = true, int Direction = 1) : IConfigValidation
{
    /// <summary>Lines per mechanical revolution (4× as many quadrature counts).</summary>
    [ConfigField("Lines per mechanical revolution (4× as many quadrature counts).", Min = 1, Max = 1 << 20)]
    public required int LinesPerRevolution { get; init; }

    /// <summary>True when the encoder has an index (Z) pulse once per revolution.</summary>
    [ConfigField("True when the encoder has an index (Z) pulse once per revolution.")]
    public bool HasIndex { get; init; } = HasIndex;

    /// <summary>+1 when counts increase with positive mechanical speed, −1 when the wiring reverses them.</summary>
    [ConfigField("+1 when counts increase with positive speed, −1 when the wiring reverses them.", Min = -1, Max = 1)]
    public int Direction { get; init; } = Direction;

    /// <summary>Electrical angle of the rotor d-axis when the encoder count is zero, in rad (found by alignment).</summary>
    [ConfigField("Electrical angle of the rotor d-axis at encoder count zero (found by alignment).", Min = -Math.PI, Max = Math.PI, Unit = "rad")]
    public double ElectricalAngleOffset { get; init; }

    /// <summary>Counts per mechanical revolution (4 × lines).</summary>
    [JsonIgnore]
    public int CountsPerRevolution => 4 * LinesPerRevolution;

    /// <inheritdoc />
    public void Validate(ConfigScope scope)
    {
        if (Direction == 0)
        {
            throw scope.Error("direction", "direction must be +1 or -1", "write 1 or -1");
        }
    }

}

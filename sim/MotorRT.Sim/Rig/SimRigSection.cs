using System.Text.Json;
using System.Text.Json.Serialization;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Sim.Rig;

/// <summary>The <c>rig</c> section of type <c>"sim"</c> as written in the file (read by <see cref="SimulatedRigFactory"/>).</summary>
public sealed record SimRigSection(int SubSteps = 1, int PwmDelayPeriods = 1)
{
    /// <summary>The rig kind, <c>"sim"</c>.</summary>
    [ConfigField("The rig kind.", Choices = "sim")]
    public required string Type { get; init; }

    /// <summary>The twin; absent = the config's top-level <c>plant</c> section.</summary>
    [ConfigField("The simulated plant (see sim/README.md); absent = the config's top-level plant section.")]
    public Spec.PlantSection? Plant { get; init; }

    /// <summary>Plant solver steps per PWM period.</summary>
    [ConfigField("Plant solver steps per PWM period (the PWM period is plant tau × sub_steps).", Min = 1, Max = 1000)]
    public int SubSteps { get; init; } = SubSteps;

    /// <summary>Command delay, in PWM periods.</summary>
    [ConfigField("Delay of a written command before the bridge applies it, in PWM periods (0 or 1).", Min = 0, Max = 1)]
    public int PwmDelayPeriods { get; init; } = PwmDelayPeriods;

    /// <summary>What the disabled bridge does: <c>diode_freewheel</c> (default) or <c>zero_volts</c>.</summary>
    [ConfigField("What the disabled bridge applies: diode_freewheel (default) or zero_volts.", Choices = "diode_freewheel,zero_volts")]
    public string? BridgeOff { get; init; }

    /// <summary>Hardware over-current comparator threshold, in A (0 = none).</summary>
    [JsonPropertyName("overcurrent_comparator_a")]
    [ConfigField("Hardware over-current comparator threshold (0 = none).", Min = 0, Max = 1e6, Unit = "A")]
    public double OverCurrentComparator { get; init; }

    /// <summary>Injected sensor deviations.</summary>
    [ConfigField("Deviations of the emulated sensors from their nominal scaling.")]
    public SensorErrorsSection? SensorErrors { get; init; }
}

/// <summary><c>rig.sensor_errors</c>: deviations of the emulated ADCs.</summary>
public sealed record SensorErrorsSection
{
    /// <summary>One entry per sensed current channel (a, b[, c]).</summary>
    [ConfigField("One entry per sensed current channel (a, b[, c]).")]
    public AdcDeviationSection[]? Current { get; init; }

    /// <summary>The DC-link channel.</summary>
    [ConfigField("The DC-link channel.")]
    public AdcDeviationSection? DcLink { get; init; }
}

/// <summary>One ADC channel's deviation from its nominal scaling.</summary>
public sealed record AdcDeviationSection
{
    /// <summary>Relative gain error (dimensionless).</summary>
    [ConfigField("Relative gain error.", Min = -0.5, Max = 0.5)]
    public double GainError { get; init; }

    /// <summary>Offset, in counts.</summary>
    [ConfigField("Offset.", Min = -1e6, Max = 1e6, Unit = "counts")]
    public double OffsetCounts { get; init; }

    /// <summary>Gaussian noise standard deviation, in counts.</summary>
    [ConfigField("Gaussian noise standard deviation.", Min = 0, Max = 1e4, Unit = "counts")]
    public double NoiseCounts { get; init; }
}

/// <summary>Source-generated System.Text.Json metadata of the simulated rig's section.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SimRigSection))]
[JsonSerializable(typeof(Spec.PlantSection))]
public sealed partial class SimRigJson : JsonSerializerContext
{
    /// <summary>The loader's options over this context.</summary>
    public static JsonSerializerOptions ConfigOptions => s_configOptions ??= ConfigFile.Options(Default);

    private static JsonSerializerOptions? s_configOptions;
}

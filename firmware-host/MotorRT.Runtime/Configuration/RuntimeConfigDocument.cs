using System.Text.Json;
using System.Text.Json.Serialization;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Sensors;
using MotorRT.Runtime.References;

namespace MotorRT.Runtime.Configuration;

/// <summary>
/// A runtime configuration file exactly as written (the shape the JSON Schema <c>docs/motorrt-config.schema.json</c>
/// describes). <see cref="RuntimeConfig.Load"/> reads it and resolves it into a <see cref="RuntimeConfig"/>.
/// </summary>
public sealed record RuntimeConfigDocument : IConfigValidation
{
    /// <summary>The JSON Schema the file names for editors (ignored by the loader).</summary>
    [JsonPropertyName("$schema")]
    [ConfigField("Path or URL of the JSON Schema, for editors (ignored by the loader).")]
    public string? Schema { get; init; }

    /// <summary>Free text for people (ignored by the loader).</summary>
    [ConfigField("Free text for people (ignored by the loader).")]
    public string? Notes { get; init; }

    /// <summary>The rig the loop drives, chosen by <c>"type"</c> (see the rig kinds).</summary>
    [ConfigField("The rig the loop drives, chosen by \"type\".")]
    public required JsonElement Rig { get; init; }

    /// <summary>The simulated plant (simulation only).</summary>
    [ConfigField("The simulated plant (simulation only; a simulated rig may also hold it as rig.plant).")]
    public JsonElement? Plant { get; init; }

    /// <summary>Nominal sensor scaling.</summary>
    [ConfigField("Nominal sensor scaling: the signal chain's calibration.")]
    public required SensorSpec Sensors { get; init; }

    /// <summary>The machine as the controller knows it.</summary>
    [ConfigField("The machine as the controller knows it (GEM parameter names, SI units); absent = take it from the simulated plant.")]
    public MotorSection? Motor { get; init; }

    /// <summary>The controller, chosen by <c>"type"</c> (see the controller families).</summary>
    [ConfigField("The controller, chosen by \"type\".")]
    public required JsonElement Controller { get; init; }

    /// <summary>The reference profiles.</summary>
    [ConfigField("The reference profiles of the run; quantities without one are zero.")]
    public required ReferenceSection Reference { get; init; }

    /// <summary>Safety-supervisor limits.</summary>
    [ConfigField("Trip thresholds of the safety supervisor.")]
    public LimitsConfig? Limits { get; init; }

    /// <summary>Loop period, run length, real-time settings.</summary>
    [ConfigField("Loop period, run length and real-time settings.")]
    public required TimingConfig Timing { get; init; }

    /// <summary>Speed/angle estimator and calibration settings.</summary>
    [ConfigField("Encoder speed PLL and current-offset calibration.")]
    public EstimatorConfig? Estimator { get; init; }

    /// <summary>Telemetry settings.</summary>
    [ConfigField("What the loop records and how the writer drains it.")]
    public TelemetryConfig? Telemetry { get; init; }

    /// <summary>Seed of every random generator of the run.</summary>
    [ConfigField("Seed of every random generator of the run (same seed → identical trace).", Min = 0, Max = int.MaxValue)]
    public int Seed { get; init; }

    /// <inheritdoc />
    public void Validate(ConfigScope scope)
    {
        if (Rig.ValueKind != JsonValueKind.Object) throw scope.Error("rig", $"expected a JSON object, found {Rig.ValueKind}", "write this field as { \"type\": ..., ... }");
        if (Controller.ValueKind != JsonValueKind.Object) throw scope.Error("controller", $"expected a JSON object, found {Controller.ValueKind}", "write this field as { \"type\": ..., ... }");
        if (Plant is { } p && p.ValueKind != JsonValueKind.Object) throw scope.Error("plant", $"expected a JSON object, found {p.ValueKind}", "write this field as { ... }");
        if (Motor is null && Plant is null && !Rig.TryGetProperty("plant", out _))
        {
            throw scope.Error("motor", "neither a motor section nor a plant section is given",
                "add \"motor\": { \"type\": ..., parameters, \"limits\": { ... } } (required on a real rig)");
        }
    }
}

/// <summary>Source-generated System.Text.Json metadata of the runtime configuration.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(RuntimeConfigDocument))]
[JsonSerializable(typeof(MotorSection))]
[JsonSerializable(typeof(SensorSpec))]
[JsonSerializable(typeof(LimitsConfig))]
[JsonSerializable(typeof(ProfileSection))]
[JsonSerializable(typeof(MotorRT.Runtime.Rigs.ReplayRigSection))]
[JsonSerializable(typeof(MotorRT.Runtime.Rigs.RigTypeSection))]
public sealed partial class RuntimeConfigJson : JsonSerializerContext;

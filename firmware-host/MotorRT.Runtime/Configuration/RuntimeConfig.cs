using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Contracts.Sensors;
using MotorRT.Runtime.References;

namespace MotorRT.Runtime.Configuration;

/// <summary>
/// The whole runtime configuration, loaded from one JSON file and validated before anything is armed. Sections the
/// runtime does not interpret itself (<c>rig</c>, <c>plant</c>, <c>controller</c>) are kept with their location and handed
/// to the composer, whose rig kinds and controller families read them into their typed records. The file's shape is
/// <see cref="RuntimeConfigDocument"/>; every field is documented in <c>docs/config-reference.md</c>.
/// </summary>
public sealed record RuntimeConfig
{
    /// <summary>The file this configuration came from (for messages and relative paths).</summary>
    public required string File { get; init; }

    /// <summary>The <c>rig</c> section, read by the rig kind its <c>type</c> names (<see cref="Contracts.Composition.RigKinds"/>).</summary>
    public required RawSection Rig { get; init; }

    /// <summary>
    /// The top-level <c>plant</c> section (simulation only), read by the twin's plant-spec reader; null when absent
    /// (the simulated rig may also hold it as <c>rig.plant</c>).
    /// </summary>
    public RawSection? Plant { get; init; }

    /// <summary>The <c>sensors</c> section: nominal sensor scaling, used as calibration by the signal chain.</summary>
    public required SensorSpec Sensors { get; init; }

    /// <summary>The <c>motor</c> section: the machine as the controller knows it; null = take it from the plant (simulation).</summary>
    public MotorParameters? Motor { get; init; }

    /// <summary>The <c>controller</c> section as written, read into its family's typed record by <see cref="ControllerFactory"/>.</summary>
    public required RawSection Controller { get; init; }

    /// <summary>The reference profiles of this run.</summary>
    public required ReferenceSet Reference { get; init; }

    /// <summary>Safety-supervisor limits.</summary>
    public required LimitsConfig Limits { get; init; }

    /// <summary>Loop period, run length, real-time settings.</summary>
    public required TimingConfig Timing { get; init; }

    /// <summary>Speed/angle estimator and calibration settings.</summary>
    public required EstimatorConfig Estimator { get; init; }

    /// <summary>Telemetry ring and writer settings.</summary>
    public required TelemetryConfig Telemetry { get; init; }

    /// <summary>Seed of every random generator of the run (sensor noise, load noise); same seed → identical trace.</summary>
    public int Seed { get; init; }

    /// <summary>Largest config file accepted, in bytes (a config is a few kB).</summary>
    public const long MaxFileBytes = 1L << 20;

    /// <summary>Serializer options of the config file (strict: unknown members and duplicate keys are errors).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = ConfigFile.Options(RuntimeConfigJson.Default);

    /// <summary>Loads and validates a configuration file; throws <see cref="ConfigException"/> naming file and field.</summary>
    public static RuntimeConfig Load(string path) =>
        From(path, ConfigFile.Load(path, Document, MaxFileBytes));

    /// <summary>Parses and validates JSON text attributed to <paramref name="file"/>.</summary>
    public static RuntimeConfig Parse(string file, string json) => From(file, ConfigFile.Parse(file, json, Document));

    /// <summary>Reads one section of <paramref name="file"/> found at <paramref name="path"/> into its record (e.g. <see cref="MotorSection"/>).</summary>
    public static T ReadSection<T>(string file, string path, JsonElement element) =>
        ConfigFile.ReadSection(file, path, element, (JsonTypeInfo<T>)JsonOptions.GetTypeInfo(typeof(T)));

    private static JsonTypeInfo<RuntimeConfigDocument> Document =>
        (JsonTypeInfo<RuntimeConfigDocument>)JsonOptions.GetTypeInfo(typeof(RuntimeConfigDocument));

    /// <summary>Resolves a validated document read from <paramref name="file"/>.</summary>
    public static RuntimeConfig From(string file, RuntimeConfigDocument d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var root = new ConfigScope(file, "");
        return new RuntimeConfig
        {
            File = file,
            Rig = new RawSection(root.Child("rig"), d.Rig),
            Plant = d.Plant is { } p ? new RawSection(root.Child("plant"), p) : null,
            Sensors = d.Sensors,
            Motor = d.Motor?.ToParameters(),
            Controller = new RawSection(file, "controller", d.Controller),
            Reference = ReferenceSet.From(d.Reference, root.Child("reference")),
            Limits = d.Limits ?? new LimitsConfig(),
            Timing = d.Timing,
            Estimator = d.Estimator ?? new EstimatorConfig(),
            Telemetry = d.Telemetry ?? new TelemetryConfig(),
            Seed = d.Seed,
        };
    }

    /// <summary>Directory of the config file (relative paths in the config are resolved against it).</summary>
    public string BaseDirectory => Path.GetDirectoryName(Path.GetFullPath(File)) ?? ".";
}

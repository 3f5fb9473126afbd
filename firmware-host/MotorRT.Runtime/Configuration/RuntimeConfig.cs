using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Contracts.Sensors;
using MotorRT.Runtime.References;

namespace MotorRT.Runtime.Configuration;

/// <summary>
/// The whole runtime configuration, loaded from one JSON file and validated before anything is armed. Sections the
/// runtime does not interpret itself (<c>rig</c>, <c>plant</c>) are kept as strict <see cref="JsonSection"/>s and
/// handed to the composer (the CLI hands them to the twin and the simulated rig, the host to the hardware rig);
/// their readers report unknown keys. Every field is documented in <c>firmware-host/README.md</c>.
/// </summary>
public sealed record RuntimeConfig
{
    /// <summary>The file this configuration came from (for messages and relative paths).</summary>
    public required string File { get; init; }

    /// <summary>The <c>rig</c> section, read by the rig factory of the composer.</summary>
    public required JsonSection Rig { get; init; }

    /// <summary>
    /// The top-level <c>plant</c> section (simulation only), read by the twin's plant-spec reader; null when absent
    /// (the simulated rig may also hold it as <c>rig.plant</c>).
    /// </summary>
    public JsonSection? Plant { get; init; }

    /// <summary>The <c>sensors</c> section: nominal sensor scaling, used as calibration by the signal chain.</summary>
    public required SensorSpec Sensors { get; init; }

    /// <summary>The <c>motor</c> section: the machine as the controller knows it; null = take it from the plant (simulation).</summary>
    public MotorParameters? Motor { get; init; }

    /// <summary>The <c>controller</c> section, read by <see cref="ControllerFactory"/>.</summary>
    public required JsonSection Controller { get; init; }

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

    /// <summary>Top-level keys of the file.</summary>
    public static readonly string[] Keys =
        ["rig", "plant", "sensors", "motor", "controller", "reference", "limits", "timing", "estimator", "telemetry", "seed", "notes"];

    /// <summary>Loads and validates a configuration file; throws <see cref="ConfigException"/> naming file and field.</summary>
    public static RuntimeConfig Load(string path) => Read(JsonSection.Load(path));

    /// <summary>Validates a parsed root section.</summary>
    public static RuntimeConfig Read(JsonSection root)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.Ignore("notes");
        TimingConfig timing = TimingConfig.Read(root.Section("timing"));
        var config = new RuntimeConfig
        {
            File = root.File,
            Rig = root.Section("rig"),
            Plant = root.OptionalSection("plant"),
            Sensors = SensorSpec.Read(root.Section("sensors")),
            Motor = root.OptionalSection("motor") is { } m ? MotorSection.Read(m) : null,
            Controller = root.Section("controller"),
            Reference = ReferenceSet.Read(root.Section("reference")),
            Limits = root.OptionalSection("limits") is { } l ? LimitsConfig.Read(l) : new LimitsConfig(),
            Timing = timing,
            Estimator = root.OptionalSection("estimator") is { } e ? EstimatorConfig.Read(e) : new EstimatorConfig(),
            Telemetry = root.OptionalSection("telemetry") is { } t ? TelemetryConfig.Read(t) : new TelemetryConfig(),
            Seed = root.Integer("seed", 0, 0, int.MaxValue),
        };
        root.EnsureNoUnknownKeys();
        if (config.Motor is null && config.Plant is null && !config.Rig.Element.TryGetProperty("plant", out _))
        {
            throw new ConfigException(root.File, "motor", "neither a motor section nor a plant section is given",
                "add \"motor\": { \"type\": ..., parameters, \"limits\": { ... } } (required on a real rig)");
        }
        return config;
    }

    /// <summary>Directory of the config file (relative paths in the config are resolved against it).</summary>
    public string BaseDirectory => Path.GetDirectoryName(Path.GetFullPath(File)) ?? ".";
}

using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Sensors;
using MotorRT.Sim.Sensors;
using MotorRT.Sim.Spec;

namespace MotorRT.Sim.Rig;

/// <summary>
/// Builds a <see cref="SimulatedRig"/> from the config's <c>rig</c> section (type "sim"), strictly: unknown keys and
/// out-of-range values are errors naming the field. Keys (all optional except <c>type</c>): <c>plant</c> (the twin,
/// read by <see cref="PlantSpecReader.FromConfig"/>; may instead be the config's top-level <c>plant</c> section),
/// <c>sub_steps</c> (1..1000), <c>pwm_delay_periods</c> (0 or 1), <c>bridge_off</c> ("diode_freewheel" |
/// "zero_volts"), <c>overcurrent_comparator_a</c> (A, 0 = none), <c>sensor_errors</c> { <c>current</c>: [ per
/// channel { gain_error, offset_counts, noise_counts } ], <c>dc_link</c>: { … } }. Documented in <c>sim/README.md</c>.
/// </summary>
public static class SimulatedRigFactory
{
    /// <summary>Builds the rig from a <c>rig</c> section that holds its own <c>plant</c>.</summary>
    public static SimulatedRig FromConfig(JsonSection rig, SensorSpec sensors, int seed) => FromConfig(rig, sensors, seed, null);

    /// <summary>Builds the rig; the plant comes from <c>rig.plant</c> or, when absent there, from <paramref name="plant"/> (the config's top-level section).</summary>
    public static SimulatedRig FromConfig(JsonSection rig, SensorSpec sensors, int seed, JsonSection? plant)
    {
        ArgumentNullException.ThrowIfNull(rig);
        ArgumentNullException.ThrowIfNull(sensors);
        rig.OneOf("type", "sim");
        JsonSection? inner = rig.OptionalSection("plant");
        if (inner is not null && plant is not null)
        {
            throw rig.Error("plant", "the plant is given both here and at the top level", "keep exactly one plant section");
        }
        JsonSection plantSection = inner ?? plant ?? throw rig.Error("plant", "no plant to simulate", "add \"plant\": { \"preset\": \"Cont-CC-PMSM-v0\" } to the rig or to the top level");
        SimulatedRigOptions options = ReadOptions(rig, sensors);
        rig.EnsureNoUnknownKeys();
        PlantSpec spec = PlantSpecReader.FromConfig(plantSection);
        var twin = PhysicalSystem.Create(spec);
        bool threePhase = !spec.Motor.IsDc;
        if (threePhase && sensors.Current.PhasesSensed < 2)
        {
            throw new ConfigException(rig.File, "sensors.current.phases_sensed", "a three-phase plant needs at least two current sensors", "set phases_sensed to 2 or 3");
        }
        if (!threePhase && sensors.Current.PhasesSensed > 2)
        {
            throw new ConfigException(rig.File, "sensors.current.phases_sensed", "a DC plant has at most two current channels (armature, excitation)", "set phases_sensed to 1 or 2");
        }
        return new SimulatedRig(twin, sensors, options, seed);
    }

    /// <summary>Reads the options of a <c>rig</c> section of type "sim" (not <c>type</c> and <c>plant</c>).</summary>
    public static SimulatedRigOptions ReadOptions(JsonSection rig, SensorSpec sensors)
    {
        var options = new SimulatedRigOptions
        {
            SubSteps = rig.Integer("sub_steps", 1, 1, 1000),
            PwmDelayPeriods = rig.Integer("pwm_delay_periods", 1, 0, 1),
            BridgeOff = rig.OptionalString("bridge_off") switch
            {
                null or "diode_freewheel" => BridgeOffModel.DiodeFreewheel,
                "zero_volts" => BridgeOffModel.ZeroVolts,
                string other => throw rig.Error("bridge_off", $"unknown model \"{other}\"", "use \"diode_freewheel\" or \"zero_volts\""),
            },
            OverCurrentComparator = rig.Number("overcurrent_comparator_a", 0.0, 0.0, 1e6, "A"),
            SensorErrors = rig.OptionalSection("sensor_errors") is { } e ? ReadErrors(e, sensors) : SensorDeviations.None,
        };
        return options;
    }

    private static SensorDeviations ReadErrors(JsonSection e, SensorSpec sensors)
    {
        var current = new List<AdcDeviation>();
        if (e.Has("current"))
        {
            IReadOnlyList<JsonSection> channels = e.Sections("current");
            if (channels.Count > sensors.Current.PhasesSensed)
            {
                throw e.Error("current", $"{channels.Count} channels given, the rig senses {sensors.Current.PhasesSensed}", "give one entry per sensed channel (a, b[, c])");
            }
            foreach (JsonSection c in channels)
            {
                current.Add(ReadDeviation(c));
            }
        }
        AdcDeviation dc = e.OptionalSection("dc_link") is { } d ? ReadDeviation(d) : default;
        e.EnsureNoUnknownKeys();
        return new SensorDeviations { Current = current, DcLink = dc };
    }

    private static AdcDeviation ReadDeviation(JsonSection s)
    {
        var d = new AdcDeviation
        {
            GainError = s.Number("gain_error", 0.0, -0.5, 0.5),
            OffsetCounts = s.Number("offset_counts", 0.0, -1e6, 1e6, "counts"),
            NoiseCounts = s.Number("noise_counts", 0.0, 0.0, 1e4, "counts"),
        };
        s.EnsureNoUnknownKeys();
        return d;
    }
}

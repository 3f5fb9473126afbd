using System.Text.Json.Serialization.Metadata;
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
    /// <summary>Builds the rig; the plant comes from <c>rig.plant</c> or, when absent there, from <paramref name="plant"/> (the config's top-level section).</summary>
    public static SimulatedRig FromConfig(RawSection rig, SensorSpec sensors, int seed, RawSection? plant = null)
    {
        ArgumentNullException.ThrowIfNull(sensors);
        SimRigSection section = Read(rig);
        if (section.Plant is not null && plant is not null)
        {
            throw rig.Error("plant", "the plant is given both here and at the top level", "keep exactly one plant section");
        }
        PlantSpec spec = section.Plant is { } inner ? inner.ToSpec(rig.Scope.Child("plant"))
            : plant is { } top ? PlantSpecReader.FromConfig(top)
            : throw rig.Error("plant", "no plant to simulate", "add \"plant\": { \"preset\": \"Cont-CC-PMSM-v0\" } to the rig or to the top level");
        SimulatedRigOptions options = ToOptions(section, sensors, rig.Scope);
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

    /// <summary>Metadata of the <c>rig</c> section of type "sim".</summary>
    public static JsonTypeInfo<SimRigSection> SectionInfo => (JsonTypeInfo<SimRigSection>)SimRigJson.ConfigOptions.GetTypeInfo(typeof(SimRigSection));

    /// <summary>Reads a <c>rig</c> section of type "sim" into its record (strict).</summary>
    public static SimRigSection Read(RawSection rig)
    {
        return rig.Read(SectionInfo);
    }

    /// <summary>The rig options of a validated section (<paramref name="scope"/> locates it for errors).</summary>
    public static SimulatedRigOptions ToOptions(SimRigSection section, SensorSpec sensors, ConfigScope scope)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(sensors);
        return new SimulatedRigOptions
        {
            SubSteps = section.SubSteps,
            PwmDelayPeriods = section.PwmDelayPeriods,
            BridgeOff = section.BridgeOff == "zero_volts" ? BridgeOffModel.ZeroVolts : BridgeOffModel.DiodeFreewheel,
            OverCurrentComparator = section.OverCurrentComparator,
            SensorErrors = section.SensorErrors is { } e ? ToDeviations(e, sensors, scope.Child("sensor_errors")) : SensorDeviations.None,
        };
    }

    private static SensorDeviations ToDeviations(SensorErrorsSection e, SensorSpec sensors, ConfigScope scope)
    {
        var current = new List<AdcDeviation>();
        if (e.Current is { } channels)
        {
            if (channels.Length > sensors.Current.PhasesSensed)
            {
                throw scope.Error("current", $"{channels.Length} channels given, the rig senses {sensors.Current.PhasesSensed}", "give one entry per sensed channel (a, b[, c])");
            }
            foreach (AdcDeviationSection c in channels) current.Add(ToDeviation(c));
        }
        return new SensorDeviations { Current = current, DcLink = e.DcLink is { } d ? ToDeviation(d) : default };
    }

    private static AdcDeviation ToDeviation(AdcDeviationSection s) =>
        new() { GainError = s.GainError, OffsetCounts = s.OffsetCounts, NoiseCounts = s.NoiseCounts };
}

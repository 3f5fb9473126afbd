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
    public required CurrentSensorSpec Current { get; init; }

    /// <summary>DC-link voltage ADC channel.</summary>
    public required VoltageSensorSpec DcLink { get; init; }

    /// <summary>Incremental encoder, or null when the rig has none.</summary>
    public EncoderSpec? Encoder { get; init; }

    /// <summary>True when the rig has three Hall sensors (60° electrical resolution).</summary>
    public bool HallSensors { get; init; }

    /// <summary>Reads and validates a <c>sensors</c> section; errors name the field.</summary>
    public static SensorSpec Read(JsonSection s)
    {
        var spec = new SensorSpec
        {
            Current = CurrentSensorSpec.Read(s.Section("current")),
            DcLink = VoltageSensorSpec.Read(s.Section("dc_link")),
            Encoder = s.OptionalSection("encoder") is { } e ? EncoderSpec.Read(e) : null,
            HallSensors = s.Boolean("hall_sensors", false),
        };
        s.EnsureNoUnknownKeys();
        return spec;
    }
}

/// <summary>A current-sensing ADC channel set (shunt or Hall-effect sensor plus ADC).</summary>
public sealed record CurrentSensorSpec
{
    /// <summary>ADC resolution, in bits (counts span [0, 2^bits − 1]).</summary>
    public int Bits { get; init; } = 12;

    /// <summary>Current per ADC count, in A/count.</summary>
    public required double AmperesPerCount { get; init; }

    /// <summary>Nominal count at zero current (usually mid-scale), in counts. Re-measured at arm time.</summary>
    public required double ZeroCounts { get; init; }

    /// <summary>How many phases have a sensor: 2 (a, b; c = −a − b) or 3. DC machines: 1 (armature) or 2 (plus excitation).</summary>
    public int PhasesSensed { get; init; } = 2;

    /// <summary>Full-scale current in either direction, in A (from bits, gain and zero point).</summary>
    public double FullScale => Math.Min(ZeroCounts, (1 << Bits) - 1 - ZeroCounts) * AmperesPerCount;

    /// <summary>Reads and validates a <c>sensors.current</c> section.</summary>
    public static CurrentSensorSpec Read(JsonSection s)
    {
        int bits = s.Integer("bits", 12, 8, 24);
        var spec = new CurrentSensorSpec
        {
            Bits = bits,
            AmperesPerCount = s.Number("amperes_per_count", 1e-6, 100.0, "A/count"),
            ZeroCounts = s.Number("zero_counts", 0.0, (1 << bits) - 1, "counts"),
            PhasesSensed = s.Integer("phases_sensed", 2, 1, 3),
        };
        s.EnsureNoUnknownKeys();
        return spec;
    }
}

/// <summary>The DC-link voltage ADC channel (resistive divider plus ADC).</summary>
public sealed record VoltageSensorSpec
{
    /// <summary>ADC resolution, in bits.</summary>
    public int Bits { get; init; } = 12;

    /// <summary>Voltage per ADC count, in V/count (divider ratio included).</summary>
    public required double VoltsPerCount { get; init; }

    /// <summary>Full-scale voltage, in V.</summary>
    public double FullScale => ((1 << Bits) - 1) * VoltsPerCount;

    /// <summary>Reads and validates a <c>sensors.dc_link</c> section.</summary>
    public static VoltageSensorSpec Read(JsonSection s)
    {
        var spec = new VoltageSensorSpec
        {
            Bits = s.Integer("bits", 12, 8, 24),
            VoltsPerCount = s.Number("volts_per_count", 1e-6, 100.0, "V/count"),
        };
        s.EnsureNoUnknownKeys();
        return spec;
    }
}

/// <summary>An incremental quadrature encoder on the rotor shaft.</summary>
public sealed record EncoderSpec
{
    /// <summary>Lines per mechanical revolution (4× as many quadrature counts).</summary>
    public required int LinesPerRevolution { get; init; }

    /// <summary>True when the encoder has an index (Z) pulse once per revolution.</summary>
    public bool HasIndex { get; init; } = true;

    /// <summary>+1 when counts increase with positive mechanical speed, −1 when the wiring reverses them.</summary>
    public int Direction { get; init; } = 1;

    /// <summary>Electrical angle of the rotor d-axis when the encoder count is zero, in rad (found by alignment).</summary>
    public double ElectricalAngleOffset { get; init; }

    /// <summary>Counts per mechanical revolution (4 × lines).</summary>
    public int CountsPerRevolution => 4 * LinesPerRevolution;

    /// <summary>Reads and validates a <c>sensors.encoder</c> section.</summary>
    public static EncoderSpec Read(JsonSection s)
    {
        var spec = new EncoderSpec
        {
            LinesPerRevolution = s.Integer("lines_per_revolution", 1, 1 << 20),
            HasIndex = s.Boolean("has_index", true),
            Direction = s.Integer("direction", 1, -1, 1),
            ElectricalAngleOffset = s.Number("electrical_angle_offset", 0.0, -Math.PI, Math.PI, "rad"),
        };
        if (spec.Direction == 0)
        {
            throw s.Error("direction", "direction must be +1 or -1", "write 1 or -1");
        }
        s.EnsureNoUnknownKeys();
        return spec;
    }
}

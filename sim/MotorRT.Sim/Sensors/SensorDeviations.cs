namespace MotorRT.Sim.Sensors;

/// <summary>
/// Constant deviations of the emulated sensors from the nominal <c>SensorSpec</c> (which the runtime uses as its
/// calibration): a rig is never exactly as specified, and the runtime's calibration must cope. From the config's
/// <c>rig.sensor_errors</c> section. Default: a perfect rig.
/// </summary>
public sealed record SensorDeviations
{
    /// <summary>No deviations.</summary>
    public static SensorDeviations None { get; } = new();

    /// <summary>Current channels in sensing order (a, b, c; DC: armature, excitation); missing entries are perfect.</summary>
    public IReadOnlyList<AdcDeviation> Current { get; init; } = [];

    /// <summary>DC-link channel.</summary>
    public AdcDeviation DcLink { get; init; }

    /// <summary>The deviation of current channel <paramref name="index"/>.</summary>
    public AdcDeviation CurrentChannel(int index) => index < Current.Count ? Current[index] : default;
}

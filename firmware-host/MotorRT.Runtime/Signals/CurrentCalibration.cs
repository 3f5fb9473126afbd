using MotorRT.Contracts;

namespace MotorRT.Runtime.Signals;

/// <summary>
/// Measures the zero-current count of each current channel by averaging frames taken with the bridge off (so no
/// current can flow), as done at arm time. Replaces the nominal zero from the sensor spec.
/// </summary>
public struct CurrentCalibration
{
    private long _sumA, _sumB, _sumC;

    /// <summary>Frames accumulated so far.</summary>
    public int Samples;

    /// <summary>Adds one frame (bridge off).</summary>
    public void Add(in RawSensorFrame frame)
    {
        _sumA += frame.CurrentCountsA;
        _sumB += frame.CurrentCountsB;
        _sumC += frame.CurrentCountsC;
        Samples++;
    }

    /// <summary>Mean count of channel A, in counts.</summary>
    public readonly double OffsetA => Samples == 0 ? double.NaN : (double)_sumA / Samples;

    /// <summary>Mean count of channel B, in counts.</summary>
    public readonly double OffsetB => Samples == 0 ? double.NaN : (double)_sumB / Samples;

    /// <summary>Mean count of channel C, in counts.</summary>
    public readonly double OffsetC => Samples == 0 ? double.NaN : (double)_sumC / Samples;

    /// <summary>Starts over.</summary>
    public void Reset() => this = default;
}

namespace MotorRT.Sim.Sensors;

/// <summary>
/// One ADC channel behind an analogue front end (shunt amplifier, Hall-effect current sensor or resistive divider):
/// counts = clamp(round(zero + offset + drift·t + x·(1 + gain error)/units-per-count + noise), 0, 2^bits − 1).
/// Quantisation rounds to the nearest count; saturation clamps at the rails as a real converter does.
/// Fault fields (<see cref="StuckAtCounts"/>, <see cref="OffsetDriftCountsPerSecond"/>, <see cref="ForcedRail"/>, <see cref="GainFault"/>)
/// may be changed between ticks to inject sensor faults; the per-sample path does not allocate.
/// </summary>
public sealed class AdcChannel
{
    private SeededNoise _noise;
    private readonly SeededNoise _noiseAtReset;
    private readonly bool _nominal; // no gain error, offset or noise: the nominal conversion

    /// <summary>Creates a channel.</summary>
    /// <param name="unitsPerCount">Nominal scale, in physical units per count (A/count or V/count); must be positive.</param>
    /// <param name="zeroCounts">Count at zero input, in counts (mid-scale for bipolar current sensors, 0 for voltage).</param>
    /// <param name="bits">Resolution, in bits (1..30).</param>
    /// <param name="deviation">Constant deviations of this channel from its nominal description (gain error, offset, noise).</param>
    /// <param name="seed">Scenario seed for the noise.</param>
    /// <param name="stream">Channel number, so channels draw independent noise sequences from one seed.</param>
    public AdcChannel(double unitsPerCount, double zeroCounts, int bits, AdcDeviation deviation, int seed, int stream)
    {
        if (!(unitsPerCount > 0) || !double.IsFinite(unitsPerCount))
        {
            throw new ArgumentOutOfRangeException(nameof(unitsPerCount), unitsPerCount, "units per count must be a positive finite number");
        }
        if (bits is < 1 or > 30)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "ADC resolution must be 1..30 bits");
        }
        UnitsPerCount = unitsPerCount;
        ZeroCounts = zeroCounts;
        Bits = bits;
        MaxCount = (1 << bits) - 1;
        Deviation = deviation;
        _nominal = deviation.GainError == 0 && deviation.OffsetCounts == 0 && !(deviation.NoiseCounts > 0);
        _noiseAtReset = new SeededNoise(seed, stream);
        _noise = _noiseAtReset;
    }

    /// <summary>Nominal scale, in physical units per count.</summary>
    public double UnitsPerCount { get; }

    /// <summary>Nominal count at zero input, in counts.</summary>
    public double ZeroCounts { get; }

    /// <summary>Resolution, in bits.</summary>
    public int Bits { get; }

    /// <summary>Largest count (2^bits − 1).</summary>
    public int MaxCount { get; }

    /// <summary>Constant deviations of the emulated hardware from the nominal description.</summary>
    public AdcDeviation Deviation { get; }

    /// <summary>Fault: when ≥ 0 the channel returns this count regardless of its input (stuck-at), in counts.</summary>
    public int StuckAtCounts = -1;

    /// <summary>Fault: offset drift rate, in counts/s, accumulated from <see cref="DriftStartTime"/>.</summary>
    public double OffsetDriftCountsPerSecond;

    /// <summary>Rig time at which the drift starts, in s.</summary>
    public double DriftStartTime;

    /// <summary>Fault: +1 pins the output at the top rail, −1 at the bottom rail (front-end saturation), 0 none.</summary>
    public int ForcedRail;

    /// <summary>Fault: additional relative gain error (dimensionless, 0 none): the channel reads x·(1 + gain error)·(1 + GainFault).</summary>
    public double GainFault;

    /// <summary>Clears all injected faults and rewinds the noise sequence (called when the rig opens).</summary>
    public void Reset()
    {
        StuckAtCounts = -1;
        OffsetDriftCountsPerSecond = 0;
        DriftStartTime = 0;
        ForcedRail = 0;
        GainFault = 0;
        _noise = _noiseAtReset;
    }

    /// <summary>Converts a physical input to counts.</summary>
    /// <param name="value">True input, in the channel's physical unit (A or V).</param>
    /// <param name="time">Rig time, in s (for offset drift).</param>
    public int Convert(double value, double time)
    {
        // Draw noise on every sample, faulted or not, so injecting a fault does not shift later noise.
        double noise = Deviation.NoiseCounts > 0 ? Deviation.NoiseCounts * _noise.NextGaussian() : 0.0;
        if (StuckAtCounts >= 0)
        {
            return Math.Min(StuckAtCounts, MaxCount);
        }
        if (ForcedRail != 0)
        {
            return ForcedRail > 0 ? MaxCount : 0;
        }
        double raw;
        if (_nominal && OffsetDriftCountsPerSecond == 0 && GainFault == 0)
        {
            // The general expression below with its zero terms and unit factors left out (x + 0 and x·1 are x; the only
            // difference, −0 against +0, reads as the bottom rail either way).
            raw = ZeroCounts + value / UnitsPerCount;
        }
        else
        {
            double drift = OffsetDriftCountsPerSecond != 0 ? OffsetDriftCountsPerSecond * (time - DriftStartTime) : 0.0;
            raw = ZeroCounts + Deviation.OffsetCounts + drift + value * (1.0 + Deviation.GainError) * (1.0 + GainFault) / UnitsPerCount + noise;
        }
        if (!(raw > 0))
        {
            return 0; // also NaN: a broken input reads as the bottom rail, never as a plausible value
        }
        if (raw >= MaxCount)
        {
            return MaxCount;
        }
        return (int)Math.Floor(raw + 0.5);
    }

    /// <summary>The inverse of the nominal conversion (what a perfectly calibrated signal chain would compute), in physical units.</summary>
    public double ToPhysical(int counts) => (counts - ZeroCounts) * UnitsPerCount;
}

/// <summary>Constant deviations of one emulated ADC channel from the nominal sensor description.</summary>
public readonly record struct AdcDeviation
{
    /// <summary>Relative gain error (dimensionless): the channel reads x·(1 + GainError).</summary>
    public double GainError { get; init; }

    /// <summary>Offset added to the nominal zero point, in counts (the runtime's arm-time calibration should remove it).</summary>
    public double OffsetCounts { get; init; }

    /// <summary>Standard deviation of additive white Gaussian noise, in counts (0 = noise-free).</summary>
    public double NoiseCounts { get; init; }
}

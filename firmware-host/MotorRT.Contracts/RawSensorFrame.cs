namespace MotorRT.Contracts;

/// <summary>
/// What a rig delivers once per tick, in raw hardware units: ADC counts, encoder counts, digital fault inputs.
/// Conversion to physical units is the runtime's signal chain's job, with the calibration from the config, so the
/// same conversion code runs on the simulated rig, the Raspberry Pi rig and the remote HIL rig.
/// </summary>
public struct RawSensorFrame
{
    /// <summary>Tick counter of the rig when the frame was sampled (dimensionless, monotonically increasing).</summary>
    public long Sequence;

    /// <summary>Rig time of the sample, in nanoseconds. The simulated rig derives it from its step counter only.</summary>
    public long TimestampNs;

    /// <summary>Phase-A (or DC armature) current ADC reading, in ADC counts.</summary>
    public int CurrentCountsA;

    /// <summary>Phase-B (or DC excitation) current ADC reading, in ADC counts.</summary>
    public int CurrentCountsB;

    /// <summary>Phase-C current ADC reading, in ADC counts; meaningful only when <see cref="PhaseCSensed"/>.</summary>
    public int CurrentCountsC;

    /// <summary>True when phase C has its own current sensor; otherwise the signal chain uses i_c = −i_a − i_b.</summary>
    public bool PhaseCSensed;

    /// <summary>DC-link voltage ADC reading, in ADC counts.</summary>
    public int DcLinkCounts;

    /// <summary>Quadrature encoder position, in counts (4 per line), signed and unwrapped since the rig was opened.</summary>
    public long EncoderCount;

    /// <summary>Number of index pulses seen since the rig was opened (dimensionless).</summary>
    public int EncoderIndexPulses;

    /// <summary>Encoder count latched at the most recent index pulse, in counts; valid when <see cref="EncoderIndexPulses"/> &gt; 0.</summary>
    public long EncoderCountAtIndex;

    /// <summary>Hall sensor state as three bits (H_A = bit 2, H_B = bit 1, H_C = bit 0), or −1 when there are no Hall sensors.</summary>
    public int HallState;

    /// <summary>Digital fault inputs as a bit mask (bit 0: gate-driver fault, bit 1: hardware over-current comparator).</summary>
    public uint FaultInputs;
}

using MotorRT.Contracts;
using MotorRT.Contracts.Sensors;

namespace MotorRT.Sim.Sensors;

/// <summary>
/// All sensors of one rig: current ADC channels, DC-link ADC, optional encoder and Hall sensors, sampled together
/// into a <see cref="RawSensorFrame"/>. Channel mapping: three-phase machines sense phases a, b (and c when
/// <see cref="CurrentSensorSpec.PhasesSensed"/> is 3) into <c>CurrentCountsA/B/C</c>; DC machines sense the armature
/// into <c>CurrentCountsA</c> and, with two channels, the excitation current into <c>CurrentCountsB</c>.
/// Built once; <see cref="Sample"/> does not allocate.
/// </summary>
public sealed class SensorSuite
{
    private readonly AdcChannel[] _current;

    /// <summary>Builds the sensors for <paramref name="machine"/> from their nominal description plus deviations.</summary>
    /// <param name="spec">Nominal sensors (the runtime's calibration).</param>
    /// <param name="machine">Machine family (decides the current-channel mapping).</param>
    /// <param name="deviations">How the emulated hardware differs from <paramref name="spec"/>; null = perfect.</param>
    /// <param name="seed">Scenario seed for sensor noise.</param>
    public SensorSuite(SensorSpec spec, MachineKind machine, SensorDeviations? deviations, int seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        deviations ??= SensorDeviations.None;
        int phases = spec.Current.PhasesSensed;
        if (machine == MachineKind.ThreePhase && phases < 2)
        {
            throw new ArgumentException("a three-phase rig needs at least two current sensors (sensors.current.phases_sensed = 2 or 3)", nameof(spec));
        }
        if (machine == MachineKind.Dc && phases > 2)
        {
            throw new ArgumentException("a DC rig has at most two current channels (armature, excitation): sensors.current.phases_sensed = 1 or 2", nameof(spec));
        }
        Spec = spec;
        Machine = machine;
        _current = new AdcChannel[phases];
        for (int i = 0; i < phases; i++)
        {
            _current[i] = new AdcChannel(spec.Current.AmperesPerCount, spec.Current.ZeroCounts, spec.Current.Bits, deviations.CurrentChannel(i), seed, i);
        }
        DcLink = new AdcChannel(spec.DcLink.VoltsPerCount, 0.0, spec.DcLink.Bits, deviations.DcLink, seed, 16);
        Encoder = spec.Encoder is { } e ? new EncoderModel(e) : null;
    }

    /// <summary>Nominal description.</summary>
    public SensorSpec Spec { get; }

    /// <summary>Machine family.</summary>
    public MachineKind Machine { get; }

    /// <summary>Current channels in sensing order (index 0 = a / armature).</summary>
    public ReadOnlySpan<AdcChannel> Current => _current;

    /// <summary>A current channel by index (0 = a / armature, 1 = b / excitation, 2 = c), for fault injection.</summary>
    public AdcChannel CurrentChannel(int index) => _current[index];

    /// <summary>DC-link voltage channel.</summary>
    public AdcChannel DcLink { get; }

    /// <summary>The encoder, or null when the rig has none.</summary>
    public EncoderModel? Encoder { get; }

    /// <summary>Clears faults, counters and noise sequences.</summary>
    public void Reset()
    {
        foreach (AdcChannel c in _current)
        {
            c.Reset();
        }
        DcLink.Reset();
        Encoder?.Reset();
    }

    /// <summary>Samples every sensor into the measurement fields of <paramref name="frame"/> (not Sequence/TimestampNs/FaultInputs).</summary>
    /// <param name="inputs">True plant quantities.</param>
    /// <param name="time">Rig time, in s.</param>
    /// <param name="frame">Frame to fill.</param>
    public void Sample(in SensorInputs inputs, double time, ref RawSensorFrame frame)
    {
        AdcChannel[] ch = _current;
        if (Machine == MachineKind.ThreePhase)
        {
            frame.CurrentCountsA = ch[0].Convert(inputs.CurrentA, time);
            frame.CurrentCountsB = ch[1].Convert(inputs.CurrentB, time);
            frame.PhaseCSensed = ch.Length > 2;
            frame.CurrentCountsC = ch.Length > 2 ? ch[2].Convert(inputs.CurrentC, time) : 0;
        }
        else
        {
            frame.CurrentCountsA = ch[0].Convert(inputs.CurrentA, time);
            frame.CurrentCountsB = ch.Length > 1 ? ch[1].Convert(inputs.CurrentExcitation, time) : 0;
            frame.CurrentCountsC = 0;
            frame.PhaseCSensed = false;
        }
        frame.DcLinkCounts = DcLink.Convert(inputs.DcLinkVoltage, time);
        if (Encoder is { } enc)
        {
            enc.Update(inputs.MechanicalAngle);
            frame.EncoderCount = enc.Count;
            frame.EncoderIndexPulses = enc.IndexPulses;
            frame.EncoderCountAtIndex = enc.CountAtIndex;
        }
        else
        {
            frame.EncoderCount = 0;
            frame.EncoderIndexPulses = 0;
            frame.EncoderCountAtIndex = 0;
        }
        frame.HallState = Spec.HallSensors ? HallSensorModel.State(inputs.ElectricalAngle) : -1;
    }
}

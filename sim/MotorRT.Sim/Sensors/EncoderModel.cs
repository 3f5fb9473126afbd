using MotorRT.Contracts.Sensors;

namespace MotorRT.Sim.Sensors;

/// <summary>
/// An incremental quadrature encoder as a 4× decoder sees it. The count is
/// floor(direction · θ_mech · 4·lines / 2π) from the plant's unwrapped mechanical angle θ_mech (count 0 at θ = 0),
/// plus any injected glitch offset. The index (Z) channel is a gated index one count wide at every multiple of the
/// counts per revolution: a pulse is counted each time the physical position enters such a count, from either
/// direction, and the decoder's count at that moment is latched. This is exactly what the hardware decoders in
/// <c>firmware-host/MotorRT.Hardware</c> reconstruct from emulated A/B/Z edges.
/// </summary>
public sealed class EncoderModel
{
    private long _lastTrueCount;
    private bool _started;

    /// <summary>Creates the model from its nominal description.</summary>
    public EncoderModel(EncoderSpec spec)
    {
        Spec = spec;
        CountsPerRevolution = spec.CountsPerRevolution;
    }

    /// <summary>The encoder's description.</summary>
    public EncoderSpec Spec { get; }

    /// <summary>Quadrature counts per mechanical revolution (4 × lines).</summary>
    public int CountsPerRevolution { get; }

    /// <summary>
    /// Fault: the encoder counts the other way (A/B swapped, or mounted mirrored). Set it before the shaft moves (at
    /// calibration), as a wiring error is there from the start.
    /// </summary>
    public bool Reversed;

    /// <summary>
    /// Fault: the encoder fitted has this many lines per revolution instead of the spec's (0 = as specified). Set it
    /// before the shaft moves (at calibration); the index pulse comes every 4 × this many counts.
    /// </summary>
    public int FittedLinesPerRevolution;

    private int Cpr => FittedLinesPerRevolution > 0 ? 4 * FittedLinesPerRevolution : CountsPerRevolution;

    /// <summary>Fault: while true the encoder is disconnected: the count and index freeze (no edges reach the decoder).</summary>
    public bool Disconnected;

    /// <summary>Fault: accumulated spurious counts (a glitch of n counts adds n here), in counts.</summary>
    public long GlitchOffsetCounts;

    /// <summary>Reported count, in counts (what the decoder holds).</summary>
    public long Count { get; private set; }

    /// <summary>Index pulses seen since reset (dimensionless).</summary>
    public int IndexPulses { get; private set; }

    /// <summary>Count latched at the most recent index pulse, in counts.</summary>
    public long CountAtIndex { get; private set; }

    /// <summary>Adds a count glitch of <paramref name="counts"/> (a burst of spurious or missed edges), in counts.</summary>
    public void InjectGlitch(long counts) => GlitchOffsetCounts += counts;

    /// <summary>Clears faults and counters (called when the rig opens).</summary>
    public void Reset()
    {
        Disconnected = false;
        Reversed = false;
        FittedLinesPerRevolution = 0;
        GlitchOffsetCounts = 0;
        Count = 0;
        IndexPulses = 0;
        CountAtIndex = 0;
        _started = false;
        _lastTrueCount = 0;
    }

    /// <summary>The physical count for a mechanical angle, in counts (no glitches).</summary>
    /// <param name="mechanicalAngle">Unwrapped mechanical angle, in rad.</param>
    public long TrueCount(double mechanicalAngle) =>
        (long)Math.Floor((Reversed ? -Spec.Direction : Spec.Direction) * mechanicalAngle * (Cpr / (2.0 * Math.PI)));

    /// <summary>Advances the model to the plant's current mechanical angle.</summary>
    /// <param name="mechanicalAngle">Unwrapped mechanical angle, in rad.</param>
    public void Update(double mechanicalAngle)
    {
        if (Disconnected)
        {
            // No edges reach the decoder: when the line comes back, counting resumes from wherever the shaft then is,
            // so the movement while disconnected is lost (shows up as a permanent offset).
            long now = TrueCount(mechanicalAngle);
            GlitchOffsetCounts -= now - _lastTrueCount;
            _lastTrueCount = now;
            return;
        }
        long c1 = TrueCount(mechanicalAngle);
        if (!_started)
        {
            _started = true;
            _lastTrueCount = c1;
            Count = c1 + GlitchOffsetCounts;
            // Starting exactly on the index count does not count as entering it.
            return;
        }
        long c0 = _lastTrueCount;
        if (Spec.HasIndex && c1 != c0)
        {
            int cpr = Cpr;
            if (c1 > c0)
            {
                long entered = FloorDiv(c1, cpr) - FloorDiv(c0, cpr); // multiples of cpr in (c0, c1]
                if (entered > 0)
                {
                    IndexPulses += (int)entered;
                    CountAtIndex = FloorDiv(c1, cpr) * cpr + GlitchOffsetCounts;
                }
            }
            else
            {
                long entered = CeilDiv(c0, cpr) - CeilDiv(c1, cpr); // multiples of cpr in [c1, c0)
                if (entered > 0)
                {
                    IndexPulses += (int)entered;
                    CountAtIndex = CeilDiv(c1, cpr) * cpr + GlitchOffsetCounts;
                }
            }
        }
        _lastTrueCount = c1;
        Count = c1 + GlitchOffsetCounts;
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    private static long CeilDiv(long a, long b) => -FloorDiv(-a, b);
}

namespace MotorRT.Sim.Gym.References;

/// <summary>The waveform of a <see cref="PeriodicReferenceGenerator"/>.</summary>
public enum Waveform
{
    /// <summary>GEM's SinusoidalReferenceGenerator: a·sin(2πft + φ) + o.</summary>
    Sinusoidal,

    /// <summary>GEM's TriangularReferenceGenerator: a·sawtooth(2πft + φ, width ~ U(0, 1)) + o (scipy's sawtooth).</summary>
    Triangular,

    /// <summary>GEM's SawtoothReferenceGenerator: a·sawtooth(2πft + φ) + o (rising ramp).</summary>
    Sawtooth,

    /// <summary>GEM's StepReferenceGenerator: a·sign(f·(t mod 1/f) − h) + o, h ~ Triangular(0, 0.5, 1), rolled by a random phase.</summary>
    Step,
}

/// <summary>
/// GEM's periodic sub-episoded generators. Per sub-episode: amplitude a ~ U(amplitude range clipped to
/// [0, (high − low)/2]), frequency f ~ U(frequency range) in Hz, offset o ~ U(offset range clipped so that o ± a fits
/// the margin — GEM clips with −high + a for the sinusoid, triangle and sawtooth, with low + a for the step), a random
/// phase; the samples are clipped to the limit margin.
/// </summary>
public sealed class PeriodicReferenceGenerator : SubepisodedReferenceGenerator
{
    private readonly Waveform _wave;
    private readonly (double Low, double High) _frequency;
    private (double Low, double High) _amplitude, _offset;
    private readonly (double Low, double High) _amplitudeArg, _offsetArg;

    /// <summary>Creates the generator; ranges are normalised (amplitude, offset) and in Hz (frequency, default 1–10 Hz).</summary>
    public PeriodicReferenceGenerator(Waveform waveform, string referenceState, (double Low, double High)? amplitudeRange = null,
        (double Low, double High)? frequencyRange = null, (double Low, double High)? offsetRange = null,
        (int Min, int Max)? episodeLengths = null, (double Low, double High)? limitMargin = null)
        : base(referenceState, episodeLengths, limitMargin)
    {
        _wave = waveform;
        _amplitudeArg = amplitudeRange ?? (0, double.PositiveInfinity);
        _frequency = frequencyRange ?? (1, 10);
        _offsetArg = offsetRange ?? (double.NegativeInfinity, double.PositiveInfinity);
        if (!(_frequency.Low > 0 && _frequency.High >= _frequency.Low)) throw new ArgumentException($"frequency range must satisfy 0 < low ≤ high Hz, got ({_frequency.Low}, {_frequency.High})");
    }

    /// <inheritdoc/>
    public override void Bind(StateLayout layout, double tau)
    {
        base.Bind(layout, tau);
        double half = (Margin.High - Margin.Low) / 2;
        _amplitude = (Math.Clamp(_amplitudeArg.Low, 0, half), Math.Clamp(_amplitudeArg.High, 0, half));
        _offset = (Clip(_offsetArg.Low), Clip(_offsetArg.High));
    }

    /// <inheritdoc/>
    protected override void NewSubEpisode()
    {
        double a = Draw(_amplitude), f = Draw(_frequency);
        double lower = _wave == Waveform.Step ? Margin.Low + a : -Margin.High + a;
        double upper = Margin.High - a;
        double o = Draw((Math.Clamp(_offset.Low, lower, upper), Math.Clamp(_offset.High, lower, upper)));
        int n = Length;
        switch (_wave)
        {
            case Waveform.Step:
            {
                double highLow = Random.Triangular(0, 0.5, 1);
                double phase = Random.NextUniform();
                int roll = (int)(1 / f / Tau * phase);
                for (int i = 0; i < n; i++)
                {
                    int src = ((i - roll) % n + n) % n; // numpy.roll: out[i] = in[i − shift]
                    double t = SampleTime(src);
                    double x = f * (t % (1 / f)) - highLow;
                    Samples[i] = Clip(a * Math.Sign(x) + o);
                }
                break;
            }
            case Waveform.Sinusoidal:
            {
                double phase = Random.NextUniform() * 2 * Math.PI;
                for (int i = 0; i < n; i++) Samples[i] = Clip(a * Math.Sin(2 * Math.PI * f * SampleTime(i) + phase) + o);
                break;
            }
            default:
            {
                double phase = Random.NextUniform() * 2 * Math.PI;
                double width = _wave == Waveform.Triangular ? Random.NextUniform() : 1.0;
                for (int i = 0; i < n; i++) Samples[i] = Clip(a * Sawtooth(2 * Math.PI * f * SampleTime(i) + phase, width) + o);
                break;
            }
        }
    }

    /// <summary>scipy.signal.sawtooth(t, width): −1 → 1 over width·2π, then 1 → −1.</summary>
    public static double Sawtooth(double t, double width)
    {
        double tmod = t % (2 * Math.PI);
        if (tmod < 0) tmod += 2 * Math.PI;
        if (tmod < width * 2 * Math.PI) return tmod / (width * Math.PI) - 1;
        return Math.PI * (width + 1) / (Math.PI * (1 - width)) - tmod / (Math.PI * (1 - width));
    }
}

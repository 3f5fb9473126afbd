using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace MotorRT.Sim.Gym.References;

/// <summary>
/// GEM's SubepisodedReferenceGenerator: one referenced state; sub-episodes of int(U(episode_lengths)) samples are
/// generated at once, each continuing from the last value. The limit margin defaults to nominal/limit × the state
/// space bounds (a number m gives m × bounds, a pair (lo, hi) gives lo × low, hi × high).
/// </summary>
public abstract class SubepisodedReferenceGenerator : ReferenceGenerator
{
    private readonly string[] _names;
    private readonly (double Min, double Max) _episodeLengths;
    private readonly (double Low, double High)? _margin;
    private int _index = -1, _k, _length;

    /// <summary>The current sub-episode's samples (capacity: the longest sub-episode).</summary>
    protected double[] Samples { get; private set; } = [];

    /// <summary>The reference value last observed (normalised).</summary>
    protected double Value { get; set; }

    /// <summary>The random stream.</summary>
    protected GymRandom Random;

    /// <summary>Lower and upper clip bound of the references (normalised), after <see cref="Bind"/>.</summary>
    protected (double Low, double High) Margin { get; private set; }

    /// <summary>Creates the generator.</summary>
    /// <param name="referenceState">GEM name of the referenced state.</param>
    /// <param name="episodeLengths">Minimum and maximum sub-episode length, in samples (GEM default 500, 2000).</param>
    /// <param name="limitMargin">Margin factors (lower, upper) times the state space bounds; null = nominal/limit.</param>
    protected SubepisodedReferenceGenerator(string referenceState, (int Min, int Max)? episodeLengths, (double Low, double High)? limitMargin)
    {
        _names = [referenceState];
        var e = episodeLengths ?? (500, 2000);
        if (e.Min < 1 || e.Max < e.Min) throw new ArgumentException($"episode lengths must satisfy 1 ≤ min ≤ max, got ({e.Min}, {e.Max})");
        _episodeLengths = (e.Min, e.Max);
        _margin = limitMargin;
        Random = new GymRandom(0);
    }

    /// <summary>Position of the referenced state, after <see cref="Bind"/>.</summary>
    protected int StateIndex => _index;

    /// <summary>Number of samples of the current sub-episode.</summary>
    protected int Length => _length;

    /// <inheritdoc/>
    public override IReadOnlyList<string> ReferenceNames => _names;

    /// <inheritdoc/>
    public override void Bind(StateLayout layout, double tau)
    {
        base.Bind(layout, tau);
        _index = layout.IndexOf(_names[0]);
        double lo = layout.Low[_index], hi = layout.High[_index];
        if (_margin is { } m) Margin = (m.Low * lo, m.High * hi);
        else
        {
            double f = layout.Nominal[_index] / layout.Limits[_index];
            Margin = (f * lo, f * hi);
        }
        LowBound[0] = Margin.Low;
        HighBound[0] = Margin.High;
        Samples = new double[(int)Math.Ceiling(_episodeLengths.Max) + 1];
    }

    /// <inheritdoc/>
    public override void Seed(ulong seed) => Random = new GymRandom(seed);

    /// <summary>The value a new episode starts from (GEM: 0, the Wiener process draws from its initial range).</summary>
    protected virtual double InitialValue() => 0.0;

    /// <inheritdoc/>
    public override void Reset(ReadOnlySpan<double> state, Span<double> observation) => Start(InitialValue(), state, observation);

    /// <inheritdoc/>
    public override void ResetFrom(ReadOnlySpan<double> state, ReadOnlySpan<double> referenceArray, Span<double> observation) =>
        Start(referenceArray[_index], state, observation);

    private void Start(double value, ReadOnlySpan<double> state, Span<double> observation)
    {
        Value = value;
        _length = -1;
        _k = 0;
        NextObservation(state, observation);
    }

    /// <inheritdoc/>
    public override void GetReference(Span<double> referenceArray)
    {
        referenceArray.Clear();
        referenceArray[_index] = Value;
    }

    /// <inheritdoc/>
    public override void NextObservation(ReadOnlySpan<double> state, Span<double> observation) => observation[0] = Next();

    /// <summary>Moves on by one sample and returns it (the observed reference; GEM's sub-episoded generators ignore the state).</summary>
    public double Next()
    {
        if (_k >= _length)
        {
            _k = 0;
            _length = (int)Draw(_episodeLengths);
            NewSubEpisode();
        }
        Value = Samples[_k++];
        return Value;
    }

    /// <summary>
    /// Moves on by up to <paramref name="max"/> samples within the current sub-episode only (no new sub-episode is
    /// drawn, so the random stream is not touched) and writes them to <paramref name="destination"/>[i·<paramref name="stride"/>];
    /// returns how many it took (fewer than <paramref name="max"/> at the sub-episode's end, where the next
    /// <see cref="Next"/> draws a new one). The same values, in the same order, as that many calls of <see cref="Next"/>
    /// — used by the SIMD batches to lay references out per step across environments.
    /// </summary>
    public int Take(Span<double> destination, int stride, int max)
    {
        int n = Math.Min(max, _length - _k);
        if (n <= 0) return 0;
        ReadOnlySpan<double> src = Samples.AsSpan(_k, n);
        if (stride < 1 || (long)(n - 1) * stride >= destination.Length) throw new ArgumentException("the destination is too short for the samples at this stride");
        ref double d = ref MemoryMarshal.GetReference(destination);
        for (int i = 0; i < n; i++) Unsafe.Add(ref d, i * stride) = src[i];
        _k += n;
        Value = src[n - 1];
        return n;
    }

    /// <summary>
    /// A hint only: asks the CPU to load the cache lines of the next <paramref name="count"/> samples (the SIMD batches
    /// call it a few environments ahead of <see cref="Take"/>, whose sample arrays are otherwise cold).
    /// </summary>
    public unsafe void Prefetch(int count)
    {
        if (!Sse.IsSupported) return;
        int end = Math.Min(_length, _k + count);
        if (_k < 0 || _k >= end) return;
        fixed (double* p = &Samples[_k])
        {
            for (int i = 0; i < end - _k; i += 8) Sse.Prefetch0(p + i);
            Sse.Prefetch0(p + (end - _k - 1));
        }
    }

    /// <summary>GEM's _get_current_value: uniform in the range, (max − min)·U + min.</summary>
    protected double Draw((double Min, double Max) range) => Random.Uniform(range.Min, range.Max);

    /// <summary>Writes the next <see cref="Length"/> samples into <see cref="Samples"/>, continuing from <see cref="Value"/>.</summary>
    protected abstract void NewSubEpisode();

    /// <summary>Clips to the margin.</summary>
    protected double Clip(double v) => Math.Clamp(v, Margin.Low, Margin.High);

    /// <summary>numpy.linspace(0, (L − 1)·τ, L)[i].</summary>
    protected double SampleTime(int i) => _length <= 1 ? 0.0 : i * ((_length - 1) * Tau / (_length - 1));
}

/// <summary>GEM's WienerProcessReferenceGenerator: r_j = clip(r_{j−1} + N(0, σ)), σ = 10^U(log10 σ-range) per sub-episode.</summary>
public sealed class WienerProcessReferenceGenerator : SubepisodedReferenceGenerator
{
    private readonly (double Low, double High) _logSigma;
    private readonly (double Low, double High)? _initialRange;

    /// <summary>Creates the generator (GEM defaults: σ-range (1e-3, 1e-1), initial range = limit margin).</summary>
    public WienerProcessReferenceGenerator(string referenceState, (double Low, double High)? sigmaRange = null, (double Low, double High)? initialRange = null,
        (int Min, int Max)? episodeLengths = null, (double Low, double High)? limitMargin = null)
        : base(referenceState, episodeLengths, limitMargin)
    {
        var s = sigmaRange ?? (1e-3, 1e-1);
        if (!(s.Low > 0 && s.High >= s.Low)) throw new ArgumentException($"sigma range must satisfy 0 < low ≤ high, got ({s.Low}, {s.High})");
        _logSigma = (Math.Log10(s.Low), Math.Log10(s.High));
        _initialRange = initialRange;
    }

    /// <summary>σ of the current sub-episode (normalised per sample).</summary>
    public double CurrentSigma { get; private set; }

    /// <inheritdoc/>
    protected override double InitialValue()
    {
        var r = _initialRange ?? Margin;
        return Random.Uniform(r.Low, r.High);
    }

    /// <inheritdoc/>
    protected override void NewSubEpisode()
    {
        CurrentSigma = Math.Pow(10, Draw(_logSigma));
        double v = Value;
        for (int i = 0; i < Length; i++)
        {
            v += Random.Normal(CurrentSigma);
            if (v > Margin.High) v = Margin.High;
            if (v < Margin.Low) v = Margin.Low;
            Samples[i] = v;
        }
    }
}

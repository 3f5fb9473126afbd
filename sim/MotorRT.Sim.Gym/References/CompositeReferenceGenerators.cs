namespace MotorRT.Sim.Gym.References;

/// <summary>GEM's MultipleReferenceGenerator: several generators for different states, observations concatenated.</summary>
public sealed class MultipleReferenceGenerator : ReferenceGenerator
{
    private readonly ReferenceGenerator[] _subs;
    private readonly string[] _names;
    private readonly int[] _offsets;
    private double[] _scratch = [];

    /// <summary>Creates the generator from sub-generators referencing distinct states.</summary>
    public MultipleReferenceGenerator(params ReferenceGenerator[] subGenerators)
    {
        if (subGenerators is null || subGenerators.Length == 0) throw new ArgumentException("a multiple reference generator needs at least one sub-generator");
        _subs = subGenerators;
        _names = [.. subGenerators.SelectMany(g => g.ReferenceNames)];
        if (_names.Distinct().Count() != _names.Length) throw new ArgumentException("the sub-generators of a multiple reference generator must reference different states");
        _offsets = new int[_subs.Length];
        for (int k = 1; k < _subs.Length; k++) _offsets[k] = _offsets[k - 1] + _subs[k - 1].ReferenceNames.Count;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<string> ReferenceNames => _names;

    /// <summary>The sub-generators, in observation order.</summary>
    public IReadOnlyList<ReferenceGenerator> SubGenerators => _subs;

    /// <inheritdoc/>
    public override void Bind(StateLayout layout, double tau)
    {
        base.Bind(layout, tau);
        _scratch = new double[layout.Count];
        for (int k = 0; k < _subs.Length; k++)
        {
            _subs[k].Bind(layout, tau);
            _subs[k].ReferenceLow.CopyTo(LowBound[_offsets[k]..]);
            _subs[k].ReferenceHigh.CopyTo(HighBound[_offsets[k]..]);
        }
    }

    /// <inheritdoc/>
    public override void Seed(ulong seed)
    {
        for (int k = 0; k < _subs.Length; k++) _subs[k].Seed(GymRandom.Derive(seed, k));
    }

    /// <inheritdoc/>
    public override void Reset(ReadOnlySpan<double> state, Span<double> observation)
    {
        for (int k = 0; k < _subs.Length; k++) _subs[k].Reset(state, observation[_offsets[k]..]);
    }

    /// <inheritdoc/>
    public override void ResetFrom(ReadOnlySpan<double> state, ReadOnlySpan<double> referenceArray, Span<double> observation)
    {
        for (int k = 0; k < _subs.Length; k++) _subs[k].ResetFrom(state, referenceArray, observation[_offsets[k]..]);
    }

    /// <inheritdoc/>
    public override void GetReference(Span<double> referenceArray)
    {
        referenceArray.Clear();
        for (int k = 0; k < _subs.Length; k++)
        {
            _subs[k].GetReference(_scratch);
            for (int j = 0; j < _scratch.Length; j++) referenceArray[j] += _scratch[j];
        }
    }

    /// <inheritdoc/>
    public override void NextObservation(ReadOnlySpan<double> state, Span<double> observation)
    {
        for (int k = 0; k < _subs.Length; k++) _subs[k].NextObservation(state, observation[_offsets[k]..]);
    }
}

/// <summary>
/// GEM's SwitchedReferenceGenerator: switches between sub-generators of the same state(s) with probabilities p after
/// super-episodes of U{min, …, max − 1} samples; a switch resets the new generator from the last reference.
/// </summary>
public sealed class SwitchedReferenceGenerator : ReferenceGenerator
{
    private readonly ReferenceGenerator[] _subs;
    private readonly double[] _p;
    private readonly (int Min, int Max) _superLength;
    private GymRandom _random = new(0);
    private ReferenceGenerator _current;
    private int _k, _length;
    private double[] _reference = [];

    /// <summary>Creates the generator (GEM defaults: uniform p, super-episodes of 100…9999 samples).</summary>
    public SwitchedReferenceGenerator(ReferenceGenerator[] subGenerators, double[]? p = null, (int Min, int Max)? superEpisodeLength = null)
    {
        if (subGenerators is null || subGenerators.Length == 0) throw new ArgumentException("a switched reference generator needs at least one sub-generator");
        var names = subGenerators[0].ReferenceNames;
        if (subGenerators.Any(g => !g.ReferenceNames.SequenceEqual(names))) throw new ArgumentException("the sub-generators of a switched reference generator must reference the same states");
        _subs = subGenerators;
        _p = p ?? [.. Enumerable.Repeat(1.0 / subGenerators.Length, subGenerators.Length)];
        if (_p.Length != _subs.Length || Math.Abs(_p.Sum() - 1) > 1e-9) throw new ArgumentException("switched reference generator: p needs one probability per sub-generator, summing to 1");
        _superLength = superEpisodeLength ?? (100, 10000);
        _current = _subs[0];
    }

    /// <inheritdoc/>
    public override IReadOnlyList<string> ReferenceNames => _subs[0].ReferenceNames;

    /// <summary>The generator in use.</summary>
    public ReferenceGenerator Current => _current;

    /// <inheritdoc/>
    public override void Bind(StateLayout layout, double tau)
    {
        base.Bind(layout, tau);
        int n = ReferenceNames.Count;
        _reference = new double[layout.Count];
        LowBound.Fill(double.PositiveInfinity);
        HighBound.Fill(double.NegativeInfinity);
        foreach (ReferenceGenerator g in _subs)
        {
            g.Bind(layout, tau);
            for (int k = 0; k < n; k++) { LowBound[k] = Math.Min(LowBound[k], g.ReferenceLow[k]); HighBound[k] = Math.Max(HighBound[k], g.ReferenceHigh[k]); }
        }
    }

    /// <inheritdoc/>
    public override void Seed(ulong seed)
    {
        _random = new GymRandom(seed);
        for (int k = 0; k < _subs.Length; k++) _subs[k].Seed(GymRandom.Derive(seed, k));
    }

    private void NextSuperEpisode()
    {
        _length = _random.Integer(_superLength.Min, _superLength.Max);
        _k = 0;
        double u = _random.NextUniform(), c = 0;
        _current = _subs[^1];
        for (int k = 0; k < _subs.Length; k++)
        {
            c += _p[k];
            if (u < c) { _current = _subs[k]; break; }
        }
    }

    /// <inheritdoc/>
    public override void Reset(ReadOnlySpan<double> state, Span<double> observation)
    {
        NextSuperEpisode();
        _current.Reset(state, observation);
    }

    /// <inheritdoc/>
    public override void GetReference(Span<double> referenceArray) => _current.GetReference(referenceArray);

    /// <inheritdoc/>
    public override void NextObservation(ReadOnlySpan<double> state, Span<double> observation)
    {
        if (_k >= _length)
        {
            // GEM passes the last reference as the new generator's initial reference; the sub-episoded generators
            // then start from it (the Wiener process too, instead of drawing from its initial range).
            _current.GetReference(_reference);
            NextSuperEpisode();
            _current.ResetFrom(state, _reference, observation);
        }
        else _current.NextObservation(state, observation);
        _k++;
    }
}

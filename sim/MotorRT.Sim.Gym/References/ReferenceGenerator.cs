namespace MotorRT.Sim.Gym.References;

/// <summary>
/// A GEM reference generator: references are normalised (SI / limit of the referenced state). Per step the
/// environment asks for <see cref="GetReference"/> (the value last shown in the observation, used by the reward) and
/// then for <see cref="NextObservation"/> (moves on by one sample). Implementations do not allocate after
/// <see cref="Bind"/>.
/// </summary>
public abstract class ReferenceGenerator
{
    /// <summary>The names of the referenced states, in observation order.</summary>
    public abstract IReadOnlyList<string> ReferenceNames { get; }

    /// <summary>The state layout after <see cref="Bind"/>.</summary>
    protected StateLayout Layout { get; private set; } = null!;

    /// <summary>Sampling time τ, in s, after <see cref="Bind"/>.</summary>
    protected double Tau { get; private set; }

    private double[] _low = [], _high = [];

    /// <summary>Normalised lower bound of each reference (GEM's reference_space.low), after <see cref="Bind"/>.</summary>
    public ReadOnlySpan<double> ReferenceLow => _low;

    /// <summary>Normalised upper bound of each reference (GEM's reference_space.high), after <see cref="Bind"/>.</summary>
    public ReadOnlySpan<double> ReferenceHigh => _high;

    /// <summary>Writable <see cref="ReferenceLow"/> for <see cref="Bind"/> overrides (after base.Bind).</summary>
    protected Span<double> LowBound => _low;

    /// <summary>Writable <see cref="ReferenceHigh"/> for <see cref="Bind"/> overrides (after base.Bind).</summary>
    protected Span<double> HighBound => _high;

    /// <summary>GEM's set_modules: binds to the plant's state layout and sampling time τ (s); allocates the buffers.</summary>
    public virtual void Bind(StateLayout layout, double tau)
    {
        Layout = layout;
        Tau = tau;
        _low = new double[ReferenceNames.Count];
        _high = new double[ReferenceNames.Count];
    }

    /// <summary>Re-seeds the generator's random stream(s).</summary>
    public virtual void Seed(ulong seed) { }

    /// <summary>Starts an episode; writes the first observed references (GEM's reset: the next reference).</summary>
    public abstract void Reset(ReadOnlySpan<double> state, Span<double> observation);

    /// <summary>
    /// Starts an episode from given references (GEM's reset with initial_reference: <paramref name="referenceArray"/>
    /// holds per state the reference to continue from); by default the same as <see cref="Reset"/>.
    /// </summary>
    public virtual void ResetFrom(ReadOnlySpan<double> state, ReadOnlySpan<double> referenceArray, Span<double> observation) => Reset(state, observation);

    /// <summary>Writes GEM's reference array: per state, the reference last observed (0 for unreferenced states).</summary>
    public abstract void GetReference(Span<double> referenceArray);

    /// <summary>Moves on by one sample and writes the observed references.</summary>
    public abstract void NextObservation(ReadOnlySpan<double> state, Span<double> observation);
}

/// <summary>A constant normalised reference for one state (GEM's ConstReferenceGenerator).</summary>
public sealed class ConstReferenceGenerator(string referenceState, double referenceValue = 0.5) : ReferenceGenerator
{
    private readonly string[] _names = [referenceState];
    private int _index = -1;

    /// <inheritdoc/>
    public override IReadOnlyList<string> ReferenceNames => _names;

    /// <inheritdoc/>
    public override void Bind(StateLayout layout, double tau)
    {
        base.Bind(layout, tau);
        _index = layout.IndexOf(referenceState);
        LowBound[0] = HighBound[0] = referenceValue;
    }

    /// <inheritdoc/>
    public override void Reset(ReadOnlySpan<double> state, Span<double> observation) => observation[0] = referenceValue;

    /// <inheritdoc/>
    public override void GetReference(Span<double> referenceArray)
    {
        referenceArray.Clear();
        referenceArray[_index] = referenceValue;
    }

    /// <inheritdoc/>
    public override void NextObservation(ReadOnlySpan<double> state, Span<double> observation) => observation[0] = referenceValue;
}

/// <summary>
/// Replays given references (for comparing with recorded GEM rollouts): the caller sets the value the next
/// <see cref="Reset"/> or <see cref="NextObservation"/> returns with <see cref="SetNext"/>.
/// </summary>
public sealed class ReplayReferenceGenerator(params string[] referenceStates) : ReferenceGenerator
{
    private readonly double[] _next = new double[referenceStates.Length], _current = new double[referenceStates.Length];
    private int[] _index = [];

    /// <inheritdoc/>
    public override IReadOnlyList<string> ReferenceNames => referenceStates;

    /// <inheritdoc/>
    public override void Bind(StateLayout layout, double tau)
    {
        base.Bind(layout, tau);
        _index = new int[referenceStates.Length];
        for (int k = 0; k < _index.Length; k++)
        {
            _index[k] = layout.IndexOf(referenceStates[k]);
            LowBound[k] = layout.Low[_index[k]];
            HighBound[k] = 1.0;
        }
    }

    /// <summary>The normalised references the next reset or step shows.</summary>
    public void SetNext(ReadOnlySpan<double> references) => references.CopyTo(_next);

    /// <inheritdoc/>
    public override void Reset(ReadOnlySpan<double> state, Span<double> observation) => NextObservation(state, observation);

    /// <inheritdoc/>
    public override void GetReference(Span<double> referenceArray)
    {
        referenceArray.Clear();
        for (int k = 0; k < _index.Length; k++) referenceArray[_index[k]] = _current[k];
    }

    /// <inheritdoc/>
    public override void NextObservation(ReadOnlySpan<double> state, Span<double> observation)
    {
        _next.CopyTo(_current, 0);
        _current.CopyTo(observation);
    }
}

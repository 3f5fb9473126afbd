namespace MotorRT.Sim.Gym.Batch;

/// <summary>
/// N environments stepped together, like Gymnasium's VectorEnv with same-step auto-reset: when environment j ends
/// (terminated or truncated) in a step, its row of <see cref="Observations"/> is already the first observation of
/// its next episode, and the observation that ended the episode is in <see cref="FinalObservations"/>. Buffers are
/// owned by the vector env and overwritten by the next call; nothing allocates per step.
/// </summary>
public interface IVectorEnv
{
    /// <summary>Number of environments N.</summary>
    int Count { get; }

    /// <summary>Entries per observation row (normalised states, then normalised references).</summary>
    int ObservationSize { get; }

    /// <summary>Actions per environment (duty cycles in GEM's layout).</summary>
    int ActionSize { get; }

    /// <summary>Observations, N rows of <see cref="ObservationSize"/> (row-major).</summary>
    ReadOnlySpan<double> Observations { get; }

    /// <summary>For environments that ended in the last step: the observation that ended the episode (row-major, other rows stale).</summary>
    ReadOnlySpan<double> FinalObservations { get; }

    /// <summary>Rewards of the last step, one per environment (dimensionless).</summary>
    ReadOnlySpan<double> Rewards { get; }

    /// <summary>Per environment: the last step fully violated a constraint.</summary>
    ReadOnlySpan<bool> Terminated { get; }

    /// <summary>Per environment: the last step reached the episode step limit.</summary>
    ReadOnlySpan<bool> Truncated { get; }

    /// <summary>Resets every environment; environment j is seeded with <paramref name="seed"/> + j (Gymnasium's convention).</summary>
    void Reset(ulong seed);

    /// <summary>Steps every environment with its row of <paramref name="actions"/> (N × <see cref="ActionSize"/>, row-major).</summary>
    void Step(ReadOnlySpan<double> actions);
}

/// <summary>A vector env of N independent scalar <see cref="GemEnv"/>s (any preset; the reference for the SIMD batches).</summary>
public sealed class GemVectorEnv : IVectorEnv
{
    private readonly GemEnv[] _envs;
    private readonly double[] _obs, _final, _rewards;
    private readonly bool[] _terminated, _truncated;

    /// <summary>Builds <paramref name="count"/> environments from <paramref name="spec"/>.</summary>
    public GemVectorEnv(GemEnvSpec spec, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), "a vector env needs at least one environment");
        _envs = new GemEnv[count];
        for (int j = 0; j < count; j++) _envs[j] = new GemEnv(spec);
        if (_envs[0].IsFinite) throw new ArgumentException("GemVectorEnv takes continuous actions; finite-converter environments are stepped one by one (GemEnv.Step(int))");
        ObservationSize = _envs[0].Observation.Length;
        ActionSize = _envs[0].ActionCount;
        _obs = new double[count * ObservationSize];
        _final = new double[count * ObservationSize];
        _rewards = new double[count];
        _terminated = new bool[count];
        _truncated = new bool[count];
    }

    /// <inheritdoc/>
    public int Count => _envs.Length;

    /// <inheritdoc/>
    public int ObservationSize { get; }

    /// <inheritdoc/>
    public int ActionSize { get; }

    /// <inheritdoc/>
    public ReadOnlySpan<double> Observations => _obs;

    /// <inheritdoc/>
    public ReadOnlySpan<double> FinalObservations => _final;

    /// <inheritdoc/>
    public ReadOnlySpan<double> Rewards => _rewards;

    /// <inheritdoc/>
    public ReadOnlySpan<bool> Terminated => _terminated;

    /// <inheritdoc/>
    public ReadOnlySpan<bool> Truncated => _truncated;

    /// <summary>Environment <paramref name="j"/>.</summary>
    public GemEnv this[int j] => _envs[j];

    /// <inheritdoc/>
    public void Reset(ulong seed)
    {
        for (int j = 0; j < _envs.Length; j++) _envs[j].Reset(seed + (ulong)j).CopyTo(_obs.AsSpan(j * ObservationSize, ObservationSize));
        Array.Clear(_rewards);
        Array.Clear(_terminated);
        Array.Clear(_truncated);
    }

    /// <inheritdoc/>
    public void Step(ReadOnlySpan<double> actions)
    {
        if (actions.Length < _envs.Length * ActionSize) throw new ArgumentException($"need {_envs.Length} × {ActionSize} actions, got {actions.Length}");
        for (int j = 0; j < _envs.Length; j++)
        {
            GemEnv e = _envs[j];
            StepResult r = e.Step(actions.Slice(j * ActionSize, ActionSize));
            _rewards[j] = r.Reward;
            _terminated[j] = r.Terminated;
            _truncated[j] = r.Truncated;
            Span<double> row = _obs.AsSpan(j * ObservationSize, ObservationSize);
            e.Observation.CopyTo(row);
            if (r.Terminated || r.Truncated)
            {
                row.CopyTo(_final.AsSpan(j * ObservationSize, ObservationSize));
                e.Reset().CopyTo(row);
            }
        }
    }
}

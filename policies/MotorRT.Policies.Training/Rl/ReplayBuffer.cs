namespace MotorRT.Policies.Training.Rl;

/// <summary>
/// A ring buffer of transitions (s, a, r, s′, terminated) as float32 structure-of-arrays; the oldest transition is
/// overwritten when full. Sampling is uniform with replacement from a caller-owned generator (reproducible).
/// </summary>
public sealed class ReplayBuffer
{
    private readonly float[] _obs, _act, _rew, _next, _done;
    private int _head;

    /// <summary>Creates an empty buffer for <paramref name="capacity"/> transitions.</summary>
    public ReplayBuffer(int capacity, int observationSize, int actionSize)
    {
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity));
        Capacity = capacity;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        _obs = new float[capacity * observationSize];
        _next = new float[capacity * observationSize];
        _act = new float[capacity * actionSize];
        _rew = new float[capacity];
        _done = new float[capacity];
    }

    /// <summary>Maximum number of transitions held.</summary>
    public int Capacity { get; }

    /// <summary>Observation width.</summary>
    public int ObservationSize { get; }

    /// <summary>Action width.</summary>
    public int ActionSize { get; }

    /// <summary>Transitions held.</summary>
    public int Count { get; private set; }

    /// <summary>Stores one transition.</summary>
    public void Add(ReadOnlySpan<float> observation, ReadOnlySpan<float> action, double reward, ReadOnlySpan<float> next, bool terminated)
    {
        int i = _head;
        observation[..ObservationSize].CopyTo(_obs.AsSpan(i * ObservationSize, ObservationSize));
        next[..ObservationSize].CopyTo(_next.AsSpan(i * ObservationSize, ObservationSize));
        action[..ActionSize].CopyTo(_act.AsSpan(i * ActionSize, ActionSize));
        _rew[i] = (float)reward;
        _done[i] = terminated ? 1f : 0f;
        _head = (_head + 1) % Capacity;
        Count = Math.Min(Count + 1, Capacity);
    }

    /// <summary>Draws <paramref name="batch"/> transitions uniformly (with replacement) into row-major buffers.</summary>
    public void Sample(int batch, ref SplitMix64Rng rng, Span<float> observations, Span<float> actions, Span<float> rewards, Span<float> next, Span<float> terminated)
    {
        if (Count == 0) throw new InvalidOperationException("the replay buffer is empty");
        int no = ObservationSize, na = ActionSize;
        for (int b = 0; b < batch; b++)
        {
            int i = rng.NextInt(Count);
            _obs.AsSpan(i * no, no).CopyTo(observations.Slice(b * no, no));
            _next.AsSpan(i * no, no).CopyTo(next.Slice(b * no, no));
            _act.AsSpan(i * na, na).CopyTo(actions.Slice(b * na, na));
            rewards[b] = _rew[i];
            terminated[b] = _done[i];
        }
    }
}

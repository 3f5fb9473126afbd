namespace MotorRT.Policies.Training.Rl;

/// <summary>
/// SplitMix64 with a ref-friendly API for the trainers' random streams (identical sequence to
/// <see cref="Export.SplitMix64"/>); one stream per purpose keeps runs reproducible.
/// </summary>
public struct SplitMix64Rng
{
    private Export.SplitMix64 _inner;

    /// <summary>Seeds the stream.</summary>
    public SplitMix64Rng(ulong seed) => _inner = new Export.SplitMix64(seed);

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n) => _inner.NextInt(n);

    /// <summary>Uniform double in [0, 1).</summary>
    public double NextDouble() => _inner.NextDouble();

    /// <summary>Standard normal sample.</summary>
    public double NextGaussian() => _inner.NextGaussian();

    /// <summary>A derived seed for another stream.</summary>
    public ulong NextSeed() => _inner.NextUInt64();
}

/// <summary>Kind of exploration noise added to the actor's action while collecting experience.</summary>
public enum NoiseKind
{
    /// <summary>Independent Gaussian noise N(0, σ²) per step and element.</summary>
    Gaussian,

    /// <summary>Ornstein–Uhlenbeck noise (the DDPG paper's): x ← x + θ(−x)·dt + σ√dt·N(0, 1), dt = 1 step.</summary>
    OrnsteinUhlenbeck,
}

/// <summary>Exploration noise per action element, in action units (the actor's [−1, 1] range).</summary>
public sealed class ExplorationNoise
{
    private readonly double[] _state;
    private SplitMix64Rng _rng;

    /// <summary>Creates the noise process.</summary>
    /// <param name="kind">Gaussian or Ornstein–Uhlenbeck.</param>
    /// <param name="size">Action width.</param>
    /// <param name="sigma">Standard deviation σ (action units).</param>
    /// <param name="theta">OU mean-reversion rate θ per step.</param>
    /// <param name="seed">Seed of the noise stream.</param>
    public ExplorationNoise(NoiseKind kind, int size, double sigma, double theta, ulong seed)
    {
        Kind = kind;
        Sigma = sigma;
        Theta = theta;
        _state = new double[size];
        _rng = new SplitMix64Rng(seed);
    }

    /// <summary>Noise kind.</summary>
    public NoiseKind Kind { get; }

    /// <summary>Standard deviation σ, action units.</summary>
    public double Sigma { get; }

    /// <summary>OU rate θ per step.</summary>
    public double Theta { get; }

    /// <summary>Restarts the OU process at zero (at an episode start).</summary>
    public void Reset() => Array.Clear(_state);

    /// <summary>Adds one noise sample per element to <paramref name="action"/> and clips to [−1, 1].</summary>
    public void Apply(Span<float> action)
    {
        for (int i = 0; i < action.Length; i++)
        {
            double n = _rng.NextGaussian() * Sigma;
            if (Kind == NoiseKind.OrnsteinUhlenbeck) n = _state[i] = _state[i] - Theta * _state[i] + n;
            action[i] = Math.Clamp((float)(action[i] + n), -1f, 1f);
        }
    }
}

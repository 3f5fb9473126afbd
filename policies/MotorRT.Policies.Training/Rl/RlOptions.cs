namespace MotorRT.Policies.Training.Rl;

/// <summary>Off-policy actor–critic algorithm.</summary>
public enum RlAlgorithm
{
    /// <summary>TD3 (Fujimoto et al. 2018): clipped double-Q, target policy smoothing, delayed actor updates.</summary>
    Td3,

    /// <summary>DDPG (Lillicrap et al. 2016), the GEM paper's agent: one critic, actor updated every step, no target smoothing.</summary>
    Ddpg,
}

/// <summary>Hyper-parameters of <see cref="ActorCriticAgent"/> and <see cref="RlTrainer"/> (defaults: SB3's TD3 with smaller networks).</summary>
public sealed record RlOptions
{
    /// <summary>TD3 or DDPG.</summary>
    public RlAlgorithm Algorithm { get; init; } = RlAlgorithm.Td3;

    /// <summary>Hidden widths of the actor (ReLU; tanh output).</summary>
    public int[] ActorHidden { get; init; } = [64, 64];

    /// <summary>Hidden widths of each critic (ReLU; linear output).</summary>
    public int[] CriticHidden { get; init; } = [64, 64];

    /// <summary>Adam step size of the actor.</summary>
    public double ActorLearningRate { get; init; } = 1e-3;

    /// <summary>Adam step size of the critics.</summary>
    public double CriticLearningRate { get; init; } = 1e-3;

    /// <summary>Minibatch size per gradient step.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Replay buffer capacity, transitions.</summary>
    public int BufferSize { get; init; } = 1_000_000;

    /// <summary>Steps with uniformly random actions before learning starts.</summary>
    public int LearningStarts { get; init; } = 1000;

    /// <summary>Discount factor γ.</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>Polyak factor τ of the target networks.</summary>
    public double Tau { get; init; } = 0.005;

    /// <summary>Exploration noise kind.</summary>
    public NoiseKind Noise { get; init; } = NoiseKind.Gaussian;

    /// <summary>Exploration noise σ in action units.</summary>
    public double NoiseSigma { get; init; } = 0.1;

    /// <summary>OU mean-reversion rate θ per step (Ornstein–Uhlenbeck only).</summary>
    public double NoiseTheta { get; init; } = 0.15;

    /// <summary>TD3: actor and target updates every this many critic updates (DDPG: 1).</summary>
    public int PolicyDelay { get; init; } = 2;

    /// <summary>TD3: σ of the target policy smoothing noise, action units.</summary>
    public double TargetPolicyNoise { get; init; } = 0.2;

    /// <summary>TD3: clip of the target policy smoothing noise, action units.</summary>
    public double TargetNoiseClip { get; init; } = 0.5;

    /// <summary>Environment steps between gradient phases.</summary>
    public int TrainFrequency { get; init; } = 1;

    /// <summary>Gradient steps per phase.</summary>
    public int GradientSteps { get; init; } = 1;

    /// <summary>
    /// Gradient steps during which only the critics learn (the actor and its target stay frozen), e.g. to fit the value
    /// of an actor initialised from an explicit MPC law before the actor moves; 0 = none.
    /// </summary>
    public int CriticWarmupUpdates { get; init; }

    /// <summary>Seed of initialisation, exploration, noise and sampling.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Checks the ranges; throws <see cref="ArgumentException"/> naming the option.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, string range)
        {
            if (!ok) throw new ArgumentException($"{name} must be {range}");
        }
        Check(ActorHidden.Length > 0 && ActorHidden.All(h => h is > 0 and <= 4096), nameof(ActorHidden), "1..4096 per layer, at least one layer");
        Check(CriticHidden.Length > 0 && CriticHidden.All(h => h is > 0 and <= 4096), nameof(CriticHidden), "1..4096 per layer, at least one layer");
        Check(ActorLearningRate is > 0 and < 1, nameof(ActorLearningRate), "in (0, 1)");
        Check(CriticLearningRate is > 0 and < 1, nameof(CriticLearningRate), "in (0, 1)");
        Check(BatchSize is > 0 and <= 65536, nameof(BatchSize), "1..65536");
        Check(BufferSize >= BatchSize, nameof(BufferSize), "at least the batch size");
        Check(LearningStarts >= 0, nameof(LearningStarts), "≥ 0");
        Check(Gamma is >= 0 and < 1, nameof(Gamma), "in [0, 1)");
        Check(Tau is > 0 and <= 1, nameof(Tau), "in (0, 1]");
        Check(NoiseSigma >= 0, nameof(NoiseSigma), "≥ 0");
        Check(PolicyDelay >= 1, nameof(PolicyDelay), "≥ 1");
        Check(TargetPolicyNoise >= 0 && TargetNoiseClip >= 0, nameof(TargetPolicyNoise), "≥ 0 (and its clip too)");
        Check(CriticWarmupUpdates >= 0, nameof(CriticWarmupUpdates), "≥ 0");
        Check(TrainFrequency >= 1 && GradientSteps >= 0, nameof(TrainFrequency), "≥ 1 (gradient steps ≥ 0)");
    }
}

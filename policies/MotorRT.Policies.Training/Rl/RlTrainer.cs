using System.Diagnostics;

namespace MotorRT.Policies.Training.Rl;

/// <summary>An episode that ended during training.</summary>
/// <param name="Step">Environment steps done so far.</param>
/// <param name="Episode">Episode number (1-based).</param>
/// <param name="Return">Undiscounted sum of the episode's rewards.</param>
/// <param name="Length">Steps of the episode.</param>
/// <param name="Terminated">True when a terminal state (e.g. a limit violation) ended it, false when truncated.</param>
public readonly record struct EpisodeRecord(long Step, int Episode, double Return, int Length, bool Terminated);

/// <summary>
/// The off-policy training loop of SB3's TD3/DDPG: uniformly random actions for <see cref="RlOptions.LearningStarts"/>
/// steps, then μ(s) plus exploration noise; every transition into the replay buffer; gradient steps every
/// <see cref="RlOptions.TrainFrequency"/> steps. Bootstraps through truncations, not through terminations.
/// Single-threaded; the same seed gives the same networks bit for bit on a given machine.
/// </summary>
public sealed class RlTrainer
{
    private readonly IRlEnvironment _env;
    private readonly ReplayBuffer _buffer;
    private readonly ExplorationNoise _noise;
    private readonly float[] _obs, _next, _action;
    private SplitMix64Rng _rng;
    private double _episodeReturn;
    private int _episodeLength;
    private bool _started;

    /// <summary>Creates the agent and its buffer for <paramref name="environment"/>; <paramref name="initialActor"/> as in <see cref="ActorCriticAgent"/>.</summary>
    public RlTrainer(IRlEnvironment environment, RlOptions options, DenseNetwork? initialActor = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        _env = environment;
        Agent = new ActorCriticAgent(environment.ObservationSize, environment.ActionSize, options, initialActor);
        _buffer = new ReplayBuffer(options.BufferSize, environment.ObservationSize, environment.ActionSize);
        var seeds = new SplitMix64Rng(options.Seed ^ 0x5DEECE66DUL);
        _noise = new ExplorationNoise(options.Noise, environment.ActionSize, options.NoiseSigma, options.NoiseTheta, seeds.NextSeed());
        _rng = new SplitMix64Rng(seeds.NextSeed());
        EnvironmentSeed = seeds.NextSeed();
        _obs = new float[environment.ObservationSize];
        _next = new float[environment.ObservationSize];
        _action = new float[environment.ActionSize];
    }

    /// <summary>The agent being trained.</summary>
    public ActorCriticAgent Agent { get; }

    /// <summary>Seed of the first environment reset (later episodes continue the environment's streams).</summary>
    public ulong EnvironmentSeed { get; }

    /// <summary>Environment steps done.</summary>
    public long Steps { get; private set; }

    /// <summary>Episodes finished.</summary>
    public int Episodes { get; private set; }

    /// <summary>Seconds spent inside <see cref="Train"/> so far (wall time).</summary>
    public double ElapsedSeconds { get; private set; }

    /// <summary>
    /// Runs <paramref name="steps"/> more environment steps; <paramref name="onEpisode"/> is called at each episode's
    /// end. Can be called repeatedly (e.g. between evaluations).
    /// </summary>
    public void Train(long steps, Action<EpisodeRecord>? onEpisode = null)
    {
        var clock = Stopwatch.StartNew();
        RlOptions o = Agent.Options;
        if (!_started)
        {
            _env.Reset(EnvironmentSeed, _obs);
            _noise.Reset();
            _started = true;
        }
        for (long n = 0; n < steps; n++)
        {
            if (Steps < o.LearningStarts)
            {
                for (int i = 0; i < _action.Length; i++) _action[i] = (float)(2.0 * _rng.NextDouble() - 1.0);
            }
            else
            {
                Agent.Act(_obs, _action);
                _noise.Apply(_action);
            }
            RlStep r = _env.Step(_action, _next);
            Steps++;
            _episodeReturn += r.Reward;
            _episodeLength++;
            _buffer.Add(_obs, _action, r.Reward, _next, r.Terminated);
            _next.CopyTo(_obs, 0);
            if (r.Terminated || r.Truncated)
            {
                Episodes++;
                onEpisode?.Invoke(new EpisodeRecord(Steps, Episodes, _episodeReturn, _episodeLength, r.Terminated));
                _episodeReturn = 0;
                _episodeLength = 0;
                _env.Reset(null, _obs);
                _noise.Reset();
            }
            if (Steps >= o.LearningStarts && _buffer.Count >= o.BatchSize && Steps % o.TrainFrequency == 0)
            {
                for (int g = 0; g < o.GradientSteps; g++) Agent.Update(_buffer);
            }
        }
        ElapsedSeconds += clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Runs the deterministic policy <paramref name="agent"/> on <paramref name="environment"/> (reset with <paramref name="seed"/>) for one
    /// episode of at most <paramref name="maxSteps"/> steps; returns its undiscounted return and length.
    /// </summary>
    public static (double Return, int Length) Evaluate(IRlPolicy agent, IRlEnvironment environment, ulong seed, int maxSteps)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(environment);
        var obs = new float[environment.ObservationSize];
        var action = new float[environment.ActionSize];
        environment.Reset(seed, obs);
        double ret = 0;
        for (int k = 0; k < maxSteps; k++)
        {
            agent.Act(obs, action);
            RlStep r = environment.Step(action, obs);
            ret += r.Reward;
            if (r.Terminated || r.Truncated) return (ret, k + 1);
        }
        return (ret, maxSteps);
    }
}

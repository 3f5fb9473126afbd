using MotorRT.Policies.Training.Export;

namespace MotorRT.Policies.Training.Rl;

/// <summary>
/// The networks and the gradient step of TD3 and DDPG (as SB3 implements them: DDPG = TD3 with one critic, policy
/// delay 1 and no target smoothing). Critic loss Σ MSE(Q_k(s, a), y) with y = r + γ(1 − terminated)·min_k Q′_k(s′,
/// clip(μ′(s′) + clip(ε, ±c), ±1)); actor loss −mean Q_1(s, μ(s)); Polyak updates after each actor update.
/// Single-threaded, deterministic for a given seed.
/// </summary>
public sealed class ActorCriticAgent
{
    private readonly DenseNetwork _actor, _actorTarget;
    private readonly DenseNetwork[] _critics, _criticTargets;
    private readonly int _no, _na, _batch;
    private readonly float[] _obs, _act, _rew, _next, _done, _criticIn, _y, _dq, _dIn, _dAct, _single;
    private SplitMix64Rng _rng;

    /// <summary>Builds the actor, the critic(s) and their targets for an environment's widths.</summary>
    public ActorCriticAgent(int observationSize, int actionSize, RlOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _no = observationSize;
        _na = actionSize;
        _batch = options.BatchSize;
        var seeds = new SplitMix64Rng(options.Seed);
        _actor = new DenseNetwork([observationSize, .. options.ActorHidden, actionSize], MlpActivation.Relu, MlpActivation.Tanh, seeds.NextSeed());
        _actorTarget = _actor.Clone();
        int criticCount = options.Algorithm == RlAlgorithm.Td3 ? 2 : 1;
        _critics = new DenseNetwork[criticCount];
        _criticTargets = new DenseNetwork[criticCount];
        for (int k = 0; k < criticCount; k++)
        {
            _critics[k] = new DenseNetwork([observationSize + actionSize, .. options.CriticHidden, 1], MlpActivation.Relu, MlpActivation.Identity, seeds.NextSeed());
            _criticTargets[k] = _critics[k].Clone();
        }
        _rng = new SplitMix64Rng(seeds.NextSeed());
        int b = _batch;
        _obs = new float[b * _no]; _next = new float[b * _no];
        _act = new float[b * _na]; _rew = new float[b]; _done = new float[b];
        _criticIn = new float[b * (_no + _na)];
        _y = new float[b]; _dq = new float[b];
        _dIn = new float[b * (_no + _na)]; _dAct = new float[b * _na];
        _single = new float[_no];
    }

    /// <summary>The hyper-parameters.</summary>
    public RlOptions Options { get; }

    /// <summary>The actor μ(s) (tanh output in [−1, 1]).</summary>
    public DenseNetwork Actor => _actor;

    /// <summary>The critics Q_k(s, a) (one for DDPG, two for TD3).</summary>
    public IReadOnlyList<DenseNetwork> Critics => _critics;

    /// <summary>Gradient steps done.</summary>
    public long Updates { get; private set; }

    /// <summary>Critic loss of the last gradient step (Σ_k MSE).</summary>
    public double LastCriticLoss { get; private set; }

    /// <summary>The deterministic action μ(s) for one observation.</summary>
    public void Act(ReadOnlySpan<float> observation, Span<float> action)
    {
        observation[.._no].CopyTo(_single);
        _actor.Forward(_single, 1).CopyTo(action);
    }

    /// <summary>One gradient step on a minibatch drawn from <paramref name="buffer"/>.</summary>
    public void Update(ReplayBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        int b = _batch, no = _no, na = _na, ni = no + na;
        RlOptions o = Options;
        buffer.Sample(b, ref _rng, _obs, _act, _rew, _next, _done);

        // Target: y = r + γ(1 − d)·min_k Q′_k(s′, ã′).
        _actorTarget.Forward(_next, b).CopyTo(_dAct);
        if (o.Algorithm == RlAlgorithm.Td3 && o.TargetPolicyNoise > 0)
        {
            float c = (float)o.TargetNoiseClip;
            for (int i = 0; i < b * na; i++)
            {
                float eps = Math.Clamp((float)(_rng.NextGaussian() * o.TargetPolicyNoise), -c, c);
                _dAct[i] = Math.Clamp(_dAct[i] + eps, -1f, 1f);
            }
        }
        Concat(_next, _dAct, b);
        for (int k = 0; k < _criticTargets.Length; k++)
        {
            ReadOnlySpan<float> q = _criticTargets[k].Forward(_criticIn, b);
            for (int s = 0; s < b; s++) _y[s] = k == 0 ? q[s] : Math.Min(_y[s], q[s]);
        }
        float gamma = (float)o.Gamma;
        for (int s = 0; s < b; s++) _y[s] = _rew[s] + gamma * (1f - _done[s]) * _y[s];

        // Critics: minimise MSE(Q_k(s, a), y); ∂/∂Q = 2(Q − y)/B.
        Concat(_obs, _act, b);
        double loss = 0;
        for (int k = 0; k < _critics.Length; k++)
        {
            DenseNetwork critic = _critics[k];
            ReadOnlySpan<float> q = critic.Forward(_criticIn, b);
            for (int s = 0; s < b; s++)
            {
                float e = q[s] - _y[s];
                loss += (double)e * e / b;
                _dq[s] = 2f * e / b;
            }
            critic.ZeroGradients();
            critic.Backward(_dq, default);
            critic.AdamStep(o.CriticLearningRate);
        }
        LastCriticLoss = loss;
        Updates++;

        int delay = o.Algorithm == RlAlgorithm.Td3 ? o.PolicyDelay : 1;
        if (Updates % delay != 0) return;

        // Actor: maximise Q_1(s, μ(s)); ∂(−mean Q)/∂Q = −1/B, back through the critic to the action, then the actor.
        ReadOnlySpan<float> mu = _actor.Forward(_obs, b);
        mu.CopyTo(_dAct);
        Concat(_obs, _dAct, b);
        _critics[0].Forward(_criticIn, b);
        Array.Fill(_dq, -1f / b);
        _critics[0].Backward(_dq, _dIn, accumulateParameters: false);
        for (int s = 0; s < b; s++) _dIn.AsSpan(s * ni + no, na).CopyTo(_dAct.AsSpan(s * na, na));
        _actor.ZeroGradients();
        _actor.Backward(_dAct, default);
        _actor.AdamStep(o.ActorLearningRate);

        for (int k = 0; k < _critics.Length; k++) _criticTargets[k].PolyakUpdate(_critics[k], o.Tau);
        _actorTarget.PolyakUpdate(_actor, o.Tau);
    }

    private void Concat(ReadOnlySpan<float> obs, ReadOnlySpan<float> act, int b)
    {
        int no = _no, na = _na, ni = no + na;
        for (int s = 0; s < b; s++)
        {
            obs.Slice(s * no, no).CopyTo(_criticIn.AsSpan(s * ni, no));
            act.Slice(s * na, na).CopyTo(_criticIn.AsSpan(s * ni + no, na));
        }
    }

    /// <summary>Writes every network (actor, critics, targets) as a checkpoint.</summary>
    public void Save(string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write("motorrt-rl-checkpoint/1");
        writer.Write(Updates);
        _actor.Save(writer);
        _actorTarget.Save(writer);
        for (int k = 0; k < _critics.Length; k++)
        {
            _critics[k].Save(writer);
            _criticTargets[k].Save(writer);
        }
    }

    /// <summary>Reads the networks of a checkpoint written by <see cref="Save"/> (optimiser state starts afresh).</summary>
    public void Load(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        if (reader.ReadString() != "motorrt-rl-checkpoint/1") throw new InvalidDataException($"{path}: not a motorrt RL checkpoint");
        Updates = reader.ReadInt64();
        _actor.Load(reader);
        _actorTarget.Load(reader);
        for (int k = 0; k < _critics.Length; k++)
        {
            _critics[k].Load(reader);
            _criticTargets[k].Load(reader);
        }
    }
}

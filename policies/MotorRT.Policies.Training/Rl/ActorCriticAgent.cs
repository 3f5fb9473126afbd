using MotorRT.Policies.Training.Export;

namespace MotorRT.Policies.Training.Rl;

/// <summary>
/// The networks and the gradient step of TD3 and DDPG (as SB3 implements them: DDPG = TD3 with one critic, policy
/// delay 1 and no target smoothing). Critic loss Σ MSE(Q_k(s, a), y) with y = r + γ(1 − terminated)·min_k Q′_k(s′,
/// clip(μ′(s′) + clip(ε, ±c), ±1)); actor loss −mean Q_1(s, μ(s)); Polyak updates after each actor update.
/// The actor is a fresh tanh network or a given one (e.g. the YANN network of an explicit MPC law, output clipped to
/// [−1, 1]); <see cref="RlOptions.CriticWarmupUpdates"/> freezes the actor while the critics learn its value first.
/// Single-threaded, deterministic for a given seed.
/// </summary>
public sealed class ActorCriticAgent : IRlPolicy
{
    private readonly DenseNetwork _actor, _actorTarget;
    private readonly DenseNetwork[] _critics, _criticTargets;
    private readonly int _no, _na, _batch;
    private readonly float[] _obs, _act, _rew, _next, _done, _criticIn, _y, _dq, _dIn, _dAct, _single;
    private readonly bool _clampActor;
    private SplitMix64Rng _rng;

    /// <summary>Builds the actor, the critic(s) and their targets for an environment's widths.</summary>
    /// <param name="observationSize">Observation width.</param>
    /// <param name="actionSize">Action width.</param>
    /// <param name="options">Hyper-parameters (<see cref="RlOptions.ActorHidden"/> is ignored when <paramref name="initialActor"/> is given).</param>
    /// <param name="initialActor">Null: a tanh actor with torch's initialisation; else the actor to start from (copied;
    /// widths [observationSize, …, actionSize], output Tanh, Clip or Identity — an Identity output is clamped to [−1, 1]
    /// where the action is used).</param>
    public ActorCriticAgent(int observationSize, int actionSize, RlOptions options, DenseNetwork? initialActor = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _no = observationSize;
        _na = actionSize;
        _batch = options.BatchSize;
        var seeds = new SplitMix64Rng(options.Seed);
        ulong actorSeed = seeds.NextSeed(); // drawn either way: the critics get the same seeds with and without an initial actor
        if (initialActor is null)
        {
            _actor = new DenseNetwork([observationSize, .. options.ActorHidden, actionSize], MlpActivation.Relu, MlpActivation.Tanh, actorSeed);
        }
        else
        {
            if (initialActor.InputSize != observationSize || initialActor.OutputSize != actionSize)
            {
                throw new ArgumentException($"the initial actor maps {initialActor.InputSize} inputs to {initialActor.OutputSize} outputs; the environment has {observationSize} observations and {actionSize} actions", nameof(initialActor));
            }
            _actor = initialActor.Clone();
        }
        _clampActor = _actor.OutputActivation == MlpActivation.Identity;
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

    /// <summary>The actor μ(s) (tanh or clipped output in [−1, 1]; an Identity output is clamped by <see cref="Act"/>).</summary>
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
        if (_clampActor)
        {
            for (int i = 0; i < _na; i++) action[i] = Math.Clamp(action[i], -1f, 1f);
        }
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
        if (_clampActor)
        {
            for (int i = 0; i < b * na; i++) _dAct[i] = Math.Clamp(_dAct[i], -1f, 1f);
        }
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
        if (Updates <= o.CriticWarmupUpdates)
        {
            // Critic warm-up: the actor (and its target) stay as given while the critics learn its value.
            for (int k = 0; k < _critics.Length; k++) _criticTargets[k].PolyakUpdate(_critics[k], o.Tau);
            return;
        }

        // Actor: maximise Q_1(s, μ(s)); ∂(−mean Q)/∂Q = −1/B, back through the critic to the action, then the actor.
        ReadOnlySpan<float> mu = _actor.Forward(_obs, b);
        mu.CopyTo(_dAct);
        if (_clampActor)
        {
            for (int i = 0; i < b * na; i++) _dAct[i] = Math.Clamp(_dAct[i], -1f, 1f);
        }
        Concat(_obs, _dAct, b);
        _critics[0].Forward(_criticIn, b);
        Array.Fill(_dq, -1f / b);
        _critics[0].Backward(_dq, _dIn, accumulateParameters: false);
        for (int s = 0; s < b; s++) _dIn.AsSpan(s * ni + no, na).CopyTo(_dAct.AsSpan(s * na, na));
        if (_clampActor)
        {
            // the clamp's gradient: none where μ lies outside [−1, 1]
            for (int i = 0; i < b * na; i++) if (!(mu[i] >= -1f && mu[i] <= 1f)) _dAct[i] = 0f;
        }
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

using MotorRT.Contracts;
using MotorRT.Policies.Training.Rl;
using MotorRT.Sim.Gym;

namespace MotorRT.Cli.Train;

/// <summary>
/// A continuous GEM environment (MotorRT.Sim.Gym) as an <see cref="IRlEnvironment"/>: float32 observations in GEM's
/// flattened order, actions passed as GEM's duty cycles (GEM's continuous action spaces are [−1, 1] per element, the
/// actor's tanh range, so no rescaling), GEM's reward, termination on a constraint violation, truncation after the
/// spec's episode length. With <c>dqActions</c> (synchronous machines on a B6 bridge) the action is GEM's
/// <c>DqToAbcActionProcessor</c>'s: two elements a_d, a_q in [−1, 1] (u_dq = a_dq·u_sup/2 while no phase duty clips),
/// turned into the three phase duties by inverse Park and inverse Clarke at ε + 0.5·τ·ω — GEM's advance, which reads
/// the observed mechanical speed state "omega" (ε and ω in SI from the last observation).
/// </summary>
internal sealed class GemRlEnvironment : IRlEnvironment
{
    private readonly double[] _action;
    private readonly bool _dq;
    private readonly int _epsilon, _omega;
    private readonly double _epsilonLimit, _omegaLimit;

    /// <summary>Wraps <paramref name="env"/>; <paramref name="dqActions"/>: two dq actions (see the class summary).</summary>
    public GemRlEnvironment(GemEnv env, bool dqActions = false)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (env.IsFinite) throw new ArgumentException($"{env.Spec.Id} has discrete actions; TD3 and DDPG need a continuous (Cont-…) environment");
        Env = env;
        _action = new double[env.ActionCount];
        _dq = dqActions;
        if (dqActions)
        {
            if (env.ActionCount != 3 || !env.Layout.Names.Contains("epsilon"))
            {
                throw new ArgumentException($"{env.Spec.Id} has {env.ActionCount} actions and no single rotor angle; dq actions need a synchronous machine on one B6 bridge (e.g. Cont-CC-PMSM-v0)");
            }
            _epsilon = env.Layout.IndexOf("epsilon");
            _omega = env.Layout.IndexOf("omega");
            _epsilonLimit = env.Layout.Limits[_epsilon];
            _omegaLimit = env.Layout.Limits[_omega];
        }
    }

    /// <summary>The wrapped environment.</summary>
    public GemEnv Env { get; }

    /// <summary>True when the actions are GEM's dq actions (two elements) rather than the environment's own.</summary>
    public bool DqActions => _dq;

    /// <inheritdoc />
    public int ObservationSize => Env.ObservationNames.Count;

    /// <inheritdoc />
    public int ActionSize => _dq ? 2 : Env.ActionCount;

    /// <summary>Steps whose constraint monitor reported a violation degree &gt; 0 since construction.</summary>
    public long ViolationSteps { get; private set; }

    /// <inheritdoc />
    public void Reset(ulong? seed, Span<float> observation) => Copy(Env.Reset(seed), observation);

    /// <inheritdoc />
    public RlStep Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (_dq)
        {
            ReadOnlySpan<double> s = Env.State;
            double angle = s[_epsilon] * _epsilonLimit + 0.5 * Env.Plant.Tau * s[_omega] * _omegaLimit;
            SpaceVector.DqToAbc(action[0], action[1], angle, out _action[0], out _action[1], out _action[2]);
        }
        else
        {
            for (int i = 0; i < _action.Length; i++) _action[i] = action[i];
        }
        StepResult r = Env.Step(_action);
        if (r.ViolationDegree > 0) ViolationSteps++;
        Copy(Env.Observation, observation);
        return new RlStep(r.Reward, r.Terminated, r.Truncated);
    }

    private static void Copy(ReadOnlySpan<double> from, Span<float> to)
    {
        for (int i = 0; i < from.Length; i++) to[i] = (float)from[i];
    }
}

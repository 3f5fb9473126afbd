using MotorRT.Policies.Training.Rl;
using MotorRT.Sim.Gym;

namespace MotorRT.Cli.Train;

/// <summary>
/// A continuous GEM environment (MotorRT.Sim.Gym) as an <see cref="IRlEnvironment"/>: float32 observations in GEM's
/// flattened order, actions passed as GEM's duty cycles (GEM's continuous action spaces are [−1, 1] per element, the
/// actor's tanh range, so no rescaling), GEM's reward, termination on a constraint violation, truncation after the
/// spec's episode length.
/// </summary>
internal sealed class GemRlEnvironment : IRlEnvironment
{
    private readonly double[] _action;

    /// <summary>Wraps <paramref name="env"/>.</summary>
    public GemRlEnvironment(GemEnv env)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (env.IsFinite) throw new ArgumentException($"{env.Spec.Id} has discrete actions; TD3 and DDPG need a continuous (Cont-…) environment");
        Env = env;
        _action = new double[env.ActionCount];
    }

    /// <summary>The wrapped environment.</summary>
    public GemEnv Env { get; }

    /// <inheritdoc />
    public int ObservationSize => Env.ObservationNames.Count;

    /// <inheritdoc />
    public int ActionSize => Env.ActionCount;

    /// <summary>Steps whose constraint monitor reported a violation degree &gt; 0 since construction.</summary>
    public long ViolationSteps { get; private set; }

    /// <inheritdoc />
    public void Reset(ulong? seed, Span<float> observation) => Copy(Env.Reset(seed), observation);

    /// <inheritdoc />
    public RlStep Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        for (int i = 0; i < _action.Length; i++) _action[i] = action[i];
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

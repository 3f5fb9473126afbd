namespace MotorRT.Policies.Training.Rl;

/// <summary>What one environment step returned besides the observation.</summary>
/// <param name="Reward">Reward of the step (dimensionless).</param>
/// <param name="Terminated">The episode ended in a terminal state (no bootstrapping from the next state).</param>
/// <param name="Truncated">The episode was cut off by a time limit (the next state is bootstrapped).</param>
public readonly record struct RlStep(double Reward, bool Terminated, bool Truncated);

/// <summary>
/// A continuous-action environment as the RL trainers see it: float32 observations, actions in [−1, 1] per element
/// (the actor's tanh range; an adapter maps them onto the environment's action space). Kept free of the simulation
/// so this offline project does not reference it; the CLI adapts MotorRT.Sim.Gym's GEM environments.
/// </summary>
public interface IRlEnvironment
{
    /// <summary>Observation width.</summary>
    int ObservationSize { get; }

    /// <summary>Action width.</summary>
    int ActionSize { get; }

    /// <summary>Starts an episode (re-seeded when <paramref name="seed"/> is given) and writes the first observation.</summary>
    void Reset(ulong? seed, Span<float> observation);

    /// <summary>Applies <paramref name="action"/> (each element in [−1, 1]) and writes the next observation.</summary>
    RlStep Step(ReadOnlySpan<float> action, Span<float> observation);
}

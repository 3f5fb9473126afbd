namespace MotorRT.Policies.Training.Rl;

/// <summary>A deterministic policy a = μ(s) over an <see cref="IRlEnvironment"/>'s observations and actions (e.g. a trained actor, or an explicit MPC law for comparison).</summary>
public interface IRlPolicy
{
    /// <summary>Writes the action for <paramref name="observation"/> into <paramref name="action"/>.</summary>
    void Act(ReadOnlySpan<float> observation, Span<float> action);
}

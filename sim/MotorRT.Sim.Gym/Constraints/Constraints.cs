namespace MotorRT.Sim.Gym.Constraints;

/// <summary>A GEM constraint: a violation degree in [0, 1] of the normalised state (1 terminates the episode).</summary>
public interface IConstraint
{
    /// <summary>Binds to the state layout (GEM's set_modules).</summary>
    void Bind(StateLayout layout);

    /// <summary>Violation degree of the normalised state: 0 none, (0, 1) undesired zone, 1 full violation.</summary>
    double Check(ReadOnlySpan<double> state);
}

/// <summary>GEM's LimitConstraint: 1 when any observed |s_norm| &gt; 1 (strict), else 0.</summary>
public sealed class LimitConstraint(params string[] observedStates) : IConstraint
{
    private int[] _index = [];

    /// <summary>The observed state names.</summary>
    public IReadOnlyList<string> ObservedStates => observedStates;

    /// <inheritdoc/>
    public void Bind(StateLayout layout) => _index = [.. observedStates.Select(layout.IndexOf)];

    /// <inheritdoc/>
    public double Check(ReadOnlySpan<double> state)
    {
        foreach (int k in _index)
            if (Math.Abs(state[k]) > 1.0) return 1.0;
        return 0.0;
    }
}

/// <summary>GEM's SquaredConstraint: 1 when Σ s_norm² &gt; 1 (strict) over the observed states (e.g. i_sd, i_sq), else 0.</summary>
public sealed class SquaredConstraint(params string[] states) : IConstraint
{
    private int[] _index = [];

    /// <summary>The observed state names.</summary>
    public IReadOnlyList<string> States => states;

    /// <inheritdoc/>
    public void Bind(StateLayout layout) => _index = [.. states.Select(layout.IndexOf)];

    /// <inheritdoc/>
    public double Check(ReadOnlySpan<double> state)
    {
        double sum = 0.0;
        foreach (int k in _index) sum += state[k] * state[k];
        return sum > 1.0 ? 1.0 : 0.0;
    }
}

/// <summary>GEM's ConstraintMonitor with merge 'max': the largest violation degree of its constraints.</summary>
public sealed class ConstraintMonitor(params IConstraint[] constraints)
{
    /// <summary>The constraints.</summary>
    public IReadOnlyList<IConstraint> Constraints => constraints;

    /// <summary>Binds every constraint.</summary>
    public void Bind(StateLayout layout)
    {
        foreach (IConstraint c in constraints) c.Bind(layout);
    }

    /// <summary>max over the constraints' violation degrees (0 with none).</summary>
    public double Check(ReadOnlySpan<double> state)
    {
        double d = 0.0;
        foreach (IConstraint c in constraints) d = Math.Max(d, c.Check(state));
        return d;
    }
}

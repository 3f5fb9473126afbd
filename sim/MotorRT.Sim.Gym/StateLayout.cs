namespace MotorRT.Sim.Gym;

/// <summary>
/// GEM's view of a plant's states: names in GEM's order, the limit of each (SI) by which the observation is
/// normalised, and the normalised state space bounds (low is 0 for states that cannot be negative, else −1; high 1).
/// </summary>
public sealed class StateLayout
{
    private readonly string[] _names;
    private readonly double[] _limits, _low, _high, _nominal;

    /// <summary>Builds a layout; every array has one entry per state.</summary>
    /// <param name="names">GEM's state names.</param>
    /// <param name="limits">Limit per state, SI (A, V, rad/s, N·m, rad).</param>
    /// <param name="nominal">Nominal value per state, SI; the Wiener references' default margin is nominal/limit.</param>
    /// <param name="low">Normalised lower bound per state (0 or −1 in GEM).</param>
    public StateLayout(IReadOnlyList<string> names, ReadOnlySpan<double> limits, ReadOnlySpan<double> nominal, ReadOnlySpan<double> low)
    {
        ArgumentNullException.ThrowIfNull(names);
        int n = names.Count;
        if (limits.Length != n || nominal.Length != n || low.Length != n) throw new ArgumentException($"a state layout needs {n} limits, nominal values and lower bounds");
        _names = [.. names];
        _limits = limits.ToArray();
        _nominal = nominal.ToArray();
        _low = low.ToArray();
        _high = new double[n];
        Array.Fill(_high, 1.0);
        for (int k = 0; k < n; k++)
            if (!(_limits[k] > 0)) throw new ArgumentException($"state {_names[k]}: limit must be > 0, got {_limits[k]}");
    }

    /// <summary>Number of states.</summary>
    public int Count => _names.Length;

    /// <summary>GEM's state names in observation order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Limit per state, SI (A, V, rad/s, N·m, rad for ε).</summary>
    public ReadOnlySpan<double> Limits => _limits;

    /// <summary>Nominal value per state, SI.</summary>
    public ReadOnlySpan<double> Nominal => _nominal;

    /// <summary>Normalised lower bound of the state space per state (dimensionless).</summary>
    public ReadOnlySpan<double> Low => _low;

    /// <summary>Normalised upper bound of the state space per state (1, dimensionless).</summary>
    public ReadOnlySpan<double> High => _high;

    /// <summary>Position of a state; throws naming the known states when absent.</summary>
    public int IndexOf(string name)
    {
        int k = Array.IndexOf(_names, name);
        if (k < 0) throw new ArgumentException($"unknown state \"{name}\"; states: {string.Join(", ", _names)}");
        return k;
    }

    /// <summary>GEM's normalisation: state / limit, per state (no clipping, as GEM).</summary>
    public void Normalise(ReadOnlySpan<double> si, Span<double> normalised)
    {
        for (int k = 0; k < _limits.Length; k++) normalised[k] = si[k] / _limits[k];
    }
}

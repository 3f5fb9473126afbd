namespace MotorRT.Sim.Gym.Initializers;

/// <summary>
/// GEM's motor and load initializers: the state an episode starts from. Writes the speed (rad/s; NaN = the load's
/// own, e.g. a constant-speed load's ω) and the machine's ODE states in SI (DC: i or i_a, i_e; synchronous: i_sd,
/// i_sq, [i_e,] ε in rad).
/// </summary>
public interface IStateInitializer
{
    /// <summary>Re-seeds the initializer's random stream.</summary>
    void Seed(ulong seed);

    /// <summary>Draws the initial state of a new episode.</summary>
    void Initial(ref double speed, Span<double> machineStates);
}

/// <summary>A fixed initial state (GEM's initializer with 'states'); zero currents and the load's speed by default.</summary>
public sealed class ConstantInitializer(double speed = double.NaN, params double[] machineStates) : IStateInitializer
{
    /// <inheritdoc/>
    public void Seed(ulong seed) { }

    /// <inheritdoc/>
    public void Initial(ref double speed1, Span<double> machineStates1)
    {
        speed1 = speed;
        machineStates1.Clear();
        machineStates.AsSpan(0, Math.Min(machineStates.Length, machineStates1.Length)).CopyTo(machineStates1);
    }
}

/// <summary>
/// Uniformly random initial states (GEM's initializer with random_init 'uniform' over an interval): the speed in
/// [low, high] rad/s and each listed machine ODE state in its SI interval; unlisted states are 0. Seeded.
/// </summary>
public sealed class UniformRandomInitializer : IStateInitializer
{
    private readonly (double Low, double High)? _speed;
    private readonly (double Low, double High)[] _states;
    private GymRandom _random = new(0);

    /// <summary>Creates the initializer.</summary>
    /// <param name="speed">Interval of ω₀, rad/s; null = the load's speed.</param>
    /// <param name="machineStates">Interval per machine ODE state, SI, in ODE order.</param>
    public UniformRandomInitializer((double Low, double High)? speed, params (double Low, double High)[] machineStates)
    {
        _speed = speed;
        _states = machineStates;
        foreach (var r in machineStates.Append(speed ?? (0, 0)))
            if (!(r.High >= r.Low)) throw new ArgumentException($"initializer interval must satisfy low ≤ high, got ({r.Low}, {r.High})");
    }

    /// <inheritdoc/>
    public void Seed(ulong seed) => _random = new GymRandom(seed);

    /// <inheritdoc/>
    public void Initial(ref double speed, Span<double> machineStates)
    {
        speed = _speed is { } s ? _random.Uniform(s.Low, s.High) : double.NaN;
        machineStates.Clear();
        for (int k = 0; k < Math.Min(_states.Length, machineStates.Length); k++) machineStates[k] = _random.Uniform(_states[k].Low, _states[k].High);
    }
}

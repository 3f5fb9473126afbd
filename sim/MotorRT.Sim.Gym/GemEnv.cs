using MotorRT.Sim.Gym.Constraints;
using MotorRT.Sim.Gym.Initializers;
using MotorRT.Sim.Gym.References;
using MotorRT.Sim.Gym.Rewards;
using MotorRT.Sim.Spec;

namespace MotorRT.Sim.Gym;

/// <summary>What one <see cref="GemEnv.Step(ReadOnlySpan{double})"/> returned besides the observation.</summary>
/// <param name="Reward">GEM's reward of the step (dimensionless).</param>
/// <param name="Terminated">A constraint was fully violated (degree ≥ 1): reset before stepping again.</param>
/// <param name="Truncated">The episode reached <see cref="GemEnvSpec.MaxEpisodeSteps"/> (GEM itself never truncates).</param>
/// <param name="ViolationDegree">The constraint monitor's violation degree in [0, 1].</param>
public readonly record struct StepResult(double Reward, bool Terminated, bool Truncated, double ViolationDegree);

/// <summary>
/// One GEM 3.0.2 environment over the plant twin. The observation is GEM's flattened Tuple(state, reference): every
/// normalised state (SI / limit) in GEM's order, then the normalised references. A step does what GEM's
/// ElectricMotorEnvironment.step does, in its order: simulate → reference array (the value shown in the last
/// observation) → constraints → reward → terminated → next reference (moved on also on the terminating step).
/// Reset and step do not allocate; one instance is not thread-safe.
/// </summary>
public sealed class GemEnv
{
    private readonly double[] _si, _state, _reference, _observation, _machine;
    private readonly int[] _switching;
    private readonly int _refOffset;
    private bool _needsReset = true;
    private ulong _seed;

    /// <summary>Builds the environment from its spec (components are bound to the plant's state layout here).</summary>
    public GemEnv(GemEnvSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        Plant = PhysicalSystem.Create(spec.Plant);
        Layout = spec.Layout(Plant);
        References = spec.References();
        Reward = spec.Reward();
        Constraints = new ConstraintMonitor(spec.Constraints());
        Initializer = spec.Initializer?.Invoke();
        References.Bind(Layout, Plant.Tau);
        Reward.Bind(Layout, References.ReferenceNames);
        Constraints.Bind(Layout);
        int n = Layout.Count;
        _si = new double[n];
        _state = new double[n];
        _reference = new double[n];
        _refOffset = n;
        _observation = new double[n + References.ReferenceNames.Count];
        _machine = new double[6];
        _switching = new int[Math.Max(1, Plant.ActionCount)];
        ObservationNames = [.. Layout.Names, .. References.ReferenceNames.Select(r => "ref_" + r)];
        Seed(spec.Seed);
    }

    /// <summary>The spec the environment was built from.</summary>
    public GemEnvSpec Spec { get; }

    /// <summary>The plant twin (SI).</summary>
    public PhysicalSystem Plant { get; }

    /// <summary>GEM's state layout: names, limits, bounds.</summary>
    public StateLayout Layout { get; }

    /// <summary>The reference generator.</summary>
    public ReferenceGenerator References { get; }

    /// <summary>The reward function.</summary>
    public IRewardFunction Reward { get; }

    /// <summary>The constraint monitor.</summary>
    public ConstraintMonitor Constraints { get; }

    /// <summary>The initial-state generator, or null for GEM's default (zero currents, the load's speed).</summary>
    public IStateInitializer? Initializer { get; }

    /// <summary>Observation entry names: the states, then ref_&lt;state&gt; per reference.</summary>
    public IReadOnlyList<string> ObservationNames { get; }

    /// <summary>The last observation (normalised states, then normalised references).</summary>
    public ReadOnlySpan<double> Observation => _observation;

    /// <summary>The normalised state of the last observation.</summary>
    public ReadOnlySpan<double> State => _state;

    /// <summary>GEM's reference array the last reward used (one entry per state, 0 for unreferenced states).</summary>
    public ReadOnlySpan<double> LastReference => _reference;

    /// <summary>Steps since the last reset (GEM's k).</summary>
    public long StepCount { get; private set; }

    /// <summary>Number of actions a step takes (duty cycles, or switching states of finite converters).</summary>
    public int ActionCount => Plant.ActionCount;

    /// <summary>True when actions are switching states (GEM's Discrete action spaces).</summary>
    public bool IsFinite => Plant.IsFinite;

    private void Seed(ulong seed)
    {
        _seed = seed;
        References.Seed(GymRandom.Derive(seed, 1));
        Initializer?.Seed(GymRandom.Derive(seed, 2));
    }

    /// <summary>
    /// Starts an episode. With a seed every component is re-seeded from it, so <c>Reset(s)</c> repeats an episode
    /// exactly; without, the streams carry on (unlike GEM, which re-seeds from OS entropy, runs stay reproducible).
    /// Returns the first observation.
    /// </summary>
    public ReadOnlySpan<double> Reset(ulong? seed = null)
    {
        if (seed is { } s) Seed(s);
        double speed = double.NaN;
        Span<double> machine = _machine;
        machine.Clear();
        Initializer?.Initial(ref speed, machine);
        Plant.Reset(speed, machine);
        StepCount = 0;
        ObserveState();
        References.Reset(_state, _observation.AsSpan(_refOffset));
        _needsReset = false;
        return _observation;
    }

    /// <summary>One step with continuous duty cycles in GEM's action layout (clipped by the converter as in GEM).</summary>
    public StepResult Step(ReadOnlySpan<double> action)
    {
        BeginStep();
        Plant.Step(action);
        return EndStep();
    }

    /// <summary>One step of a finite converter with one switching state per sub-converter (GEM's Discrete / MultiDiscrete).</summary>
    public StepResult Step(ReadOnlySpan<int> switchingStates)
    {
        BeginStep();
        Plant.StepSwitching(switchingStates);
        return EndStep();
    }

    /// <summary>One step of a finite converter with one sub-converter (GEM's Discrete action).</summary>
    public StepResult Step(int switchingState)
    {
        _switching[0] = switchingState;
        return Step((ReadOnlySpan<int>)_switching.AsSpan(0, 1));
    }

    private void BeginStep()
    {
        if (_needsReset) ThrowNeedsReset();
    }

    private StepResult EndStep()
    {
        StepCount++;
        ObserveState();
        References.GetReference(_reference);
        double d = Constraints.Check(_state);
        double r = Reward.Reward(_state, _reference, StepCount, d);
        bool terminated = d >= 1.0;
        References.NextObservation(_state, _observation.AsSpan(_refOffset));
        bool truncated = !terminated && Spec.MaxEpisodeSteps is { } max && StepCount >= max;
        _needsReset = terminated || truncated;
        return new StepResult(r, terminated, truncated, d);
    }

    private void ObserveState()
    {
        Plant.State.CopyTo(_si);
        Layout.Normalise(_si, _state);
        _state.CopyTo(_observation, 0);
    }

    private void ThrowNeedsReset() =>
        throw new InvalidOperationException(StepCount == 0 ? "call Reset before the first Step" : "the episode ended (terminated or truncated): call Reset before stepping again");

    /// <summary>The seed the components were last seeded from.</summary>
    public ulong LastSeed => _seed;
}

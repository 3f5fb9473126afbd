using MotorRT.Contracts.Machines;
using MotorRT.Sim.Gym.Constraints;
using MotorRT.Sim.Gym.Initializers;
using MotorRT.Sim.Gym.References;
using MotorRT.Sim.Gym.Rewards;
using MotorRT.Sim.Spec;

namespace MotorRT.Sim.Gym;

/// <summary>GEM's nominal values of a machine (SI), used for the references' default limit margin (nominal / limit).</summary>
/// <param name="Speed">Nominal mechanical speed, rad/s.</param>
/// <param name="Torque">Nominal torque, N·m.</param>
/// <param name="Current">Nominal current (phase amplitude or armature), A.</param>
/// <param name="Voltage">Nominal voltage (phase amplitude or armature), V.</param>
/// <param name="ExcitationCurrent">Nominal excitation current, A (0 when none).</param>
public sealed record NominalValues(double Speed, double Torque, double Current, double Voltage, double ExcitationCurrent = 0);

/// <summary>
/// Everything a <see cref="GemEnv"/> is built from: the plant, and factories for its stateful components (so a
/// batch can build N independent copies). Change a preset with <c>with</c>, e.g. <c>spec with { MaxEpisodeSteps = 10000 }</c>.
/// </summary>
public sealed record GemEnvSpec
{
    /// <summary>GEM env id, e.g. Cont-CC-PermExDc-v0.</summary>
    public required string Id { get; init; }

    /// <summary>The plant twin's spec (motor, converter, supply, load, solver, τ).</summary>
    public required PlantSpec Plant { get; init; }

    /// <summary>GEM's nominal values of the machine.</summary>
    public required NominalValues Nominal { get; init; }

    /// <summary>Creates the reference generator.</summary>
    public required Func<ReferenceGenerator> References { get; init; }

    /// <summary>Creates the reward function (GEM default: <see cref="WeightedSumOfErrors"/>).</summary>
    public Func<IRewardFunction> Reward { get; init; } = () => new WeightedSumOfErrors();

    /// <summary>Creates the constraints (merged by max).</summary>
    public required Func<IConstraint[]> Constraints { get; init; }

    /// <summary>Creates the initial-state generator; null = GEM's default (zero currents, the load's speed).</summary>
    public Func<IStateInitializer>? Initializer { get; init; }

    /// <summary>Episode length after which a step reports truncated (our extension; null = never, as GEM).</summary>
    public int? MaxEpisodeSteps { get; init; }

    /// <summary>Seed of the components' random streams until a seeded reset.</summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// Normalised lower state bounds by state name, overriding GEM's rule (0 for u_sup and for the series DC motor's
    /// ω and torque, −1 otherwise — GEM's bounds with the 4QC and B6 converters the presets use).
    /// </summary>
    public IReadOnlyDictionary<string, double>? StateLow { get; init; }

    /// <summary>The same spec with another plant solver (e.g. <see cref="SolverSpec.DormandPrinceTight"/>).</summary>
    public GemEnvSpec WithSolver(SolverSpec solver) => this with { Plant = Plant with { Solver = solver } };

    /// <summary>GEM's state layout of a plant built from <see cref="Plant"/>.</summary>
    public StateLayout Layout(PhysicalSystem plant)
    {
        ArgumentNullException.ThrowIfNull(plant);
        IReadOnlyList<string> names = plant.StateNames;
        int n = names.Count;
        var limits = new double[n];
        var nominal = new double[n];
        var low = new double[n];
        bool series = plant.Motor.Type == MotorType.SeriesDc;
        for (int k = 0; k < n; k++)
        {
            string s = names[k];
            limits[k] = plant.LimitOf(s);
            nominal[k] = s switch
            {
                "omega" => Nominal.Speed,
                "torque" => Nominal.Torque,
                "epsilon" => Math.PI,
                "u_sup" => plant.Spec.Supply.NominalVoltage,
                "i_e" when Nominal.ExcitationCurrent > 0 => Nominal.ExcitationCurrent,
                _ when s.StartsWith('i') => Nominal.Current,
                _ when s.StartsWith('u') => Nominal.Voltage,
                _ => limits[k],
            };
            low[k] = s == "u_sup" || (series && s is "omega" or "torque") ? 0.0 : -1.0;
            if (StateLow is not null && StateLow.TryGetValue(s, out double l)) low[k] = l;
        }
        return new StateLayout(names, limits, nominal, low);
    }
}

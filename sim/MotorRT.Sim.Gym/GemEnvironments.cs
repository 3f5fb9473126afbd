using MotorRT.Sim.Gym.Constraints;
using MotorRT.Sim.Gym.References;
using MotorRT.Sim.Presets;

namespace MotorRT.Sim.Gym;

/// <summary>
/// GEM 3.0.2's environments by env id, with GEM's defaults: plant (<see cref="GemPresets"/>; its solver is RK4,
/// GEM's is dopri5 — see <see cref="GemEnvSpec.WithSolver"/>), Wiener-process references on the controlled quantity
/// with the env's σ-range, WeightedSumOfErrors (γ 0.9), limit constraint on the DC current or squared constraint on
/// i_sd, i_sq, zero initial currents. Supported: <c>{Cont|Finite}-{CC|SC|TC}-{PermExDc|ExtExDc|SeriesDc|PMSM|DFIM}-v0</c>
/// (the DFIM's finite envs take two switching states, stator and rotor bridge).
/// </summary>
public static class GemEnvironments
{
    private static readonly string[] Motors = ["PermExDc", "ExtExDc", "SeriesDc", "PMSM", "DFIM"];

    /// <summary>Every supported env id.</summary>
    public static IReadOnlyList<string> Ids { get; } =
        [.. from kind in new[] { "Cont", "Finite" } from task in new[] { "CC", "SC", "TC" } from m in Motors select $"{kind}-{task}-{m}-v0"];

    /// <summary>Builds the environment <paramref name="envId"/> with GEM's defaults.</summary>
    public static GemEnv Make(string envId) => new(Spec(envId));

    /// <summary>GEM's default spec of <paramref name="envId"/>; throws <see cref="ArgumentException"/> listing the supported ids.</summary>
    public static GemEnvSpec Spec(string envId)
    {
        ArgumentNullException.ThrowIfNull(envId);
        if (!Ids.Contains(envId)) throw new ArgumentException($"unknown or unsupported GEM env id \"{envId}\"; supported: {string.Join(", ", Ids)}");
        string[] p = envId.Split('-');
        bool finite = p[0] == "Finite";
        string task = p[1], motor = p[2];
        bool ac = motor is "PMSM" or "DFIM";
        (double, double)? sigma = (motor, task, finite) switch
        {
            ("PermExDc", "CC" or "TC", _) => (1e-2, 1e-1),
            ("PermExDc", "SC", false) => (1e-3, 5e-2),
            ("SeriesDc", "SC", false) => (1e-3, 2e-2),
            ("PermExDc" or "SeriesDc", "SC", true) => (1e-3, 5e-3),
            ("DFIM", "SC", _) => (1e-3, 1e-2),
            _ => null,
        };
        Func<ReferenceGenerator> references = task switch
        {
            "CC" when ac => () => new MultipleReferenceGenerator(new WienerProcessReferenceGenerator("i_sd", sigma), new WienerProcessReferenceGenerator("i_sq", sigma)),
            "CC" when motor == "ExtExDc" => () => new MultipleReferenceGenerator(new WienerProcessReferenceGenerator("i_a", sigma), new WienerProcessReferenceGenerator("i_e", sigma)),
            "CC" => () => new WienerProcessReferenceGenerator("i", sigma),
            "SC" => () => new WienerProcessReferenceGenerator("omega", sigma),
            _ => () => new WienerProcessReferenceGenerator("torque", sigma),
        };
        var plant = GemPresets.Get(envId);
        NominalValues nominal = motor switch
        {
            "PMSM" => new NominalValues(3000 * Math.PI / 30, plant.Motor.Limits.Torque, 240, 150),
            "DFIM" => new NominalValues(1650 * Math.PI / 30, plant.Motor.Limits.Torque, 7.5, 360), // GEM: u 720 → 360 per phase, torque = its limit
            _ => new NominalValues(300, 16, 97, 60, ExcitationCurrent: 97),
        };
        return new GemEnvSpec
        {
            Id = envId,
            Plant = plant,
            Nominal = nominal,
            References = references,
            Constraints = motor switch
            {
                "PMSM" or "DFIM" => () => [new SquaredConstraint("i_sq", "i_sd")],
                "ExtExDc" => () => [new LimitConstraint("i_a", "i_e")],
                _ => () => [new LimitConstraint("i")],
            },
        };
    }
}

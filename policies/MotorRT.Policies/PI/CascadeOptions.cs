using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;

namespace MotorRT.Policies.PI;

/// <summary>
/// Options every cascaded PI controller (DC cascades and FOC) reads from its config section. All quantities SI.
/// </summary>
public sealed record CascadeOptions
{
    /// <summary>Converter + computation dead time, in control periods (tuning and angle advance). Default 1.</summary>
    public double DelayPeriods { get; init; } = 1.0;

    /// <summary>Anti-windup method of every PI in the cascade. Default back-calculation.</summary>
    public AntiWindupMode AntiWindup { get; init; } = AntiWindupMode.BackCalculation;

    /// <summary>Symmetric-optimum parameter a of the speed loop (dimensionless, &gt; 1). Default 4 (as GEM).</summary>
    public double SymmetricOptimumA { get; init; } = 4.0;

    /// <summary>Load inertia added to the rotor inertia for the speed-loop design, in kg·m². Default 0.</summary>
    public double LoadInertia { get; init; }

    /// <summary>Current limit (DC: armature; AC: phase amplitude), in A. Default: the motor's limit.</summary>
    public double CurrentLimit { get; init; }

    /// <summary>Torque limit of the speed loop's output, in N·m; 0 (default) derives it from the motor (its torque limit, else what the current limit yields).</summary>
    public double TorqueLimit { get; init; }

    /// <summary>Speed reference prefilter 1/(1 + s·T_i) (removes the SO overshoot). Default true.</summary>
    public bool SpeedReferenceFilter { get; init; } = true;

    /// <summary>
    /// On the first tick after reset, start the current PIs' integrators from the state: the voltage applied last tick
    /// less the feed-forward (so the output is continuous for a continuous reference; a reference step at that tick
    /// gets the usual proportional response). Default true.
    /// </summary>
    public bool BumplessEnable { get; init; } = true;

    /// <summary>EMF / cross-coupling feed-forward. Default true.</summary>
    public bool Decoupling { get; init; } = true;

    /// <summary>Constant excitation-current reference, in A (externally excited machines); null: take it from the observation.</summary>
    public double? ExcitationCurrent { get; init; }

    /// <summary>Gain override of the (armature or d-axis) current loop, V/A and V/(A·s).</summary>
    public PIGains? CurrentGains { get; init; }

    /// <summary>Gain override of the q-axis current loop (FOC), V/A and V/(A·s).</summary>
    public PIGains? CurrentQGains { get; init; }

    /// <summary>Gain override of the speed loop, N·m·s/rad and N·m/rad.</summary>
    public PIGains? SpeedGains { get; init; }

    /// <summary>Gain override of the excitation current loop, V/A and V/(A·s).</summary>
    public PIGains? ExcitationGains { get; init; }

    /// <summary>The keys <see cref="Read"/> understands (for documentation and tests).</summary>
    public static readonly string[] Keys =
    [
        "delay_periods", "anti_windup", "symmetric_optimum_a", "load_inertia", "current_limit", "torque_limit",
        "speed_reference_filter", "bumpless_enable", "decoupling", "excitation_current", "current_gains", "current_q_gains",
        "speed_gains", "excitation_gains",
    ];

    /// <summary>Reads the shared options from <paramref name="s"/> (does not call EnsureNoUnknownKeys: the caller does).</summary>
    public static CascadeOptions Read(JsonSection s, MotorParameters motor)
    {
        string aw = s.OptionalString("anti_windup") ?? "back-calculation";
        AntiWindupMode mode = aw switch
        {
            "back-calculation" => AntiWindupMode.BackCalculation,
            "conditional-integration" => AntiWindupMode.ConditionalIntegration,
            "none" => AntiWindupMode.None,
            _ => throw s.Error("anti_windup", $"unknown value \"{aw}\"", "use one of: back-calculation, conditional-integration, none"),
        };
        double? excitation = s.Raw("excitation_current") is not null
            ? s.Number("excitation_current", 0.0, motor.Limits.ExcitationCurrent > 0 ? motor.Limits.ExcitationCurrent : 1e6, "A")
            : null;
        return new CascadeOptions
        {
            DelayPeriods = s.Number("delay_periods", 1.0, 0.0, 3.0, "periods"),
            AntiWindup = mode,
            SymmetricOptimumA = s.Number("symmetric_optimum_a", 4.0, 1.5, 20.0),
            LoadInertia = s.Number("load_inertia", 0.0, 0.0, 1e4, "kg·m²"),
            CurrentLimit = s.Number("current_limit", motor.Limits.Current, 1e-6, motor.Limits.Current, "A"),
            TorqueLimit = s.Number("torque_limit", 0.0, 0.0, 1e6, "N·m"),
            SpeedReferenceFilter = s.Boolean("speed_reference_filter", true),
            BumplessEnable = s.Boolean("bumpless_enable", true),
            Decoupling = s.Boolean("decoupling", true),
            ExcitationCurrent = excitation,
            CurrentGains = PIGains.Read(s, "current_gains", "V/A"),
            CurrentQGains = PIGains.Read(s, "current_q_gains", "V/A"),
            SpeedGains = PIGains.Read(s, "speed_gains", "N·m·s/rad"),
            ExcitationGains = PIGains.Read(s, "excitation_gains", "V/A"),
        };
    }
}

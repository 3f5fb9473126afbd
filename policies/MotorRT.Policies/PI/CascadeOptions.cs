using System.Text.Json.Serialization;
using MotorRT.Contracts.Composition;
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

    /// <summary>
    /// The options of a validated section record found at <paramref name="scope"/>; the limits that depend on the
    /// machine (current limit, excitation current) are checked here, naming the field.
    /// </summary>
    public static CascadeOptions From(CascadeSection s, ConfigScope scope, MotorParameters motor)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(motor);
        double? excitation = s.ExcitationCurrent is { } ie
            ? SectionRange.Check(scope, "excitation_current", ie, 0.0, motor.Limits.ExcitationCurrent > 0 ? motor.Limits.ExcitationCurrent : 1e6, "A")
            : null;
        return new CascadeOptions
        {
            DelayPeriods = s.DelayPeriods,
            AntiWindup = s.AntiWindup switch
            {
                "conditional-integration" => AntiWindupMode.ConditionalIntegration,
                "none" => AntiWindupMode.None,
                _ => AntiWindupMode.BackCalculation,
            },
            SymmetricOptimumA = s.SymmetricOptimumA,
            LoadInertia = s.LoadInertia,
            CurrentLimit = s.CurrentLimit is { } il ? SectionRange.Check(scope, "current_limit", il, 1e-6, motor.Limits.Current, "A") : motor.Limits.Current,
            TorqueLimit = s.TorqueLimit,
            SpeedReferenceFilter = s.SpeedReferenceFilter,
            BumplessEnable = s.BumplessEnable,
            Decoupling = s.Decoupling,
            ExcitationCurrent = excitation,
            CurrentGains = s.CurrentGains?.ToGains(),
            CurrentQGains = s.CurrentQGains?.ToGains(),
            SpeedGains = s.SpeedGains?.ToGains(),
            ExcitationGains = s.ExcitationGains?.ToGains(),
        };
    }
}

/// <summary>
/// The keys every cascaded PI controller section (DC cascades and FOC) shares, as written; <see cref="CascadeOptions.From"/>
/// turns them into the controller's options. All quantities SI.
/// </summary>
public abstract record CascadeSection : ControllerSection
{
    /// <summary>Converter + computation dead time, in control periods.</summary>
    [ConfigField("Converter + computation dead time, in control periods (tuning and angle advance).", Min = 0, Max = 3, Unit = "periods")]
    [JsonInclude]
    public double DelayPeriods { get; internal set; } = 1.0;

    /// <summary>Anti-windup method of every PI in the cascade.</summary>
    [ConfigField("Anti-windup method of every PI in the cascade.", Choices = "back-calculation,conditional-integration,none")]
    [JsonInclude]
    public string AntiWindup { get; internal set; } = "back-calculation";

    /// <summary>Symmetric-optimum parameter a of the speed loop (dimensionless).</summary>
    [ConfigField("Symmetric-optimum parameter a of the speed-loop design (dimensionless).", Min = 1.5, Max = 20)]
    [JsonInclude]
    public double SymmetricOptimumA { get; internal set; } = 4.0;

    /// <summary>Load inertia added to the rotor inertia for the speed-loop design, in kg·m².</summary>
    [ConfigField("Load inertia added to the rotor inertia for the speed-loop design.", Min = 0, Max = 1e4, Unit = "kg·m²")]
    [JsonInclude]
    public double LoadInertia { get; internal set; }

    /// <summary>Current limit, in A; absent = the motor's.</summary>
    [ConfigField("Current limit (DC: armature; AC: phase amplitude), at most the motor's; absent = the motor's limit.", Min = 1e-6, Unit = "A")]
    [JsonInclude]
    public double? CurrentLimit { get; internal set; }

    /// <summary>Torque limit of the speed loop's output, in N·m; 0 = derived from the motor.</summary>
    [ConfigField("Torque limit of the speed loop's output; 0 = derive it from the motor.", Min = 0, Max = 1e6, Unit = "N·m")]
    [JsonInclude]
    public double TorqueLimit { get; internal set; }

    /// <summary>Speed reference prefilter 1/(1 + s·T_i).</summary>
    [ConfigField("Speed reference prefilter 1/(1 + s·T_i) (removes the symmetric-optimum overshoot).")]
    [JsonInclude]
    public bool SpeedReferenceFilter { get; internal set; } = true;

    /// <summary>Bumpless start of the current PIs after reset.</summary>
    [ConfigField("Start the current PIs' integrators from the state on the first tick after reset (bumpless).")]
    [JsonInclude]
    public bool BumplessEnable { get; internal set; } = true;

    /// <summary>EMF / cross-coupling feed-forward.</summary>
    [ConfigField("EMF / cross-coupling feed-forward.")]
    [JsonInclude]
    public bool Decoupling { get; internal set; } = true;

    /// <summary>Constant excitation-current reference, in A; absent = from the observation.</summary>
    [ConfigField("Constant excitation-current reference (externally excited machines), at most the motor's excitation limit; absent = take it from the observation.", Min = 0, Unit = "A")]
    [JsonInclude]
    public double? ExcitationCurrent { get; internal set; }

    /// <summary>Gain override of the (armature or d-axis) current loop.</summary>
    [ConfigField("Gain override of the (armature or d-axis) current loop; absent = auto-tuned.")]
    [JsonInclude]
    public CurrentGainsSection? CurrentGains { get; internal set; }

    /// <summary>Gain override of the q-axis current loop (FOC).</summary>
    [ConfigField("Gain override of the q-axis current loop (FOC); absent = auto-tuned.")]
    [JsonInclude]
    public CurrentGainsSection? CurrentQGains { get; internal set; }

    /// <summary>Gain override of the speed loop.</summary>
    [ConfigField("Gain override of the speed loop; absent = auto-tuned.")]
    [JsonInclude]
    public SpeedGainsSection? SpeedGains { get; internal set; }

    /// <summary>Gain override of the excitation current loop.</summary>
    [ConfigField("Gain override of the excitation current loop; absent = auto-tuned.")]
    [JsonInclude]
    public CurrentGainsSection? ExcitationGains { get; internal set; }

    /// <summary>The position loop of a <c>*-position</c> type (absent: the defaults); an error for the other types.</summary>
    [ConfigField("Position loop over the speed loop (only for the *-position types; absent = the tuned defaults).")]
    [JsonInclude]
    public MotorRT.Policies.Position.PositionLoopSection? Position { get; internal set; }
}

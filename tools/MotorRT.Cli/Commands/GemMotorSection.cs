using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;

namespace MotorRT.Cli.Commands;

/// <summary>
/// An explicit machine description in GEM's class and parameter names (SI), read by <c>motorrt pwa mpc</c> (not the
/// runtime schema): <c>{"type": "PermExDc"|"ExtExDc"|"SeriesDc"|"ShuntDc"|"PMSM"|"SynRM"|"EESM", "r_a", "l_a", "psi_e",
/// "r_e", "l_e", "l_e_prime", "p", "l_d", "l_q", "psi_p", "r_s", "l_m", "j_rotor", "limits": {"i", "u", "omega",
/// "torque", "i_e"}}</c>. Strict: unknown keys, and a parameter the type needs but the file lacks, are errors naming the field.
/// <see cref="ToParameters"/> is the one mapping to <see cref="MotorParameters"/>.
/// </summary>
internal sealed record GemMotorSection : IConfigValidation
{
    private const string Types = "PermExDc,ExtExDc,SeriesDc,ShuntDc,PMSM,SynRM,EESM";
    private const double Tiny = 1e-12;

    [ConfigField("GEM machine class: PermExDc, ExtExDc, SeriesDc, ShuntDc, PMSM, SynRM or EESM (any name of the machine type: identifier, GEM class name, environment id).")]
    public required string Type { get; init; }

    [ConfigField("Armature resistance (DC).", Min = Tiny, Max = 1e3, Unit = "Ω")]
    [JsonPropertyName("r_a")]
    public double? RA { get; init; }

    [ConfigField("Armature inductance (DC).", Min = Tiny, Max = 10, Unit = "H")]
    [JsonPropertyName("l_a")]
    public double? LA { get; init; }

    [ConfigField("Permanent excitation flux (PermExDc).", Min = Tiny, Max = 100, Unit = "V·s")]
    [JsonPropertyName("psi_e")]
    public double? PsiE { get; init; }

    [ConfigField("Excitation resistance (wound field).", Min = Tiny, Max = 1e3, Unit = "Ω")]
    [JsonPropertyName("r_e")]
    public double? RE { get; init; }

    [ConfigField("Excitation inductance (wound field).", Min = Tiny, Max = 10, Unit = "H")]
    [JsonPropertyName("l_e")]
    public double? LE { get; init; }

    [ConfigField("Mutual inductance (wound-field DC).", Min = Tiny, Max = 10, Unit = "H")]
    [JsonPropertyName("l_e_prime")]
    public double? LEPrime { get; init; }

    [ConfigField("Pole-pair count (AC).", Min = 1, Max = 100)]
    [JsonPropertyName("p")]
    public double? P { get; init; }

    [ConfigField("Stator resistance (AC).", Min = Tiny, Max = 1e3, Unit = "Ω")]
    [JsonPropertyName("r_s")]
    public double? RS { get; init; }

    [ConfigField("d-axis inductance (AC).", Min = Tiny, Max = 10, Unit = "H")]
    [JsonPropertyName("l_d")]
    public double? LD { get; init; }

    [ConfigField("q-axis inductance (AC).", Min = Tiny, Max = 10, Unit = "H")]
    [JsonPropertyName("l_q")]
    public double? LQ { get; init; }

    [ConfigField("Permanent-magnet flux (PMSM).", Min = Tiny, Max = 100, Unit = "V·s")]
    [JsonPropertyName("psi_p")]
    public double? PsiP { get; init; }

    [ConfigField("Main inductance (EESM).", Min = Tiny, Max = 10, Unit = "H")]
    [JsonPropertyName("l_m")]
    public double? LM { get; init; }

    [ConfigField("Rotor inertia.", Min = Tiny, Max = 1e4, Unit = "kg·m²")]
    public required double JRotor { get; init; }

    [ConfigField("Rated limits in GEM's names.")]
    public required GemMotorLimits Limits { get; init; }

    private MotorType MotorType => Resolve(Type) ?? MotorType.Eesm;

    private static MotorType? Resolve(string name) =>
        MachineTypes.TryResolve(name, out MachineType machine) && machine.Legacy is { } t and not (MotorType.Scim or MotorType.Dfim) ? t : null;

    private bool Dc => MotorType is MotorType.PermanentlyExcitedDc or MotorType.ExternallyExcitedDc or MotorType.SeriesDc or MotorType.ShuntDc;

    private bool Wound => MotorType is MotorType.ExternallyExcitedDc or MotorType.SeriesDc or MotorType.ShuntDc or MotorType.Eesm;

    public void Validate(ConfigScope scope)
    {
        if (Resolve(Type) is null)
        {
            throw scope.Error("type", $"unknown value \"{Type}\"", $"use one of: {Types.Replace(",", ", ", StringComparison.Ordinal)} (or their machine-type identifiers)");
        }
        void Need(double? v, string key, string unit)
        {
            if (v is null) throw scope.Error(key, "required field is missing", $"add \"{key}\": a number in {unit} (needed by {Type})");
        }
        if (Dc) { Need(RA, "r_a", "Ω"); Need(LA, "l_a", "H"); }
        if (MotorType == MotorType.PermanentlyExcitedDc) Need(PsiE, "psi_e", "V·s");
        if (Wound) { Need(RE, "r_e", "Ω"); Need(LE, "l_e", "H"); }
        if (Dc && Wound) Need(LEPrime, "l_e_prime", "H");
        if (!Dc) { Need(P, "p", "pole pairs"); Need(RS, "r_s", "Ω"); Need(LD, "l_d", "H"); Need(LQ, "l_q", "H"); }
        if (MotorType == MotorType.Pmsm) Need(PsiP, "psi_p", "V·s");
        if (MotorType == MotorType.Eesm) Need(LM, "l_m", "H");
    }

    /// <summary>The machine as the synthesis knows it (parameters the type does not use are 0).</summary>
    public MotorParameters ToParameters() => new()
    {
        Type = MotorType,
        ArmatureResistance = Dc ? RA!.Value : 0,
        ArmatureInductance = Dc ? LA!.Value : 0,
        ExcitationFlux = MotorType == MotorType.PermanentlyExcitedDc ? PsiE!.Value : 0,
        ExcitationResistance = Wound ? RE!.Value : 0,
        ExcitationInductance = Wound ? LE!.Value : 0,
        MutualInductance = Dc && Wound ? LEPrime!.Value : 0,
        PolePairs = Dc ? 1 : P!.Value,
        StatorResistance = Dc ? 0 : RS!.Value,
        InductanceD = Dc ? 0 : LD!.Value,
        InductanceQ = Dc ? 0 : LQ!.Value,
        PermanentMagnetFlux = MotorType == MotorType.Pmsm ? PsiP!.Value : 0,
        MainInductance = MotorType == MotorType.Eesm ? LM!.Value : 0,
        RotorInertia = JRotor,
        Limits = new MotorLimits { Current = Limits.I, Voltage = Limits.U, Speed = Limits.Omega, Torque = Limits.Torque, ExcitationCurrent = Limits.IE },
    };

    /// <summary>Reads the section found at <paramref name="path"/> of <paramref name="file"/>.</summary>
    public static MotorParameters Read(string file, string path, JsonElement element) =>
        ConfigFile.ReadSection(file, path, element, (JsonTypeInfo<GemMotorSection>)Options.GetTypeInfo(typeof(GemMotorSection))).ToParameters();

    private static readonly JsonSerializerOptions Options = ConfigFile.Options(GemMotorJson.Default);
}

/// <summary><c>motor.limits</c> in GEM's names.</summary>
internal sealed record GemMotorLimits
{
    [ConfigField("Rated current.", Min = 1e-12, Max = 1e6, Unit = "A")]
    public required double I { get; init; }

    [ConfigField("Rated voltage.", Min = 1e-12, Max = 1e6, Unit = "V")]
    public required double U { get; init; }

    [ConfigField("Rated mechanical speed.", Min = 1e-12, Max = 1e6, Unit = "rad/s")]
    public required double Omega { get; init; }

    [ConfigField("Rated torque.", Min = 0, Max = 1e6, Unit = "N·m")]
    public double Torque { get; init; }

    [ConfigField("Rated excitation current.", Min = 0, Max = 1e6, Unit = "A")]
    [JsonPropertyName("i_e")]
    public double IE { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(GemMotorSection))]
internal sealed partial class GemMotorJson : JsonSerializerContext;

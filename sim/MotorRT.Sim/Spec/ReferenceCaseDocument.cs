using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Sim.Spec;

/// <summary>
/// A GEM reference case's <c>case.json</c> (shared/reference/*/) as written, in GEM's names and SI units; read strictly by
/// <see cref="PlantSpecReader.ReadCase"/>. Keys that depend on the machine (<c>motor_parameter</c>, <c>limits</c>,
/// <c>initial_state</c>) are maps from GEM's names, resolved against the machine type right after loading.
/// </summary>
public sealed record ReferenceCaseDocument
{
    /// <summary>Case name; absent = the folder's name.</summary>
    [ConfigField("Case name; absent = the folder's name.")]
    public string? Case { get; init; }

    /// <summary>GEM version that recorded the case (bookkeeping).</summary>
    [ConfigField("GEM version that recorded the case (bookkeeping).")]
    public JsonElement? GemVersion { get; init; }

    /// <summary>GEM environment id (bookkeeping).</summary>
    [ConfigField("GEM environment id (bookkeeping).")]
    public JsonElement? GemEnvId { get; init; }

    /// <summary>GEM physical system class (bookkeeping).</summary>
    [ConfigField("GEM physical system class (bookkeeping; the twin derives it from the motor).")]
    public JsonElement? PhysicalSystem { get; init; }

    /// <summary>The recorded machine.</summary>
    [ConfigField("The machine: GEM class name and motor_parameter.")]
    public required ReferenceCaseMotor Motor { get; init; }

    /// <summary>The recorded converter.</summary>
    [ConfigField("The converter: GEM class name, sub-converters, interlocking time.")]
    public required ReferenceCaseConverter Converter { get; init; }

    /// <summary>The recorded supply.</summary>
    [ConfigField("The DC supply.")]
    public required ReferenceCaseSupply Supply { get; init; }

    /// <summary>The recorded load.</summary>
    [ConfigField("The mechanical load.")]
    public required ReferenceCaseLoad Load { get; init; }

    /// <summary>The solver GEM used.</summary>
    [ConfigField("The ODE solver GEM used.")]
    public required ReferenceCaseSolver Solver { get; init; }

    /// <summary>Sampling time, in s.</summary>
    [ConfigField("Sampling time.", Min = 1e-9, Max = 1.0, Unit = "s")]
    public required double Tau { get; init; }

    /// <summary>Recorded steps.</summary>
    [ConfigField("Recorded steps.", Min = 1, Max = int.MaxValue)]
    public required int Steps { get; init; }

    /// <summary>Initial state per GEM state name, SI.</summary>
    [ConfigField("Initial state per GEM state name, SI (the twin starts from zero currents and angle).")]
    public required Dictionary<string, double> InitialState { get; init; }

    /// <summary>GEM's state names, in order.</summary>
    [ConfigField("GEM's state names of the physical system, in order.")]
    public required string[] StateNames { get; init; }

    /// <summary>GEM's normalisation limits per state name, SI.</summary>
    [ConfigField("GEM's normalisation limits per state name, SI (informative).")]
    public required Dictionary<string, double> Limits { get; init; }

    /// <summary>How actions were generated (bookkeeping).</summary>
    [ConfigField("How the recorded actions were generated (bookkeeping).")]
    public JsonElement? ActionKind { get; init; }

    /// <summary>Action generator gain (bookkeeping).</summary>
    [ConfigField("Action generator gain (bookkeeping).")]
    public JsonElement? ActionGain { get; init; }

    /// <summary>Action generator offset (bookkeeping).</summary>
    [ConfigField("Action generator offset (bookkeeping).")]
    public JsonElement? ActionOffset { get; init; }

    /// <summary>Columns of trajectory.csv (bookkeeping; the replay reads the CSV header).</summary>
    [ConfigField("Columns of trajectory.csv (bookkeeping; the replay reads the CSV header).")]
    public JsonElement? Columns { get; init; }

    /// <summary>Free notes.</summary>
    [ConfigField("Free notes.")]
    public JsonElement? Notes { get; init; }
}

/// <summary><c>motor</c>: GEM class name and parameters.</summary>
public sealed record ReferenceCaseMotor
{
    /// <summary>GEM class name (or any name of the machine type).</summary>
    [ConfigField("GEM motor class name, e.g. DcPermanentlyExcitedMotor.")]
    public required string Type { get; init; }

    /// <summary>GEM's motor_parameter, SI.</summary>
    [ConfigField("GEM's motor_parameter in GEM's names, SI.")]
    public required Dictionary<string, double> MotorParameter { get; init; }
}

/// <summary><c>converter</c>.</summary>
public sealed record ReferenceCaseConverter
{
    /// <summary>GEM converter class name.</summary>
    [ConfigField("GEM converter class name, e.g. ContFourQuadrantConverter.")]
    public required string Type { get; init; }

    /// <summary>Sub-converters of a multi converter.</summary>
    [ConfigField("Sub-converters of a multi converter (GEM class names); [] otherwise.")]
    public string[]? SubConverters { get; init; }

    /// <summary>Interlocking time, in s.</summary>
    [ConfigField("Interlocking time.", Min = 0, Max = 1, Unit = "s")]
    public double InterlockingTime { get; init; }
}

/// <summary><c>supply</c>.</summary>
public sealed record ReferenceCaseSupply
{
    /// <summary>GEM supply class name.</summary>
    [ConfigField("GEM supply class name.", Choices = "IdealVoltageSupply")]
    public required string Type { get; init; }

    /// <summary>Nominal voltage, in V.</summary>
    [ConfigField("Nominal supply voltage.", Min = 1e-9, Max = 1e6, Unit = "V")]
    public required double UNominal { get; init; }
}

/// <summary><c>load</c>.</summary>
public sealed record ReferenceCaseLoad
{
    /// <summary>GEM load class name.</summary>
    [ConfigField("GEM load class name.", Choices = "PolynomialStaticLoad,ConstantSpeedLoad")]
    public required string Type { get; init; }

    /// <summary>Load inertia, in kg·m².</summary>
    [ConfigField("Load inertia.", Min = 0, Unit = "kg·m²")]
    public required double JLoad { get; init; }

    /// <summary>Rotor + load inertia (checked), in kg·m².</summary>
    [ConfigField("Rotor + load inertia (checked against j_rotor + j_load).", Min = 0, Unit = "kg·m²")]
    public double? JTotal { get; init; }

    /// <summary>ConstantSpeedLoad: the imposed speed, in rad/s.</summary>
    [ConfigField("ConstantSpeedLoad: the imposed mechanical speed.", Unit = "rad/s")]
    public double? OmegaFixed { get; init; }

    /// <summary>PolynomialStaticLoad: GEM's load_parameter.</summary>
    [ConfigField("PolynomialStaticLoad: GEM's load_parameter.")]
    public ReferenceCaseLoadParameter? LoadParameter { get; init; }
}

/// <summary><c>load.load_parameter</c> of a PolynomialStaticLoad: T_L = sign(ω)·(c·ω² + b·|ω| + a).</summary>
public sealed record ReferenceCaseLoadParameter
{
    /// <summary>Constant load torque, in N·m.</summary>
    [ConfigField("Constant load torque.", Min = 0, Unit = "N·m")]
    public double A { get; init; }

    /// <summary>Viscous coefficient, in N·m·s/rad.</summary>
    [ConfigField("Viscous coefficient.", Min = 0, Unit = "N·m·s/rad")]
    public double B { get; init; }

    /// <summary>Quadratic coefficient, in N·m·s²/rad².</summary>
    [ConfigField("Quadratic coefficient.", Min = 0, Unit = "N·m·s²/rad²")]
    public double C { get; init; }

    /// <summary>Load inertia repeated (must equal load.j_load), in kg·m².</summary>
    [ConfigField("Load inertia, repeated (must equal load.j_load).", Min = 0, Unit = "kg·m²")]
    public double? JLoad { get; init; }
}

/// <summary><c>solver</c>: GEM's solver name and settings.</summary>
public sealed record ReferenceCaseSolver
{
    /// <summary>euler, rk4 or dopri5 (a prefix; e.g. dopri5-tight).</summary>
    [ConfigField("Solver: euler, rk4 or dopri5/rk45 (a prefix, e.g. dopri5-tight).")]
    public required string Name { get; init; }

    /// <summary>Free text; rtol=, atol=, nsteps= settings in it are read.</summary>
    [ConfigField("Free text; rtol=…, atol=…, nsteps=… written in it are read.")]
    public string? Detail { get; init; }

    /// <summary>Relative tolerance.</summary>
    [ConfigField("Relative tolerance.", Min = 0)]
    public double? Rtol { get; init; }

    /// <summary>Absolute tolerance.</summary>
    [ConfigField("Absolute tolerance.", Min = 0)]
    public double? Atol { get; init; }

    /// <summary>Solver steps per tau.</summary>
    [ConfigField("Solver steps per tau.", Min = 0)]
    public double? Nsteps { get; init; }
}

/// <summary>Source-generated System.Text.Json metadata of reference case files.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ReferenceCaseDocument))]
public sealed partial class ReferenceCaseJson : JsonSerializerContext
{
    /// <summary>The loader's options over this context (<see cref="ConfigFile.Options"/>).</summary>
    public static JsonSerializerOptions ConfigOptions => s_configOptions ??= ConfigFile.Options(Default);

    private static JsonSerializerOptions? s_configOptions;

    /// <summary>The strict metadata of the case record.</summary>
    public static JsonTypeInfo<ReferenceCaseDocument> Document => (JsonTypeInfo<ReferenceCaseDocument>)ConfigOptions.GetTypeInfo(typeof(ReferenceCaseDocument));
}

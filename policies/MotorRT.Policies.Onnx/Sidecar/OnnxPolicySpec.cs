using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Policies.Onnx.Sidecar;

/// <summary>One observation vector element: a quantity divided by its limit (GEM's normalisation; limit 1 = none).</summary>
/// <param name="Quantity">What is observed.</param>
/// <param name="Limit">Divisor in the quantity's SI unit (GEM's limit value); positive.</param>
public readonly record struct ObservationEntry(ObservationQuantity Quantity, double Limit);

/// <summary>SB3 VecNormalize statistics applied after the limit division: clip((x − mean)/√(var + ε), ±clip).</summary>
public sealed record VecNormalizeSpec
{
    /// <summary>Running mean per element (obs_rms.mean), in normalised units.</summary>
    public required double[] Mean { get; init; }

    /// <summary>Running variance per element (obs_rms.var).</summary>
    public required double[] Variance { get; init; }

    /// <summary>Clip bound (clip_obs, SB3 default 10).</summary>
    public double Clip { get; init; } = 10.0;

    /// <summary>ε added to the variance (SB3 default 1e-8).</summary>
    public double Epsilon { get; init; } = 1e-8;
}

/// <summary>What the (post-processed) network action means.</summary>
public enum ActionMeaning
{
    /// <summary>Duty cycle(s) of a DC converter: armature [, excitation], in [−1, 1] (GEM's continuous DC action).</summary>
    DutyDc,

    /// <summary>Three phase duty cycles a, b, c of a B6 bridge, in [−1, 1] (GEM's continuous B6 action).</summary>
    DutyAbc,

    /// <summary>Armature voltage as a fraction of <see cref="ActionSpec.VoltageLimit"/>; duty = u / u_dc.</summary>
    VoltageDc,

    /// <summary>u_d, u_q as fractions of <see cref="ActionSpec.VoltageLimit"/>; inverse Park at the (advanced) electrical angle, duty = u_x / (u_dc/2).</summary>
    VoltageDq,

    /// <summary>Current reference(s) (DC armature or d [, q]) as fractions of <see cref="ActionSpec.CurrentLimit"/>, handed to an inner current controller.</summary>
    CurrentReference,

    /// <summary>
    /// A torque set-point as a fraction of <see cref="ActionSpec.TorqueLimit"/>, for a smart drive that closes its own
    /// torque loop (<see cref="CommandMode.TorqueSetpoint"/>: ODrive, moteus); the set-point is clamped to ± the limit.
    /// </summary>
    TorqueSetpoint,
}

/// <summary>SB3's action post-processing.</summary>
public enum ActionPostprocess
{
    /// <summary>Use the network output as is.</summary>
    None,

    /// <summary>Clip to [low, high] (SB3 PPO/A2C with a Box action space).</summary>
    Clip,

    /// <summary>Map a squashed output in [−1, 1] to [low, high]: low + ½(a + 1)(high − low) (SB3 SAC/TD3/DDPG).</summary>
    Unscale,
}

/// <summary>Action post-processing and meaning.</summary>
public sealed record ActionSpec
{
    /// <summary>What the action means.</summary>
    public required ActionMeaning Meaning { get; init; }

    /// <summary>SB3 post-processing.</summary>
    public required ActionPostprocess Postprocess { get; init; }

    /// <summary>Action-space lower bounds (per element, dimensionless).</summary>
    public required double[] Low { get; init; }

    /// <summary>Action-space upper bounds (per element, dimensionless).</summary>
    public required double[] High { get; init; }

    /// <summary>Raw network outputs outside [min, max] are invalid (fault + fallback); NaN/∞ always are.</summary>
    public required double ValidMin { get; init; }

    /// <summary>Upper bound of valid raw outputs.</summary>
    public required double ValidMax { get; init; }

    /// <summary>Voltage per unit action, V (VoltageDc, VoltageDq).</summary>
    public double VoltageLimit { get; init; }

    /// <summary>Current per unit action, A (CurrentReference).</summary>
    public double CurrentLimit { get; init; }

    /// <summary>Torque per unit action, N·m (TorqueSetpoint); also the set-point's clamp.</summary>
    public double TorqueLimit { get; init; }

    /// <summary>VoltageDq: the angle used for the inverse Park is ε + AngleAdvance·ω_el·T (periods; 0 = none, 1.5 compensates PWM and computation delay).</summary>
    public double AngleAdvance { get; init; }

    /// <summary>Number of action elements the meaning consumes.</summary>
    public int Size => Low.Length;
}

/// <summary>
/// The sidecar of an ONNX policy: which model, which input and output, the observation layout and normalisation,
/// and the action's post-processing and meaning, resolved from the file's <see cref="OnnxSidecarDocument"/>. The JSON
/// format is documented in policies/README.md ("ONNX policies").
/// </summary>
public sealed record OnnxPolicySpec
{
    /// <summary>Format tag every sidecar carries.</summary>
    public const string FormatTag = "motorrt-onnx-policy/1";

    /// <summary>The sidecar file (for messages).</summary>
    public required string SidecarFile { get; init; }

    /// <summary>Absolute path of the .onnx model.</summary>
    public required string ModelPath { get; init; }

    /// <summary>Graph input fed with the observation.</summary>
    public required string InputName { get; init; }

    /// <summary>Graph output to read, by name (or null when <see cref="OutputIndex"/> is used).</summary>
    public string? OutputName { get; init; }

    /// <summary>Graph output to read, by position (0-based), when no name is given.</summary>
    public int OutputIndex { get; init; }

    /// <summary>Observation vector layout, in order.</summary>
    public required ObservationEntry[] Observation { get; init; }

    /// <summary>Optional VecNormalize statistics.</summary>
    public VecNormalizeSpec? VecNormalize { get; init; }

    /// <summary>Action post-processing and meaning.</summary>
    public required ActionSpec Action { get; init; }

    /// <summary>Title of the sidecar's JSON Schema.</summary>
    public const string SchemaTitle = "MotorRT ONNX policy sidecar (motorrt-onnx-policy/1)";

    /// <summary>
    /// The JSON Schema of a sidecar, exported from <see cref="OnnxSidecarDocument"/> (shipped as
    /// docs/motorrt-onnx-sidecar.schema.json, <c>motorrt config onnx-sidecar-schema</c>). Bounds per meaning and the
    /// model's shapes are checked at load only.
    /// </summary>
    public static JsonObject Schema() => ConfigSchema.Export(OnnxSidecarJson.ConfigOptions, typeof(OnnxSidecarDocument), SchemaTitle, (ctx, node) =>
    {
        if (ctx.PropertyInfo is { Name: "quantity" } p && p.DeclaringType == typeof(OnnxObservationSection))
        {
            node["enum"] = new JsonArray(Enum.GetNames<ObservationQuantity>().Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
        }
    });

    /// <summary>Largest sidecar accepted, in bytes (a sidecar is a few kB; VecNormalize statistics add a few numbers).</summary>
    public const long MaxFileBytes = 1L << 20;

    /// <summary>Loads and validates a sidecar file (strict: unknown and duplicate keys are errors naming the JSON path).</summary>
    public static OnnxPolicySpec Load(string sidecarPath) =>
        Read(sidecarPath, ConfigFile.Load(sidecarPath, (JsonTypeInfo<JsonElement>)OnnxSidecarJson.ConfigOptions.GetTypeInfo(typeof(JsonElement)), MaxFileBytes));

    /// <summary>Parses sidecar JSON attributed to <paramref name="file"/>; a relative model path resolves against the file's folder.</summary>
    public static OnnxPolicySpec Parse(string file, string json) => Read(file, ConfigFile.ParseDocument(file, json));

    private static OnnxPolicySpec Read(string file, JsonElement root)
    {
        // The format tag first: a sidecar of another format (or version) is named as such, not by the keys it lacks.
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("format", out JsonElement f) && f.ValueKind == JsonValueKind.String
            && f.GetString() is { } format && format != FormatTag)
        {
            throw new ConfigException(file, "format", $"unsupported sidecar format \"{format}\"", $"write \"format\": \"{FormatTag}\"");
        }
        OnnxSidecarDocument doc = ConfigFile.ReadSection(file, "", root, OnnxSidecarJson.Document);
        return doc.ToSpec(new ConfigScope(file, ""));
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MotorRT.Contracts;
using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Policies.Onnx;

/// <summary>Controller family <c>onnx</c>: a learned policy (<see cref="OnnxPolicy"/>), its inner current loop built through the registry.</summary>
public sealed class OnnxFamily() : ControllerFamily<OnnxControllerSection>(OnnxSections.Info<OnnxControllerSection>())
{
    /// <inheritdoc />
    public override IReadOnlyList<string> Types { get; } = ["onnx"];

    /// <inheritdoc />
    public override string Summary => "ONNX policy with a JSON sidecar (observation/action contract), a fallback and an optional inner controller.";

    /// <inheritdoc />
    protected override IController Create(ControllerRequest request, OnnxControllerSection section) =>
        OnnxPolicy.Create(section, request.Scope, request.Motor, request.Period, request.CreateNested);
}

/// <summary>The <c>controller</c> section of <c>"type": "onnx"</c> (the policy's contract is its sidecar file, <see cref="Sidecar.OnnxPolicySpec"/>).</summary>
public sealed record OnnxControllerSection : ControllerSection
{
    /// <summary>Path of the policy's JSON sidecar, relative to the config file.</summary>
    [ConfigField("Path of the policy's JSON sidecar (motorrt-onnx-policy/1), relative to this config file.")]
    public required string Sidecar { get; init; }

    /// <summary>Inference time budget per tick, in s; absent = half the period.</summary>
    [JsonPropertyName("inferenceBudget")]
    [ConfigField("Inference time budget per tick, at most the control period; an overrun applies the fallback. Absent = half the period.", Min = 1e-7, Unit = "s")]
    [JsonInclude]
    public double? InferenceBudget { get; internal set; }

    /// <summary>What an invalid or late network output applies.</summary>
    [ConfigField("What an invalid or late network output applies: the safe command, zero voltage (torque_setpoint actions: a 0 N·m set-point), or the last valid command.", Choices = "safe,zero_voltage,hold_last")]
    [JsonInclude]
    public string Fallback { get; internal set; } = "safe";

    /// <summary>Inference engine.</summary>
    [ConfigField("Inference engine: \"auto\" (the native MLP evaluator when the graph is a plain MLP, else ONNX Runtime), \"native\" or \"onnxruntime\".", Choices = "auto,native,onnxruntime")]
    [JsonInclude]
    public string Inference { get; internal set; } = "auto";

    /// <summary>The inner controller section (policies whose action means current references).</summary>
    [ConfigField("The inner current controller, a controller section chosen by \"type\" (policies whose action means current references).")]
    [NestedController]
    [JsonInclude]
    public JsonElement? Inner { get; internal set; }
}

/// <summary>Source-generated System.Text.Json metadata of the ONNX controller section.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(OnnxControllerSection))]
public sealed partial class OnnxSectionJson : JsonSerializerContext;

/// <summary>The strict config options over <see cref="OnnxSectionJson"/> and the section metadata under them.</summary>
public static class OnnxSections
{
    /// <summary>Strict config options (<see cref="ConfigFile.Options"/>).</summary>
    public static JsonSerializerOptions Strict { get; } = ConfigFile.Options(OnnxSectionJson.Default);

    /// <summary>Metadata of <typeparamref name="T"/> under <see cref="Strict"/>.</summary>
    public static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)Strict.GetTypeInfo(typeof(T));
}

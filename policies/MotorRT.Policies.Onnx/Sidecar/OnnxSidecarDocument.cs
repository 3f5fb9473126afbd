using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Policies.Onnx.Sidecar;

/// <summary>
/// An ONNX policy sidecar (<c>"format": "motorrt-onnx-policy/1"</c>) as written in the file; documented in
/// policies/README.md ("ONNX policies"). <see cref="OnnxPolicySpec.Load"/> reads it strictly (<see cref="ConfigFile"/>)
/// and <see cref="ToSpec"/> checks what spans fields; the writer (MotorRT.Policies.Training's <c>SidecarWriter</c>)
/// serialises <see cref="From"/>, so reader and writer share this one record.
/// </summary>
public sealed record OnnxSidecarDocument
{
    /// <summary>Optional reference to a JSON Schema (editors only).</summary>
    [JsonPropertyName("$schema")]
    [ConfigField("JSON Schema of this file (for editors; ignored by the loader).")]
    public string? Schema { get; init; }

    /// <summary>The format tag, <see cref="OnnxPolicySpec.FormatTag"/>.</summary>
    [ConfigField("Format tag of the file.", Choices = OnnxPolicySpec.FormatTag)]
    public required string Format { get; init; }

    /// <summary>The .onnx model, relative to the sidecar's folder (or absolute).</summary>
    [ConfigField("The .onnx model, relative to the sidecar's folder (or absolute).")]
    public required string Model { get; init; }

    /// <summary>The graph input fed with the observation.</summary>
    [ConfigField("The graph input fed with the observation vector.")]
    public required OnnxInputSection Input { get; init; }

    /// <summary>The graph output read as the action.</summary>
    [ConfigField("The graph output read as the action: exactly one of name and index.")]
    public required OnnxOutputSection Output { get; init; }

    /// <summary>Observation vector layout, in the network's input order.</summary>
    [ConfigField("The observation vector, in the network's input order: each element is an SI quantity divided by its limit.")]
    public required OnnxObservationSection[] Observation { get; init; }

    /// <summary>Optional SB3 VecNormalize statistics.</summary>
    [JsonPropertyName("vecNormalize")]
    [ConfigField("SB3 VecNormalize statistics applied after the limit division: clip((x − mean)/√(var + epsilon), ±clipObs).")]
    public OnnxVecNormalizeSection? VecNormalize { get; init; }

    /// <summary>Action post-processing and meaning.</summary>
    [ConfigField("How the selected output is checked, post-processed (SB3) and interpreted.")]
    public required OnnxActionSection Action { get; init; }

    /// <summary>Free text.</summary>
    [ConfigField("Free text (how the policy was made).")]
    public string? Notes { get; init; }

    /// <summary>
    /// The runtime spec: resolves the model path against <paramref name="scope"/>'s folder (it must exist) and checks
    /// the fields against each other (observation count, bounds per meaning); errors name the field.
    /// </summary>
    public OnnxPolicySpec ToSpec(ConfigScope scope)
    {
        string modelPath = Path.GetFullPath(Path.IsPathRooted(Model) ? Model : Path.Combine(scope.BaseDirectory, Model));
        if (!File.Exists(modelPath))
        {
            throw scope.Error("model", $"model file \"{modelPath}\" not found", "give the .onnx path relative to the sidecar's folder");
        }
        if (Observation.Length == 0)
        {
            throw scope.Error("observation", "the observation layout is empty", "list the observed quantities in the network's input order");
        }
        var observation = new ObservationEntry[Observation.Length];
        for (int i = 0; i < Observation.Length; i++)
        {
            OnnxObservationSection e = Observation[i] ?? throw scope.Error($"observation[{i}]", "expected a JSON object, found null", "write this field as { ... }");
            observation[i] = new ObservationEntry(Enum.Parse<ObservationQuantity>(e.Quantity), e.Limit);
        }
        VecNormalizeSpec? vecNormalize = null;
        if (VecNormalize is { } vn)
        {
            ConfigScope vs = scope.Child("vecNormalize");
            Length(vs, "mean", vn.Mean, observation.Length);
            Length(vs, "var", vn.Var, observation.Length);
            vecNormalize = new VecNormalizeSpec { Mean = vn.Mean, Variance = vn.Var, Clip = vn.ClipObs, Epsilon = vn.Epsilon };
        }
        return new OnnxPolicySpec
        {
            SidecarFile = scope.File,
            ModelPath = modelPath,
            InputName = Input.Name,
            OutputName = Output.Name,
            OutputIndex = Output.Index ?? 0,
            Observation = observation,
            VecNormalize = vecNormalize,
            Action = Action.ToSpec(scope.Child("action")),
        };
    }

    /// <summary>The document of <paramref name="spec"/> naming <paramref name="modelFileName"/> (relative to the sidecar).</summary>
    public static OnnxSidecarDocument From(OnnxPolicySpec spec, string modelFileName, string? notes = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ActionSpec a = spec.Action;
        return new OnnxSidecarDocument
        {
            Format = OnnxPolicySpec.FormatTag,
            Model = modelFileName,
            Input = new OnnxInputSection { Name = spec.InputName, ElementType = "float32" },
            Output = spec.OutputName is not null ? new OnnxOutputSection { Name = spec.OutputName } : new OnnxOutputSection { Index = spec.OutputIndex },
            Observation = spec.Observation.Select(e => new OnnxObservationSection { Quantity = e.Quantity.ToString(), Limit = e.Limit }).ToArray(),
            VecNormalize = spec.VecNormalize is { } vn
                ? new OnnxVecNormalizeSection { Mean = vn.Mean, Var = vn.Variance, ClipObs = vn.Clip, Epsilon = vn.Epsilon }
                : null,
            Action = new OnnxActionSection
            {
                Meaning = OnnxActionSection.MeaningNames[(int)a.Meaning],
                Postprocess = OnnxActionSection.PostprocessNames[(int)a.Postprocess],
                Low = a.Low,
                High = a.High,
                ValidRange = [a.ValidMin, a.ValidMax],
                VoltageLimit = a.Meaning is ActionMeaning.VoltageDc or ActionMeaning.VoltageDq ? a.VoltageLimit : null,
                AngleAdvance = a.Meaning == ActionMeaning.VoltageDq ? a.AngleAdvance : null,
                CurrentLimit = a.Meaning == ActionMeaning.CurrentReference ? a.CurrentLimit : null,
                TorqueLimit = a.Meaning == ActionMeaning.TorqueSetpoint ? a.TorqueLimit : null,
            },
            Notes = notes,
        };
    }

    internal static void Length(ConfigScope scope, string key, double[] values, int length)
    {
        if (values.Length != length)
        {
            throw scope.Error(key, $"expected {length} numbers, found {values.Length}", $"give exactly {length} values");
        }
    }
}

/// <summary>The sidecar's <c>input</c>: the graph input fed with the observation.</summary>
public sealed record OnnxInputSection : IConfigValidation
{
    /// <summary>Graph input name.</summary>
    [ConfigField("Name of the graph input.")]
    public required string Name { get; init; }

    /// <summary>Element type; only <c>float32</c>.</summary>
    [JsonPropertyName("elementType")]
    [ConfigField("Element type of the tensor (float32 only; torch's default).")]
    public string? ElementType { get; init; }

    /// <inheritdoc />
    public void Validate(ConfigScope scope) => OnnxOutputSection.RequireFloat32(scope, ElementType);
}

/// <summary>The sidecar's <c>output</c>: the graph output read as the action, by name or by position.</summary>
public sealed record OnnxOutputSection : IConfigValidation
{
    /// <summary>Graph output name.</summary>
    [ConfigField("Name of the graph output (e.g. \"actions\").")]
    public string? Name { get; init; }

    /// <summary>Graph output position (0-based).</summary>
    [ConfigField("Position of the graph output, 0-based (SB3's PPO export: 0 = actions).", Min = 0, Max = 1000)]
    public int? Index { get; init; }

    /// <summary>Element type; only <c>float32</c>.</summary>
    [JsonPropertyName("elementType")]
    [ConfigField("Element type of the tensor (float32 only; torch's default).")]
    public string? ElementType { get; init; }

    /// <inheritdoc />
    public void Validate(ConfigScope scope)
    {
        if ((Name is null) == (Index is null))
        {
            throw scope.Error("name", "give exactly one of \"name\" and \"index\"",
                "name the output (e.g. \"actions\") or give its position (SB3's PPO export: index 0 = actions)");
        }
        RequireFloat32(scope, ElementType);
    }

    internal static void RequireFloat32(ConfigScope scope, string? elementType)
    {
        if (elementType is not null and not "float32")
        {
            throw scope.Error("elementType", $"element type \"{elementType}\" is not supported", "export the policy with float32 inputs and outputs (torch's default) and write \"float32\"");
        }
    }
}

/// <summary>One element of the observation vector.</summary>
public sealed record OnnxObservationSection : IConfigValidation
{
    /// <summary>The observed quantity (a name of <see cref="ObservationQuantity"/>).</summary>
    [ConfigField("The observed SI quantity (a name of MotorRT.Contracts.ObservationQuantity).")]
    public required string Quantity { get; init; }

    /// <summary>Divisor in the quantity's SI unit (GEM's limit; 1 = none).</summary>
    [ConfigField("Divisor in the quantity's SI unit (GEM's limit; 1 = no scaling).", Min = 1e-12, Max = 1e12, Unit = "(SI unit of the quantity)")]
    public required double Limit { get; init; }

    /// <inheritdoc />
    public void Validate(ConfigScope scope)
    {
        if (!Enum.TryParse(Quantity, ignoreCase: false, out ObservationQuantity quantity) || !Enum.IsDefined(quantity) || int.TryParse(Quantity, out _))
        {
            throw scope.Error("quantity", $"unknown quantity \"{Quantity}\"", $"use one of: {string.Join(", ", Enum.GetNames<ObservationQuantity>())}");
        }
    }
}

/// <summary>SB3 VecNormalize statistics as written in the sidecar.</summary>
public sealed record OnnxVecNormalizeSection
{
    /// <summary>Running mean per element (obs_rms.mean).</summary>
    [ConfigField("Running mean per observation element (SB3 obs_rms.mean), in normalised units.")]
    public required double[] Mean { get; init; }

    /// <summary>Running variance per element (obs_rms.var).</summary>
    [ConfigField("Running variance per observation element (SB3 obs_rms.var).", Min = 0)]
    public required double[] Var { get; init; }

    /// <summary>Clip bound (clip_obs).</summary>
    [JsonPropertyName("clipObs")]
    [ConfigField("Clip bound (SB3 clip_obs).", Min = 1e-6, Max = 1e6)]
    public double ClipObs { get; init; } = 10.0;

    /// <summary>ε added to the variance.</summary>
    [ConfigField("Added to the variance (SB3 epsilon).", Min = 0, Max = 1)]
    public double Epsilon { get; init; } = 1e-8;
}

/// <summary>The sidecar's <c>action</c>: bounds, SB3 post-processing and meaning.</summary>
public sealed record OnnxActionSection
{
    /// <summary>Meaning names as written, in the order of <see cref="ActionMeaning"/>.</summary>
    public static readonly string[] MeaningNames = ["duty_dc", "duty_abc", "voltage_dc", "voltage_dq", "current_reference", "torque_setpoint"];

    /// <summary>Post-processing names as written, in the order of <see cref="ActionPostprocess"/>.</summary>
    public static readonly string[] PostprocessNames = ["none", "clip", "unscale"];

    /// <summary>What the action means.</summary>
    [ConfigField("What the action means.", Choices = "duty_dc,duty_abc,voltage_dc,voltage_dq,current_reference,torque_setpoint")]
    public required string Meaning { get; init; }

    /// <summary>SB3 post-processing.</summary>
    [ConfigField("SB3 post-processing: none, clip (PPO/A2C) or unscale (tanh-squashed SAC/TD3).", Choices = "none,clip,unscale")]
    public required string Postprocess { get; init; }

    /// <summary>Action-space lower bounds; absent = −1 per element (GEM).</summary>
    [ConfigField("Action-space lower bound per element; absent = -1 each (GEM).")]
    public double[]? Low { get; init; }

    /// <summary>Action-space upper bounds; absent = 1 per element.</summary>
    [ConfigField("Action-space upper bound per element; absent = 1 each (GEM).")]
    public double[]? High { get; init; }

    /// <summary>[min, max] of valid raw outputs.</summary>
    [JsonPropertyName("validRange")]
    [ConfigField("[min, max] of valid raw network outputs (outside: fault and fallback); default ±100 for clip, [-1, 1] for unscale, [low, high] for none.")]
    public double[]? ValidRange { get; init; }

    /// <summary>Voltage per unit action, V (voltage_dc, voltage_dq).</summary>
    [JsonPropertyName("voltageLimit")]
    [ConfigField("Voltage per unit action (voltage_dc, voltage_dq).", Min = 1e-6, Max = 1e6, Unit = "V")]
    public double? VoltageLimit { get; init; }

    /// <summary>voltage_dq: periods of ω_el·T added to the Park angle.</summary>
    [JsonPropertyName("angleAdvance")]
    [ConfigField("voltage_dq: periods of ω_el·T added to the electrical angle of the inverse Park transform (default 0).", Min = 0, Max = 10, Unit = "periods")]
    public double? AngleAdvance { get; init; }

    /// <summary>Current per unit action, A (current_reference).</summary>
    [JsonPropertyName("currentLimit")]
    [ConfigField("Current per unit action (current_reference).", Min = 1e-6, Max = 1e6, Unit = "A")]
    public double? CurrentLimit { get; init; }

    /// <summary>Torque per unit action, N·m (torque_setpoint).</summary>
    [JsonPropertyName("torqueLimit")]
    [ConfigField("Torque per unit action (torque_setpoint); the set-point is clamped to ± this.", Min = 1e-6, Max = 1e6, Unit = "N·m")]
    public double? TorqueLimit { get; init; }

    /// <summary>The runtime action spec; errors are named from <paramref name="scope"/> (the action's path).</summary>
    public ActionSpec ToSpec(ConfigScope scope)
    {
        var meaning = (ActionMeaning)Array.IndexOf(MeaningNames, Meaning);
        var post = (ActionPostprocess)Array.IndexOf(PostprocessNames, Postprocess);
        (int minSize, int maxSize) = meaning switch
        {
            ActionMeaning.DutyDc => (1, 2),
            ActionMeaning.DutyAbc => (3, 3),
            ActionMeaning.VoltageDc => (1, 1),
            ActionMeaning.VoltageDq => (2, 2),
            ActionMeaning.TorqueSetpoint => (1, 1),
            _ => (1, 2),
        };
        double[] low = Low ?? [];
        double[] high = High ?? [];
        if (low.Length == 0 && high.Length == 0)
        {
            // GEM's continuous action spaces are [−1, 1] per element.
            low = new double[minSize];
            high = new double[minSize];
            Array.Fill(low, -1.0);
            Array.Fill(high, 1.0);
        }
        if (low.Length < minSize || low.Length > maxSize)
        {
            throw scope.Error("low", $"\"{Meaning}\" takes {minSize}{(maxSize > minSize ? $" or {maxSize}" : "")} action elements but low has {low.Length}",
                "give one bound per action element (GEM: -1 each)");
        }
        if (high.Length != low.Length)
        {
            throw scope.Error("high", $"high has {high.Length} elements but low has {low.Length}", "give low and high with one value per action element");
        }
        for (int i = 0; i < low.Length; i++)
        {
            if (!(low[i] < high[i])) throw scope.Error("high", $"element {i}: high {high[i]} is not above low {low[i]}", "use low < high");
        }
        (double defMin, double defMax) = post switch
        {
            ActionPostprocess.Clip => (-100.0, 100.0),        // unsquashed Gaussian means: clipped, but a wild value is a fault
            ActionPostprocess.Unscale => (-1.0 - 1e-6, 1.0 + 1e-6), // tanh-squashed
            _ => (low.Min() - 1e-6, high.Max() + 1e-6),
        };
        double[] valid = [defMin, defMax];
        if (ValidRange is { } range)
        {
            OnnxSidecarDocument.Length(scope, "validRange", range, 2);
            if (!(range[0] < range[1])) throw scope.Error("validRange", "validRange must be [min, max] with min < max", "write e.g. [-10, 10]");
            valid = range;
        }
        bool voltage = meaning is ActionMeaning.VoltageDc or ActionMeaning.VoltageDq;
        if (voltage && VoltageLimit is null) throw scope.Error("voltageLimit", "required field is missing", "add \"voltageLimit\": a number V");
        if (!voltage && VoltageLimit is not null) throw NotFor(scope, "voltageLimit", "voltage_dc and voltage_dq");
        if (meaning != ActionMeaning.VoltageDq && AngleAdvance is not null) throw NotFor(scope, "angleAdvance", "voltage_dq");
        if (meaning == ActionMeaning.CurrentReference && CurrentLimit is null) throw scope.Error("currentLimit", "required field is missing", "add \"currentLimit\": a number A");
        if (meaning != ActionMeaning.CurrentReference && CurrentLimit is not null) throw NotFor(scope, "currentLimit", "current_reference");
        if (meaning == ActionMeaning.TorqueSetpoint && TorqueLimit is null) throw scope.Error("torqueLimit", "required field is missing", "add \"torqueLimit\": a number N·m");
        if (meaning != ActionMeaning.TorqueSetpoint && TorqueLimit is not null) throw NotFor(scope, "torqueLimit", "torque_setpoint");
        return new ActionSpec
        {
            Meaning = meaning,
            Postprocess = post,
            Low = low,
            High = high,
            ValidMin = valid[0],
            ValidMax = valid[1],
            VoltageLimit = VoltageLimit ?? 0,
            CurrentLimit = CurrentLimit ?? 0,
            TorqueLimit = TorqueLimit ?? 0,
            AngleAdvance = AngleAdvance ?? 0,
        };
    }

    private ConfigException NotFor(ConfigScope scope, string key, string meanings) =>
        scope.Error(key, $"not used by a \"{Meaning}\" action (only {meanings})", "remove it, or correct \"meaning\"");
}

/// <summary>Source-generated System.Text.Json metadata of the ONNX sidecar.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(OnnxSidecarDocument))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class OnnxSidecarJson : JsonSerializerContext
{
    /// <summary>The loader's options over this context (<see cref="ConfigFile.Options"/>).</summary>
    public static JsonSerializerOptions ConfigOptions => s_configOptions ??= ConfigFile.Options(Default);

    /// <summary>The writer's options: the loader's, absent optional fields left out.</summary>
    public static JsonSerializerOptions WriteOptions => s_writeOptions ??= new JsonSerializerOptions(ConfigOptions) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private static JsonSerializerOptions? s_configOptions;
    private static JsonSerializerOptions? s_writeOptions;

    /// <summary>The strict metadata of the sidecar record.</summary>
    public static JsonTypeInfo<OnnxSidecarDocument> Document => (JsonTypeInfo<OnnxSidecarDocument>)ConfigOptions.GetTypeInfo(typeof(OnnxSidecarDocument));

    /// <summary>The metadata the writer serialises with.</summary>
    public static JsonTypeInfo<OnnxSidecarDocument> WriteDocument => (JsonTypeInfo<OnnxSidecarDocument>)WriteOptions.GetTypeInfo(typeof(OnnxSidecarDocument));
}

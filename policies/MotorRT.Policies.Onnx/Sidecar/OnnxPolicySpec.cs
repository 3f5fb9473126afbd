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

    /// <summary>VoltageDq: the angle used for the inverse Park is ε + AngleAdvance·ω_el·T (periods; 0 = none, 1.5 compensates PWM and computation delay).</summary>
    public double AngleAdvance { get; init; }

    /// <summary>Number of action elements the meaning consumes.</summary>
    public int Size => Low.Length;
}

/// <summary>
/// The sidecar of an ONNX policy: which model, which input and output, the observation layout and normalisation,
/// and the action's post-processing and meaning. The JSON format is documented in policies/README.md
/// ("ONNX policies").
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

    /// <summary>Loads and validates a sidecar file (strict: unknown keys are errors).</summary>
    public static OnnxPolicySpec Load(string sidecarPath)
    {
        JsonSection root = JsonSection.Load(sidecarPath);
        return Read(root, Path.GetDirectoryName(Path.GetFullPath(sidecarPath)) ?? ".");
    }

    /// <summary>Reads a sidecar from a parsed section; relative model paths resolve against <paramref name="baseDirectory"/>.</summary>
    public static OnnxPolicySpec Read(JsonSection root, string baseDirectory)
    {
        string format = root.String("format");
        if (format != FormatTag)
        {
            throw root.Error("format", $"unsupported sidecar format \"{format}\"", $"write \"format\": \"{FormatTag}\"");
        }
        string model = root.String("model");
        string modelPath = Path.GetFullPath(Path.IsPathRooted(model) ? model : Path.Combine(baseDirectory, model));
        if (!File.Exists(modelPath))
        {
            throw root.Error("model", $"model file \"{modelPath}\" not found", "give the .onnx path relative to the sidecar's folder");
        }

        JsonSection input = root.Section("input");
        string inputName = input.String("name");
        RequireFloat32(input);
        input.EnsureNoUnknownKeys();

        JsonSection output = root.Section("output");
        string? outputName = output.OptionalString("name");
        int outputIndex = output.Integer("index", -1, 0, 1000);
        if ((outputName is null) == (outputIndex < 0))
        {
            throw output.Error("name", "give exactly one of \"name\" and \"index\"",
                "name the output (e.g. \"actions\") or give its position (SB3's PPO export: index 0 = actions)");
        }
        RequireFloat32(output);
        output.EnsureNoUnknownKeys();

        IReadOnlyList<JsonSection> obsSections = root.Sections("observation");
        if (obsSections.Count == 0)
        {
            throw root.Error("observation", "the observation layout is empty", "list the observed quantities in the network's input order");
        }
        var observation = new ObservationEntry[obsSections.Count];
        for (int i = 0; i < obsSections.Count; i++)
        {
            JsonSection e = obsSections[i];
            string q = e.String("quantity");
            if (!Enum.TryParse(q, ignoreCase: false, out ObservationQuantity quantity) || !Enum.IsDefined(quantity) || int.TryParse(q, out _))
            {
                throw e.Error("quantity", $"unknown quantity \"{q}\"", $"use one of: {string.Join(", ", Enum.GetNames<ObservationQuantity>())}");
            }
            double limit = e.Number("limit", 1e-12, 1e12, "(SI unit of the quantity)");
            e.EnsureNoUnknownKeys();
            observation[i] = new ObservationEntry(quantity, limit);
        }

        VecNormalizeSpec? vecNormalize = null;
        if (root.OptionalSection("vecNormalize") is { } vn)
        {
            double[] mean = vn.Numbers("mean", observation.Length);
            double[] variance = vn.Numbers("var", observation.Length, 0, double.PositiveInfinity);
            vecNormalize = new VecNormalizeSpec
            {
                Mean = mean,
                Variance = variance,
                Clip = vn.Number("clipObs", 10.0, 1e-6, 1e6),
                Epsilon = vn.Number("epsilon", 1e-8, 0, 1),
            };
            vn.EnsureNoUnknownKeys();
        }

        ActionSpec action = ReadAction(root.Section("action"));
        root.Ignore("notes");
        root.EnsureNoUnknownKeys();
        return new OnnxPolicySpec
        {
            SidecarFile = root.File,
            ModelPath = modelPath,
            InputName = inputName,
            OutputName = outputName,
            OutputIndex = Math.Max(outputIndex, 0),
            Observation = observation,
            VecNormalize = vecNormalize,
            Action = action,
        };
    }

    private static void RequireFloat32(JsonSection s)
    {
        string type = s.OptionalString("elementType") ?? "float32";
        if (type != "float32")
        {
            throw s.Error("elementType", $"element type \"{type}\" is not supported", "export the policy with float32 inputs and outputs (torch's default) and write \"float32\"");
        }
    }

    private static ActionSpec ReadAction(JsonSection a)
    {
        string meaningText = a.OneOf("meaning", "duty_dc", "duty_abc", "voltage_dc", "voltage_dq", "current_reference");
        ActionMeaning meaning = meaningText switch
        {
            "duty_dc" => ActionMeaning.DutyDc,
            "duty_abc" => ActionMeaning.DutyAbc,
            "voltage_dc" => ActionMeaning.VoltageDc,
            "voltage_dq" => ActionMeaning.VoltageDq,
            _ => ActionMeaning.CurrentReference,
        };
        ActionPostprocess post = a.OneOf("postprocess", "none", "clip", "unscale") switch
        {
            "clip" => ActionPostprocess.Clip,
            "unscale" => ActionPostprocess.Unscale,
            _ => ActionPostprocess.None,
        };
        (int minSize, int maxSize) = meaning switch
        {
            ActionMeaning.DutyDc => (1, 2),
            ActionMeaning.DutyAbc => (3, 3),
            ActionMeaning.VoltageDc => (1, 1),
            ActionMeaning.VoltageDq => (2, 2),
            _ => (1, 2),
        };
        double[] low = a.Has("low") ? a.Numbers("low") : [];
        double[] high = a.Has("high") ? a.Numbers("high") : [];
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
            throw a.Error("low", $"\"{meaningText}\" takes {minSize}{(maxSize > minSize ? $" or {maxSize}" : "")} action elements but low has {low.Length}",
                "give one bound per action element (GEM: -1 each)");
        }
        if (high.Length != low.Length)
        {
            throw a.Error("high", $"high has {high.Length} elements but low has {low.Length}", "give low and high with one value per action element");
        }
        for (int i = 0; i < low.Length; i++)
        {
            if (!(low[i] < high[i])) throw a.Error("high", $"element {i}: high {high[i]} is not above low {low[i]}", "use low < high");
        }
        (double defMin, double defMax) = post switch
        {
            ActionPostprocess.Clip => (-100.0, 100.0),        // unsquashed Gaussian means: clipped, but a wild value is a fault
            ActionPostprocess.Unscale => (-1.0 - 1e-6, 1.0 + 1e-6), // tanh-squashed
            _ => (low.Min() - 1e-6, high.Max() + 1e-6),
        };
        double[] valid = a.Has("validRange") ? a.Numbers("validRange", 2) : [defMin, defMax];
        if (!(valid[0] < valid[1])) throw a.Error("validRange", "validRange must be [min, max] with min < max", "write e.g. [-10, 10]");

        double voltageLimit = 0, currentLimit = 0, advance = 0;
        if (meaning is ActionMeaning.VoltageDc or ActionMeaning.VoltageDq) voltageLimit = a.Number("voltageLimit", 1e-6, 1e6, "V");
        if (meaning == ActionMeaning.VoltageDq) advance = a.Number("angleAdvance", 0.0, 0.0, 10.0, "periods");
        if (meaning == ActionMeaning.CurrentReference) currentLimit = a.Number("currentLimit", 1e-6, 1e6, "A");
        a.EnsureNoUnknownKeys();
        return new ActionSpec
        {
            Meaning = meaning,
            Postprocess = post,
            Low = low,
            High = high,
            ValidMin = valid[0],
            ValidMax = valid[1],
            VoltageLimit = voltageLimit,
            CurrentLimit = currentLimit,
            AngleAdvance = advance,
        };
    }
}

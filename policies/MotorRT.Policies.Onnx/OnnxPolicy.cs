using System.Diagnostics;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.Onnx.Format;
using MotorRT.Policies.Onnx.Native;
using MotorRT.Policies.Onnx.Sidecar;

namespace MotorRT.Policies.Onnx;

/// <summary>What an <see cref="OnnxPolicy"/> writes when its output cannot be used (invalid output or engine failure).</summary>
public enum OnnxFallback
{
    /// <summary>The converter's safe state: bridge disabled, zero duty (default).</summary>
    Safe,

    /// <summary>Bridge enabled, zero duty on every channel (zero volts: DC 0 V, B6 all phases at the midpoint); for a <c>torque_setpoint</c> action a 0 N·m set-point with the drive enabled.</summary>
    ZeroVoltage,

    /// <summary>Repeat the last valid command; the safe state when there is none yet.</summary>
    HoldLast,
}

/// <summary>Run-time options of an <see cref="OnnxPolicy"/> (from the controller section of the config).</summary>
public sealed record OnnxPolicyOptions
{
    /// <summary>Inference time budget per tick, in s; a longer <see cref="IController.Compute"/> reports <see cref="ControllerStatus.Overrun"/>.</summary>
    public required double InferenceBudget { get; init; }

    /// <summary>What to write when the output is unusable.</summary>
    public OnnxFallback Fallback { get; init; } = OnnxFallback.Safe;

    /// <summary>Engine: native MLP when possible (auto), forced native, or ONNX Runtime (see <see cref="NativeMlpSelection"/>).</summary>
    public OnnxInference Inference { get; init; } = OnnxInference.Auto;
}

/// <summary>
/// An RL policy exported to ONNX (SB3 / GEM, or MotorRT's own writer) behind <see cref="IController"/>.
/// Everything is prepared when the policy is created (before the bridge is armed): the model header is checked
/// (IR/opset), the ONNX Runtime session is created with one intra-op thread, sequential execution and full graph
/// optimisation, the model's input and output are checked against the sidecar, and input/output tensors are bound
/// once (IOBinding) over pinned float buffers. Per tick <see cref="Compute"/> encodes the observation into the pinned
/// input, runs the bound session, validates and post-processes the action and writes duty cycles: no managed
/// allocation, no exception escapes. Status: <see cref="ControllerStatus.OutputInvalid"/> (NaN/∞/out of valid range →
/// fallback command), <see cref="ControllerStatus.Overrun"/> (inference over budget; the command is still written),
/// <see cref="ControllerStatus.Failed"/> (engine error → fallback), <see cref="ControllerStatus.Saturated"/> (a duty
/// was clipped to [−1, 1]).
/// </summary>
public sealed class OnnxPolicy : IController, IDisposable
{
    private readonly OnnxPolicySpec _spec;
    private readonly ObservationEncoder _encoder;
    private readonly OnnxPolicyOptions _options;
    private readonly IController? _inner;
    private readonly double _period;
    private readonly InferenceSession _session;
    private readonly SessionOptions _sessionOptions;
    private readonly RunOptions _runOptions;
    private readonly OrtIoBinding _binding;
    private readonly OrtValue _inputValue;
    private readonly OrtValue _outputValue;
    private readonly float[] _input;   // pinned (POH), bound as the model input
    private readonly float[] _output;  // pinned (POH), bound as the model output
    private readonly double[] _action;
    private readonly long _budgetTicks;
    private bool _budgetEnforced = true;
    private readonly NativeMlp? _native;
    private ConverterCommand _lastValid;
    private bool _hasLastValid;
    private bool _disposed;

    /// <summary>
    /// Creates the policy from a parsed sidecar. Throws <see cref="ConfigException"/> naming the file, field and fix
    /// when the model cannot run here or does not match the sidecar.
    /// </summary>
    /// <param name="spec">The sidecar.</param>
    /// <param name="motor">Motor parameters (for the torque observation; may be null when not observed).</param>
    /// <param name="period">Control period, in s.</param>
    /// <param name="options">Budget and fallback.</param>
    /// <param name="inner">Inner current controller, required when the action means current references.</param>
    public OnnxPolicy(OnnxPolicySpec spec, MotorParameters? motor, double period, OnnxPolicyOptions options, IController? inner = null)
    {
        _spec = spec;
        _options = options;
        _period = period;
        _inner = inner;
        if (spec.Action.Meaning == ActionMeaning.CurrentReference && inner is null)
        {
            throw new ConfigException(spec.SidecarFile, "action.meaning", "\"current_reference\" needs an inner current controller but none was configured",
                "configure an inner current controller, or export the policy with a duty/voltage action");
        }
        _encoder = new ObservationEncoder(spec.Observation, spec.VecNormalize, motor, spec.SidecarFile);

        byte[] bytes = File.ReadAllBytes(spec.ModelPath);
        OnnxModelInfo info = CheckHeader(spec.ModelPath, bytes);

        _sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        // The caller's thread runs the graph; no pool threads spinning next to the control loop.
        _sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _sessionOptions.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
        try
        {
            _session = new InferenceSession(bytes, _sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            _sessionOptions.Dispose();
            throw new ConfigException(spec.ModelPath, "graph", $"ONNX Runtime {OrtEnv.Instance().GetVersionString()} cannot load the model: {FirstLine(e.Message)}",
                $"re-export with IR ≤ {OnnxVersions.MaxIrVersion}, opset {OnnxVersions.MinOpset}..{OnnxVersions.MaxOpset} and standard operators", e);
        }

        try
        {
            int outputSize = spec.Action.Size;
            string outputName = ValidateInterface(info, outputSize, out long[] inputShape, out long[] outputShape);
            _input = GC.AllocateArray<float>(spec.Observation.Length, pinned: true);
            _output = GC.AllocateArray<float>(outputSize, pinned: true);
            _action = new double[outputSize];
            _inputValue = OrtValue.CreateTensorValueFromMemory(_input, inputShape);
            _outputValue = OrtValue.CreateTensorValueFromMemory(_output, outputShape);
            _binding = _session.CreateIoBinding();
            _binding.BindInput(spec.InputName, _inputValue);
            _binding.BindOutput(outputName, _outputValue);
            _runOptions = new RunOptions();
            OutputName = outputName;
            _native = NativeMlpSelection.Select(options.Inference, bytes, spec.ModelPath, spec.InputName, outputName, _input, _output,
                () => _session.RunWithBinding(_runOptions, _binding), out string note);
            InferenceNote = note;
        }
        catch
        {
            _session.Dispose();
            _sessionOptions.Dispose();
            throw;
        }
        _budgetTicks = (long)Math.Ceiling(options.InferenceBudget * Stopwatch.Frequency);
        Name = $"onnx:{Path.GetFileName(spec.ModelPath)}";
        Info = info;
        Reset();
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public ControllerStatus Status { get; private set; }

    /// <summary>The sidecar this policy runs.</summary>
    public OnnxPolicySpec Spec => _spec;

    /// <summary>Header facts of the model file.</summary>
    public OnnxModelInfo Info { get; }

    /// <summary>The engine chosen at load: <see cref="OnnxInference.Native"/> or <see cref="OnnxInference.OnnxRuntime"/>.</summary>
    public OnnxInference InferencePath => _native is null ? OnnxInference.OnnxRuntime : OnnxInference.Native;

    /// <summary>Why that engine: the compiled layers and the verification, or the reason the graph stays on ONNX Runtime.</summary>
    public string InferenceNote { get; } = "";

    /// <summary>The graph output read as the action.</summary>
    public string OutputName { get; }

    /// <summary>Duration of the last inference (encode + run), in <see cref="Stopwatch"/> ticks.</summary>
    public long LastInferenceTicks { get; private set; }

    /// <summary>Longest inference since <see cref="Reset"/>, in <see cref="Stopwatch"/> ticks.</summary>
    public long MaxInferenceTicks { get; private set; }

    /// <summary>Ticks that ran over the budget since <see cref="Reset"/>.</summary>
    public long OverrunCount { get; private set; }

    /// <summary>True (the default) when an inference over budget reports <see cref="ControllerStatus.Overrun"/>; the loop sets it false in lock-step.</summary>
    public bool BudgetEnforced => _budgetEnforced;

    /// <inheritdoc />
    public void EnforceWallClockBudget(bool enforced)
    {
        _budgetEnforced = enforced;
        _inner?.EnforceWallClockBudget(enforced);
    }

    /// <summary>Ticks whose output was invalid (or the engine failed) since <see cref="Reset"/>.</summary>
    public long InvalidCount { get; private set; }

    /// <summary>The last raw network output (before post-processing), dimensionless; valid after a Compute.</summary>
    public ReadOnlySpan<float> RawOutput => _output;

    /// <summary>The last encoded network input, as fed to the model.</summary>
    public ReadOnlySpan<float> EncodedInput => _input;

    /// <summary>
    /// Creates a policy from a controller config section (strict, read into <see cref="OnnxControllerSection"/>): see
    /// <see cref="Create(OnnxControllerSection, ConfigScope, MotorParameters, double, Func{RawSection, IController}?)"/>.
    /// </summary>
    public static OnnxPolicy Create(RawSection controller, MotorParameters motor, double period, Func<RawSection, IController>? createInner = null) =>
        Create(controller.Read(OnnxSections.Info<OnnxControllerSection>()), controller.Scope, motor, period, createInner);

    /// <summary>
    /// Creates a policy from its validated controller section record found at <paramref name="scope"/>: <c>"sidecar"</c>
    /// (path, relative to the config file), <c>"inferenceBudget"</c> (s, default half the period, at most the period),
    /// <c>"fallback"</c>, <c>"inner"</c> (a controller section for the inner current controller, needed when the action
    /// means current references; built by <paramref name="createInner"/>, normally the runtime's controller factory),
    /// <c>"inference"</c> (see <see cref="NativeMlpSelection"/>).
    /// </summary>
    public static OnnxPolicy Create(OnnxControllerSection section, ConfigScope scope, MotorParameters motor, double period, Func<RawSection, IController>? createInner = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        IController? inner = null;
        if (section.Inner is { } innerElement)
        {
            if (createInner is null)
            {
                throw scope.Error("inner", "an inner controller was configured but no controller factory was given to build it",
                    "create the policy through the runtime's ControllerFactory");
            }
            inner = createInner(new RawSection(scope.Child("inner"), innerElement));
        }
        string sidecarPath = Path.GetFullPath(Path.IsPathRooted(section.Sidecar) ? section.Sidecar : Path.Combine(scope.BaseDirectory, section.Sidecar));
        if (!File.Exists(sidecarPath))
        {
            throw scope.Error("sidecar", $"sidecar \"{sidecarPath}\" not found", "give the policy's .json sidecar path relative to this config file");
        }
        double budget = section.InferenceBudget ?? 0.5 * period;
        if (budget > period)
        {
            string f(double d) => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            throw scope.Error("inferenceBudget", $"value {f(budget)} s is out of range", $"use a value in [1E-07, {f(period)}] s (at most the control period)");
        }
        OnnxFallback fallback = section.Fallback switch
        {
            "zero_voltage" => OnnxFallback.ZeroVoltage,
            "hold_last" => OnnxFallback.HoldLast,
            _ => OnnxFallback.Safe,
        };
        OnnxInference inference = section.Inference switch
        {
            "native" => OnnxInference.Native,
            "onnxruntime" => OnnxInference.OnnxRuntime,
            _ => OnnxInference.Auto,
        };
        OnnxPolicySpec spec = OnnxPolicySpec.Load(sidecarPath);
        if (inner is not null && spec.Action.Meaning != ActionMeaning.CurrentReference)
        {
            throw scope.Error("inner", $"the policy's action means {spec.Action.Meaning}, not current references, so an inner controller would never run",
                "remove \"inner\", or use a policy whose sidecar says \"meaning\": \"current_reference\"");
        }
        return new OnnxPolicy(spec, motor, period, new OnnxPolicyOptions { InferenceBudget = budget, Fallback = fallback, Inference = inference }, inner);
    }

    /// <summary>Clears statistics and the held command, resets the inner controller and warms the session up (one run). Not on the hot path.</summary>
    public void Reset()
    {
        _hasLastValid = false;
        _lastValid = default;
        _inner?.Reset();
        Array.Clear(_input);
        try
        {
            _session.RunWithBinding(_runOptions, _binding); // first run allocates ORT's internal buffers; do it now, not in tick 1
            _native?.Evaluate(_input, _output);
        }
        catch (OnnxRuntimeException)
        {
            // Reported by the first Compute as Failed.
        }
        Status = ControllerStatus.Ok;
        LastInferenceTicks = 0;
        MaxInferenceTicks = 0;
        OverrunCount = 0;
        InvalidCount = 0;
    }

    /// <summary>
    /// <see cref="CommandMode.TorqueSetpoint"/> for a <c>torque_setpoint</c> action (the rig must take torque set-points),
    /// otherwise <see cref="CommandMode.DutyCycle"/> (an inner current controller writes duties too).
    /// </summary>
    public CommandMode CommandMode => _spec.Action.Meaning == ActionMeaning.TorqueSetpoint ? CommandMode.TorqueSetpoint : CommandMode.DutyCycle;

    /// <inheritdoc/>
    public void Compute(in MotorObservation observation, ref ConverterCommand command)
    {
        long start = Stopwatch.GetTimestamp();
        _encoder.Encode(in observation, _input);
        try
        {
            if (_native is not null) _native.Evaluate(_input, _output);
            else _session.RunWithBinding(_runOptions, _binding);
        }
        catch (OnnxRuntimeException)
        {
            InvalidCount++;
            Status = ControllerStatus.Failed;
            WriteFallback(ref command);
            return;
        }
        long elapsed = Stopwatch.GetTimestamp() - start;
        LastInferenceTicks = elapsed;
        if (elapsed > MaxInferenceTicks) MaxInferenceTicks = elapsed;

        ActionSpec a = _spec.Action;
        for (int i = 0; i < _action.Length; i++)
        {
            float raw = _output[i];
            if (!float.IsFinite(raw) || raw < a.ValidMin || raw > a.ValidMax)
            {
                InvalidCount++;
                Status = ControllerStatus.OutputInvalid;
                WriteFallback(ref command);
                return;
            }
            _action[i] = a.Postprocess switch
            {
                ActionPostprocess.Clip => Math.Clamp(raw, a.Low[i], a.High[i]),
                ActionPostprocess.Unscale => a.Low[i] + 0.5 * (raw + 1.0) * (a.High[i] - a.Low[i]),
                _ => raw,
            };
        }

        bool saturated = Apply(in observation, ref command, out ControllerStatus innerStatus);
        if (command.BridgeEnable)
        {
            _lastValid = command;
            _hasLastValid = true;
        }
        if (elapsed > _budgetTicks)
        {
            // Counted always (a diagnostic figure); the status changes only where wall-clock budgets apply.
            OverrunCount++;
        }
        if (elapsed > _budgetTicks && _budgetEnforced)
        {
            Status = ControllerStatus.Overrun;
        }
        else if (innerStatus != ControllerStatus.Ok)
        {
            Status = innerStatus;
        }
        else
        {
            Status = saturated ? ControllerStatus.Saturated : ControllerStatus.Ok;
        }
    }

    private bool Apply(in MotorObservation obs, ref ConverterCommand cmd, out ControllerStatus innerStatus)
    {
        innerStatus = ControllerStatus.Ok;
        ActionSpec a = _spec.Action;
        cmd.Mode = CommandMode.DutyCycle;
        cmd.BridgeEnable = true;
        bool saturated = false;
        switch (a.Meaning)
        {
            case ActionMeaning.DutyDc:
                for (int i = 0; i < _action.Length; i++) cmd.Duty[i] = ClampDuty(_action[i], ref saturated);
                break;
            case ActionMeaning.DutyAbc:
                for (int i = 0; i < 3; i++) cmd.Duty[i] = ClampDuty(_action[i], ref saturated);
                break;
            case ActionMeaning.VoltageDc:
            {
                double u = _action[0] * a.VoltageLimit;
                cmd.Duty[0] = obs.DcLinkVoltage > 1e-9 ? ClampDuty(u / obs.DcLinkVoltage, ref saturated) : ClampDuty(0, ref saturated);
                break;
            }
            case ActionMeaning.VoltageDq:
            {
                double ud = _action[0] * a.VoltageLimit, uq = _action[1] * a.VoltageLimit;
                double angle = obs.ElectricalAngle + a.AngleAdvance * obs.ElectricalSpeed * _period;
                SpaceVector.DqToAbc(ud, uq, angle, out double ua, out double ub, out double uc);
                double inv = obs.DcLinkVoltage > 1e-9 ? 2.0 / obs.DcLinkVoltage : 0.0;
                cmd.Duty[0] = ClampDuty(ua * inv, ref saturated);
                cmd.Duty[1] = ClampDuty(ub * inv, ref saturated);
                cmd.Duty[2] = ClampDuty(uc * inv, ref saturated);
                break;
            }
            case ActionMeaning.CurrentReference:
            {
                MotorObservation inner = obs;
                inner.Reference.CurrentD = _action[0] * a.CurrentLimit;
                if (_action.Length > 1) inner.Reference.CurrentQ = _action[1] * a.CurrentLimit;
                _inner!.Compute(in inner, ref cmd);
                innerStatus = _inner.Status;
                return saturated;
            }
            case ActionMeaning.TorqueSetpoint:
            {
                double limit = a.TorqueLimit;
                double t = _action[0] * limit;
                if (t > limit) { t = limit; saturated = true; }
                else if (t < -limit) { t = -limit; saturated = true; }
                cmd.Mode = CommandMode.TorqueSetpoint;
                cmd.TorqueSetpoint = t;
                cmd.Duty = default;
                cmd.VoltageD = cmd.VoltageQ = 0.0; // the drive board applies the voltage; nothing is known here
                return saturated;
            }
        }
        cmd.ReportVoltageFromDuty(obs.DcLinkVoltage, obs.ElectricalAngle, a.Meaning is ActionMeaning.DutyAbc or ActionMeaning.VoltageDq);
        return saturated;
    }

    private static double ClampDuty(double d, ref bool saturated)
    {
        if (d > 1.0) { saturated = true; return 1.0; }
        if (d < -1.0) { saturated = true; return -1.0; }
        return d;
    }

    private void WriteFallback(ref ConverterCommand command)
    {
        switch (_options.Fallback)
        {
            case OnnxFallback.ZeroVoltage when _spec.Action.Meaning == ActionMeaning.TorqueSetpoint:
                // The set-point analogue of zero volts: the board stays enabled and is asked for no torque.
                command.SetSafe();
                command.Mode = CommandMode.TorqueSetpoint;
                command.BridgeEnable = true;
                break;
            case OnnxFallback.ZeroVoltage:
                command.Mode = CommandMode.DutyCycle;
                command.Duty = default;
                command.SwitchingState = 0;
                command.BridgeEnable = true;
                command.VoltageD = command.VoltageQ = 0.0;
                break;
            case OnnxFallback.HoldLast when _hasLastValid:
                command = _lastValid;
                break;
            default:
                command.SetSafe();
                break;
        }
    }

    private string ValidateInterface(OnnxModelInfo info, int outputSize, out long[] inputShape, out long[] outputShape)
    {
        string file = _spec.ModelPath, sidecar = _spec.SidecarFile;
        IReadOnlyList<string> inputs = _session.InputNames;
        if (!_session.InputMetadata.TryGetValue(_spec.InputName, out NodeMetadata? inMeta))
        {
            throw new ConfigException(sidecar, "input.name", $"the model {Path.GetFileName(file)} has no input \"{_spec.InputName}\" (it has: {string.Join(", ", inputs)})",
                "write the model's input name in the sidecar");
        }
        if (inputs.Count != 1)
        {
            throw new ConfigException(file, "graph.input", $"the model has {inputs.Count} inputs ({string.Join(", ", inputs)}); a policy takes one observation tensor",
                "export the actor with a single observation input");
        }
        inputShape = CheckTensor(inMeta, "input", _spec.Observation.Length, "observation entries");

        IReadOnlyList<string> outputs = _session.OutputNames;
        string outputName;
        if (_spec.OutputName is not null)
        {
            if (!_session.OutputMetadata.ContainsKey(_spec.OutputName))
            {
                throw new ConfigException(sidecar, "output.name", $"the model {Path.GetFileName(file)} has no output \"{_spec.OutputName}\" (it has: {string.Join(", ", outputs)})",
                    "write one of the model's output names, or give \"index\"");
            }
            outputName = _spec.OutputName;
        }
        else
        {
            if (_spec.OutputIndex >= outputs.Count)
            {
                throw new ConfigException(sidecar, "output.index", $"the model has {outputs.Count} outputs ({string.Join(", ", outputs)}), index {_spec.OutputIndex} does not exist",
                    $"use an index in [0, {outputs.Count - 1}]");
            }
            outputName = outputs[_spec.OutputIndex];
        }
        outputShape = CheckTensor(_session.OutputMetadata[outputName], "output", outputSize, "action elements (from action.low/high and the meaning)");
        return outputName;
    }

    private long[] CheckTensor(NodeMetadata meta, string field, int size, string what)
    {
        string sidecar = _spec.SidecarFile;
        if (!meta.IsTensor || meta.ElementDataType != TensorElementType.Float)
        {
            throw new ConfigException(sidecar, $"{field}.elementType", $"the model's {field} is {(meta.IsTensor ? meta.ElementDataType.ToString() : meta.OnnxValueType.ToString())}, not float32",
                "export the policy with float32 tensors");
        }
        int[] dims = meta.Dimensions;
        bool batchOk = dims.Length == 1 || (dims.Length == 2 && (dims[0] == 1 || dims[0] < 0));
        int last = dims.Length == 0 ? 0 : dims[^1];
        if (!batchOk)
        {
            throw new ConfigException(sidecar, field, $"the model's {field} has shape [{string.Join(", ", dims)}]; expected [n] or [batch, n] with batch 1 or dynamic",
                "export with a single batch dimension of 1 (or dynamic) followed by the vector length");
        }
        if (last != size)
        {
            throw new ConfigException(sidecar, field == "input" ? "observation" : "action",
                $"the model's {field} has {(last < 0 ? "a dynamic" : last.ToString())} length but the sidecar describes {size} {what}",
                last < 0 ? "export the policy with a fixed vector length" : $"make the sidecar describe exactly {last} {what} (or re-export the model)");
        }
        return dims.Length == 1 ? [size] : [1, size];
    }

    private static OnnxModelInfo CheckHeader(string file, byte[] bytes)
    {
        OnnxModelInfo info;
        try
        {
            info = OnnxModelInfo.Read(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ConfigException(file, "", $"not an ONNX model (protobuf parse failed: {e.Message})", "point the sidecar at an .onnx file", e);
        }
        if (info.IrVersion < OnnxVersions.MinIrVersion || info.IrVersion > OnnxVersions.MaxIrVersion)
        {
            throw new ConfigException(file, "ir_version", $"IR version {info.IrVersion} cannot run on the bundled ONNX Runtime (supports {OnnxVersions.MinIrVersion}..{OnnxVersions.MaxIrVersion})",
                $"re-export with an older exporter or down-convert (e.g. torch.onnx.export(..., opset_version=17) writes IR 8)");
        }
        long? opset = info.DefaultOpset;
        if (opset is null)
        {
            throw new ConfigException(file, "opset_import", "the model imports no default-domain (ai.onnx) operator set", "re-export the model with a standard opset such as 17");
        }
        if (opset < OnnxVersions.MinOpset || opset > OnnxVersions.MaxOpset)
        {
            throw new ConfigException(file, "opset_import[ai.onnx]", $"opset {opset} cannot run on the bundled ONNX Runtime (supports {OnnxVersions.MinOpset}..{OnnxVersions.MaxOpset})",
                $"re-export with opset_version between {OnnxVersions.MinOpset} and {OnnxVersions.MaxOpset} (SB3's documented export uses 17)");
        }
        foreach ((string domain, long version) in info.OpsetImports)
        {
            if (domain.Length != 0 && domain != "ai.onnx" && domain != "ai.onnx.ml" && domain != "com.microsoft")
            {
                throw new ConfigException(file, $"opset_import[{domain}]", $"custom operator domain \"{domain}\" (version {version}) is not available in MotorRT",
                    "export with standard ONNX operators only");
            }
        }
        return info;
    }

    private static string FirstLine(string s)
    {
        int i = s.IndexOf('\n');
        return i < 0 ? s : s[..i];
    }

    /// <summary>Releases the ONNX Runtime session, binding and tensors.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _binding.Dispose();
        _inputValue.Dispose();
        _outputValue.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
        _sessionOptions.Dispose();
    }
}

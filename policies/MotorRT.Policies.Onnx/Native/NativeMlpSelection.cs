using System.Globalization;
using Google.Protobuf;
using MotorRT.Contracts.Configuration;
using MotorRT.Policies.Onnx.Format;

namespace MotorRT.Policies.Onnx.Native;

/// <summary>Which engine evaluates an ONNX policy (<c>"inference"</c> in the controller section).</summary>
public enum OnnxInference
{
    /// <summary>The native evaluator when the graph is a plain MLP that matches ONNX Runtime at load; ONNX Runtime otherwise (default).</summary>
    Auto,
    /// <summary>The native evaluator; loading fails (naming why) when the graph is not a plain MLP or does not match ONNX Runtime.</summary>
    Native,
    /// <summary>ONNX Runtime always.</summary>
    OnnxRuntime,
}

/// <summary>
/// Load-time choice between <see cref="NativeMlp"/> and ONNX Runtime: compiles the graph (<see cref="NativeMlpCompiler"/>)
/// and verifies the compiled network against ONNX Runtime on <see cref="VerificationInputs"/> seeded random inputs
/// (half uniform in [−1, 1], half in [−10, 10], the VecNormalize clip range): every output must agree within
/// <see cref="Tolerance"/> · max(1, |ORT|).
/// </summary>
public static class NativeMlpSelection
{
    /// <summary>Random inputs compared at load.</summary>
    public const int VerificationInputs = 10_000;

    /// <summary>Largest accepted difference to ONNX Runtime, relative to max(1, |ORT output|).</summary>
    public const double Tolerance = 1e-6;

    /// <summary>
    /// Returns the native network to use, or null for ONNX Runtime, with a one-line <paramref name="note"/> saying what
    /// was chosen and why. <paramref name="runOnnxRuntime"/> evaluates <paramref name="ortInput"/> into
    /// <paramref name="ortOutput"/>. Throws <see cref="ConfigException"/> when <see cref="OnnxInference.Native"/> was
    /// demanded but cannot be honoured.
    /// </summary>
    public static NativeMlp? Select(OnnxInference mode, byte[] model, string modelPath, string inputName, string outputName,
        float[] ortInput, float[] ortOutput, Action runOnnxRuntime, out string note)
    {
        ArgumentNullException.ThrowIfNull(ortInput);
        ArgumentNullException.ThrowIfNull(ortOutput);
        ArgumentNullException.ThrowIfNull(runOnnxRuntime);
        if (mode == OnnxInference.OnnxRuntime)
        {
            note = "onnxruntime (forced by \"inference\": \"onnxruntime\")";
            return null;
        }
        NativeMlp? mlp;
        string reason;
        try
        {
            mlp = NativeMlpCompiler.TryCompile(OnnxGraphReader.Read(model), inputName, outputName, ortInput.Length, ortOutput.Length, out reason);
        }
        catch (InvalidProtocolBufferException e)
        {
            mlp = null;
            reason = $"graph unreadable ({e.Message})";
        }
        if (mlp is not null && !Verify(mlp, ortInput, ortOutput, runOnnxRuntime, out string mismatch))
        {
            mlp = null;
            reason = mismatch;
        }
        if (mlp is null)
        {
            if (mode == OnnxInference.Native)
            {
                throw new ConfigException(modelPath, "graph", $"\"inference\": \"native\" was asked for but the model is not evaluated natively: {reason}",
                    "use \"inference\": \"auto\" (ONNX Runtime for such graphs) or export a plain MLP (Gemm/MatMul+Add with Tanh/Relu/Identity, float32)");
            }
            note = $"onnxruntime ({reason})";
            return null;
        }
        note = $"native MLP {mlp.Description} (matches ONNX Runtime on {VerificationInputs} random inputs within {Tolerance.ToString("G", CultureInfo.InvariantCulture)})";
        return mlp;
    }

    private static bool Verify(NativeMlp mlp, float[] ortInput, float[] ortOutput, Action runOnnxRuntime, out string mismatch)
    {
        var random = new Random(20251203);
        var native = new float[ortOutput.Length];
        for (int k = 0; k < VerificationInputs; k++)
        {
            float scale = k < VerificationInputs / 2 ? 1f : 10f;
            for (int i = 0; i < ortInput.Length; i++) ortInput[i] = scale * (float)(2 * random.NextDouble() - 1);
            runOnnxRuntime();
            mlp.Evaluate(ortInput, native);
            for (int j = 0; j < native.Length; j++)
            {
                double reference = ortOutput[j];
                double difference = Math.Abs(native[j] - reference);
                if (!(difference <= Tolerance * Math.Max(1.0, Math.Abs(reference))))
                {
                    mismatch = string.Create(CultureInfo.InvariantCulture,
                        $"the native network differs from ONNX Runtime by {difference:G3} at output {j} on random input {k} ({native[j]:G9} vs {reference:G9})");
                    Array.Clear(ortInput);
                    return false;
                }
            }
        }
        Array.Clear(ortInput);
        mismatch = "";
        return true;
    }
}

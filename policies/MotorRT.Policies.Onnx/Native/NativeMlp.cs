using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MotorRT.Policies.Onnx.Native;

/// <summary>Element-wise operation of a <see cref="NativeMlp"/> step.</summary>
public enum NativeMlpOp
{
    /// <summary>y = W·x + b (a Gemm, or MatMul + Add).</summary>
    Dense,
    /// <summary>tanh(x).</summary>
    Tanh,
    /// <summary>max(x, 0).</summary>
    Relu,
    /// <summary>min(max(x, low), high).</summary>
    Clip,
    /// <summary>y[o] = x[o] + scale[o] · input[index[o]] (a skip connection from the network input).</summary>
    Residual,
}

/// <summary>One step of a compiled network: a dense layer (weights transposed and padded) or an activation.</summary>
internal sealed class NativeMlpStep
{
    public required NativeMlpOp Op { get; init; }
    public int Inputs { get; init; }
    public int Outputs { get; init; }
    /// <summary>Outputs rounded up to a whole number of <see cref="Vector{T}"/> lanes.</summary>
    public int PaddedOutputs { get; init; }
    /// <summary>Weights transposed, [Inputs, PaddedOutputs] row-major, zero in the padding.</summary>
    public float[] Weights { get; init; } = [];
    /// <summary>Bias [PaddedOutputs], zero in the padding.</summary>
    public float[] Bias { get; init; } = [];
    /// <summary>Residual: the input entry added to each output.</summary>
    public int[] Indices { get; init; } = [];
    /// <summary>Residual: the scale of each added input entry.</summary>
    public float[] Scales { get; init; } = [];
    public float Low { get; init; }
    public float High { get; init; }
}

/// <summary>
/// A plain float32 MLP (dense layers with Tanh / Relu / Clip / identity between them, optionally a scaled skip
/// connection from chosen input entries to the output) compiled from an ONNX graph by
/// <see cref="NativeMlpCompiler"/> and evaluated in managed code: each dense layer is a register-blocked
/// broadcast-FMA over the transposed weights (<see cref="Vector{T}"/>: AVX2 on x64, NEON on arm64) and each activation a
/// <see cref="TensorPrimitives"/> call. <see cref="Evaluate"/> does not allocate and throws nothing for finite or
/// non-finite inputs (NaN propagates to the output, where the policy's range check sees it).
/// </summary>
public sealed class NativeMlp
{
    private readonly NativeMlpStep[] _steps;
    private readonly float[] _a;
    private readonly float[] _b;
    private readonly float[] _input;

    internal NativeMlp(NativeMlpStep[] steps, int inputSize, int outputSize, string description)
    {
        _steps = steps;
        InputSize = inputSize;
        OutputSize = outputSize;
        Description = description;
        int width = inputSize;
        foreach (NativeMlpStep s in steps) width = Math.Max(width, s.Op == NativeMlpOp.Dense ? s.PaddedOutputs : 0);
        _a = new float[width];
        _b = new float[width];
        _input = new float[inputSize];
    }

    /// <summary>Input width (observation entries).</summary>
    public int InputSize { get; }

    /// <summary>Output width (action elements).</summary>
    public int OutputSize { get; }

    /// <summary>The layers as compiled, e.g. "8→64 tanh → 64→64 tanh → 64→2".</summary>
    public string Description { get; }

    /// <summary>Forward pass: <paramref name="input"/> (≥ <see cref="InputSize"/>) → <paramref name="output"/> (≥ <see cref="OutputSize"/>).</summary>
    public void Evaluate(ReadOnlySpan<float> input, Span<float> output)
    {
        input[..InputSize].CopyTo(_input);
        input[..InputSize].CopyTo(_a);
        float[] x = _a, y = _b;
        int width = InputSize;
        foreach (NativeMlpStep s in _steps)
        {
            switch (s.Op)
            {
                case NativeMlpOp.Dense:
                    Dense(x, s, y);
                    (x, y) = (y, x);
                    width = s.Outputs;
                    break;
                case NativeMlpOp.Tanh:
                    TensorPrimitives.Tanh(x.AsSpan(0, width), x.AsSpan(0, width));
                    break;
                case NativeMlpOp.Relu:
                    TensorPrimitives.Max(x.AsSpan(0, width), 0f, x.AsSpan(0, width));
                    break;
                case NativeMlpOp.Clip:
                    TensorPrimitives.Max(x.AsSpan(0, width), s.Low, x.AsSpan(0, width));
                    TensorPrimitives.Min(x.AsSpan(0, width), s.High, x.AsSpan(0, width));
                    break;
                case NativeMlpOp.Residual:
                    // Mul then Add in float, as the graph computes it (two roundings, no fusion).
                    for (int o = 0; o < s.Indices.Length; o++)
                    {
                        float scaled = s.Scales[o] * _input[s.Indices[o]];
                        x[o] += scaled;
                    }
                    break;
            }
        }
        x.AsSpan(0, OutputSize).CopyTo(output);
    }

    // y = Wᵀx + b with Wᵀ stored [inputs, paddedOutputs]: for each block of output lanes, broadcast x[i] and FMA a row of
    // Wᵀ into accumulators that stay in registers (4 independent chains hide the FMA latency; no horizontal sums).
    private static void Dense(float[] x, NativeMlpStep s, float[] y)
    {
        int lanes = Vector<float>.Count;
        int inputs = s.Inputs, stride = s.PaddedOutputs;
        ref float w = ref MemoryMarshal.GetArrayDataReference(s.Weights);
        ref float b = ref MemoryMarshal.GetArrayDataReference(s.Bias);
        ref float xr = ref MemoryMarshal.GetArrayDataReference(x);
        ref float yr = ref MemoryMarshal.GetArrayDataReference(y);
        int o = 0;
        for (; o + 4 * lanes <= stride; o += 4 * lanes)
        {
            Vector<float> a0 = Vector.LoadUnsafe(ref b, (nuint)o);
            Vector<float> a1 = Vector.LoadUnsafe(ref b, (nuint)(o + lanes));
            Vector<float> a2 = Vector.LoadUnsafe(ref b, (nuint)(o + 2 * lanes));
            Vector<float> a3 = Vector.LoadUnsafe(ref b, (nuint)(o + 3 * lanes));
            for (int i = 0; i < inputs; i++)
            {
                var xi = new Vector<float>(Unsafe.Add(ref xr, i));
                ref float row = ref Unsafe.Add(ref w, i * stride + o);
                a0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref row), xi, a0);
                a1 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref row, (nuint)lanes), xi, a1);
                a2 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref row, (nuint)(2 * lanes)), xi, a2);
                a3 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref row, (nuint)(3 * lanes)), xi, a3);
            }
            a0.StoreUnsafe(ref yr, (nuint)o);
            a1.StoreUnsafe(ref yr, (nuint)(o + lanes));
            a2.StoreUnsafe(ref yr, (nuint)(o + 2 * lanes));
            a3.StoreUnsafe(ref yr, (nuint)(o + 3 * lanes));
        }
        for (; o < stride; o += lanes)
        {
            Vector<float> a0 = Vector.LoadUnsafe(ref b, (nuint)o);
            for (int i = 0; i < inputs; i++)
            {
                a0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref Unsafe.Add(ref w, i * stride + o)), new Vector<float>(Unsafe.Add(ref xr, i)), a0);
            }
            a0.StoreUnsafe(ref yr, (nuint)o);
        }
    }
}

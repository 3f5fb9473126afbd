using System.Globalization;
using System.Numerics;
using MotorRT.Policies.Onnx.Format;

namespace MotorRT.Policies.Onnx.Native;

/// <summary>
/// Compiles the path of an ONNX graph from its input to the chosen output into a <see cref="NativeMlp"/> when that path
/// is a plain float32 MLP: Gemm (transA = 0, any transB, alpha, beta), MatMul + Add or MatMul alone with initializer
/// weights and biases, Tanh, Relu, Clip (constant bounds), Identity and Flatten (axis 1) — in any number of layers —
/// and MotorRT's residual head (Add of the network output and Mul(Gather(input, constant indices, axis 1), constant
/// scales)).
/// Nodes off the path (an SB3 value head, a constant log-prob) are ignored. Anything else gives a reason and no network.
/// </summary>
public static class NativeMlpCompiler
{
    /// <summary>
    /// Tries to compile the path <paramref name="inputName"/> → <paramref name="outputName"/>; returns null and the
    /// reason (naming the node or value) when it is not a plain MLP of the given widths.
    /// </summary>
    public static NativeMlp? TryCompile(OnnxGraphReader graph, string inputName, string outputName, int inputSize, int outputSize, out string reason)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var producer = new Dictionary<string, OnnxNodeInfo>(StringComparer.Ordinal);
        foreach (OnnxNodeInfo n in graph.Nodes)
        {
            foreach (string o in n.Outputs) producer[o] = n;
        }
        var reversed = new List<NativeMlpStep>();
        string t = outputName;
        for (int guard = 0; t != inputName; guard++)
        {
            if (guard > graph.Nodes.Count)
            {
                reason = "the graph has a cycle";
                return null;
            }
            if (!producer.TryGetValue(t, out OnnxNodeInfo? node))
            {
                reason = graph.Initializers.ContainsKey(t) ? $"value \"{t}\" is a constant, not computed from the input" : $"value \"{t}\" is neither the input nor produced by a node";
                return null;
            }
            if (node.Domain.Length != 0 && node.Domain != "ai.onnx")
            {
                reason = $"node {node.OpType} (output \"{t}\") is in domain \"{node.Domain}\"";
                return null;
            }
            string? next;
            NativeMlpStep? step;
            string? problem = node.OpType switch
            {
                "Tanh" => Unary(node, NativeMlpOp.Tanh, out next, out step),
                "Relu" => Unary(node, NativeMlpOp.Relu, out next, out step),
                "Identity" => PassThrough(node, out next, out step),
                "Flatten" => Flatten(node, out next, out step),
                "Clip" => Clip(node, graph, out next, out step),
                "Gemm" => Gemm(node, graph, out next, out step),
                "MatMul" => MatMul(node, graph, null, out next, out step),
                "Add" => Add(node, graph, producer, inputName, out next, out step),
                _ => Fail($"operator {node.OpType} is not part of a plain MLP", out next, out step),
            };
            if (problem is not null)
            {
                reason = $"{problem} (node {node.OpType}, output \"{t}\")";
                return null;
            }
            if (step is not null) reversed.Add(step);
            t = next!;
        }
        reversed.Reverse();
        int width = inputSize;
        var parts = new List<string>();
        foreach (NativeMlpStep s in reversed)
        {
            if (s.Op == NativeMlpOp.Dense)
            {
                if (s.Inputs != width)
                {
                    reason = $"a dense layer takes {s.Inputs} inputs but receives {width}";
                    return null;
                }
                width = s.Outputs;
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{s.Inputs}→{s.Outputs}"));
            }
            else if (s.Op == NativeMlpOp.Residual)
            {
                if (s.Indices.Length != width || Array.Exists(s.Indices, i => i >= inputSize))
                {
                    reason = "the skip connection does not fit the network's widths";
                    return null;
                }
                parts.Add("+ skip");
            }
            else
            {
                parts.Add(s.Op.ToString().ToLowerInvariant());
            }
        }
        if (!reversed.Exists(s => s.Op == NativeMlpOp.Dense))
        {
            reason = "the path from input to output holds no dense layer";
            return null;
        }
        if (width != outputSize)
        {
            reason = $"the network computes {width} outputs, the policy expects {outputSize}";
            return null;
        }
        reason = "";
        return new NativeMlp([.. reversed], inputSize, outputSize, string.Join(" ", parts));
    }

    private static string? Fail(string problem, out string? next, out NativeMlpStep? step)
    {
        next = null;
        step = null;
        return problem;
    }

    private static string? Unary(OnnxNodeInfo node, NativeMlpOp op, out string? next, out NativeMlpStep? step)
    {
        next = node.Inputs[0];
        step = new NativeMlpStep { Op = op };
        return null;
    }

    private static string? PassThrough(OnnxNodeInfo node, out string? next, out NativeMlpStep? step)
    {
        next = node.Inputs[0];
        step = null;
        return null;
    }

    private static string? Flatten(OnnxNodeInfo node, out string? next, out NativeMlpStep? step)
    {
        long axis = node.Attribute("axis")?.I ?? 1;
        if (axis != 1) return Fail($"Flatten with axis {axis}", out next, out step);
        return PassThrough(node, out next, out step);
    }

    private static string? Clip(OnnxNodeInfo node, OnnxGraphReader graph, out string? next, out NativeMlpStep? step)
    {
        float low = node.Attribute("min")?.F ?? float.NegativeInfinity;
        float high = node.Attribute("max")?.F ?? float.PositiveInfinity;
        if (node.Inputs.Length > 1 && node.Inputs[1].Length > 0)
        {
            if (Scalar(graph, node.Inputs[1]) is not { } l) return Fail("Clip min is not a constant float scalar", out next, out step);
            low = l;
        }
        if (node.Inputs.Length > 2 && node.Inputs[2].Length > 0)
        {
            if (Scalar(graph, node.Inputs[2]) is not { } h) return Fail("Clip max is not a constant float scalar", out next, out step);
            high = h;
        }
        next = node.Inputs[0];
        step = new NativeMlpStep { Op = NativeMlpOp.Clip, Low = low, High = high };
        return null;
    }

    private static float? Scalar(OnnxGraphReader graph, string name) =>
        graph.Initializers.TryGetValue(name, out OnnxTensorData? t) && t.Floats is { Length: 1 } f ? f[0] : null;

    private static string? Gemm(OnnxNodeInfo node, OnnxGraphReader graph, out string? next, out NativeMlpStep? step)
    {
        if ((node.Attribute("transA")?.I ?? 0) != 0) return Fail("Gemm with transA = 1", out next, out step);
        bool transB = (node.Attribute("transB")?.I ?? 0) != 0;
        float alpha = node.Attribute("alpha")?.F ?? 1f, beta = node.Attribute("beta")?.F ?? 1f;
        if (node.Inputs.Length < 2 || !graph.Initializers.TryGetValue(node.Inputs[1], out OnnxTensorData? b) || b.Floats is null || b.Dims.Length != 2 || b.Floats.Length != b.ElementCount)
        {
            return Fail("Gemm weights are not a constant float32 matrix", out next, out step);
        }
        int inputs = (int)(transB ? b.Dims[1] : b.Dims[0]), outputs = (int)(transB ? b.Dims[0] : b.Dims[1]);
        float[]? bias = null;
        if (node.Inputs.Length > 2 && node.Inputs[2].Length > 0)
        {
            if (Bias(graph, node.Inputs[2], outputs) is not { } c) return Fail("Gemm bias is not a constant float32 vector of the output width", out next, out step);
            bias = c;
        }
        next = node.Inputs[0];
        step = Dense(b.Floats, inputs, outputs, transB, alpha, bias, beta);
        return null;
    }

    private static string? MatMul(OnnxNodeInfo node, OnnxGraphReader graph, float[]? bias, out string? next, out NativeMlpStep? step)
    {
        if (node.Inputs.Length != 2 || !graph.Initializers.TryGetValue(node.Inputs[1], out OnnxTensorData? w) || w.Floats is null || w.Dims.Length != 2 || w.Floats.Length != w.ElementCount)
        {
            return Fail("MatMul weights are not a constant float32 matrix on the right", out next, out step);
        }
        next = node.Inputs[0];
        step = Dense(w.Floats, (int)w.Dims[0], (int)w.Dims[1], false, 1f, bias, 1f);
        return null;
    }

    private static string? Add(OnnxNodeInfo node, OnnxGraphReader graph, Dictionary<string, OnnxNodeInfo> producer, string inputName, out string? next, out NativeMlpStep? step)
    {
        if (node.Inputs.Length != 2) return Fail("Add without two inputs", out next, out step);
        int constant = graph.Initializers.ContainsKey(node.Inputs[1]) ? 1 : graph.Initializers.ContainsKey(node.Inputs[0]) ? 0 : -1;
        if (constant < 0)
        {
            for (int side = 0; side < 2; side++)
            {
                if (Residual(node.Inputs[side], graph, producer, inputName) is { } residual)
                {
                    next = node.Inputs[1 - side];
                    step = residual;
                    return null;
                }
            }
            return Fail("Add of two computed values that is not a scaled skip connection from the input (a general residual connection)", out next, out step);
        }
        string other = node.Inputs[1 - constant];
        if (!producer.TryGetValue(other, out OnnxNodeInfo? matmul) || matmul.OpType != "MatMul")
        {
            return Fail("Add of a constant not preceded by MatMul", out next, out step);
        }
        if (!graph.Initializers.TryGetValue(matmul.Inputs.Length == 2 ? matmul.Inputs[1] : "", out OnnxTensorData? w) || w.Dims.Length != 2)
        {
            return Fail("MatMul weights are not a constant float32 matrix on the right", out next, out step);
        }
        if (Bias(graph, node.Inputs[constant], (int)w.Dims[1]) is not { } bias)
        {
            return Fail("Add constant is not a float32 vector of the layer's output width", out next, out step);
        }
        return MatMul(matmul, graph, bias, out next, out step);
    }

    // Mul(Gather(input, indices, axis 1), scales) in either operand order, indices int64 and scales float32 constants.
    private static NativeMlpStep? Residual(string value, OnnxGraphReader graph, Dictionary<string, OnnxNodeInfo> producer, string inputName)
    {
        if (!producer.TryGetValue(value, out OnnxNodeInfo? mul) || mul.OpType != "Mul" || mul.Inputs.Length != 2) return null;
        int s = graph.Initializers.ContainsKey(mul.Inputs[1]) ? 1 : 0;
        if (!graph.Initializers.TryGetValue(mul.Inputs[s], out OnnxTensorData? scales) || scales.Floats is null) return null;
        if (!producer.TryGetValue(mul.Inputs[1 - s], out OnnxNodeInfo? gather) || gather.OpType != "Gather" || gather.Inputs.Length != 2) return null;
        if (gather.Inputs[0] != inputName || (gather.Attribute("axis")?.I ?? 0) != 1) return null;
        if (!graph.Initializers.TryGetValue(gather.Inputs[1], out OnnxTensorData? indices) || indices.Int64s is not { } idx || idx.Length != scales.Floats.Length) return null;
        if (Array.Exists(idx, i => i < 0)) return null;
        return new NativeMlpStep { Op = NativeMlpOp.Residual, Indices = Array.ConvertAll(idx, i => (int)i), Scales = scales.Floats };
    }

    // A bias: [n], [1, n] or a scalar broadcast to n.
    private static float[]? Bias(OnnxGraphReader graph, string name, int outputs)
    {
        if (!graph.Initializers.TryGetValue(name, out OnnxTensorData? t) || t.Floats is null) return null;
        bool vector = t.Floats.Length == outputs && (t.Dims.Length == 1 || (t.Dims.Length == 2 && t.Dims[0] == 1));
        if (vector) return t.Floats;
        if (t.Floats.Length == 1 && t.Dims.Length <= 1)
        {
            var b = new float[outputs];
            Array.Fill(b, t.Floats[0]);
            return b;
        }
        return null;
    }

    // Stores alpha·W transposed as [inputs, paddedOutputs] and beta·bias padded (zeros beyond the outputs).
    private static NativeMlpStep Dense(float[] w, int inputs, int outputs, bool rowsAreOutputs, float alpha, float[]? bias, float beta)
    {
        int lanes = Vector<float>.Count;
        int padded = (outputs + lanes - 1) / lanes * lanes;
        var wt = new float[inputs * padded];
        for (int o = 0; o < outputs; o++)
        {
            for (int i = 0; i < inputs; i++)
            {
                float v = rowsAreOutputs ? w[o * inputs + i] : w[i * outputs + o];
                wt[i * padded + o] = alpha == 1f ? v : alpha * v;
            }
        }
        var b = new float[padded];
        if (bias is not null)
        {
            for (int o = 0; o < outputs; o++) b[o] = beta == 1f ? bias[o] : beta * bias[o];
        }
        return new NativeMlpStep { Op = NativeMlpOp.Dense, Inputs = inputs, Outputs = outputs, PaddedOutputs = padded, Weights = wt, Bias = b };
    }
}

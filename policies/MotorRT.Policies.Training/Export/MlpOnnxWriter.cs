using MotorRT.Policies.Onnx.Format;

namespace MotorRT.Policies.Training.Export;

/// <summary>How an MLP is laid out as an ONNX graph.</summary>
public sealed record MlpExportOptions
{
    /// <summary>Graph input name (SB3's documented export uses "input").</summary>
    public string InputName { get; init; } = "input";

    /// <summary>Graph output name.</summary>
    public string OutputName { get; init; } = "actions";

    /// <summary>Symbolic batch dimension name, or null for a fixed batch of 1.</summary>
    public string? DynamicBatchName { get; init; }

    /// <summary>Graph name.</summary>
    public string GraphName { get; init; } = "mlp_policy";

    /// <summary>IR version to write.</summary>
    public long IrVersion { get; init; } = OnnxVersions.WriterIrVersion;

    /// <summary>Default-domain operator set to import (Clip needs ≥ 11 in this writer).</summary>
    public long Opset { get; init; } = OnnxVersions.WriterOpset;

    /// <summary>Free-form text stored as the model's doc_string.</summary>
    public string? DocString { get; init; }

    /// <summary>Key/value metadata stored in the model (e.g. trainer settings).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; init; } = [];
}

/// <summary>
/// Writes an <see cref="Mlp"/> as an ONNX model: per layer one Gemm (transB = 1, weights [out, in] as torch's Linear
/// exports them) followed by Relu, Tanh or Clip; float32 input [batch, n] and output [batch, m]; an optional
/// residual connection is written as Gather (feature axis) + Mul + Add.
/// </summary>
public static class MlpOnnxWriter
{
    /// <summary>Builds the ONNX model of <paramref name="mlp"/>.</summary>
    public static OnnxModel Build(Mlp mlp, MlpExportOptions? options = null)
    {
        options ??= new MlpExportOptions();
        if (options.Opset < 11 && mlp.Layers.Any(l => l.Activation == MlpActivation.Clip))
        {
            throw new ArgumentException("Clip with min/max inputs needs opset 11 or newer", nameof(options));
        }
        OnnxDim batch = options.DynamicBatchName is null ? OnnxDim.Fixed(1) : OnnxDim.Symbolic(options.DynamicBatchName);
        var nodes = new List<OnnxNode>();
        var initializers = new List<OnnxTensor>();
        string x = options.InputName;
        string mlpOutput = mlp.ResidualInputs is null ? options.OutputName : "mlp.output";
        for (int l = 0; l < mlp.Layers.Count; l++)
        {
            MlpLayer layer = mlp.Layers[l];
            bool last = l == mlp.Layers.Count - 1;
            string w = $"layer{l}.weight", b = $"layer{l}.bias";
            initializers.Add(OnnxTensor.FromFloats(w, [layer.Outputs, layer.Inputs], layer.Weights));
            initializers.Add(OnnxTensor.FromFloats(b, [layer.Outputs], layer.Bias));
            string gemmOut = last && layer.Activation == MlpActivation.Identity ? mlpOutput : $"layer{l}.linear";
            nodes.Add(new OnnxNode
            {
                OpType = "Gemm",
                Name = $"layer{l}.gemm",
                Inputs = [x, w, b],
                Outputs = [gemmOut],
                Attributes = [OnnxAttribute.Float("alpha", 1f), OnnxAttribute.Float("beta", 1f), OnnxAttribute.Int("transB", 1)],
            });
            x = gemmOut;
            if (layer.Activation == MlpActivation.Identity) continue;
            string actOut = last ? mlpOutput : $"layer{l}.act";
            switch (layer.Activation)
            {
                case MlpActivation.Relu:
                    nodes.Add(new OnnxNode { OpType = "Relu", Name = $"layer{l}.relu", Inputs = [x], Outputs = [actOut] });
                    break;
                case MlpActivation.Tanh:
                    nodes.Add(new OnnxNode { OpType = "Tanh", Name = $"layer{l}.tanh", Inputs = [x], Outputs = [actOut] });
                    break;
                case MlpActivation.Clip:
                    string lo = $"layer{l}.clip_min", hi = $"layer{l}.clip_max";
                    initializers.Add(OnnxTensor.FromFloats(lo, [], [layer.ClipLow]));
                    initializers.Add(OnnxTensor.FromFloats(hi, [], [layer.ClipHigh]));
                    nodes.Add(new OnnxNode { OpType = "Clip", Name = $"layer{l}.clip", Inputs = [x, lo, hi], Outputs = [actOut] });
                    break;
            }
            x = actOut;
        }
        if (mlp.ResidualInputs is not null)
        {
            // output = mlp(x) + scale ⊙ x[:, residualInputs]  (Gather on the feature axis, Mul, Add)
            initializers.Add(OnnxTensor.FromInt64s("residual.indices", [mlp.OutputSize], Array.ConvertAll(mlp.ResidualInputs, i => (long)i)));
            initializers.Add(OnnxTensor.FromFloats("residual.scale", [mlp.OutputSize], mlp.ResidualScales));
            nodes.Add(new OnnxNode { OpType = "Gather", Name = "residual.gather", Inputs = [options.InputName, "residual.indices"], Outputs = ["residual.selected"], Attributes = [OnnxAttribute.Int("axis", 1)] });
            nodes.Add(new OnnxNode { OpType = "Mul", Name = "residual.mul", Inputs = ["residual.selected", "residual.scale"], Outputs = ["residual.scaled"] });
            nodes.Add(new OnnxNode { OpType = "Add", Name = "residual.add", Inputs = [mlpOutput, "residual.scaled"], Outputs = [options.OutputName] });
        }
        return new OnnxModel
        {
            IrVersion = options.IrVersion,
            OpsetImports = [new OnnxOpsetId { Domain = "", Version = options.Opset }],
            DocString = options.DocString,
            Metadata = options.Metadata,
            Graph = new OnnxGraph
            {
                Name = options.GraphName,
                Nodes = nodes,
                Initializers = initializers,
                Inputs = [new OnnxValueInfo { Name = options.InputName, Shape = [batch, OnnxDim.Fixed(mlp.InputSize)] }],
                Outputs = [new OnnxValueInfo { Name = options.OutputName, Shape = [batch, OnnxDim.Fixed(mlp.OutputSize)] }],
            },
        };
    }

    /// <summary>Builds and writes the model to <paramref name="path"/>.</summary>
    public static void Save(Mlp mlp, string path, MlpExportOptions? options = null) => Build(mlp, options).Save(path);
}

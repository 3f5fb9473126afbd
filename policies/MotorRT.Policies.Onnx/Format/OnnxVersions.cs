namespace MotorRT.Policies.Onnx.Format;

/// <summary>
/// ONNX IR and operator-set versions: what MotorRT's writer emits and what the bundled ONNX Runtime (1.30) runs.
/// A model asking for more is refused at load with a message naming the file and the field.
/// </summary>
public static class OnnxVersions
{
    /// <summary>IR version the writer emits (8: ONNX 1.10+, what torch.onnx.export writes for opset 13–17).</summary>
    public const long WriterIrVersion = 8;

    /// <summary>Default-domain (ai.onnx) operator set the writer emits (17, SB3's documented export opset).</summary>
    public const long WriterOpset = 17;

    /// <summary>Oldest IR version accepted (3: the first with operator-set imports).</summary>
    public const long MinIrVersion = 3;

    /// <summary>Newest IR version ONNX Runtime 1.30 loads (checked by a test that probes the runtime).</summary>
    public const long MaxIrVersion = 13;

    /// <summary>Oldest default-domain operator set ONNX Runtime 1.30 has kernels for (Gemm-7; older Gemm versions are gone).</summary>
    public const long MinOpset = 7;

    /// <summary>Newest default-domain operator set ONNX Runtime 1.30 runs (checked by a test that probes the runtime).</summary>
    public const long MaxOpset = 26;
}

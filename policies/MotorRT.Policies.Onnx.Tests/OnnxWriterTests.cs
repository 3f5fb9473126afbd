using Microsoft.ML.OnnxRuntime;
using MotorRT.Policies.Onnx.Format;
using Format = MotorRT.Policies.Onnx.Format;

namespace MotorRT.Policies.Onnx.Tests;

public class OnnxWriterTests
{
    private static float[] RunOrt(byte[] model, float[] input, int inputSize, string inputName = "input")
    {
        using var session = new InferenceSession(model);
        using var value = OrtValue.CreateTensorValueFromMemory(input, [input.Length / inputSize, inputSize]);
        using var results = session.Run(new RunOptions(), [inputName], [value], [session.OutputNames[0]]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    [Theory]
    [InlineData(MlpActivation.Relu, MlpActivation.Identity, 1ul)]
    [InlineData(MlpActivation.Tanh, MlpActivation.Tanh, 2ul)]
    [InlineData(MlpActivation.Tanh, MlpActivation.Clip, 3ul)]
    [InlineData(MlpActivation.Relu, MlpActivation.Tanh, 4ul)]
    public void OrtMatchesCSharpForwardPass(MlpActivation hidden, MlpActivation output, ulong seed)
    {
        Mlp mlp = Mlp.CreateRandom([8, 64, 64, 2], hidden, output, seed);
        var rng = new SplitMix64(seed + 100);
        // Non-zero biases so the bias path is exercised too.
        foreach (MlpLayer l in mlp.Layers)
        {
            for (int i = 0; i < l.Bias.Length; i++) l.Bias[i] = (float)(rng.NextDouble() - 0.5);
        }
        byte[] bytes = MlpOnnxWriter.Build(mlp).ToByteArray();

        var expected = new float[2];
        double maxDiff = 0;
        for (int trial = 0; trial < 200; trial++)
        {
            var x = new float[8];
            for (int i = 0; i < 8; i++) x[i] = (float)(3.0 * rng.NextGaussian());
            mlp.Forward(x, expected);
            float[] actual = RunOrt(bytes, x, 8);
            Assert.Equal(2, actual.Length);
            for (int k = 0; k < 2; k++) maxDiff = Math.Max(maxDiff, Math.Abs(actual[k] - expected[k]));
        }
        Assert.True(maxDiff <= 1e-5, $"max |ORT − C#| = {maxDiff:E3}");
    }

    [Fact]
    public void DynamicBatchRunsSeveralRowsAtOnce()
    {
        Mlp mlp = Mlp.CreateRandom([3, 5, 2], MlpActivation.Relu, MlpActivation.Identity, 7);
        byte[] bytes = MlpOnnxWriter.Build(mlp, new MlpExportOptions { DynamicBatchName = "batch_size" }).ToByteArray();
        float[] x = [0.1f, -0.2f, 0.3f, 1f, 2f, -3f, 0f, 0f, 0f, -1f, 0.5f, 0.25f];
        float[] y = RunOrt(bytes, x, 3);
        Assert.Equal(8, y.Length);
        var expected = new float[2];
        for (int r = 0; r < 4; r++)
        {
            mlp.Forward(x.AsSpan(r * 3, 3), expected);
            Assert.Equal((double)expected[0], (double)y[2 * r], 1e-5);
            Assert.Equal((double)expected[1], (double)y[2 * r + 1], 1e-5);
        }
    }

    [Fact]
    public void ReaderRecoversWhatTheWriterWrote()
    {
        Mlp mlp = Mlp.CreateRandom([8, 16, 2], MlpActivation.Tanh, MlpActivation.Clip, 3);
        byte[] bytes = MlpOnnxWriter.Build(mlp, new MlpExportOptions { InputName = "observation", OutputName = "continuous_actions", DynamicBatchName = "batch" }).ToByteArray();
        OnnxModelInfo info = OnnxModelInfo.Read(bytes);
        Assert.Equal(OnnxVersions.WriterIrVersion, info.IrVersion);
        Assert.Equal(OnnxVersions.WriterOpset, info.DefaultOpset);
        Assert.Equal("MotorRT", info.ProducerName);
        OnnxTensorInfo input = Assert.Single(info.Inputs);
        Assert.Equal("observation", input.Name);
        Assert.Equal(OnnxDataType.Float, input.ElementType);
        Assert.Equal([-1L, 8L], input.Shape);
        Assert.Equal("batch", input.SymbolicDims[0]);
        OnnxTensorInfo output = Assert.Single(info.Outputs);
        Assert.Equal("continuous_actions", output.Name);
        Assert.Equal([-1L, 2L], output.Shape);
        Assert.Equal(["Gemm", "Tanh", "Clip"], info.OperatorTypes);

        // ORT agrees on the declared interface.
        using var session = new InferenceSession(bytes);
        Assert.Equal("observation", session.InputNames[0]);
        Assert.Equal([-1, 8], session.InputMetadata["observation"].Dimensions);
    }

    [Fact]
    public void RuntimeLimitsMatchTheBundledOnnxRuntime()
    {
        // Probes ONNX Runtime itself, so OnnxVersions' limits stay true when the package is upgraded.
        Mlp mlp = Mlp.CreateRandom([2, 2], MlpActivation.Relu, MlpActivation.Identity, 1);
        static bool Loads(byte[] b)
        {
            try
            {
                using var s = new InferenceSession(b);
                return true;
            }
            catch (OnnxRuntimeException)
            {
                return false;
            }
        }
        Assert.True(Loads(MlpOnnxWriter.Build(mlp, new MlpExportOptions { IrVersion = OnnxVersions.MaxIrVersion }).ToByteArray()));
        Assert.False(Loads(MlpOnnxWriter.Build(mlp, new MlpExportOptions { IrVersion = OnnxVersions.MaxIrVersion + 1 }).ToByteArray()));
        Assert.True(Loads(MlpOnnxWriter.Build(mlp, new MlpExportOptions { Opset = OnnxVersions.MaxOpset }).ToByteArray()));
        Assert.False(Loads(MlpOnnxWriter.Build(mlp, new MlpExportOptions { Opset = OnnxVersions.MaxOpset + 1 }).ToByteArray()));
        Assert.True(Loads(MlpOnnxWriter.Build(mlp, new MlpExportOptions { IrVersion = 3, Opset = OnnxVersions.MinOpset }).ToByteArray()));
        Assert.False(Loads(MlpOnnxWriter.Build(mlp, new MlpExportOptions { IrVersion = 3, Opset = OnnxVersions.MinOpset - 1 }).ToByteArray()));
    }
}

public class OnnxResidualWriterTests
{
    [Fact]
    public void ResidualConnectionMatchesCSharpForwardPass()
    {
        Mlp mlp = Mlp.CreateRandom([6, 32, 32, 2], MlpActivation.Tanh, MlpActivation.Identity, 8).WithResidual([4, 1], [1f, 0.5f]);
        byte[] bytes = MlpOnnxWriter.Build(mlp).ToByteArray();
        Assert.Contains("Gather", Format.OnnxModelInfo.Read(bytes).OperatorTypes);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(bytes);
        var rng = new SplitMix64(1);
        var expected = new float[2];
        for (int t = 0; t < 50; t++)
        {
            var x = new float[6];
            for (int i = 0; i < 6; i++) x[i] = (float)rng.NextGaussian();
            mlp.Forward(x, expected);
            using var value = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(x, [1, 6]);
            using var results = session.Run(new Microsoft.ML.OnnxRuntime.RunOptions(), ["input"], [value], ["actions"]);
            ReadOnlySpan<float> y = results[0].GetTensorDataAsSpan<float>();
            Assert.Equal((double)expected[0], (double)y[0], 1e-5);
            Assert.Equal((double)expected[1], (double)y[1], 1e-5);
        }
    }
}

using MotorRT.Policies.Onnx.Format;
using MotorRT.Policies.Onnx.Native;
using MotorRT.Policies.Training;

namespace MotorRT.Policies.Onnx.Tests;

public class NativeMlpTests
{
    private static readonly string[] Quantities =
        ["ErrorCurrentD", "CurrentA", "ReferenceCurrentD", "MechanicalSpeed", "LastVoltageD", "DcLinkVoltage", "ReferenceCurrentExcitation", "CurrentExcitation"];

    [Fact]
    public void BenchmarkMlpIsCompiledNativelyAndMatchesOnnxRuntime()
    {
        using var files = new TestFiles();
        using OnnxPolicy native = BenchmarkPolicies.CreateMlp8x64x64x2(Path.Combine(files.Directory, "a"));
        using OnnxPolicy ort = BenchmarkPolicies.CreateMlp8x64x64x2(Path.Combine(files.Directory, "b"), inference: OnnxInference.OnnxRuntime);
        Assert.Equal(OnnxInference.Native, native.InferencePath);
        Assert.Contains("8→64 tanh 64→64 tanh 64→2 tanh", native.InferenceNote, StringComparison.Ordinal);
        Assert.Equal(OnnxInference.OnnxRuntime, ort.InferencePath);
        AssertSameOutputs(native, ort);
    }

    [Fact]
    public void NativeTickAllocatesNothing()
    {
        using var files = new TestFiles();
        using OnnxPolicy p = BenchmarkPolicies.CreateMlp8x64x64x2(files.Directory);
        Assert.Equal(OnnxInference.Native, p.InferencePath);
        MotorObservation obs = BenchmarkPolicies.SampleObservation();
        var cmd = new ConverterCommand();
        for (int k = 0; k < 1000; k++) p.Compute(obs, ref cmd);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 10_000; k++)
        {
            obs.CurrentA = 100 + (k & 63);
            p.Compute(obs, ref cmd);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(cmd.BridgeEnable);
    }

    [Fact]
    public void Sb3PpoExportIsCompiledFromItsActionPathAndMatchesOnnxRuntime()
    {
        (OnnxModel model, _) = Sb3ExportTests.Sb3PpoLike(5);
        using var files = new TestFiles();
        using OnnxPolicy native = Load(files, "ppo", model, 6, 1, "37", OnnxInference.Auto);
        using OnnxPolicy ort = Load(files, "ppo", model, 6, 1, "37", OnnxInference.OnnxRuntime);
        Assert.Equal(OnnxInference.Native, native.InferencePath);
        Assert.Contains("6→64 tanh 64→64 tanh 64→1", native.InferenceNote, StringComparison.Ordinal);
        AssertSameOutputs(native, ort);
    }

    [Fact]
    public void MatMulAddReluGraphIsCompiledAndMatchesTheCSharpForwardPass()
    {
        Mlp mlp = Mlp.CreateRandom([5, 16, 12, 2], MlpActivation.Relu, MlpActivation.Identity, 77);
        var nodes = new List<OnnxNode>();
        var inits = new List<OnnxTensor>();
        string x = "input";
        for (int l = 0; l < mlp.Layers.Count; l++)
        {
            MlpLayer layer = mlp.Layers[l];
            var wt = new float[layer.Inputs * layer.Outputs];   // MatMul wants [in, out]
            for (int o = 0; o < layer.Outputs; o++) for (int i = 0; i < layer.Inputs; i++) wt[i * layer.Outputs + o] = layer.Weights[o * layer.Inputs + i];
            inits.Add(OnnxTensor.FromFloats($"w{l}", [layer.Inputs, layer.Outputs], wt));
            inits.Add(OnnxTensor.FromFloats($"b{l}", [layer.Outputs], layer.Bias));
            nodes.Add(new OnnxNode { OpType = "MatMul", Inputs = [x, $"w{l}"], Outputs = [$"mm{l}"] });
            bool last = l == mlp.Layers.Count - 1;
            nodes.Add(new OnnxNode { OpType = "Add", Inputs = [$"b{l}", $"mm{l}"], Outputs = [last ? "actions" : $"z{l}"] });   // bias first: either order
            if (!last)
            {
                nodes.Add(new OnnxNode { OpType = "Relu", Inputs = [$"z{l}"], Outputs = [$"h{l}"] });
                x = $"h{l}";
            }
        }
        OnnxModel model = Model(nodes, inits, 5, 2);
        using var files = new TestFiles();
        using OnnxPolicy native = Load(files, "mm", model, 5, 2, "actions", OnnxInference.Native);
        using OnnxPolicy ort = Load(files, "mm", model, 5, 2, "actions", OnnxInference.OnnxRuntime);
        Assert.Equal(OnnxInference.Native, native.InferencePath);
        AssertSameOutputs(native, ort);
        var y = new float[2];
        mlp.Forward(native.EncodedInput, y);
        for (int j = 0; j < 2; j++) Assert.Equal(y[j], native.RawOutput[j], 1e-5f);
    }

    [Fact]
    public void MotorRtSkipConnectionIsCompiledAndMatchesOnnxRuntime()
    {
        Mlp mlp = Mlp.CreateRandom([6, 32, 32, 2], MlpActivation.Tanh, MlpActivation.Identity, 8).WithResidual([4, 1], [1f, 0.5f]);
        OnnxModel model = MlpOnnxWriter.Build(mlp, new MlpExportOptions { InputName = "input", OutputName = "actions" });
        using var files = new TestFiles();
        using OnnxPolicy native = Load(files, "res", model, 6, 2, "actions", OnnxInference.Auto);
        using OnnxPolicy ort = Load(files, "res", model, 6, 2, "actions", OnnxInference.OnnxRuntime);
        Assert.True(native.InferencePath == OnnxInference.Native, native.InferenceNote);
        Assert.Contains("+ skip", native.InferenceNote, StringComparison.Ordinal);
        AssertSameOutputs(native, ort);
    }

    [Fact]
    public void GraphWithOtherOperatorsStaysOnOnnxRuntimeAndNativeCannotBeForced()
    {
        // A Sigmoid head is not part of the native set: ONNX Runtime runs it, and "native" is refused with the reason.
        Mlp mlp = Mlp.CreateRandom([4, 8, 2], MlpActivation.Tanh, MlpActivation.Identity, 9);
        OnnxModel plain = MlpOnnxWriter.Build(mlp, new MlpExportOptions { InputName = "input", OutputName = "z" });
        var nodes = new List<OnnxNode>(plain.Graph.Nodes) { new() { OpType = "Sigmoid", Inputs = ["z"], Outputs = ["actions"] } };
        OnnxModel model = Model(nodes, [.. plain.Graph.Initializers], 4, 2);
        using var files = new TestFiles();
        using OnnxPolicy auto = Load(files, "sig", model, 4, 2, "actions", OnnxInference.Auto);
        Assert.Equal(OnnxInference.OnnxRuntime, auto.InferencePath);
        Assert.Contains("Sigmoid", auto.InferenceNote, StringComparison.Ordinal);
        var e = Assert.Throws<ConfigException>(() => Load(files, "sig", model, 4, 2, "actions", OnnxInference.Native));
        Assert.Contains("\"inference\": \"native\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("Sigmoid", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InferenceKeyOfTheControllerSectionForcesTheEngine()
    {
        using var files = new TestFiles();
        string sidecar = SidecarWriter.WritePackage(BenchmarkPolicies.Mlp8x64x64x2(), files.Directory, "m", SidecarWriter.PackageSpec(BenchmarkPolicies.Layout,
            new ActionSpec { Meaning = ActionMeaning.DutyDc, Postprocess = ActionPostprocess.Clip, Low = [-1, -1], High = [1, 1], ValidMin = -10, ValidMax = 10 }, "(test)"));
        string config = Path.Combine(files.Directory, "config.json");
        RawSection Section(string inference) => RawSection.Parse(config, $$"""{ "type": "onnx", "sidecar": "{{Path.GetFileName(sidecar)}}"{{inference}} }""");
        using (OnnxPolicy p = OnnxPolicy.Create(Section(""", "inference": "onnxruntime" """), TestFiles.PermExDc, 1e-4)) Assert.Equal(OnnxInference.OnnxRuntime, p.InferencePath);
        using (OnnxPolicy p = OnnxPolicy.Create(Section(""", "inference": "native" """), TestFiles.PermExDc, 1e-4)) Assert.Equal(OnnxInference.Native, p.InferencePath);
        using (OnnxPolicy p = OnnxPolicy.Create(Section(""), TestFiles.PermExDc, 1e-4)) Assert.Equal(OnnxInference.Native, p.InferencePath);
        var e = Assert.Throws<ConfigException>(() => OnnxPolicy.Create(Section(""", "inference": "tensorrt" """), TestFiles.PermExDc, 1e-4));
        Assert.Equal("inference", e.Field);
    }

    [Fact]
    public void CheckedInImitationModelTakesTheNativePath()
    {
        string sidecar = Path.Combine(AppContext.BaseDirectory, "Models", "dc_pi_imitation.json");
        using var native = new OnnxPolicy(OnnxPolicySpec.Load(sidecar), TestFiles.PermExDc, 1e-4, new OnnxPolicyOptions { InferenceBudget = 1 });
        using var ort = new OnnxPolicy(OnnxPolicySpec.Load(sidecar), TestFiles.PermExDc, 1e-4, new OnnxPolicyOptions { InferenceBudget = 1, Inference = OnnxInference.OnnxRuntime });
        Assert.True(native.InferencePath == OnnxInference.Native, native.InferenceNote);
        AssertSameOutputs(native, ort);
    }

    private static OnnxPolicy Load(TestFiles files, string name, OnnxModel model, int inputs, int outputs, string outputName, OnnxInference mode)
    {
        files.Write(name + ".onnx", model.ToByteArray());
        string path = files.WriteJson(name + ".json", new Dictionary<string, object?>
        {
            ["format"] = OnnxPolicySpec.FormatTag,
            ["model"] = name + ".onnx",
            ["input"] = new { name = "input", elementType = "float32" },
            ["output"] = new { name = outputName },
            ["observation"] = Quantities.Take(inputs).Select(q => new { quantity = q, limit = 10.0 }).ToArray(),
            ["action"] = new { meaning = "duty_dc", postprocess = "clip", low = Enumerable.Repeat(-1.0, outputs).ToArray(), high = Enumerable.Repeat(1.0, outputs).ToArray() },
        });
        return new OnnxPolicy(OnnxPolicySpec.Load(path), TestFiles.PermExDc, 1e-4, new OnnxPolicyOptions { InferenceBudget = 1, Inference = mode });
    }

    private static OnnxModel Model(List<OnnxNode> nodes, List<OnnxTensor> inits, int inputs, int outputs) => new()
    {
        IrVersion = 8,
        OpsetImports = [new OnnxOpsetId { Version = 17 }],
        Graph = new OnnxGraph
        {
            Name = "g",
            Nodes = nodes,
            Initializers = inits,
            Inputs = [new OnnxValueInfo { Name = "input", Shape = [OnnxDim.Fixed(1), OnnxDim.Fixed(inputs)] }],
            Outputs = [new OnnxValueInfo { Name = "actions", Shape = [OnnxDim.Fixed(1), OnnxDim.Fixed(outputs)] }],
        },
    };

    // Same observations through both engines; the raw network outputs agree to 1e-6 (relative above 1).
    private static void AssertSameOutputs(OnnxPolicy native, OnnxPolicy ort)
    {
        var random = new Random(3);
        var a = new ConverterCommand();
        var b = new ConverterCommand();
        for (int k = 0; k < 2_000; k++)
        {
            var obs = new MotorObservation
            {
                Period = 1e-4,
                CurrentA = 80 * (random.NextDouble() - 0.5),
                CurrentExcitation = 20 * (random.NextDouble() - 0.5),
                MechanicalSpeed = 200 * (random.NextDouble() - 0.5),
                DcLinkVoltage = 60 * random.NextDouble(),
                LastVoltageD = 60 * (random.NextDouble() - 0.5),
                Reference = new References { CurrentD = 80 * (random.NextDouble() - 0.5), CurrentExcitation = 10 * random.NextDouble() },
            };
            native.Compute(obs, ref a);
            ort.Compute(obs, ref b);
            Assert.Equal(ort.EncodedInput.ToArray(), native.EncodedInput.ToArray());
            for (int j = 0; j < ort.RawOutput.Length; j++)
            {
                double r = ort.RawOutput[j];
                Assert.True(Math.Abs(native.RawOutput[j] - r) <= 1e-6 * Math.Max(1, Math.Abs(r)), $"observation {k}, output {j}: native {native.RawOutput[j]:G9}, ORT {r:G9}");
            }
        }
    }
}

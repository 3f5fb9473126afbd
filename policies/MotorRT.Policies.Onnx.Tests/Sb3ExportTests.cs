namespace MotorRT.Policies.Onnx.Tests;

/// <summary>
/// A graph shaped like SB3's documented PPO export (OnnxableSB3Policy → torch.onnx.export, opset 17, input "input"):
/// Flatten feature extractor, a Tanh policy MLP, the action_net head, a Tanh value MLP with value_net, and three
/// outputs (actions, values, log_prob) with torch's numeric auto-names. It must run unchanged with a sidecar that
/// picks output index 0, applies GEM's limit division and VecNormalize, and clips to the Box action space.
/// </summary>
public class Sb3ExportTests
{
    internal static (OnnxModel model, Mlp actor) Sb3PpoLike(ulong seed)
    {
        Mlp pi = Mlp.CreateRandom([6, 64, 64, 1], MlpActivation.Tanh, MlpActivation.Identity, seed);
        Mlp vf = Mlp.CreateRandom([6, 64, 64, 1], MlpActivation.Tanh, MlpActivation.Identity, seed + 1);
        var rng = new SplitMix64(seed + 2);
        foreach (MlpLayer l in pi.Layers) for (int i = 0; i < l.Bias.Length; i++) l.Bias[i] = (float)(0.2 * (rng.NextDouble() - 0.5));
        var nodes = new List<OnnxNode> { new() { OpType = "Flatten", Name = "/features_extractor/flatten/Flatten", Inputs = ["input"], Outputs = ["/features_extractor/flatten/Flatten_output_0"], Attributes = [OnnxAttribute.Int("axis", 1)] } };
        var inits = new List<OnnxTensor>();
        void Chain(Mlp m, string prefix, string output)
        {
            string x = "/features_extractor/flatten/Flatten_output_0";
            for (int l = 0; l < m.Layers.Count; l++)
            {
                MlpLayer layer = m.Layers[l];
                string w = $"{prefix}.{l}.weight", b = $"{prefix}.{l}.bias";
                inits.Add(OnnxTensor.FromFloats(w, [layer.Outputs, layer.Inputs], layer.Weights));
                inits.Add(OnnxTensor.FromFloats(b, [layer.Outputs], layer.Bias));
                bool last = l == m.Layers.Count - 1;
                string y = last ? output : $"/{prefix}/{l}/Gemm_output_0";
                nodes.Add(new OnnxNode { OpType = "Gemm", Inputs = [x, w, b], Outputs = [y], Attributes = [OnnxAttribute.Float("alpha", 1f), OnnxAttribute.Float("beta", 1f), OnnxAttribute.Int("transB", 1)] });
                x = y;
                if (layer.Activation == MlpActivation.Tanh)
                {
                    nodes.Add(new OnnxNode { OpType = "Tanh", Inputs = [x], Outputs = [x + "_tanh"] });
                    x += "_tanh";
                }
            }
        }
        Chain(pi, "mlp_extractor.policy_net", "37");
        Chain(vf, "mlp_extractor.value_net", "38");
        inits.Add(OnnxTensor.FromFloats("log_prob_const", [1], [-0.9189385f]));
        nodes.Add(new OnnxNode { OpType = "Identity", Inputs = ["log_prob_const"], Outputs = ["39"] });
        OnnxDim batch = OnnxDim.Symbolic("batch_size");
        var model = new OnnxModel
        {
            IrVersion = 8,
            ProducerName = "pytorch",
            ProducerVersion = "2.1.0",
            OpsetImports = [new OnnxOpsetId { Version = 17 }],
            Graph = new OnnxGraph
            {
                Name = "main_graph",
                Nodes = nodes,
                Initializers = inits,
                Inputs = [new OnnxValueInfo { Name = "input", Shape = [batch, OnnxDim.Fixed(6)] }],
                Outputs =
                [
                    new OnnxValueInfo { Name = "37", Shape = [batch, OnnxDim.Fixed(1)] },
                    new OnnxValueInfo { Name = "38", Shape = [batch, OnnxDim.Fixed(1)] },
                    new OnnxValueInfo { Name = "39", Shape = [OnnxDim.Fixed(1)] },
                ],
            },
        };
        return (model, pi);
    }

    [Fact]
    public void GemTrainedPpoActorRunsUnchangedWithTheRightSidecar()
    {
        (OnnxModel model, Mlp actor) = Sb3PpoLike(11);
        using var files = new TestFiles();
        files.Write("ppo_actor.onnx", model.ToByteArray());
        double[] mean = [0.1, 0.05, 0.2, 0.15, 1.0, 0.2];
        double[] variance = [0.04, 0.01, 0.09, 0.05, 1e-6, 0.09];
        // GEM Cont-CC-PermExDc-v0: state [omega, torque, i, u, u_sup] / limits, then the reference i* / i_limit.
        string path = files.WriteJson("ppo_actor.json", new Dictionary<string, object?>
        {
            ["format"] = OnnxPolicySpec.FormatTag,
            ["model"] = "ppo_actor.onnx",
            ["input"] = new { name = "input", elementType = "float32" },
            ["output"] = new { index = 0 },
            ["observation"] = new object[]
            {
                new { quantity = "MechanicalSpeed", limit = 418.879 },
                new { quantity = "Torque", limit = 66.0 },
                new { quantity = "CurrentA", limit = 400.0 },
                new { quantity = "LastVoltageD", limit = 60.0 },
                new { quantity = "DcLinkVoltage", limit = 60.0 },
                new { quantity = "ReferenceCurrentD", limit = 400.0 },
            },
            ["vecNormalize"] = new { mean, var = variance, clipObs = 10.0, epsilon = 1e-8 },
            ["action"] = new { meaning = "duty_dc", postprocess = "clip", low = new[] { -1.0 }, high = new[] { 1.0 } },
            ["notes"] = "SB3 PPO MlpPolicy on GEM Cont-CC-PermExDc-v0, exported per SB3 docs 'Exporting models'",
        });
        using var p = new OnnxPolicy(OnnxPolicySpec.Load(path), TestFiles.PermExDc, 1e-4, new OnnxPolicyOptions { InferenceBudget = 1 });
        Assert.Equal("37", p.OutputName);
        Assert.Equal("pytorch", p.Info.ProducerName);

        var obs = new MotorObservation { MechanicalSpeed = 80, CurrentA = 120, LastVoltageD = 20, DcLinkVoltage = 60, Reference = new References { CurrentD = 150 } };
        var cmd = new ConverterCommand();
        p.Compute(obs, ref cmd);

        double[] raw = [80 / 418.879, 0.165 * 120 / 66.0, 120 / 400.0, 20 / 60.0, 1.0, 150 / 400.0];
        var x = new float[6];
        for (int i = 0; i < 6; i++) x[i] = (float)Math.Clamp((raw[i] - mean[i]) / Math.Sqrt(variance[i] + 1e-8), -10, 10);
        Assert.Equal(x, p.EncodedInput.ToArray());
        var y = new float[1];
        actor.Forward(x, y);
        Assert.Equal((double)(y[0]), (double)p.RawOutput[0], 1e-5);
        Assert.Equal((double)(Math.Clamp(y[0], -1, 1)), (double)cmd.Duty[0], 1e-5);
        Assert.True(cmd.BridgeEnable);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - Measure(p, obs));
    }

    private static long Measure(OnnxPolicy p, MotorObservation obs)
    {
        var cmd = new ConverterCommand();
        for (int k = 0; k < 100; k++) p.Compute(obs, ref cmd);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 1000; k++) p.Compute(obs, ref cmd);
        return before;
    }
}

using MotorRT.Policies.Training;

namespace MotorRT.Policies.Onnx.Tests;

public class SidecarWriterTests
{
    [Fact]
    public void WrittenSidecarLoadsBackToTheSameSpec()
    {
        using var files = new TestFiles();
        using OnnxPolicy p = BenchmarkPolicies.CreateMlp8x64x64x2(files.Directory);
        OnnxPolicySpec loaded = OnnxPolicySpec.Load(Path.Combine(files.Directory, "mlp_8_64_64_2.json"));
        Assert.Equal(BenchmarkPolicies.Layout, loaded.Observation);
        Assert.Equal("actions", loaded.OutputName);
        Assert.Equal(ActionPostprocess.Unscale, loaded.Action.Postprocess);
        Assert.Equal([-1.0, -1.0], loaded.Action.Low);
        Assert.EndsWith("mlp_8_64_64_2.onnx", loaded.ModelPath);

        var spec = loaded with
        {
            VecNormalize = new VecNormalizeSpec { Mean = new double[8], Variance = Enumerable.Repeat(2.0, 8).ToArray(), Clip = 5 },
            Action = loaded.Action with { Meaning = ActionMeaning.VoltageDq, VoltageLimit = 300, AngleAdvance = 1.5 },
        };
        string path = files.WriteText("again.json", SidecarWriter.ToJson(spec, "mlp_8_64_64_2.onnx", "round trip"));
        OnnxPolicySpec again = OnnxPolicySpec.Load(path);
        Assert.Equal(spec.VecNormalize.Variance, again.VecNormalize!.Variance);
        Assert.Equal(5, again.VecNormalize.Clip);
        Assert.Equal(300, again.Action.VoltageLimit);
        Assert.Equal(1.5, again.Action.AngleAdvance);
        Assert.Equal(ActionMeaning.VoltageDq, again.Action.Meaning);
    }

    [Fact]
    public void BenchmarkPolicyRunsWithoutAllocating()
    {
        using var files = new TestFiles();
        using OnnxPolicy p = BenchmarkPolicies.CreateMlp8x64x64x2(files.Directory);
        MotorObservation obs = BenchmarkPolicies.SampleObservation();
        var cmd = new ConverterCommand();
        for (int k = 0; k < 500; k++) p.Compute(obs, ref cmd);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 10_000; k++) p.Compute(obs, ref cmd);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(p.Status is ControllerStatus.Ok or ControllerStatus.Overrun); // budget is wall-clock; not asserted here
        Assert.True(cmd.BridgeEnable);
    }
}

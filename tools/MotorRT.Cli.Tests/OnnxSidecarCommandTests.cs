using MotorRT.Cli.Commands;
using MotorRT.Contracts;
using MotorRT.Policies.Onnx.Sidecar;
using MotorRT.Policies.Training.Export;
using MotorRT.Sim.Testing;

namespace MotorRT.Cli.Tests;

public class OnnxSidecarCommandTests
{
    // An SB3-like TD3 actor for Cont-SC-SeriesDc-v0: 6 observations → tanh duty; written by our own ONNX writer with
    // SB3's names (input "input", output unnamed → read by index 0).
    private static string WriteModel(string dir, int inputs)
    {
        Mlp mlp = Mlp.CreateRandom([inputs, 8, 1], MlpActivation.Relu, MlpActivation.Tanh, seed: 4);
        string path = Path.Combine(dir, "models", "td3_actor.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        MlpOnnxWriter.Save(mlp, path, new MlpExportOptions { OutputName = "21", DynamicBatchName = "batch" });
        return path;
    }

    [Fact]
    public void WritesTheSidecarOfAnSb3PolicyAndAMirrorConfigThatSimulates()
    {
        using var scratch = new ScratchFolder("sidecar");
        string dir = scratch.Path;
        string model = WriteModel(dir, 6);
        string sidecar = Path.Combine(dir, "td3_actor.json");
        string config = Path.Combine(dir, "run.json");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = OnnxCommand.RunSidecar("Cont-SC-SeriesDc-v0", model, sidecar, "input", null, 0, "unscale", config, stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        OnnxPolicySpec spec = OnnxPolicySpec.Load(sidecar);
        Assert.Null(spec.OutputName);
        Assert.Equal(0, spec.OutputIndex);
        Assert.Equal(Path.GetFullPath(model), spec.ModelPath);
        Assert.Equal(
            [ObservationQuantity.MechanicalSpeed, ObservationQuantity.Torque, ObservationQuantity.CurrentA, ObservationQuantity.LastVoltageD, ObservationQuantity.DcLinkVoltage, ObservationQuantity.ReferenceSpeed],
            spec.Observation.Select(o => o.Quantity));
        Assert.Equal(ActionPostprocess.Unscale, spec.Action.Postprocess);
        Assert.Equal([-1.0], spec.Action.Low);
        Assert.Equal([1.0], spec.Action.High);

        var simOut = new StringWriter();
        var simErr = new StringWriter();
        Assert.True(SimulateCommand.Run(config, Path.Combine(dir, "sim"), plots: false, simOut, simErr) is 0 or 3, simErr.ToString());
        Assert.DoesNotContain("internal error", simErr.ToString());
    }

    [Fact]
    public void CurrentControlSidecarUsesTheCurrentReference()
    {
        using var scratch = new ScratchFolder("sidecar");
        string dir = scratch.Path;
        string model = WriteModel(dir, 6);
        string sidecar = Path.Combine(dir, "ppo.json");
        Assert.Equal(0, OnnxCommand.RunSidecar("Cont-CC-PermExDc-v0", model, sidecar, "input", null, 0, "clip", null, new StringWriter(), new StringWriter()));
        OnnxPolicySpec spec = OnnxPolicySpec.Load(sidecar);
        Assert.Equal(ObservationQuantity.ReferenceCurrentD, spec.Observation[^1].Quantity);
        Assert.Equal(ActionPostprocess.Clip, spec.Action.Postprocess);
    }

    [Theory]
    [InlineData("Finite-CC-PermExDc-v0", "discrete")]
    [InlineData("Cont-CC-PMSM-v0", "u_a")]
    [InlineData("Cont-XX-Nope-v0", "--gem-env")]
    public void UnsupportedEnvironmentsExitWithTwo(string env, string message)
    {
        using var scratch = new ScratchFolder("sidecar");
        string dir = scratch.Path;
        string model = WriteModel(dir, 6);
        var stderr = new StringWriter();
        Assert.Equal(2, OnnxCommand.RunSidecar(env, model, Path.Combine(dir, "s.json"), "input", null, 0, "unscale", null, new StringWriter(), stderr));
        Assert.Contains(message, stderr.ToString());
    }

    [Fact]
    public void MissingModelIsAnInputError()
    {
        var stderr = new StringWriter();
        Assert.Equal(2, OnnxCommand.RunSidecar("Cont-SC-SeriesDc-v0", "/nonexistent/model.onnx", Path.Combine(Path.GetTempPath(), "s.json"), "input", null, 0, "unscale", null, new StringWriter(), stderr));
        Assert.Contains("--model", stderr.ToString());
    }
}

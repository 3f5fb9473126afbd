using MotorRT.Policies.Onnx;

namespace MotorRT.HilTests;

/// <summary>
/// examples/pmdc-onnx-current.json end to end on the simulated rig: config → ControllerFactory ("onnx") → ControlLoop
/// with the real signal chain and supervisor, PWM one period late, quantised sensors, a shaft with inertia. The ONNX
/// policy must track the current steps within a stated margin of the cascaded PI it imitates (same config, controller
/// swapped), trip nothing and allocate nothing after warm-up.
/// </summary>
public class OnnxExampleConfigTests(ITestOutputHelper output)
{
    private static string Example() => RepoFiles.Example("pmdc-onnx-current.json");

    private static RunResult Run(RuntimeConfig config, out IController controller)
    {
        TwinDrive d = TwinDrive.Calibrated(config);
        controller = d.Controller;
        using ControlLoop loop = d.Loop;
        return loop.Run();
    }

    [Fact]
    public void ExampleRunsTheOnnxPolicyAndTracksLikeThePi()
    {
        string path = Example();
        RuntimeConfig onnxConfig = RuntimeConfig.Load(path);
        RunResult onnx = Run(onnxConfig, out IController policy);
        Assert.IsType<OnnxPolicy>(policy);
        (policy as IDisposable)?.Dispose();

        // The same file with the PI the policy imitates.
        string text = File.ReadAllText(path);
        string piJson = System.Text.RegularExpressions.Regex.Replace(text, "\"controller\": \\{[^}]*\\}", "\"controller\": { \"type\": \"pi-dc-current\" }");
        RuntimeConfig piConfig = RuntimeConfig.Parse(path, piJson);
        RunResult pi = Run(piConfig, out _);

        MotorRT.Runtime.Loop.TrackingResult onnxTrack = Assert.Single(onnx.Tracking, t => t.Quantity == "current");
        MotorRT.Runtime.Loop.TrackingResult piTrack = Assert.Single(pi.Tracking, t => t.Quantity == "current");
        output.WriteLine($"PI:   RMSE {piTrack.Rmse:F3} {piTrack.Unit}, max {piTrack.MaxAbs:F2}; faults {pi.Faults.Length}; final {pi.FinalState}");
        output.WriteLine($"ONNX: RMSE {onnxTrack.Rmse:F3} {onnxTrack.Unit}, max {onnxTrack.MaxAbs:F2}; faults {onnx.Faults.Length}; final {onnx.FinalState}; " +
            $"allocated after warm-up {onnx.AllocatedBytesAfterWarmup} B; controller compute p50 {onnx.ControllerCompute.P50 / 1e3:F2} µs (PI {pi.ControllerCompute.P50 / 1e3:F2} µs)");
        foreach (FaultRecord f in onnx.Faults) output.WriteLine($"  fault: {f}");

        Assert.Empty(onnx.Faults);
        Assert.Equal(pi.FinalState, onnx.FinalState);
        Assert.Equal(0, onnx.AllocatedBytesAfterWarmup);
        // Stated margin: RMS current error within 10 % + 1 A of the PI's on the same rig and profile.
        Assert.True(onnxTrack.Rmse <= 1.1 * piTrack.Rmse + 1.0, $"ONNX RMSE {onnxTrack.Rmse:F3} vs PI {piTrack.Rmse:F3}");
    }
}

using MotorRT.Policies.Onnx;

namespace MotorRT.Policies.Onnx.Tests;

/// <summary>ONNX policies whose action means a torque set-point (speed loops for smart-drive rigs).</summary>
public class TorqueSetpointActionTests
{
    /// <summary>a = 10·(x_ref − x_ω) on speeds normalised by 400 rad/s, times torqueLimit 20 N·m: T* = 0.5·(ω* − ω).</summary>
    private static Dictionary<string, object?> Sidecar(object? action = null) => new()
    {
        ["format"] = OnnxPolicySpec.FormatTag,
        ["model"] = "p.onnx",
        ["input"] = new { name = "input" },
        ["output"] = new { name = "actions" },
        ["observation"] = new object[] { new { quantity = "MechanicalSpeed", limit = 400.0 }, new { quantity = "ReferenceSpeed", limit = 400.0 } },
        ["action"] = action ?? new { meaning = "torque_setpoint", postprocess = "clip", torqueLimit = 20.0 },
    };

    private static OnnxPolicy Make(TestFiles files, object sidecar, OnnxFallback fallback = OnnxFallback.Safe)
    {
        files.Write("p.onnx", MlpOnnxWriter.Build(TestFiles.Linear(new float[,] { { -10f, 10f } }, [0f])).ToByteArray());
        string path = files.WriteJson("p.json", sidecar);
        return new OnnxPolicy(OnnxPolicySpec.Load(path), TestFiles.PermExDc, 1e-3, new OnnxPolicyOptions { InferenceBudget = 1, Fallback = fallback });
    }

    private static MotorObservation Obs(double speed, double reference) => new() { MechanicalSpeed = speed, Reference = new References { Speed = reference } };

    [Fact]
    public void Writes_a_torque_set_point_scaled_by_the_torque_limit_and_clamps_it()
    {
        using var files = new TestFiles();
        using OnnxPolicy p = Make(files, Sidecar());
        Assert.Equal(CommandMode.TorqueSetpoint, p.CommandMode);
        var cmd = default(ConverterCommand);
        cmd.SetSafe();
        p.Compute(Obs(90, 100), ref cmd);
        Assert.Equal(ControllerStatus.Ok, p.Status);
        Assert.Equal(CommandMode.TorqueSetpoint, cmd.Mode);
        Assert.Equal(5.0, cmd.TorqueSetpoint, 5);         // 0.5 N·m·s/rad · 10 rad/s
        Assert.True(cmd.BridgeEnable);
        Assert.Equal(0.0, cmd.VoltageD);

        p.Compute(Obs(0, -100), ref cmd);                 // a = −2.5 → clipped to −1 by the action space
        Assert.Equal(-20.0, cmd.TorqueSetpoint, 9);
    }

    [Fact]
    public void An_unscaled_action_beyond_one_is_clamped_to_the_limit_and_reported_saturated()
    {
        using var files = new TestFiles();
        using OnnxPolicy p = Make(files, Sidecar(new { meaning = "torque_setpoint", postprocess = "none", low = new[] { -2.0 }, high = new[] { 2.0 }, torqueLimit = 20.0 }));
        var cmd = default(ConverterCommand);
        p.Compute(Obs(0, 60), ref cmd);                   // a = 1.5: 30 N·m asked, 20 allowed
        Assert.Equal(20.0, cmd.TorqueSetpoint, 9);
        Assert.Equal(ControllerStatus.Saturated, p.Status);
    }

    [Fact]
    public void The_zero_voltage_fallback_asks_the_board_for_no_torque_the_safe_one_disables_it()
    {
        using var files = new TestFiles();
        using OnnxPolicy zero = Make(files, Sidecar(), OnnxFallback.ZeroVoltage);
        var cmd = default(ConverterCommand);
        zero.Compute(Obs(double.NaN, 100), ref cmd);       // NaN input → NaN output → fallback
        Assert.Equal(ControllerStatus.OutputInvalid, zero.Status);
        Assert.Equal(CommandMode.TorqueSetpoint, cmd.Mode);
        Assert.Equal(0.0, cmd.TorqueSetpoint);
        Assert.True(cmd.BridgeEnable);

        using var files2 = new TestFiles();
        using OnnxPolicy safe = Make(files2, Sidecar());
        safe.Compute(Obs(double.NaN, 100), ref cmd);
        Assert.False(cmd.BridgeEnable);
        Assert.Equal(0.0, cmd.TorqueSetpoint);
    }

    [Fact]
    public void Hold_last_repeats_the_last_torque_set_point()
    {
        using var files = new TestFiles();
        using OnnxPolicy p = Make(files, Sidecar(), OnnxFallback.HoldLast);
        var cmd = default(ConverterCommand);
        p.Compute(Obs(96, 100), ref cmd);
        p.Compute(Obs(double.NaN, 100), ref cmd);
        Assert.Equal(ControllerStatus.OutputInvalid, p.Status);
        Assert.Equal(CommandMode.TorqueSetpoint, cmd.Mode);
        Assert.Equal(2.0, cmd.TorqueSetpoint, 5);
    }

    [Theory]
    [InlineData("{ \"meaning\": \"torque_setpoint\", \"postprocess\": \"clip\" }", "torqueLimit", "required field is missing")]
    [InlineData("{ \"meaning\": \"duty_dc\", \"postprocess\": \"clip\", \"torqueLimit\": 5 }", "torqueLimit", "only torque_setpoint")]
    [InlineData("{ \"meaning\": \"torque_setpoint\", \"postprocess\": \"clip\", \"torqueLimit\": 5, \"low\": [-1, -1], \"high\": [1, 1] }", "low", "takes 1 action elements")]
    public void The_sidecar_names_what_is_wrong_with_a_torque_action(string action, string field, string message)
    {
        using var files = new TestFiles();
        files.Write("p.onnx", MlpOnnxWriter.Build(TestFiles.Linear(new float[,] { { 1f } }, [0f])).ToByteArray());
        string json = $$"""
            { "format": "{{OnnxPolicySpec.FormatTag}}", "model": "p.onnx", "input": { "name": "input" }, "output": { "name": "actions" },
              "observation": [ { "quantity": "MechanicalSpeed", "limit": 400 } ], "action": {{action}} }
            """;
        var e = Assert.Throws<ConfigException>(() => OnnxPolicySpec.Parse(Path.Combine(files.Directory, "s.json"), json));
        Assert.Contains(field, e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void The_sidecar_writer_keeps_the_torque_limit()
    {
        using var files = new TestFiles();
        files.Write("p.onnx", MlpOnnxWriter.Build(TestFiles.Linear(new float[,] { { -10f, 10f } }, [0f])).ToByteArray());
        OnnxPolicySpec spec = OnnxPolicySpec.Load(files.WriteJson("p.json", Sidecar()));
        string json = SidecarWriter.ToJson(spec, "p.onnx");
        OnnxPolicySpec again = OnnxPolicySpec.Parse(Path.Combine(files.Directory, "q.json"), json);
        Assert.Equal(ActionMeaning.TorqueSetpoint, again.Action.Meaning);
        Assert.Equal(20.0, again.Action.TorqueLimit);
    }

    [Fact]
    public void Zero_allocations_per_tick()
    {
        using var files = new TestFiles();
        using OnnxPolicy p = Make(files, Sidecar());
        p.Reset();
        var cmd = default(ConverterCommand);
        for (int k = 0; k < 1000; k++) p.Compute(Obs(k % 200, 100), ref cmd);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 10_000; k++) p.Compute(Obs(k % 200, 100), ref cmd);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

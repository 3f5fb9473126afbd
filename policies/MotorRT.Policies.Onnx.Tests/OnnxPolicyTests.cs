namespace MotorRT.Policies.Onnx.Tests;

public class OnnxPolicyTests
{
    // duty = 0.5·(i_ref − i)/10 with observation [i/10, i_ref/10].
    private static readonly float[,] ErrorGain = { { -0.5f, 0.5f } };

    private static object DcSidecar(string model = "p.onnx", object? output = null, object? action = null, object? extra = null) => new Dictionary<string, object?>
    {
        ["format"] = OnnxPolicySpec.FormatTag,
        ["model"] = model,
        ["input"] = new { name = "input" },
        ["output"] = output ?? new { name = "actions" },
        ["observation"] = new object[] { new { quantity = "CurrentA", limit = 10.0 }, new { quantity = "ReferenceCurrentD", limit = 10.0 } },
        ["action"] = action ?? new { meaning = "duty_dc", postprocess = "clip" },
    }.Concat(extra as Dictionary<string, object?> ?? []).ToDictionary();

    private static OnnxPolicy Make(TestFiles files, Mlp mlp, object sidecar, OnnxFallback fallback = OnnxFallback.Safe, double budget = 1.0, MlpExportOptions? export = null)
    {
        files.Write("p.onnx", MlpOnnxWriter.Build(mlp, export).ToByteArray());
        string path = files.WriteJson("p.json", sidecar);
        return new OnnxPolicy(OnnxPolicySpec.Load(path), TestFiles.PermExDc, 1e-4, new OnnxPolicyOptions { InferenceBudget = budget, Fallback = fallback });
    }

    private static MotorObservation Obs(double i, double iRef, double udc = 60) => new()
    {
        CurrentA = i,
        DcLinkVoltage = udc,
        Reference = new References { CurrentD = iRef },
        Period = 1e-4,
    };

    [Fact]
    public void DutyFollowsTheNetworkAndIsClipped()
    {
        using var files = new TestFiles();
        using OnnxPolicy p = Make(files, TestFiles.Linear(ErrorGain, [0f]), DcSidecar());
        var cmd = new ConverterCommand();
        p.Compute(Obs(2, 6), ref cmd);
        Assert.Equal(ControllerStatus.Ok, p.Status);
        Assert.True(cmd.BridgeEnable);
        Assert.Equal(0.2, cmd.Duty[0], 6);
        Assert.Equal([0.2f, 0.6f], p.EncodedInput.ToArray());

        p.Compute(Obs(-30, 30), ref cmd); // raw 3.0 → clipped to 1 by the action space; not saturation of the duty itself
        Assert.Equal(1.0, cmd.Duty[0], 12);
        Assert.Equal(ControllerStatus.Ok, p.Status);
        Assert.Equal((double)(3.0f), (double)p.RawOutput[0], 1e-5);
    }

    [Fact]
    public void ComputeAllocatesNothingPerTick()
    {
        using var files = new TestFiles();
        Mlp mlp = Mlp.CreateRandom([2, 64, 64, 1], MlpActivation.Tanh, MlpActivation.Tanh, 5);
        using OnnxPolicy p = Make(files, mlp, DcSidecar());
        var cmd = new ConverterCommand();
        MotorObservation obs = Obs(1, 2);
        for (int k = 0; k < 1000; k++) p.Compute(obs, ref cmd);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 10_000; k++)
        {
            obs.CurrentA = 0.001 * k;
            p.Compute(obs, ref cmd);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(ControllerStatus.Ok, p.Status);
        // And the output is the network's: compare with the C# forward pass.
        var y = new float[1];
        mlp.Forward(p.EncodedInput, y);
        Assert.Equal((double)(y[0]), (double)p.RawOutput[0], 1e-5);
    }

    [Fact]
    public void NanOutputFaultsAndFallsBackToSafe()
    {
        using var files = new TestFiles();
        using OnnxPolicy p = Make(files, TestFiles.Linear(ErrorGain, [0f]), DcSidecar());
        var cmd = new ConverterCommand();
        p.Compute(Obs(double.NaN, 1), ref cmd);
        Assert.Equal(ControllerStatus.OutputInvalid, p.Status);
        Assert.False(cmd.BridgeEnable);
        Assert.Equal(0.0, cmd.Duty[0]);
        Assert.Equal(1, p.InvalidCount);
    }

    [Fact]
    public void OutOfRangeOutputHoldsTheLastValidCommand()
    {
        using var files = new TestFiles();
        object sidecar = DcSidecar(action: new { meaning = "duty_dc", postprocess = "clip", validRange = new[] { -2.0, 2.0 } });
        using OnnxPolicy p = Make(files, TestFiles.Linear(ErrorGain, [0f]), sidecar, OnnxFallback.HoldLast);
        var cmd = new ConverterCommand();
        p.Compute(Obs(0, 4), ref cmd);
        Assert.Equal(0.2, cmd.Duty[0], 6);
        cmd.SetSafe();
        p.Compute(Obs(-50, 50), ref cmd); // raw output 5 > 2
        Assert.Equal(ControllerStatus.OutputInvalid, p.Status);
        Assert.True(cmd.BridgeEnable);
        Assert.Equal(0.2, cmd.Duty[0], 6);
    }

    [Fact]
    public void ZeroVoltageFallbackKeepsTheBridgeOnAtZeroDuty()
    {
        using var files = new TestFiles();
        using OnnxPolicy p = Make(files, TestFiles.Linear(ErrorGain, [0f]), DcSidecar(), OnnxFallback.ZeroVoltage);
        var cmd = new ConverterCommand();
        p.Compute(Obs(double.PositiveInfinity, 0), ref cmd);
        Assert.Equal(ControllerStatus.OutputInvalid, p.Status);
        Assert.True(cmd.BridgeEnable);
        Assert.Equal(0.0, cmd.Duty[0]);
    }

    [Fact]
    public void OverBudgetReportsOverrunButStillWritesTheCommand()
    {
        using var files = new TestFiles();
        // A zero budget: any measurable inference time is over it (no wall-clock threshold involved).
        using OnnxPolicy p = Make(files, TestFiles.Linear(ErrorGain, [0f]), DcSidecar(), budget: 0);
        var cmd = new ConverterCommand();
        p.Compute(Obs(2, 6), ref cmd);
        Assert.Equal(ControllerStatus.Overrun, p.Status);
        Assert.Equal(1, p.OverrunCount);
        Assert.Equal(0.2, cmd.Duty[0], 6);
        Assert.True(p.LastInferenceTicks > 0);
    }

    [Fact]
    public void InLockStepTheWallClockBudgetIsCountedButDoesNotChangeTheStatus()
    {
        using var files = new TestFiles();
        using OnnxPolicy p = Make(files, TestFiles.Linear(ErrorGain, [0f]), DcSidecar(), budget: 0);
        ((IController)p).EnforceWallClockBudget(false);   // what the loop does in lock-step
        var cmd = new ConverterCommand();
        for (int k = 0; k < 5; k++)
        {
            p.Compute(Obs(2, 6), ref cmd);
            Assert.Equal(ControllerStatus.Ok, p.Status);
        }
        Assert.Equal(5, p.OverrunCount);
        Assert.False(p.BudgetEnforced);
        Assert.Equal(0.2, cmd.Duty[0], 6);
        Assert.Equal(0.2 * 60, cmd.VoltageD, 4);   // the voltage the policy applied (duty · u_dc)
        p.EnforceWallClockBudget(true);
        p.Compute(Obs(2, 6), ref cmd);
        Assert.Equal(ControllerStatus.Overrun, p.Status);
    }

    [Fact]
    public void UnscaleMapsSquashedOutputToLowHigh()
    {
        using var files = new TestFiles();
        object sidecar = DcSidecar(action: new { meaning = "duty_dc", postprocess = "unscale", low = new[] { -0.5 }, high = new[] { 1.0 } });
        using OnnxPolicy p = Make(files, TestFiles.Linear(ErrorGain, [0f], MlpActivation.Tanh), sidecar);
        var cmd = new ConverterCommand();
        p.Compute(Obs(2, 6), ref cmd);
        double a = Math.Tanh(0.2);
        Assert.Equal((double)(-0.5 + 0.5 * (a + 1) * 1.5), (double)cmd.Duty[0], 1e-5);
    }

    [Fact]
    public void VoltageDqIsTurnedIntoPhaseDutiesByInverseParkAndTheDcLink()
    {
        using var files = new TestFiles();
        // Constant output: bias only. u_d = 0.1·300 V, u_q = 0.5·300 V.
        Mlp mlp = TestFiles.Linear(new float[,] { { 0, 0 }, { 0, 0 } }, [0.1f, 0.5f]);
        var sidecar = new Dictionary<string, object?>
        {
            ["format"] = OnnxPolicySpec.FormatTag,
            ["model"] = "p.onnx",
            ["input"] = new { name = "input" },
            ["output"] = new { index = 0 },
            ["observation"] = new object[] { new { quantity = "CurrentD", limit = 1.0 }, new { quantity = "CurrentQ", limit = 1.0 } },
            ["action"] = new { meaning = "voltage_dq", postprocess = "clip", voltageLimit = 300.0, angleAdvance = 1.5 },
        };
        using OnnxPolicy p = Make(files, mlp, sidecar);
        var obs = new MotorObservation { ElectricalAngle = 0.7, ElectricalSpeed = 400, DcLinkVoltage = 560 };
        var cmd = new ConverterCommand();
        p.Compute(obs, ref cmd);
        double angle = 0.7 + 1.5 * 400 * 1e-4;
        SpaceVector.DqToAbc(30, 150, angle, out double ua, out double ub, out double uc);
        Assert.Equal((double)(ua / 280), (double)cmd.Duty[0], 1e-5);
        Assert.Equal((double)(ub / 280), (double)cmd.Duty[1], 1e-5);
        Assert.Equal((double)(uc / 280), (double)cmd.Duty[2], 1e-5);
        Assert.Equal(ControllerStatus.Ok, p.Status);
    }

    private sealed class RecordingController : IController
    {
        public double LastReferenceD;
        public string Name => "recording";
        public ControllerStatus Status => ControllerStatus.Ok;
        public void Reset() { }
        public void Compute(in MotorObservation observation, ref ConverterCommand command)
        {
            LastReferenceD = observation.Reference.CurrentD;
            command.BridgeEnable = true;
            command.Duty[0] = 0.123;
        }
    }

    [Fact]
    public void CurrentReferenceActionDrivesTheInnerController()
    {
        using var files = new TestFiles();
        files.Write("p.onnx", MlpOnnxWriter.Build(TestFiles.Linear(ErrorGain, [0.25f])).ToByteArray());
        string path = files.WriteJson("p.json", DcSidecar(action: new { meaning = "current_reference", postprocess = "clip", currentLimit = 40.0 }));
        var inner = new RecordingController();
        using var p = new OnnxPolicy(OnnxPolicySpec.Load(path), TestFiles.PermExDc, 1e-4, new OnnxPolicyOptions { InferenceBudget = 1 }, inner);
        var cmd = new ConverterCommand();
        p.Compute(Obs(0, 0), ref cmd);
        Assert.Equal((double)(0.25 * 40), (double)inner.LastReferenceD, 1e-5);
        Assert.Equal(0.123, cmd.Duty[0]);

        Assert.Throws<ConfigException>(() => new OnnxPolicy(OnnxPolicySpec.Load(path), TestFiles.PermExDc, 1e-4, new OnnxPolicyOptions { InferenceBudget = 1 }));
    }

    [Fact]
    public void TorqueObservationUsesTheMotorTorqueEquation()
    {
        var enc = new ObservationEncoder([new ObservationEntry(ObservationQuantity.Torque, 66.0)], null, TestFiles.PermExDc);
        var obs = new MotorObservation { CurrentA = 100 };
        var x = new float[1];
        enc.Encode(obs, x);
        Assert.Equal((float)(0.165 * 100 / 66.0), x[0], 6);
    }
}

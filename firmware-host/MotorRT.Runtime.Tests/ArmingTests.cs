using MotorRT.Contracts;
using MotorRT.Runtime.Loop;
using MotorRT.Runtime.References;
using MotorRT.Runtime.Safety;

namespace MotorRT.Runtime.Tests;

/// <summary>Arming: the warm-up before Running, the rig's declared capabilities, and what the rig build ships.</summary>
public class ArmingTests
{
    private const int Calibration = 100;   // estimator.calibration_samples in TestConfigs

    private sealed class CountingController(CommandMode mode = CommandMode.DutyCycle) : IController
    {
        public long Calls;
        public string Name => "counting";
        public ControllerStatus Status => ControllerStatus.Ok;
        public CommandMode CommandMode => mode;
        public void Reset() { }

        public void Compute(in MotorObservation observation, ref ConverterCommand command)
        {
            Calls++;
            command.BridgeEnable = true;
            command.Duty[0] = 0.2;
        }
    }

    [Fact]
    public void ArmingWarmupRunsTheControllerWithTheBridgeHeldOff()
    {
        var config = TestConfigs.Config(TestConfigs.Json(timing: """{ "frequency": 10000, "duration": 0.05, "warmup_ticks": 10, "arming_warmup_ticks": 700 }"""));
        var ctrl = new CountingController();
        var (result, loop, rig) = Harness.Run(config, controller: ctrl);
        Assert.Equal(700, result.ArmingWarmupTicks);
        Assert.Equal(700, loop.ArmingWarmupTicksRun);
        Assert.Equal(500, result.Ticks);
        Assert.Equal(700 + 500, ctrl.Calls);
        for (int s = 0; s < Calibration + 700; s++) Assert.False(rig.BridgeAtWrite(s), $"bridge on at rig step {s} (before Running)");
        Assert.True(rig.BridgeAtWrite(Calibration + 700), "the first Running tick drives the bridge");
        Assert.Empty(result.Faults);
    }

    [Fact]
    public void DeadlineTripsCountFromTheFirstRunningTickAndTheSummaryAgrees()
    {
        // Every Running tick from tick 10 on takes 0.5 ms at a 0.1 ms period; the trip (5 in a row) comes inside the
        // measurement warm-up (1000 ticks), and after an arming warm-up whose ticks must not count.
        var config = TestConfigs.Config(TestConfigs.Json(
            timing: """{ "frequency": 10000, "duration": 0.2, "warmup_ticks": 1000, "arming_warmup_ticks": 300 }""",
            limits: """{ "controller_budget": 1, "enforce_timing_in_lock_step": true, "deadline_misses": 5, "watchdog_timeout": 1 }"""));
        var ctrl = new ScriptedController { BadFromTick = 10, BadDuty = 0.1, SpinSeconds = 0.0005 };
        var (result, _, _) = Harness.Run(config, controller: ctrl);
        Assert.Equal(FaultCode.DeadlineMisses, result.Faults[0].Code);
        Assert.InRange(result.Faults[0].Tick, 10, 14);   // 14 unless the machine itself made tick 9 … late too
        Assert.True(result.DeadlineMisses >= 5, $"summary deadline_misses {result.DeadlineMisses} but the drive tripped on 5 in a row");
    }

    [Fact]
    public void LoopRefusesAControllerWhoseCommandModeTheRigDoesNotDeclare()
    {
        var config = TestConfigs.Config(TestConfigs.Json());
        var e = Assert.Throws<ArgumentException>(() => new ControlLoop(config, Harness.Rig(config), new CountingController(CommandMode.CurrentSetpoint), config.Motor!));
        Assert.Contains("CurrentSetpoint", e.Message);
        Assert.Contains("sim", e.Message);
        Assert.Contains("DutyCycle", e.Message);
    }

    [Fact]
    public void DeclaredCapabilitiesAcceptWhatTheyList()
    {
        RigCapabilities pwm = RigCapabilities.PwmBridge;
        Assert.True(pwm.Accepts(CommandMode.DutyCycle));
        Assert.True(pwm.Accepts(CommandMode.SwitchingState));
        Assert.False(pwm.Accepts(CommandMode.CurrentSetpoint));
        Assert.False(pwm.Accepts(CommandMode.TorqueSetpoint));
        var smart = new RigCapabilities(RigCommandModes.CurrentSetpoint | RigCommandModes.TorqueSetpoint, RigMeasurements.EncoderPosition);
        Assert.True(smart.Accepts(CommandMode.CurrentSetpoint));
        Assert.False(smart.Accepts(CommandMode.DutyCycle));
    }

    [Fact]
    public void TheSafeCommandClearsSetpointsAndTheReportedVoltage()
    {
        var c = new ConverterCommand { Mode = CommandMode.CurrentSetpoint, CurrentSetpointD = 3, CurrentSetpointQ = 4, TorqueSetpoint = 5, VoltageD = 6, VoltageQ = 7, BridgeEnable = true };
        c.SetSafe();
        Assert.Equal(CommandMode.DutyCycle, c.Mode);
        Assert.Equal(0, c.CurrentSetpointD + c.CurrentSetpointQ + c.TorqueSetpoint + c.VoltageD + c.VoltageQ);
        Assert.False(c.BridgeEnable);
    }

    [Fact]
    public void TheRuntimeDoesNotReferenceTheOfflineTrainingProject()
    {
        foreach (var assembly in new[] { typeof(ControlLoop).Assembly, typeof(Policies.Onnx.OnnxPolicy).Assembly })
        {
            Assert.DoesNotContain(assembly.GetReferencedAssemblies(), n => n.Name == "MotorRT.Policies.Training");
        }
    }

    [Fact]
    public void AMillionStepProfileIsEvaluatedByCursorWithTheRightValues()
    {
        const int n = 1_000_000;
        var times = new double[n];
        var values = new double[n];
        for (int i = 0; i < n; i++) { times[i] = i * 1e-4; values[i] = i; }
        var p = new StepsProfile(times, values);
        // Forward tick by tick (the loop's use), mid-step, then jumps back and forth.
        for (int k = 0; k < n; k++) Assert.Equal(k, p.At(k * 1e-4 + 0.5e-4));
        Assert.Equal(0, p.At(-1));
        Assert.Equal(n - 1, p.At(1e9));
        Assert.Equal(12345, p.At(12345.5e-4));
        Assert.Equal(0, p.At(0.5e-4));
    }
}

using MotorRT.Contracts;
using MotorRT.Runtime.Loop;
using MotorRT.Runtime.Safety;
using MotorRT.Sim.Spec;
using MotorRT.Sim.Testing;

namespace MotorRT.Runtime.Tests;

/// <summary>Each trip, injected into the twin, its rig or the controller, fires in the tick it becomes observable and the bridge is off in that tick.</summary>
public class TripTests
{
    private const int Calibration = 100;          // estimator.calibration_samples in TestConfigs (rig steps before Running: no arming warm-up here)
    private const long InjectTick = 300;
    private const long InjectStep = Calibration + InjectTick;

    private static (RunResult R, TwinRig Rig, ControlLoop Loop) RunWith(Action<TwinRig> inject, string limits = "{}", ScriptedController? ctrl = null, double duration = 0.1,
        long injectAt = InjectStep, LoadSpec? load = null)
    {
        var config = TestConfigs.Config(TestConfigs.Json(limits: limits, timing: $$"""{ "frequency": 10000, "duration": {{duration}}, "warmup_ticks": 100, "arming_warmup_ticks": 0 }"""));
        TwinRig rig = Harness.Rig(config, load: load);
        rig.InjectAtWrite = injectAt;
        rig.Inject = inject;
        var (result, loop, r) = Harness.Run(config, rig, ctrl);
        return (result, r, loop);
    }

    private static void AssertTrippedAt(RunResult r, TwinRig rig, FaultCode code, long tick)
    {
        Assert.NotEmpty(r.Faults);
        Assert.Equal(code, r.Faults[0].Code);
        Assert.Equal(tick, r.Faults[0].Tick);
        Assert.Equal(DriveState.Fault, r.FinalState);
        long step = Calibration + tick;
        Assert.True(rig.BridgeAtWrite(step - 1), "the bridge was on in the tick before the trip");
        Assert.False(rig.BridgeAtWrite(step), "the bridge is off in the tick of the trip");
        Assert.True(rig.DisableCalls >= 1);
        for (long s = step; s < rig.Writes; s++) Assert.False(rig.BridgeAtWrite(s));  // latched off
    }

    [Theory]
    [InlineData("over-current", FaultCode.OverCurrentPhaseA)]
    [InlineData("dc-over-voltage", FaultCode.DcLinkOverVoltage)]
    [InlineData("dc-under-voltage", FaultCode.DcLinkUnderVoltage)]
    [InlineData("adc-rail", FaultCode.CurrentSensorOutOfRange)]
    [InlineData("gate-driver", FaultCode.GateDriverFault)]
    [InlineData("hw-over-current", FaultCode.HardwareOverCurrent)]
    [InlineData("drive-board", FaultCode.DriveBoardFault)]
    [InlineData("stale-frame", FaultCode.StaleFrame)]
    public void SensorSideTripFiresInTheSameTick(string scenario, FaultCode code)
    {
        Action<TwinRig> inject = scenario switch
        {
            "over-current" => r => r.Sensors.CurrentChannel(0).StuckAtCounts = (int)(r.Sensors.Spec.Current.ZeroCounts + 40 / r.Sensors.Spec.Current.AmperesPerCount),
            "dc-over-voltage" => r => r.Twin.Disturbances.SupplyVoltageScale = 1.5,
            "dc-under-voltage" => r => r.Twin.Disturbances.SupplyVoltageScale = 0.5,
            "adc-rail" => r => r.Sensors.CurrentChannel(0).ForcedRail = 1,
            "gate-driver" => r => r.FaultInputs = 1,
            "hw-over-current" => r => r.FaultInputs = 2,
            "drive-board" => r => r.FaultInputs = 4,
            _ => r => r.FreezeSequence = true,
        };
        // A supply fault acts on the plant's next step, so it is injected one tick earlier to show in the same frame.
        long injectAt = scenario.StartsWith("dc-", StringComparison.Ordinal) ? InjectStep - 1 : InjectStep;
        var (result, rig, _) = RunWith(inject, """{ "phase_current": 30, "dc_link_over_voltage": 60, "dc_link_under_voltage": 30, "rig_failures": 1 }""", injectAt: injectAt);
        AssertTrippedAt(result, rig, code, InjectTick);
    }

    [Theory]
    [InlineData(double.NaN, ControllerStatus.Ok, FaultCode.ControllerOutputInvalid)]
    [InlineData(double.PositiveInfinity, ControllerStatus.Ok, FaultCode.ControllerOutputInvalid)]
    [InlineData(1.5, ControllerStatus.Ok, FaultCode.ControllerOutputInvalid)]
    [InlineData(0.1, ControllerStatus.OutputInvalid, FaultCode.ControllerOutputInvalid)]
    [InlineData(0.1, ControllerStatus.Failed, FaultCode.ControllerFailed)]
    [InlineData(0.1, ControllerStatus.OutOfDomain, FaultCode.ControllerOutOfDomain)]
    public void ControllerTripFiresInTheSameTick(double duty, ControllerStatus status, FaultCode code)
    {
        var ctrl = new ScriptedController { BadFromTick = InjectTick, BadDuty = duty, BadStatus = status };
        var (result, rig, _) = RunWith(_ => { }, ctrl: ctrl);
        AssertTrippedAt(result, rig, code, InjectTick);
    }

    [Fact]
    public void ControllerOverrunTripsInTheSameTick()
    {
        var ctrl = new ScriptedController { BadFromTick = InjectTick, BadDuty = 0.1, SpinSeconds = 0.04 };
        var (result, rig, _) = RunWith(_ => { }, """{ "controller_budget": 0.02, "enforce_timing_in_lock_step": true, "deadline_misses": 1000, "watchdog_timeout": 1 }""", ctrl);
        AssertTrippedAt(result, rig, FaultCode.ControllerOverrun, InjectTick);
        Assert.True(result.Faults[0].Value > 0.02);
    }

    [Fact]
    public void ConsecutiveDeadlineMissesTrip()
    {
        // Every tick from InjectTick on takes 0.5 ms at a 0.1 ms period: misses 1 … 5 → trip after the fifth tick.
        var ctrl = new ScriptedController { BadFromTick = InjectTick, BadDuty = 0.1, SpinSeconds = 0.0005 };
        var (result, rig, _) = RunWith(_ => { }, """{ "controller_budget": 1, "enforce_timing_in_lock_step": true, "deadline_misses": 5, "watchdog_timeout": 1 }""", ctrl);
        Assert.Equal(FaultCode.DeadlineMisses, result.Faults[0].Code);
        Assert.Equal(InjectTick + 4, result.Faults[0].Tick);
        // A miss is known only once the tick is over: the bridge goes off by DisableBridge at once and from the next write on.
        Assert.False(rig.BridgeAtWrite(Calibration + InjectTick + 5));
        Assert.True(rig.DisableCalls >= 1);
        Assert.True(result.DeadlineMisses >= 5);
    }

    [Fact]
    public void TimingTripsAreNotArmedInLockStepByDefault()
    {
        var ctrl = new ScriptedController { BadFromTick = InjectTick, BadDuty = 0.1, SpinSeconds = 0.0003 };
        var (result, _, _) = RunWith(_ => { }, ctrl: ctrl, duration: 0.035);
        Assert.Empty(result.Faults);
        Assert.True(result.DeadlineMisses > 0);   // still measured and reported
    }

    [Fact]
    public void ExternalEmergencyStopTripsInTheNextTick()
    {
        ControlLoop? loop = null;
        var config = TestConfigs.Config(TestConfigs.Json(timing: """{ "frequency": 10000, "duration": 0.2, "warmup_ticks": 200, "arming_warmup_ticks": 0 }"""));
        TwinRig rig = Harness.Rig(config);
        rig.InjectAtWrite = InjectStep;
        rig.Inject = _ => loop!.EmergencyStop(FaultCode.Watchdog);
        var built = Harness.Build(config, rig);
        loop = built.Loop;
        Assert.True(loop.Calibrate());
        var result = loop.Run();
        AssertTrippedAt(result, rig, FaultCode.Watchdog, InjectTick);
    }

    [Fact]
    public void OverSpeedTripsInTheTickTheEstimateCrosses()
    {
        // The shaft is driven: 50 rad/s, then a step to 400 rad/s from the period of InjectStep on (lag τ = 0.1 ms).
        double jump = InjectStep * 1e-4 + 1e-4;
        var shaft = new ExternalSpeedLoadSpec { Times = [0, jump, jump + 1e-6], Speeds = [Harness.Speed, Harness.Speed, 400], LagTime = 1e-4 };
        var (result, rig, _) = RunWith(_ => { }, """{ "speed": 100 }""", load: shaft);
        Assert.Equal(FaultCode.OverSpeed, result.Faults[0].Code);
        long tick = result.Faults[0].Tick;
        Assert.InRange(tick, InjectTick, InjectTick + 8);   // PLL (1000 rad/s) response to a 50 → 400 rad/s jump
        Assert.True(result.Faults[0].Value > 100);
        Assert.False(rig.BridgeAtWrite(Calibration + tick));
        Assert.True(rig.BridgeAtWrite(Calibration + tick - 1));
    }

    [Fact]
    public void EncoderWithoutCountsWhileCurrentFlowsTrips()
    {
        // Open loop 10 V against 5 V of EMF through 0.5 Ω → 10 A; check above 5 A for 1 ms (10 ticks).
        var (result, rig, _) = RunWith(r => r.Sensors.Encoder!.Disconnected = true, """{ "encoder_check_current": 5, "encoder_check_time": 0.001 }""");
        Assert.Equal(FaultCode.EncoderNoCounts, result.Faults[0].Code);
        long tick = result.Faults[0].Tick;
        Assert.InRange(tick, InjectTick + 9, InjectTick + 11);
        Assert.False(rig.BridgeAtWrite(Calibration + tick));
        Assert.True(rig.BridgeAtWrite(Calibration + tick - 1));
    }

    [Fact]
    public void IndexPulseAtTheWrongCountTrips()
    {
        // 200 rad/s: one revolution (= one index pulse) every ~314 ticks. From InjectTick on the index latches 100 counts off.
        var config = TestConfigs.Config(TestConfigs.Json(timing: """{ "frequency": 10000, "duration": 0.2, "warmup_ticks": 100, "arming_warmup_ticks": 0 }"""));
        TwinRig rig = Harness.Rig(config, speed: 200);
        rig.InjectAtWrite = InjectStep;
        rig.Inject = r => r.IndexShiftCounts = 100;
        var (result, _, _) = Harness.Run(config, rig);
        Assert.Equal(FaultCode.EncoderIndexMismatch, result.Faults[0].Code);
        long step = Calibration + result.Faults[0].Tick;
        // The trip is the first tick whose frame shows a new revolution after the injection.
        double revPerStep = 200 * 1e-4 / (2 * Math.PI);
        long firstPulseAfter = InjectStep;
        while (Math.Floor(firstPulseAfter * revPerStep) == Math.Floor((firstPulseAfter - 1) * revPerStep) || firstPulseAfter == InjectStep) firstPulseAfter++;
        Assert.InRange(step, firstPulseAfter - 1, firstPulseAfter + 1);
        Assert.False(rig.BridgeAtWrite(step));
        Assert.Equal(100, result.Faults[0].Value);
    }
}

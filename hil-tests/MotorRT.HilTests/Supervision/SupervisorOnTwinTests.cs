namespace MotorRT.HilTests.Supervision;

/// <summary>
/// The runtime's supervisor against the twin: faults are injected into the plant (<see cref="PlantDisturbances"/>) or
/// its sensor models, the loop runs tick by tick, and in the first tick whose frame shows the condition the drive
/// must be in Fault with the safe command written (bridge off, zero duty) — and never before.
/// </summary>
public class SupervisorOnTwinTests
{
    private static TwinDrive Arm(string limits = "{}")
    {
        string json = TwinDrive.PermExDcCurrentJson("""{ "type": "polynomial", "a": 0.5, "b": 0.05, "j_load": 0.05 }""", 20, limits,
            """{ "frequency": 10000, "duration": 100, "warmup_ticks": 100 }""", seed: 3);
        RuntimeConfig config = RuntimeConfig.Parse("twin.json", json);
        TwinDrive d = TwinDrive.Calibrated(config);
        ControlLoop loop = d.Loop;
        loop.Start();
        loop.RunTicks(2000);   // 0.2 s: current at 20 A, shaft turning
        Assert.Equal(DriveState.Running, loop.State);
        Assert.True(loop.LastCommand.BridgeEnable);
        return d;
    }

    /// <summary>Ticks one at a time until <paramref name="observable"/> holds for the tick's frame/observation; asserts the trip in that tick.</summary>
    private static long TripsInTheTickItIsObservable(TwinDrive d, Func<TwinDrive, bool> observable, FaultCode expected, int maxTicks = 20_000)
    {
        for (int k = 0; k < maxTicks; k++)
        {
            d.Loop.RunTicks(1);
            if (observable(d))
            {
                Assert.Equal(DriveState.Fault, d.Loop.State);
                Assert.Equal(expected, d.Loop.States.LatchedFault);
                Assert.False(d.Loop.LastCommand.BridgeEnable);
                Assert.Equal(0.0, d.Loop.LastCommand.Duty[0]);
                d.Loop.RunTicks(1);                       // the rig applies the latched-off bridge
                Assert.False(d.Rig.AppliedCommand.BridgeEnable);
                RunResult r = d.Loop.Finish();
                Assert.Equal(expected, r.Faults[0].Code);
                return k;
            }
            Assert.True(d.Loop.State == DriveState.Running,   // never before the condition is visible
                $"tripped early at k={k}: {d.Loop.States.LatchedFault}, i={d.Loop.Observation.CurrentA} A, count={d.Loop.LastFrame.EncoderCount}");
        }
        Assert.Fail($"{expected} never became observable in {maxTicks} ticks");
        return -1;
    }

    [Fact]
    public void SupplyOverVoltageTrips()
    {
        TwinDrive d = Arm("""{ "dc_link_over_voltage": 75, "dc_link_under_voltage": 40 }""");
        d.Twin.Disturbances.SupplyVoltageScale = 1.5;   // 60 → 90 V
        TripsInTheTickItIsObservable(d, x => x.Loop.Observation.DcLinkVoltage > 75, FaultCode.DcLinkOverVoltage);
    }

    [Fact]
    public void SupplySagTripsUnderVoltage()
    {
        TwinDrive d = Arm("""{ "dc_link_over_voltage": 75, "dc_link_under_voltage": 40 }""");
        d.Twin.Disturbances.SupplyVoltageScale = 0.5;   // 60 → 30 V
        TripsInTheTickItIsObservable(d, x => x.Loop.Observation.DcLinkVoltage < 40, FaultCode.DcLinkUnderVoltage);
    }

    [Fact]
    public void LoadLossRunsAwayIntoOverSpeed()
    {
        // 20 A against friction settles near 56 rad/s; without the load the shaft accelerates through 70 rad/s.
        TwinDrive d = Arm("""{ "speed": 70 }""");
        d.Twin.Disturbances.LoadTorqueScale = 0.0;
        TripsInTheTickItIsObservable(d, x => Math.Abs(x.Loop.Observation.MechanicalSpeed) > 70, FaultCode.OverSpeed, 100_000);
    }

    [Fact]
    public void CurrentSensorSaturationTrips()
    {
        TwinDrive d = Arm();
        d.Rig.Sensors.CurrentChannel(0).ForcedRail = 1;
        TripsInTheTickItIsObservable(d, x => x.Loop.LastFrame.CurrentCountsA >= 4095, FaultCode.CurrentSensorOutOfRange);
    }

    [Fact]
    public void GateDriverFaultInputTrips()
    {
        TwinDrive d = Arm();
        d.Rig.FaultInputs = 1;
        TripsInTheTickItIsObservable(d, x => (x.Loop.LastFrame.FaultInputs & 1) != 0, FaultCode.GateDriverFault);
    }

    [Fact]
    public void OverCurrentTripsOnTheTwin()
    {
        // The PI holds 20 A; the supply jumps to 1.6× and the rotor locks, so the armature current overshoots past
        // 25 A before the PI catches it.
        TwinDrive d = Arm("""{ "phase_current": 25, "dc_link_over_voltage": 100 }""");
        d.Twin.Disturbances.SupplyVoltageScale = 1.6;
        d.Twin.Disturbances.LockedRotor = true;
        TripsInTheTickItIsObservable(d, x => Math.Abs(x.Loop.Observation.CurrentA) > 25, FaultCode.OverCurrentPhaseA, 2000);
    }

    [Fact]
    public void LockedRotorStopsTheEncoderWhileCurrentFlows()
    {
        // Window 20 ms: from standstill at 20 A the shaft needs ~8 ms to move the first count (the check's blind spot).
        TwinDrive d = Arm("""{ "encoder_check_current": 10, "encoder_check_time": 0.02 }""");
        d.Twin.Disturbances.LockedRotor = true;
        long stillSince = -1;
        long lastCount = d.Loop.LastFrame.EncoderCount;
        long tick = TripsInTheTickItIsObservable(d, x =>
        {
            long c = x.Loop.LastFrame.EncoderCount;
            if (c != lastCount) { stillSince = -1; lastCount = c; }
            else if (stillSince < 0) stillSince = x.Loop.Observation.Tick;
            return stillSince >= 0 && x.Loop.Observation.Tick - stillSince >= 200;   // window 0.02 s = 200 ticks
        }, FaultCode.EncoderNoCounts);
        Assert.True(tick > 0);
    }

    [Fact]
    public void EncoderGlitchIsCaughtAtTheNextIndexPulse()
    {
        TwinDrive d = Arm();
        d.Loop.RunTicks(20_000);                       // at least one index pulse latched as the reference
        Assert.True(d.Loop.LastFrame.EncoderIndexPulses >= 1);
        int pulses = d.Loop.LastFrame.EncoderIndexPulses;
        d.Rig.Sensors.Encoder!.InjectGlitch(37);       // 37 spurious counts
        TripsInTheTickItIsObservable(d, x => x.Loop.LastFrame.EncoderIndexPulses > pulses, FaultCode.EncoderIndexMismatch, 100_000);
    }
}

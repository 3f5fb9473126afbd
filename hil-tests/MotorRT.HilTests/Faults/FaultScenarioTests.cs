using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Sensors;
using MotorRT.Hardware.Emulation;
using MotorRT.Hardware.Hil;
using MotorRT.Hardware.RaspberryPi;
using MotorRT.Runtime;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Loop;
using MotorRT.Runtime.Safety;
using MotorRT.Sim.Rig;

namespace MotorRT.HilTests.Faults;

/// <summary>
/// The fault-injection scenario suite (issue 7): each scenario runs the whole runtime loop (calibration, supervisor,
/// telemetry) against the simulated rig, the Raspberry Pi rig over emulated devices, and the HIL plant server, injects
/// its fault at a stated tick and asserts: detected within the stated bound with the stated fault code, bridge
/// disabled from the trip tick on, fault recorded, telemetry intact up to the fault. The table in hil-tests/README.md
/// lists every scenario with its bound.
/// </summary>
public class FaultScenarioTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Calibration = 100;
    private const double Period = 1e-4;

    private static string ConfigJson(double duration) => $$"""
    {
      "rig": { "type": "sim" },
      "plant": { "preset": "Cont-SC-PermExDc-v0", "load": { "type": "polynomial", "a": 0, "b": 0.5, "c": 0, "j_load": 1e-4 } },
      "sensors": {
        "current": { "bits": 12, "amperes_per_count": 0.2, "zero_counts": 2048, "phases_sensed": 1 },
        "dc_link": { "bits": 12, "volts_per_count": 0.05 },
        "encoder": { "lines_per_revolution": 1024 }
      },
      "controller": { "type": "open-loop-voltage", "voltage": 10, "ramp_time": 0.1 },
      "reference": { "current": { "type": "constant", "value": 0 } },
      "limits": { "speed": 55, "dc_link_over_voltage": 75, "dc_link_under_voltage": 45, "encoder_check_current": 20,
                  "encoder_check_time": 0.01, "index_tolerance": 4, "rig_failures": 3, "controller_budget": 0.005, "watchdog_timeout": 2.0, "deadline_misses": 1000000,
                  "enforce_timing_in_lock_step": {{"false"}} },
      "timing": { "mode": "lock-step", "frequency": 10000, "duration": {{duration}}, "warmup_ticks": 100, "arming_warmup_ticks": 0 },
      "estimator": { "calibration_samples": {{Calibration}}, "max_offset_deviation": 50 },
      "telemetry": { "buffer_samples": 65536 },
      "seed": 5
    }
    """;

    private const string RaspberryPiRigJson = """
    { "type": "raspberry-pi", "machine": "dc", "emulate": true,
      "pwm": { "frequency_hz": 10000, "channels": [0, 1] },
      "gpio": { "enable_pin": 22, "gate_fault_pin": 23, "overcurrent_pin": 24 },
      "encoder": { "source": "gpio", "pin_a": 17, "pin_b": 27, "pin_z": 5 },
      "adc": { "type": "mcp3208", "clock_hz": 2000000, "current_channels": [0], "dc_link_channel": 1 } }
    """;

    /// <summary>The rig under test and the twin rig behind it (where faults are injected).</summary>
    private sealed class Setup : IDisposable
    {
        public required IRigIo Rig { get; init; }
        public required SimulatedRig Twin { get; init; }
        public PlantServer? Server { get; init; }
        public RemoteRig? Remote { get; init; }

        public void Dispose()
        {
            Rig.Dispose();
            Server?.Dispose();
        }
    }

    private static Setup Build(string kind, RuntimeConfig config, LinkImpairment? impairment = null)
    {
        SimulatedRig Twin() => SimulatedRigFactory.FromConfig(ConfigElement.Parse("scenario.json", """{ "type": "sim" }"""), config.Sensors, config.Seed, config.Plant);
        switch (kind)
        {
            case "sim":
            {
                SimulatedRig twin = Twin();
                return new Setup { Rig = twin, Twin = twin };
            }
            case "emulated-pi":
            {
                SimulatedRig twin = Twin();
                RaspberryPiRigSpec spec = RaspberryPiRigSpec.Read(ConfigElement.Parse("pi.json", RaspberryPiRigJson), config.Sensors);
                var board = new EmulatedBoard(spec, twin, 1024);
                return new Setup { Rig = new RaspberryPiRig(spec, board.CreateDevices(), board, 1024), Twin = twin };
            }
            default:
            {
                SimulatedRig twin = Twin();
                var server = new PlantServer(twin, 0);
                server.Start();
                var remote = new RemoteRig(new RemoteRigOptions
                {
                    Port = server.Port, TimeoutMs = 1000, RetransmitMs = 2, LinkLossTicks = 5, // generous wait: CI runs many suites at once Impairment = impairment ?? LinkImpairment.None,
                });
                return new Setup { Rig = remote, Twin = twin, Server = server, Remote = remote };
            }
        }
    }

    private sealed record Outcome(RunResult Result, ScenarioRig Rig, long InjectTick);

    private static Outcome Run(string kind, long injectTick, Action<Setup, FaultyController> inject, double duration = 0.4, LinkImpairment? impairment = null, bool enforceTiming = false)
    {
        string json = ConfigJson(duration);
        if (enforceTiming)
        {
            json = json.Replace("\"enforce_timing_in_lock_step\": false", "\"enforce_timing_in_lock_step\": true");
        }
        RuntimeConfig config = RuntimeConfig.Parse("scenario.json", json);
        using Setup setup = Build(kind, config, impairment);
        var controller = new FaultyController(ControllerFactory.Create(config.Controller, setup.Twin.Twin!.Motor, Period));
        var rig = new ScenarioRig(setup.Rig, Calibration + injectTick, () => inject(setup, controller));
        using var loop = new ControlLoop(config, rig, controller, setup.Twin.Twin!.Motor);
        loop.Open();
        Assert.True(loop.Calibrate(), "calibration failed");
        RunResult result = loop.Run();
        return new Outcome(result, rig, injectTick);
    }

    private void AssertDetected(Outcome o, long bound, params FaultCode[] codes)
    {
        RunResult r = o.Result;
        if (r.Faults.Length > 0)
        {
            output.WriteLine($"detected {r.Faults[0].Code} {r.Faults[0].Tick - o.InjectTick} ticks after injection (bound {bound})");
        }
        Assert.True(o.Rig.Injected, "the fault was never injected");
        Assert.NotEmpty(r.Faults);
        FaultRecord first = r.Faults[0];
        Assert.True(Array.IndexOf(codes, first.Code) >= 0, $"first fault {first.Code} at tick {first.Tick} (value {first.Value}, limit {first.Limit}); expected {string.Join("/", codes)} after tick {o.InjectTick}");
        Assert.InRange(first.Tick, o.InjectTick, o.InjectTick + bound);      // detected within the bound
        Assert.Equal(DriveState.Fault, r.FinalState);                          // recorded and latched
        long tripWrite = Calibration + first.Tick;
        Assert.True(o.Rig.BridgeAtWrite(Calibration + o.InjectTick - 1), "the bridge was running before the fault");
        for (long w = tripWrite; w < o.Rig.Writes; w++)
        {
            Assert.False(o.Rig.BridgeAtWrite(w), $"bridge enabled at write {w} after the trip at {tripWrite}");
        }
        Assert.True(o.Rig.DisableCalls >= 1, "DisableBridge was not called");
        Assert.Equal(0, r.TelemetryDropped);                                   // telemetry intact up to the fault
        Assert.True(r.TelemetryWritten >= first.Tick, $"telemetry has {r.TelemetryWritten} samples, the trip was at tick {first.Tick}");
    }

    public static TheoryData<string> Rigs => ["sim", "emulated-pi", "hil"];

    [Theory, MemberData(nameof(Rigs))]
    public void Encoder_disconnect_trips_encoder_no_counts(string rig) =>
        AssertDetected(Run(rig, 400, (s, _) => s.Twin.Sensors.Encoder!.Disconnected = true), 102, FaultCode.EncoderNoCounts);

    [Theory, MemberData(nameof(Rigs))]
    public void Small_encoder_count_glitch_trips_index_mismatch_at_the_next_index(string rig) =>
        // 6 spurious counts (> index_tolerance 4): invisible to the speed estimate, caught by the next index pulse
        // (at ~47 rad/s one revolution takes ~1340 ticks)
        AssertDetected(Run(rig, 3000, (s, _) => s.Twin.Sensors.Encoder!.InjectGlitch(6), duration: 0.45), 1400, FaultCode.EncoderIndexMismatch);

    [Theory, MemberData(nameof(Rigs))]
    public void Large_encoder_count_glitch_trips_over_speed_at_once(string rig) =>
        // 37 counts in one tick is a 567 rad/s impulse to the speed estimator: the speed trip (55 rad/s) fires next tick
        AssertDetected(Run(rig, 3000, (s, _) => s.Twin.Sensors.Encoder!.InjectGlitch(37), duration: 0.35), 2, FaultCode.OverSpeed);

    [Theory, MemberData(nameof(Rigs))]
    public void Adc_stuck_at_rail_trips_sensor_out_of_range(string rig) =>
        AssertDetected(Run(rig, 500, (s, _) => s.Twin.Sensors.CurrentChannel(0).StuckAtCounts = 4095), 2, FaultCode.CurrentSensorOutOfRange);

    [Theory, MemberData(nameof(Rigs))]
    public void Adc_saturation_trips_sensor_out_of_range(string rig) =>
        AssertDetected(Run(rig, 500, (s, _) => s.Twin.Sensors.CurrentChannel(0).ForcedRail = -1), 2, FaultCode.CurrentSensorOutOfRange);

    [Theory, MemberData(nameof(Rigs))]
    public void Current_offset_drift_trips_over_current(string rig) =>
        // 2·10⁵ counts/s from tick 500: the reading crosses the 252 A trip (1260 counts) within ~6.3 ms plus the true current
        AssertDetected(Run(rig, 500, (s, _) => { s.Twin.Sensors.CurrentChannel(0).OffsetDriftCountsPerSecond = 2e5; s.Twin.Sensors.CurrentChannel(0).DriftStartTime = s.Twin.Time; }), 70, FaultCode.OverCurrentPhaseA);

    [Theory, MemberData(nameof(Rigs))]
    public void Dc_link_sag_trips_under_voltage(string rig) =>
        AssertDetected(Run(rig, 500, (s, _) => s.Twin.Twin!.Disturbances.SupplyVoltageScale = 0.5), 2, FaultCode.DcLinkUnderVoltage);

    [Theory, MemberData(nameof(Rigs))]
    public void Dc_link_over_voltage_trips(string rig) =>
        AssertDetected(Run(rig, 500, (s, _) => s.Twin.Twin!.Disturbances.SupplyVoltageScale = 1.5), 2, FaultCode.DcLinkOverVoltage);

    [Theory, MemberData(nameof(Rigs))]
    public void Locked_rotor_trips_over_current_or_encoder(string rig) =>
        AssertDetected(Run(rig, 500, (s, _) => s.Twin.Twin!.Disturbances.LockedRotor = true), 102, FaultCode.OverCurrentPhaseA, FaultCode.EncoderNoCounts);

    [Theory, MemberData(nameof(Rigs))]
    public void Load_loss_trips_over_speed(string rig) =>
        AssertDetected(Run(rig, 2500, (s, _) => s.Twin.Twin!.Disturbances.LoadTorqueScale = 0, duration: 0.4), 800, FaultCode.OverSpeed);

    [Theory, MemberData(nameof(Rigs))]
    public void Controller_nan_trips_in_the_same_tick(string rig) =>
        AssertDetected(Run(rig, 500, (_, c) => c.EmitNaN = true), 1, FaultCode.ControllerOutputInvalid);

    [Theory, MemberData(nameof(Rigs))]
    public void Controller_over_budget_trips_overrun(string rig) =>
        AssertDetected(Run(rig, 500, (_, c) => c.SpinSeconds = 0.02, enforceTiming: true), 1, FaultCode.ControllerOverrun);

    [Fact]
    public void Hil_link_loss_reordering_and_delay_are_absorbed_by_lock_step()
    {
        // No trip: the lock-step link retransmits, so the run ends normally and the trajectory is the simulated rig's.
        Outcome clean = Run("sim", 1_000_000, (_, _) => { }, duration: 0.15);
        Outcome lossy = Run("hil", 1_000_000, (_, _) => { }, duration: 0.15,
            impairment: new LinkImpairment { DropProbability = 0.05, ReorderProbability = 0.05, DelayPackets = 0, Seed = 4 });
        Assert.Empty(lossy.Result.Faults);
        Assert.Equal(clean.Result.Ticks, lossy.Result.Ticks);
        Assert.Equal(clean.Result.Tracking.Length, lossy.Result.Tracking.Length);
        for (int i = 0; i < clean.Result.Tracking.Length; i++)
        {
            Assert.Equal(clean.Result.Tracking[i].Rmse, lossy.Result.Tracking[i].Rmse);
        }
    }

    [Fact]
    public void Hil_delayed_frames_are_absorbed_by_lock_step()
    {
        Outcome delayed = Run("hil", 1_000_000, (_, _) => { }, duration: 0.05, impairment: new LinkImpairment { DelayPackets = 1, Seed = 2 });
        Assert.Empty(delayed.Result.Faults);
    }

    [Fact]
    public void Hil_link_cut_trips_rig_io_within_link_loss_ticks() =>
        AssertDetected(Run("hil", 500, (s, _) => s.Remote!.Blackout = true), 6, FaultCode.RigIo, FaultCode.StaleFrame);

    /// <summary>
    /// PMSM under FOC speed control at 100 rad/s (300 rad/s electrical, p = 3) against a 0.3·ω N·m load; the open-phase
    /// detector runs a 20 ms RMS window (200 ticks) with a 2 A threshold.
    /// </summary>
    private static string PmsmConfigJson(double duration) => $$"""
    {
      "rig": { "type": "sim", "bridge_off": "diode_freewheel" },
      "plant": { "preset": "Cont-SC-PMSM-v0", "load": { "type": "polynomial", "a": 0, "b": 0.3, "c": 0, "j_load": 1e-3 } },
      "sensors": {
        "current": { "bits": 12, "amperes_per_count": 0.25, "zero_counts": 2048, "phases_sensed": 2 },
        "dc_link": { "bits": 12, "volts_per_count": 0.15 },
        "encoder": { "lines_per_revolution": 2048 }
      },
      "controller": { "type": "foc-speed" },
      "reference": { "speed": { "type": "constant", "value": 100 } },
      "limits": { "phase_current": 480, "vector_current": 480, "dc_link_over_voltage": 500, "dc_link_under_voltage": 300, "speed": 500,
                  "open_phase_current": 2, "open_phase_time": 0.02, "watchdog_timeout": 2.0, "deadline_misses": 1000000 },
      "timing": { "mode": "lock-step", "frequency": 10000, "duration": {{duration}}, "warmup_ticks": 100, "arming_warmup_ticks": 0 },
      "estimator": { "calibration_samples": {{Calibration}}, "max_offset_deviation": 50 },
      "telemetry": { "buffer_samples": 65536 },
      "seed": 5
    }
    """;

    /// <summary>The open-phase bound: one 200-tick RMS window after the lead opens (measured: 200), plus half a window of slack.</summary>
    private const long OpenPhaseBound = 300;

    [Theory]
    [InlineData("sim")]
    [InlineData("hil")]      // the emulated Pi rig in this suite is wired for a DC machine
    public void Phase_open_circuit_trips_within_one_and_a_half_windows(string kind)
    {
        RuntimeConfig config = RuntimeConfig.Parse("scenario.json", PmsmConfigJson(0.4));
        using Setup setup = Build(kind, config);
        IController controller = ControllerFactory.Create(config.Controller, setup.Twin.Twin!.Motor, Period);
        const long injectTick = 3000;
        var rig = new ScenarioRig(setup.Rig, Calibration + injectTick, () => setup.Twin.Twin!.Disturbances.OpenPhase = 1);
        using var loop = new ControlLoop(config, rig, controller, setup.Twin.Twin!.Motor);
        loop.Open();
        Assert.True(loop.Calibrate(), "calibration failed");
        RunResult result = loop.Run();
        AssertDetected(new Outcome(result, rig, injectTick), OpenPhaseBound, FaultCode.PhaseOpenCircuit);
    }

    [Fact]
    public void Plant_server_crash_trips_rig_io_within_link_loss_ticks() =>
        AssertDetected(Run("hil", 500, (s, _) => s.Server!.Kill()), 6, FaultCode.RigIo, FaultCode.StaleFrame);
}

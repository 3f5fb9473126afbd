using MotorRT.Contracts.Sensors;
using MotorRT.Hardware.Emulation;
using MotorRT.Hardware.Hil;
using MotorRT.Hardware.RaspberryPi;
using MotorRT.Runtime.Telemetry;

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
                  "dc_link_brown_out_voltage": 54, "dc_link_brown_out_time": 0.005, "dc_link_ripple": 6, "dc_link_ripple_time": 0.005,
                  "voltage_model_residual": 0.5, "voltage_model_time": 0.005,
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

    /// <summary>The Pi rig for the three-phase scenarios: three PWM legs, 2 or 3 current channels on the MCP3208.</summary>
    private static string RaspberryPiThreePhaseRigJson(int phasesSensed) => $$"""
    { "type": "raspberry-pi", "machine": "three_phase", "emulate": true,
      "pwm": { "frequency_hz": 10000, "channels": [0, 1, 2] },
      "gpio": { "enable_pin": 22, "gate_fault_pin": 23, "overcurrent_pin": 24 },
      "encoder": { "source": "gpio", "pin_a": 17, "pin_b": 27, "pin_z": 5 },
      "adc": { "type": "mcp3208", "clock_hz": 2000000, "current_channels": {{(phasesSensed == 3 ? "[0, 1, 2]" : "[0, 1]")}}, "dc_link_channel": 3 } }
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
        SimulatedRig Twin() => SimulatedRigFactory.FromConfig(RawSection.Parse("scenario.json", """{ "type": "sim" }"""), config.Sensors, config.Seed, config.Plant);
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
                string json = twin.Description.Machine == MachineKind.Dc ? RaspberryPiRigJson : RaspberryPiThreePhaseRigJson(config.Sensors.Current.PhasesSensed);
                RaspberryPiRigSpec spec = RaspberryPiRigSpec.Read(RawSection.Parse("pi.json", json), config.Sensors);
                int lines = config.Sensors.Encoder!.LinesPerRevolution;
                var board = new EmulatedBoard(spec, twin, lines);
                return new Setup { Rig = new RaspberryPiRig(spec, board.CreateDevices(), board, lines), Twin = twin };
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

    /// <summary>A scenario's outcome; <paramref name="AtCalibration"/>: the fault was there from the first calibration sample (bound counted from the first Running tick).</summary>
    private sealed record Outcome(RunResult Result, ScenarioRig Rig, long InjectTick, bool AtCalibration = false);

    private static Outcome Run(string kind, long injectTick, Action<Setup, FaultyController> inject, double duration = 0.4, LinkImpairment? impairment = null, bool enforceTiming = false,
        bool atCalibration = false, Action<Setup, long>? everyTick = null, Func<TelemetryRing, TelemetryWriter>? openWriter = null)
    {
        string json = ConfigJson(duration);
        if (enforceTiming)
        {
            json = json.Replace("\"enforce_timing_in_lock_step\": false", "\"enforce_timing_in_lock_step\": true");
        }
        RuntimeConfig config = RuntimeConfig.Parse("scenario.json", json);
        return RunConfig(kind, config, injectTick, inject, impairment, atCalibration, everyTick, openWriter);
    }

    private static Outcome RunConfig(string kind, RuntimeConfig config, long injectTick, Action<Setup, FaultyController> inject, LinkImpairment? impairment = null,
        bool atCalibration = false, Action<Setup, long>? everyTick = null, Func<TelemetryRing, TelemetryWriter>? openWriter = null)
    {
        using Setup setup = Build(kind, config, impairment);
        MotorParameters motor = config.Motor ?? setup.Twin.Twin!.Motor;   // the machine as the controller knows it
        var controller = new FaultyController(ControllerFactory.Create(config.Controller, motor, Period));
        Action<long>? hook = everyTick is null ? null : w => everyTick(setup, w - Calibration);
        var rig = new ScenarioRig(setup.Rig, atCalibration ? 0 : Calibration + injectTick, () => inject(setup, controller), hook);
        using var loop = new ControlLoop(config, rig, controller, motor);
        loop.Open();
        Assert.True(loop.Calibrate(), "calibration failed");
        RunResult result = openWriter is null ? loop.Run() : loop.Run(openWriter);
        return new Outcome(result, rig, atCalibration ? 0 : injectTick, atCalibration);
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
        if (!o.AtCalibration) Assert.True(o.Rig.BridgeAtWrite(Calibration + o.InjectTick - 1), "the bridge was running before the fault");
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
        // the voltage model sees the missing back-EMF (the speed estimate decays while the shaft still turns) first
        AssertDetected(Run(rig, 400, (s, _) => s.Twin.Sensors.Encoder!.Disconnected = true), 102, FaultCode.VoltageModelMismatch, FaultCode.EncoderNoCounts);

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
        AssertDetected(Run(rig, 500, (s, _) => { s.Twin.Sensors.CurrentChannel(0).OffsetDriftCountsPerSecond = 2e5; s.Twin.Sensors.CurrentChannel(0).DriftStartTime = s.Twin.Time; }), 70, FaultCode.VoltageModelMismatch, FaultCode.OverCurrentPhaseA);

    [Theory, MemberData(nameof(Rigs))]
    public void Dc_link_sag_trips_under_voltage(string rig) =>
        AssertDetected(Run(rig, 500, (s, _) => s.Twin.Twin!.Disturbances.SupplyVoltageScale = 0.5), 2, FaultCode.DcLinkUnderVoltage);

    [Theory, MemberData(nameof(Rigs))]
    public void Dc_link_over_voltage_trips(string rig) =>
        AssertDetected(Run(rig, 500, (s, _) => s.Twin.Twin!.Disturbances.SupplyVoltageScale = 1.5), 2, FaultCode.DcLinkOverVoltage);

    [Theory, MemberData(nameof(Rigs))]
    public void Locked_rotor_trips_over_current_or_encoder(string rig) =>
        AssertDetected(Run(rig, 500, (s, _) => s.Twin.Twin!.Disturbances.LockedRotor = true), 102, FaultCode.VoltageModelMismatch, FaultCode.OverCurrentPhaseA, FaultCode.EncoderNoCounts);

    [Theory, MemberData(nameof(Rigs))]
    public void Load_loss_trips_over_speed(string rig) =>
        AssertDetected(Run(rig, 2500, (s, _) => s.Twin.Twin!.Disturbances.LoadTorqueScale = 0, duration: 0.4), 800, FaultCode.OverSpeed);

    [Theory, MemberData(nameof(Rigs))]
    public void Controller_nan_trips_in_the_same_tick(string rig) =>
        AssertDetected(Run(rig, 500, (_, c) => c.EmitNaN = true), 1, FaultCode.ControllerOutputInvalid);

    [Theory, MemberData(nameof(Rigs))]
    public void Controller_over_budget_trips_overrun(string rig) =>
        AssertDetected(Run(rig, 500, (_, c) => c.SpinSeconds = 0.02, enforceTiming: true), 1, FaultCode.ControllerOverrun);

    [Theory, MemberData(nameof(Rigs))]
    public void Dc_link_brown_out_rides_through_a_short_dip_and_trips_a_sustained_one(string rig) =>
        // 85 % supply (51 V: above the 45 V under-voltage trip, below the 54 V brown-out level): a 3 ms dip from tick
        // 1500 is ridden through (ride-through 5 ms = 50 ticks); the sustained one from tick 3000 trips after 50 ticks.
        AssertDetected(Run(rig, 3000, (s, _) => s.Twin.Twin!.Disturbances.SupplyVoltageScale = 0.85,
            everyTick: (s, t) => { if (t == 1500) s.Twin.Twin!.Disturbances.SupplyVoltageScale = 0.85; else if (t == 1530) s.Twin.Twin!.Disturbances.SupplyVoltageScale = 1.0; }),
            BrownOutBound, FaultCode.DcLinkBrownOut);

    /// <summary>Brown-out bound: the 50-tick ride-through plus one tick for the PWM delay of the sample.</summary>
    private const long BrownOutBound = 52;

    [Theory, MemberData(nameof(Rigs))]
    public void Dc_link_ripple_trips_within_four_windows(string rig) =>
        // ±8 % of 60 V at 300 Hz (9.6 V peak-to-peak, inside 45–75 V and above the 54 V brown-out level): the 6 V p-p
        // limit over three consecutive 5 ms windows trips at the end of the third full window after the onset
        AssertDetected(Run(rig, 3000, (s, _) => { s.Twin.Twin!.Disturbances.SupplyRippleAmplitude = 0.08; s.Twin.Twin!.Disturbances.SupplyRippleFrequency = 300; }),
            RippleBound, FaultCode.DcLinkRipple);

    /// <summary>Ripple bound: four 50-tick windows (three over the limit, the onset anywhere in the one before) plus one tick.</summary>
    private const long RippleBound = 201;

    [Theory, MemberData(nameof(Rigs))]
    public void Pwm_channel_that_stops_updating_trips_the_voltage_model(string rig) =>
        // During the 0.1 s voltage ramp (0.1 V/ms) the armature duty freezes at tick 400: the applied voltage stays
        // at 4 V while the command rises, so the voltage-model residual crosses 0.5 V after ~5 ms plus the 5 ms filter lag
        AssertDetected(Run(rig, 400, (s, _) => s.Twin.FrozenDutyChannel = 0), PwmFrozenBound, FaultCode.VoltageModelMismatch);

    /// <summary>Frozen-PWM bound: 0.5 V at 0.1 V/ms is 50 ticks, the 5 ms filter lags 50, two ticks of PWM delay, slack.</summary>
    private const long PwmFrozenBound = 130;

    [Theory, MemberData(nameof(Rigs))]
    public void Current_sensor_gain_error_trips_the_voltage_model(string rig) =>
        // The armature current sensor reads 50 % high from the first calibration sample (wrong amplifier gain; the
        // offset calibration at zero current cannot see it): R·Δi and L·dΔi/dt break the armature equation as the current rises
        AssertDetected(Run(rig, 0, (s, _) => s.Twin.Sensors.CurrentChannel(0).GainFault = 0.5, atCalibration: true), GainErrorBound, FaultCode.VoltageModelMismatch);

    /// <summary>Gain-error bound (ticks from the first Running tick).</summary>
    private const long GainErrorBound = 300;

    [Theory, MemberData(nameof(Rigs))]
    public void Encoder_reversed_at_calibration_trips_encoder_direction(string rig) =>
        // A/B swapped from the start: the encoder speed is the negative of the back-EMF speed as soon as the shaft turns
        AssertDetected(Run(rig, 0, (s, _) => s.Twin.Sensors.Encoder!.Reversed = true, atCalibration: true), EncoderReversedBound, FaultCode.EncoderDirectionReversed);

    /// <summary>Reversed-encoder bound (ticks from the first Running tick): 2ψω crosses 0.5 V at ω ≈ 1.5 rad/s.</summary>
    private const long EncoderReversedBound = 300;

    [Theory, MemberData(nameof(Rigs))]
    public void Encoder_with_wrong_line_count_at_calibration_trips_the_voltage_model(string rig) =>
        // 512 lines fitted, 1024 configured: the encoder speed is half the true speed, so ψ·ω misses half the back-EMF
        AssertDetected(Run(rig, 0, (s, _) => s.Twin.Sensors.Encoder!.FittedLinesPerRevolution = 512, atCalibration: true), LineCountBound, FaultCode.VoltageModelMismatch);

    /// <summary>Wrong-line-count bound (ticks from the first Running tick): ψω/2 crosses 0.5 V at ω ≈ 6 rad/s.</summary>
    private const long LineCountBound = 600;

    /// <summary>A trace file's stream whose disk fills up: the write that would pass <paramref name="capacity"/> bytes throws.</summary>
    private sealed class FailingStream(long capacity) : Stream
    {
        private long _written;
        public long Lines { get; private set; }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _written;
        public override long Position { get => _written; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_written + buffer.Length > capacity) throw new IOException("No space left on device (test stream)");
            _written += buffer.Length;
            Lines += buffer.Count((byte)'\n');
        }
    }

    [Theory, MemberData(nameof(Rigs))]
    public void Telemetry_disk_failing_does_not_stop_control_and_the_loss_is_reported(string rig)
    {
        // A 1024-sample ring with lock-step back-pressure: the loop waits on the writer whenever the ring fills, so a
        // writer that stopped draining would hang the run. The disk "fills" after 200 kB (~1000 rows).
        string json = ConfigJson(0.4).Replace("\"buffer_samples\": 65536", "\"buffer_samples\": 1024");
        RuntimeConfig config = RuntimeConfig.Parse("scenario.json", json);
        var disk = new FailingStream(200_000);
        Outcome o = RunConfig(rig, config, 1_000_000, (_, _) => { }, openWriter: ring => new CsvTelemetryWriter(ring, disk));
        RunResult r = o.Result;
        Assert.Empty(r.Faults);                                   // control went on: no trip
        Assert.Equal(4000, r.Ticks);                              // the whole run
        Assert.Equal(DriveState.Idle, r.FinalState);
        Assert.Equal(0, r.TelemetryDropped);
        Assert.True(r.TelemetryLost > 0, "no sample counted as lost");
        Assert.Equal(r.TelemetryWritten, r.TelemetryRows + r.TelemetryLost);   // every sample written or counted
        Assert.Equal(disk.Lines - 1, r.TelemetryRows);                         // rows_written = the rows the file holds (header aside)
        Assert.Contains("No space left", r.TelemetryError);
        var summary = new MemoryStream();
        r.WriteJson(summary);
        using var doc = System.Text.Json.JsonDocument.Parse(summary.ToArray());
        System.Text.Json.JsonElement t = doc.RootElement.GetProperty("telemetry");
        Assert.Equal(r.TelemetryLost, t.GetProperty("lost").GetInt64());
        Assert.Contains("No space left", t.GetProperty("writer_error").GetString());
        output.WriteLine($"rows {r.TelemetryRows}, lost {r.TelemetryLost} of {r.TelemetryWritten}");
    }

    /// <summary>
    /// The DC scenario config under the tuned armature-current PI (steps 0 → 50 A at 10 ms → 100 A at 150 ms), the
    /// controller and supervisor knowing the nominal machine (<c>motor</c>), the twin's r_a and l_a scaled by
    /// <paramref name="scale"/>; <paramref name="voltageModel"/> false switches the voltage-model check off.
    /// </summary>
    private static RuntimeConfig MismatchedMotorConfig(double scale, bool voltageModel)
    {
        string json = ConfigJson(0.3)
            .Replace("\"warmup_ticks\": 100", "\"warmup_ticks\": 1000")   // allocation measured over the last 2000 ticks (JIT settled)
            .Replace("\"preset\": \"Cont-SC-PermExDc-v0\",", $"\"preset\": \"Cont-SC-PermExDc-v0\", \"motor_parameter\": {{ \"r_a\": {0.016 * scale}, \"l_a\": {1.9e-5 * scale} }},")
            .Replace("\"controller\": { \"type\": \"open-loop-voltage\", \"voltage\": 10, \"ramp_time\": 0.1 },",
                "\"controller\": { \"type\": \"pi-dc-current\" }, \"motor\": { \"type\": \"permex-dc\", \"r_a\": 0.016, \"l_a\": 1.9e-5, \"psi_e\": 0.165, \"j_rotor\": 0.025, " +
                "\"limits\": { \"current\": 210, \"voltage\": 60, \"speed\": 400, \"torque\": 38 } },")
            .Replace("\"reference\": { \"current\": { \"type\": \"constant\", \"value\": 0 } },",
                "\"reference\": { \"current\": { \"type\": \"steps\", \"times\": [0.0, 0.01, 0.15], \"values\": [0.0, 50.0, 100.0] } },");
        if (!voltageModel) json = json.Replace("\"voltage_model_residual\": 0.5", "\"voltage_model_residual\": 0");
        return RuntimeConfig.Parse("scenario.json", json);
    }

    [Theory, MemberData(nameof(Rigs))]
    public void Motor_parameters_off_by_two_trip_the_voltage_model_or_the_tuned_controller_stays_stable(string rig)
    {
        // Nominal twin: no fault, the reference tracking of the tuned PI.
        Outcome nominal = RunConfig(rig, MismatchedMotorConfig(1.0, voltageModel: true), 1_000_000, (_, _) => { });
        Assert.Empty(nominal.Result.Faults);
        // The new checks (voltage model, brown-out, ripple) armed: the loop thread still allocates nothing per tick.
        if (rig == "sim") Assert.Equal(0, nominal.Result.AllocatedBytesAfterWarmup);
        // r_a and l_a 2× the nominal: the supervisor's armature model no longer holds (R·i alone is 0.8 V off at 50 A).
        Outcome tripped = RunConfig(rig, MismatchedMotorConfig(2.0, voltageModel: true), 1_000_000, (_, _) => { });
        Assert.NotEmpty(tripped.Result.Faults);
        Assert.Equal(FaultCode.VoltageModelMismatch, tripped.Result.Faults[0].Code);
        Assert.InRange(tripped.Result.Faults[0].Tick, 0, MismatchedMotorBound);
        Assert.Equal(DriveState.Fault, tripped.Result.FinalState);
        // The same with the voltage model off: the PI tuned for the nominal machine stays stable on the 2× machine,
        // its tracking RMSE within 2× of the nominal run's and no other check trips.
        Outcome off = RunConfig(rig, MismatchedMotorConfig(2.0, voltageModel: false), 1_000_000, (_, _) => { });
        Assert.Empty(off.Result.Faults);
        Assert.Equal(3000, off.Result.Ticks);
        double rmseNominal = nominal.Result.Tracking[0].Rmse, rmseOff = off.Result.Tracking[0].Rmse;
        output.WriteLine($"voltage model trips at tick {tripped.Result.Faults[0].Tick}; current RMSE nominal {rmseNominal:G4} A, 2× machine {rmseOff:G4} A, max |e| {off.Result.Tracking[0].MaxAbs:G4} A");
        Assert.True(rmseOff <= 2 * rmseNominal, $"tracking RMSE {rmseOff} A on the 2× machine, {rmseNominal} A nominal");
    }

    /// <summary>Bound for the 2×-parameter trip, in ticks from the first Running tick (the 50 A step is at tick 100).</summary>
    private const long MismatchedMotorBound = 300;

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
    private static string PmsmConfigJson(double duration, int phasesSensed = 2) => $$"""
    {
      "rig": { "type": "sim", "bridge_off": "diode_freewheel" },
      "plant": { "preset": "Cont-SC-PMSM-v0", "load": { "type": "polynomial", "a": 0, "b": 0.3, "c": 0, "j_load": 1e-3 } },
      "sensors": {
        "current": { "bits": 12, "amperes_per_count": 0.25, "zero_counts": 2048, "phases_sensed": {{phasesSensed}} },
        "dc_link": { "bits": 12, "volts_per_count": 0.15 },
        "encoder": { "lines_per_revolution": 2048 }
      },
      "controller": { "type": "foc-speed" },
      "reference": { "speed": { "type": "constant", "value": 100 } },
      "limits": { "phase_current": 480, "vector_current": 480, "dc_link_over_voltage": 500, "dc_link_under_voltage": 300, "speed": 500,
                  "open_phase_current": 2, "open_phase_time": 0.02, "current_sum": 3, "current_sum_time": 0.005,
                  "speed_following_error": 50, "speed_following_time": 0.05, "watchdog_timeout": 2.0, "deadline_misses": 1000000 },
      "timing": { "mode": "lock-step", "frequency": 10000, "duration": {{duration}}, "warmup_ticks": 100, "arming_warmup_ticks": 0 },
      "estimator": { "calibration_samples": {{Calibration}}, "max_offset_deviation": 50 },
      "telemetry": { "buffer_samples": 65536 },
      "seed": 5
    }
    """;

    /// <summary>The open-phase bound: one 200-tick RMS window after the lead opens (measured: 200), plus half a window of slack.</summary>
    private const long OpenPhaseBound = 300;

    [Theory, MemberData(nameof(Rigs))]
    public void Phase_open_circuit_trips_within_one_and_a_half_windows(string kind) =>
        AssertDetected(RunConfig(kind, RuntimeConfig.Parse("scenario.json", PmsmConfigJson(0.4)), 3000, (s, _) => s.Twin.Twin!.Disturbances.OpenPhase = 1),
            OpenPhaseBound, FaultCode.PhaseOpenCircuit);

    [Theory, MemberData(nameof(Rigs))]
    public void Phase_order_swapped_trips_the_speed_following_error(string kind) =>
        // Leads b and c swapped between the converter (and its sensors) and the machine from the start: the FOC's
        // current frame turns against the rotor, the drive cannot follow its 100 rad/s reference
        AssertDetected(RunConfig(kind, RuntimeConfig.Parse("scenario.json", PmsmConfigJson(0.4)), 0, (s, _) => s.Twin.PhaseOrderSwapped = true, atCalibration: true),
            PhaseSwapBound, FaultCode.SpeedFollowingError);

    /// <summary>Phase-swap bound (ticks from the first Running tick).</summary>
    private const long PhaseSwapBound = 2000;

    [Theory, MemberData(nameof(Rigs))]
    public void Current_sensor_gain_error_with_three_sensors_trips_the_current_sum(string kind) =>
        // All three phases sensed; phase a's sensor reads 30 % high from tick 3000 (steady at 100 rad/s)
        AssertDetected(RunConfig(kind, RuntimeConfig.Parse("scenario.json", PmsmConfigJson(0.4, phasesSensed: 3)), 3000, (s, _) => s.Twin.Sensors.CurrentChannel(0).GainFault = 0.3),
            CurrentSumBound, FaultCode.CurrentSumMismatch);

    /// <summary>Current-sum bound.</summary>
    private const long CurrentSumBound = 200;

    [Fact]
    public void Plant_server_crash_trips_rig_io_within_link_loss_ticks() =>
        AssertDetected(Run("hil", 500, (s, _) => s.Server!.Kill()), 6, FaultCode.RigIo, FaultCode.StaleFrame);
}

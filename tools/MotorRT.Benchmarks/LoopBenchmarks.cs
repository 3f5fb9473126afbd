using BenchmarkDotNet.Attributes;
using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Loop;
using MotorRT.Runtime.Rigs;
using MotorRT.Sim.Rig;

namespace MotorRT.Benchmarks;

/// <summary>
/// The control loop's own overhead per tick (preset → read → signal chain → references → supervisor → write →
/// tracking → telemetry sample), with a controller that does nothing and a rig with no plant
/// (<see cref="ConstantFrameRig"/>); and the full closed-loop tick against the twin (simulated rig with sensors,
/// RK4 plant step, PI current loop, supervisor, telemetry) — lock-step speed = 100 µs / tick time at 10 kHz.
/// Lock-step, so no sleeping: each invocation runs 10 000 ticks.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class LoopBenchmarks
{
    private const int Ticks = 10_000;
    private ControlLoop _loop = null!;
    private ControlLoop _twin = null!;

    private sealed class NoController : IController
    {
        public string Name => "none";
        public ControllerStatus Status => ControllerStatus.Ok;
        public void Reset() { }
        public void Compute(in MotorObservation observation, ref ConverterCommand command) => command.BridgeEnable = true;
    }

    [GlobalSetup]
    public void Setup()
    {
        const string json = """
            { "rig": { "type": "constant" },
              "sensors": { "current": { "amperes_per_count": 0.15, "zero_counts": 2048, "phases_sensed": 1 }, "dc_link": { "volts_per_count": 0.025 },
                           "encoder": { "lines_per_revolution": 1024 } },
              "motor": { "type": "permex-dc", "r_a": 0.016, "l_a": 1.9e-5, "psi_e": 0.165, "j_rotor": 0.025,
                         "limits": { "current": 210, "voltage": 60, "speed": 400, "torque": 38 } },
              "controller": { "type": "none" }, "reference": { "current": { "type": "sine", "amplitude": 10, "frequency": 50 } },
              "timing": { "frequency": 10000, "duration": 0, "mode": "real-time", "sustained_low_latency": false },
              "telemetry": { "decimation": 1 } }
            """;
        RuntimeConfig config = RuntimeConfig.Parse("bench.json", json) with { Timing = new TimingConfig { Frequency = 10_000, Duration = 1e6, Mode = LoopMode.LockStep, SustainedLowLatency = false, MeasureControllerTime = false } };
        var frame = new RawSensorFrame { CurrentCountsA = 2100, DcLinkCounts = 2400, EncoderCount = 100, HallState = -1 };
        var rig = new ConstantFrameRig(new RigDescription { Name = "constant", Machine = MachineKind.Dc, ConverterChannels = 1, PwmPeriod = 1e-4, EncoderLinesPerRevolution = 1024 }, frame);
        _loop = new ControlLoop(config, rig, new NoController(), config.Motor!);
        _loop.Open();
        _loop.Calibrate();
        _loop.Start();

        const string twinJson = """
            { "rig": { "type": "sim", "plant": { "preset": "Cont-CC-PermExDc-v0", "load": { "type": "polynomial", "a": 0.5, "b": 0.05, "j_load": 0.05 } } },
              "sensors": { "current": { "amperes_per_count": 0.15, "zero_counts": 2048, "phases_sensed": 1 }, "dc_link": { "volts_per_count": 0.025 },
                           "encoder": { "lines_per_revolution": 1024 } },
              "controller": { "type": "pi-dc-current" }, "reference": { "current": { "type": "sine", "offset": 20, "amplitude": 5, "frequency": 20 } },
              "timing": { "frequency": 10000, "duration": 1000000, "mode": "lock-step", "warmup_ticks": 0, "measure_controller_time": false },
              "telemetry": { "buffer_samples": 1024, "lock_step_backpressure": false }, "estimator": { "calibration_samples": 100 } }
            """;
        RuntimeConfig twinConfig = RuntimeConfig.Parse("bench-twin.json", twinJson);
        SimulatedRig simRig = SimulatedRigFactory.FromConfig(twinConfig.Rig, twinConfig.Sensors, 1, twinConfig.Plant);
        var pi = MotorRT.Runtime.ControllerFactory.Create(twinConfig.Controller, simRig.Twin!.Motor, twinConfig.Timing.Period);
        _twin = new ControlLoop(twinConfig, simRig, pi, simRig.Twin.Motor);
        _twin.Open();
        _twin.Calibrate();
        _twin.Start();
    }

    [Benchmark(OperationsPerInvoke = Ticks)]
    public void LoopTickPiCurrentAgainstTwin() => _twin.RunTicks(Ticks);

    [Benchmark(OperationsPerInvoke = Ticks)]
    public void LoopTickWithoutController() => _loop.RunTicks(Ticks);

    [GlobalCleanup]
    public void Cleanup()
    {
        _loop.Finish();
        _twin.Finish();
    }
}

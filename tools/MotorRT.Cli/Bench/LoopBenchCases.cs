using System.Diagnostics;
using MotorRT.Cli.Simulate;
using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Loop;
using MotorRT.Runtime.Rigs;

namespace MotorRT.Cli.Bench;

/// <summary>
/// Runtime loop cases (kind "loop", ns per tick, lock-step): the loop's own overhead with no controller and no plant,
/// and full closed-loop ticks against the twin (rig + sensors + plant step + controller + supervisor + telemetry):
/// real-time factor at 10 kHz = 100 000 ns / tick_ns. Real-time jitter is measured by <c>motorrt jitter</c>.
/// </summary>
internal static class LoopBenchCases
{
    /// <summary>The cases.</summary>
    public static IEnumerable<BenchCase> Create()
    {
        yield return new BenchCase("loop-overhead-no-controller", "loop", 2_000_000, RunOverhead);
        yield return new BenchCase("loop-pmdc-pi-current-twin", "loop", 400_000, n => RunTwin(PmdcJson, n));
        yield return new BenchCase("loop-pmsm-foc-speed-twin", "loop", 200_000, n => RunTwin(PmsmJson, n));
    }

    private const string Sensors = """
        "sensors": { "current": { "bits": 12, "amperes_per_count": 0.15, "zero_counts": 2048, "phases_sensed": PHASES },
                     "dc_link": { "bits": 12, "volts_per_count": 0.15 }, "encoder": { "lines_per_revolution": 1024 } },
        """;

    private const string Common = """
        "timing": { "frequency": 10000, "duration": 1000000, "mode": "lock-step", "warmup_ticks": 0, "measure_controller_time": false },
        "telemetry": { "decimation": 1, "buffer_samples": 1024, "lock_step_backpressure": false },
        "estimator": { "calibration_samples": 100 }, "seed": 1 }
        """;

    private static readonly string PmdcJson = """
        { "rig": { "type": "sim", "plant": { "preset": "Cont-CC-PermExDc-v0", "load": { "type": "polynomial", "a": 0.5, "b": 0.05, "j_load": 0.05 } } },
        """ + Sensors.Replace("PHASES", "1") + """
          "controller": { "type": "pi-dc-current" }, "reference": { "current": { "type": "sine", "offset": 20, "amplitude": 5, "frequency": 20 } },
        """ + Common;

    private static readonly string PmsmJson = """
        { "rig": { "type": "sim", "plant": { "preset": "Cont-SC-PMSM-v0" } },
        """ + Sensors.Replace("PHASES", "2").Replace("0.15, \"zero_counts\"", "0.25, \"zero_counts\"") + """
          "controller": { "type": "foc-speed" }, "reference": { "speed": { "type": "sine", "offset": 150, "amplitude": 20, "frequency": 2 } },
          "limits": { "dc_link_over_voltage": 600 },
        """ + Common;

    private sealed class NoController : IController
    {
        public string Name => "none";
        public ControllerStatus Status => ControllerStatus.Ok;
        public void Reset() { }
        public void Compute(in MotorObservation observation, ref ConverterCommand command) => command.BridgeEnable = true;
    }

    private static ControlLoop? _overhead;

    private static double RunOverhead(long n)
    {
        if (_overhead is null)
        {
            RuntimeConfig config = RuntimeConfig.Parse("bench-overhead.json", """
                { "rig": { "type": "constant" },
                  "sensors": { "current": { "amperes_per_count": 0.15, "zero_counts": 2048, "phases_sensed": 1 }, "dc_link": { "volts_per_count": 0.025 },
                               "encoder": { "lines_per_revolution": 1024 } },
                  "motor": { "type": "permex-dc", "r_a": 0.016, "l_a": 1.9e-5, "psi_e": 0.165, "j_rotor": 0.025,
                             "limits": { "current": 210, "voltage": 60, "speed": 400, "torque": 38 } },
                  "controller": { "type": "none" }, "reference": { "current": { "type": "sine", "amplitude": 10, "frequency": 50 } },
                  "timing": { "frequency": 10000, "duration": 1000000, "mode": "lock-step", "warmup_ticks": 0, "measure_controller_time": false,
                              "sustained_low_latency": false },
                  "telemetry": { "buffer_samples": 1024, "lock_step_backpressure": false } }
                """);
            var frame = new RawSensorFrame { CurrentCountsA = 2100, DcLinkCounts = 2400, EncoderCount = 100, HallState = -1 };
            var rig = new ConstantFrameRig(new RigDescription { Name = "constant", Machine = MachineKind.Dc, ConverterChannels = 1, PwmPeriod = 1e-4, EncoderLinesPerRevolution = 1024 }, frame);
            _overhead = new ControlLoop(config, rig, new NoController(), config.Motor!);
            _overhead.Open();
            _overhead.Calibrate();
            _overhead.Start();
            _overhead.RunTicks(200_000);
        }
        long t0 = Stopwatch.GetTimestamp();
        _overhead.RunTicks(n);
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    private static readonly Dictionary<string, Simulation> Twins = [];

    private static double RunTwin(string json, long n)
    {
        if (!Twins.TryGetValue(json, out Simulation? sim))
        {
            sim = Simulation.Create(RuntimeConfig.Parse("bench-twin.json", json));
            sim.Loop.Open();
            if (!sim.Loop.Calibrate()) throw new InvalidOperationException("bench twin failed to calibrate");
            sim.Loop.Start();
            sim.Loop.RunTicks(50_000);
            Twins[json] = sim;
        }
        long t0 = Stopwatch.GetTimestamp();
        sim.Loop.RunTicks(n);
        double s = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        if (sim.Loop.State != Runtime.Safety.DriveState.Running)
        {
            throw new InvalidOperationException($"bench twin left Running: {sim.Loop.States.LatchedFault}");
        }
        return s;
    }
}

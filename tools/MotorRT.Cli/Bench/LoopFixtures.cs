using MotorRT.Contracts;
using MotorRT.Runtime.Composition;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Loop;
using MotorRT.Runtime.Rigs;
using MotorRT.Sim.Rig;

namespace MotorRT.Bench;

/// <summary>
/// The loops both benchmark front ends measure (<c>motorrt bench</c>'s loop cases and tools/MotorRT.Benchmarks, which
/// compiles this file too), so the two report the same workload: the loop's own overhead (a controller that does
/// nothing, a rig with no plant) and closed loops on the twin composed by the one <see cref="DriveBuilder"/>. Every
/// loop comes back opened, calibrated, Running and lock-step.
/// </summary>
internal static class LoopFixtures
{
    private const string Sensors = """
        "sensors": { "current": { "bits": 12, "amperes_per_count": 0.15, "zero_counts": 2048, "phases_sensed": PHASES },
                     "dc_link": { "bits": 12, "volts_per_count": 0.15 }, "encoder": { "lines_per_revolution": 1024 } },
        """;

    private const string Common = """
        "timing": { "frequency": 10000, "duration": 1000000, "mode": "lock-step", "warmup_ticks": 0, "measure_controller_time": false,
                    "sustained_low_latency": false },
        "telemetry": { "decimation": 1, "buffer_samples": 1024, "lock_step_backpressure": false },
        "estimator": { "calibration_samples": 100 }, "seed": 1 }
        """;

    /// <summary>GEM's PermExDc (Cont-CC preset, polynomial load) under the cascaded PI current loop, 20 A ± 5 A at 20 Hz.</summary>
    public static readonly string PmdcPiCurrent = """
        { "rig": { "type": "sim", "plant": { "preset": "Cont-CC-PermExDc-v0", "load": { "type": "polynomial", "a": 0.5, "b": 0.05, "j_load": 0.05 } } },
        """ + Sensors.Replace("PHASES", "1") + """
          "controller": { "type": "pi-dc-current" }, "reference": { "current": { "type": "sine", "offset": 20, "amplitude": 5, "frequency": 20 } },
        """ + Common;

    /// <summary>GEM's PMSM (Cont-SC preset) under the FOC speed loop, 150 rad/s ± 20 rad/s at 2 Hz.</summary>
    public static readonly string PmsmFocSpeed = """
        { "rig": { "type": "sim", "plant": { "preset": "Cont-SC-PMSM-v0" } },
        """ + Sensors.Replace("PHASES", "2").Replace("0.15, \"zero_counts\"", "0.25, \"zero_counts\"") + """
          "controller": { "type": "foc-speed" }, "reference": { "speed": { "type": "sine", "offset": 150, "amplitude": 20, "frequency": 2 } },
          "limits": { "dc_link_over_voltage": 600 },
        """ + Common;

    /// <summary>The loop with no controller work and no plant: a DC machine's constant raw frame.</summary>
    public static ControlLoop Overhead()
    {
        RuntimeConfig config = RuntimeConfig.Parse("bench-overhead.json", """
            { "rig": { "type": "constant" },
            """ + Sensors.Replace("PHASES", "1") + """
              "motor": { "type": "permex-dc", "r_a": 0.016, "l_a": 1.9e-5, "psi_e": 0.165, "j_rotor": 0.025,
                         "limits": { "current": 210, "voltage": 60, "speed": 400, "torque": 38 } },
              "controller": { "type": "none" }, "reference": { "current": { "type": "sine", "amplitude": 10, "frequency": 50 } },
            """ + Common);
        var frame = new RawSensorFrame { CurrentCountsA = 2100, DcLinkCounts = 400, EncoderCount = 100, HallState = -1 };
        var rig = new ConstantFrameRig(new RigDescription { Name = "constant", Machine = MachineKind.Dc, ConverterChannels = 1, PwmPeriod = 1e-4, EncoderLinesPerRevolution = 1024 }, frame);
        return Started(new ControlLoop(config, rig, new NoController(), config.Motor!));
    }

    /// <summary>The drive of <paramref name="json"/> (a rig of type "sim") on the twin.</summary>
    public static ControlLoop Twin(string json) =>
        Started(DriveBuilder.Build(RuntimeConfig.Parse("bench-twin.json", json), DriveRegistry.Create([new SimRigKind()])).Loop);

    private static ControlLoop Started(ControlLoop loop)
    {
        loop.Open();
        if (!loop.Calibrate()) throw new InvalidOperationException("bench loop failed to calibrate");
        loop.Start();
        return loop;
    }

    /// <summary>Enables the bridge and does nothing else: the loop's own cost.</summary>
    private sealed class NoController : IController
    {
        public string Name => "none";
        public ControllerStatus Status => ControllerStatus.Ok;
        public void Reset() { }
        public void Compute(in MotorObservation observation, ref ConverterCommand command) => command.BridgeEnable = true;
    }
}

using MotorRT.Runtime.Composition;

namespace MotorRT.HilTests;

/// <summary>
/// A config's drive on the twin, composed as <c>motorrt simulate</c> composes it (the one <see cref="DriveBuilder"/>,
/// over the twin's rig kind): the loop, the simulated rig (sensor faults: <c>Rig.Sensors</c>) and the twin behind it
/// (plant faults: <c>Twin.Disturbances</c>). The loop owns the rig: dispose the loop.
/// </summary>
internal sealed record TwinDrive(ControlLoop Loop, SimulatedRig Rig, PhysicalSystem Twin, IController Controller)
{
    private static readonly DriveRegistry Registry = DriveRegistry.Create([new SimRigKind()]);

    /// <summary>Composes the drive of <paramref name="config"/> (its rig must be of type "sim").</summary>
    public static TwinDrive Build(RuntimeConfig config)
    {
        Drive d = DriveBuilder.Build(config, Registry);
        var rig = (SimulatedRig)d.Rig;
        return new TwinDrive(d.Loop, rig, rig.Twin!, d.Controller);
    }

    /// <summary>
    /// The config of a GEM PermExDc twin (<c>Cont-CC-PermExDc-v0</c>, 12-bit sensors, 1024-line encoder) under the
    /// auto-tuned <c>pi-dc-current</c> loop: <paramref name="load"/>, <paramref name="limits"/> and <paramref name="timing"/>
    /// are JSON objects, <paramref name="current"/> the constant reference in A.
    /// </summary>
    public static string PermExDcCurrentJson(string load, double current, string limits, string timing, int seed) => $$"""
        {
          "rig": { "type": "sim", "plant": { "preset": "Cont-CC-PermExDc-v0", "load": {{load}} } },
          "sensors": {
            "current": { "bits": 12, "amperes_per_count": 0.15, "zero_counts": 2048, "phases_sensed": 1 },
            "dc_link": { "bits": 12, "volts_per_count": 0.025 },
            "encoder": { "lines_per_revolution": 1024 }
          },
          "controller": { "type": "pi-dc-current" },
          "reference": { "current": { "type": "constant", "value": {{current}} } },
          "limits": {{limits}},
          "timing": {{timing}},
          "estimator": { "calibration_samples": 50 },
          "seed": {{seed}}
        }
        """;

    /// <summary>Composes, opens and calibrates the drive (calibration must succeed).</summary>
    public static TwinDrive Calibrated(RuntimeConfig config)
    {
        TwinDrive d = Build(config);
        d.Loop.Open();
        Assert.True(d.Loop.Calibrate(), "calibration failed");
        return d;
    }
}

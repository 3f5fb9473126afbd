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

    /// <summary>Composes, opens and calibrates the drive (calibration must succeed).</summary>
    public static TwinDrive Calibrated(RuntimeConfig config)
    {
        TwinDrive d = Build(config);
        d.Loop.Open();
        Assert.True(d.Loop.Calibrate(), "calibration failed");
        return d;
    }
}

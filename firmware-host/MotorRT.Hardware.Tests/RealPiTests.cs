using MotorRT.Contracts;
using MotorRT.Hardware.RaspberryPi;

namespace MotorRT.Hardware.Tests;

/// <summary>A fact that runs only on a Raspberry Pi (device-tree model), skipped with the reason elsewhere.</summary>
public sealed class RaspberryPiFactAttribute : FactAttribute
{
    public RaspberryPiFactAttribute()
    {
        if (!RaspberryPiDevices.IsRaspberryPi())
        {
            Skip = "needs a Raspberry Pi with SPI, hardware PWM (pwm-2chan) and the reference wiring; the same code runs against emulated devices in RaspberryPiRigTests";
        }
    }
}

/// <summary>On a real Pi: the devices open, a frame is read with the bridge off, and the enable line is left inactive.</summary>
public class RealPiTests
{
    [RaspberryPiFact]
    public void Real_devices_open_read_a_frame_and_leave_the_bridge_off()
    {
        var sensors = TestRigs.Sensors(MachineKind.Dc);
        RaspberryPiRigSpec spec = RaspberryPiRigTests.Spec(RaspberryPiRigTests.DcRig.Replace("mcp3008", "mcp3208").Replace("3600000", "1000000"), sensors);
        using var rig = new RaspberryPiRig(spec, RaspberryPiDevices.OpenReal(spec), null, sensors.Encoder!.LinesPerRevolution);
        Assert.False(rig.IsLockStep);
        rig.Open();
        var f = default(RawSensorFrame);
        Assert.Equal(RigIoStatus.Ok, rig.Read(ref f));
        Assert.InRange(f.DcLinkCounts, 0, 4095);
        var off = default(ConverterCommand);
        off.SetSafe();
        Assert.Equal(RigIoStatus.Ok, rig.Write(off));
        Assert.False(rig.BridgeEnabled);
    }
}

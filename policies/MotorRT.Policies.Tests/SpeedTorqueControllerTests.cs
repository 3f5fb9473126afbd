using MotorRT.Contracts;
using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.Setpoint;

namespace MotorRT.Policies.Tests;

public class SpeedTorqueControllerTests
{
    private static IController Make(string extra = "")
    {
        var families = new ControllerFamilies(new SpeedTorqueFamily());
        RawSection s = RawSection.Parse("c.json", "{ \"type\": \"pi-speed-torque\"" + extra + " }");
        return families.Create(s, TestMotors.PermExDc, 1e-3);
    }

    [Fact]
    public void Emits_a_torque_set_point_with_the_bridge_enabled()
    {
        IController c = Make(", \"kp\": 0.5, \"ki\": 10, \"speed_reference_filter\": false");
        Assert.Equal(CommandMode.TorqueSetpoint, c.CommandMode);
        c.Reset();
        var obs = new MotorObservation { MechanicalSpeed = 0, Reference = new References { Speed = 4 } };
        var cmd = default(ConverterCommand);
        cmd.SetSafe();
        c.Compute(in obs, ref cmd);
        Assert.Equal(CommandMode.TorqueSetpoint, cmd.Mode);
        Assert.Equal(2.0, cmd.TorqueSetpoint, 12);            // K_p·e, integrator still 0
        Assert.True(cmd.BridgeEnable);
        c.Compute(in obs, ref cmd);
        Assert.Equal(2.0 + 1e-3 * 10 * 4, cmd.TorqueSetpoint, 12);
        Assert.Equal(ControllerStatus.Ok, c.Status);
    }

    [Fact]
    public void Limits_to_the_torque_limit_and_reports_saturation()
    {
        IController c = Make(", \"kp\": 100, \"torque_limit\": 3");
        c.Reset();
        var obs = new MotorObservation { Reference = new References { Speed = -50 } };
        var cmd = default(ConverterCommand);
        c.Compute(in obs, ref cmd);
        Assert.Equal(-3.0, cmd.TorqueSetpoint);
        Assert.Equal(ControllerStatus.Saturated, c.Status);
    }

    [Fact]
    public void Symmetric_optimum_gains_from_the_inertia()
    {
        var c = (SpeedTorqueController)Make(", \"load_inertia\": 0.05");
        double j = TestMotors.PermExDc.RotorInertia + 0.05, sigma = 1e-3 + 1e-3;
        Assert.Equal(j / (4 * sigma), c.Kp, 9);
        Assert.Equal(c.Kp / (16 * sigma), c.Ki, 9);
    }

    [Theory]
    [InlineData("pi-speed-torque")]
    [InlineData("pi-position-torque")]
    public void Zero_allocations_per_tick_with_the_reference_filter_and_saturation(string type)
    {
        var families = new ControllerFamilies(new SpeedTorqueFamily());
        IController c = families.Create(RawSection.Parse("c.json", $"{{ \"type\": \"{type}\", \"torque_limit\": 3 }}"), TestMotors.PermExDc, 1e-3);
        c.Reset();
        var obs = new MotorObservation { Period = 1e-3 };
        var cmd = default(ConverterCommand);
        for (int k = 0; k < 1000; k++) Step(c, ref obs, ref cmd, k);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 1000; k < 11_000; k++) Step(c, ref obs, ref cmd, k);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(cmd.BridgeEnable);
    }

    /// <summary>
    /// One tick on a speed reference that steps between ±200 rad/s every 500 ticks (into and out of the torque limit);
    /// the position reference steps between 20 and −3 rad with the position halfway there (speed limit and braking curve).
    /// </summary>
    private static void Step(IController c, ref MotorObservation obs, ref ConverterCommand cmd, int k)
    {
        obs.Tick = k;
        obs.Time = k * 1e-3;
        obs.Reference.Speed = (k / 500) % 2 == 0 ? 200 : -200;
        obs.MechanicalSpeed = 0.9 * obs.Reference.Speed * ((k % 500) / 500.0);
        obs.Reference.Position = (k / 500) % 2 == 0 ? 20 : -3;
        obs.MechanicalPosition = 0.5 * obs.Reference.Position * ((k % 500) / 500.0);
        cmd.SetSafe();
        c.Compute(in obs, ref cmd);
    }
}

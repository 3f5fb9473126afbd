using MotorRT.Contracts;
using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Configuration;
using MotorRT.Policies.Cascades;
using MotorRT.Policies.Foc;
using MotorRT.Policies.Position;
using MotorRT.Policies.Setpoint;
using MotorRT.Policies.Tuning;

namespace MotorRT.Policies.Tests;

public class PositionControllerTests
{
    private static readonly ControllerFamilies Families = new(new DcCascadeFamily(), new FocFamily(), new SpeedTorqueFamily());

    private static IController Make(string type, string motor, double period, string extra = "") =>
        Families.Create(RawSection.Parse("c.json", $"{{ \"type\": \"{type}\"{extra} }}"), ControllerTests.Motor(motor), period);

    [Fact]
    public void Stage_is_a_P_law_under_the_speed_limit_and_the_braking_curve()
    {
        var s = new PositionStage(kp: 10, period: 1e-3, speedLimit: 50, decelerationLimit: 1000, feedForward: false);
        Assert.Equal(10 * 0.5, s.Update(1.0, 0.5), 12);                   // linear: √(2·1000·0.5) = 31.6 > 5
        Assert.False(s.Limited);
        Assert.Equal(20, s.Update(2.0, 0.0), 12);                         // K·e = 20 below the braking curve √4000 = 63
    }

    [Fact]
    public void Stage_limits_to_the_braking_curve_and_the_speed_limit()
    {
        var s = new PositionStage(kp: 100, period: 1e-3, speedLimit: 50, decelerationLimit: 200, feedForward: false);
        // e = 2 rad: K·e = 200, braking √(2·200·2) = 28.3 → the braking curve.
        Assert.Equal(Math.Sqrt(800), s.Update(2.0, 0.0), 12);
        Assert.True(s.Limited);
        // e = −20 rad: braking √8000 = 89 > 50 → the speed limit.
        Assert.Equal(-50, s.Update(-20.0, 0.0), 12);
        Assert.True(s.Limited);
        // near the target the linear law acts alone: e = 1 mrad, K·e = 0.1 < √0.4 = 0.63.
        Assert.Equal(0.1, s.Update(1e-3, 0.0), 12);
        Assert.False(s.Limited);
    }

    [Fact]
    public void Feed_forward_follows_a_ramp_and_ignores_a_step()
    {
        var s = new PositionStage(kp: 10, period: 1e-3, speedLimit: 50, decelerationLimit: 1e6, feedForward: true);
        Assert.Equal(0, s.Update(0.0, 0.0), 12);          // first tick: no derivative yet
        Assert.Equal(20, s.Update(0.02, 0.02), 9);        // ramp at 20 rad/s, on track: ω_ref = ω_ff
        Assert.Equal(20, s.FeedForward, 9);
        double w = s.Update(5.0, 0.04);                    // a 4.98 rad jump in one tick = 4980 rad/s > limit: a step
        Assert.Equal(0, s.FeedForward);
        Assert.Equal(49.6, w, 9);
    }

    [Fact]
    public void Bad_stage_arguments_throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PositionStage(0, 1e-3, 1, 1, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PositionStage(1, 1e-3, double.PositiveInfinity, 1, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PositionStage(1, 1e-3, 1, 0, false));
    }

    [Theory]
    [InlineData("pi-dc-position", "permex", 1e-4)]
    [InlineData("foc-position", "pmsm", 1e-4)]
    [InlineData("pi-position-torque", "permex", 1e-3)]
    public void Position_gain_is_the_speed_loop_bandwidth_over_the_separation(string type, string motor, double period)
    {
        var c = (PositionController)Make(type, motor, period);
        Assert.Equal(type, c.Name);
        Assert.IsType<IPositionController>(c, exactMatch: false);
        SpeedLoopInfo s = c.Design.Speed;
        Assert.True(s.ReferenceFiltered);
        Assert.Equal(s.Kp / s.Ki, s.EquivalentTimeConstant, 12);              // T_ω = T_i with the prefilter
        Assert.Equal(1.0 / (4 * s.EquivalentTimeConstant), c.Kp, 9);          // N = 4
        Assert.Equal(1.0, c.Design.Damping, 9);                               // critically damped
        Assert.Equal(0, c.Design.ExpectedOvershoot);
        Assert.Equal(ControllerTests.Motor(motor).Limits.Speed, c.Design.SpeedLimit);
        Assert.Equal(0.5 * s.TorqueLimit / s.Inertia, c.Design.DecelerationLimit, 9);
        Assert.Contains("K_p = ω_ω/N", c.Design.Explain());

        var wider = (PositionController)Make(type, motor, period, ", \"position\": { \"separation\": 8, \"speed_limit\": 30, \"deceleration_limit\": 500 }");
        Assert.Equal(c.Kp / 2, wider.Kp, 9);
        Assert.Equal(30, wider.Design.SpeedLimit);
        Assert.Equal(500, wider.Design.DecelerationLimit);
        var given = (PositionController)Make(type, motor, period, ", \"position\": { \"kp\": 3.5 }");
        Assert.Equal(3.5, given.Kp);
        Assert.Equal(c.Kp, given.Design.DesignedKp, 9);
    }

    [Fact]
    public void The_SO_design_gives_the_expected_pmdc_figures()
    {
        // pi-position-torque on the PMDC motor at 1 kHz: T_Σ = 1 ms delay + 1 ms board torque loop, a = 4 →
        // T_i = 16·T_Σ = 32 ms, K_p,θ = 1/(4·32 ms) = 7.8125 1/s.
        var c = (PositionController)Make("pi-position-torque", "permex", 1e-3);
        Assert.Equal(7.8125, c.Kp, 9);
        Assert.Equal(CommandMode.TorqueSetpoint, c.CommandMode);
    }

    [Fact]
    public void Inner_loop_gets_the_stage_output_as_its_speed_reference()
    {
        var c = (PositionController)Make("pi-position-torque", "permex", 1e-3, ", \"kp\": 0.5, \"ki\": 0, \"speed_reference_filter\": false, \"position\": { \"kp\": 10, \"speed_feed_forward\": false }");
        c.Reset();
        var obs = new MotorObservation { Period = 1e-3, MechanicalPosition = 18.0, Reference = new References { Position = 20.0 } };
        var cmd = default(ConverterCommand);
        cmd.SetSafe();
        c.Compute(in obs, ref cmd);
        Assert.Equal(20.0, c.SpeedReference, 9);                   // 10·(20 − 18), unwrapped: no wrap at 2π
        Assert.Equal(0.5 * 20.0, cmd.TorqueSetpoint, 9);           // speed P on it
        Assert.True(cmd.BridgeEnable);
        Assert.Equal(ControllerStatus.Ok, c.Status);
    }

    // 0 B per tick: pi-dc-position and foc-position in ControllerTests (every type × machine), pi-position-torque in
    // SpeedTorqueControllerTests.

    [Theory]
    [InlineData("{ \"type\": \"foc-speed\", \"position\": {} }", "controller.position")]
    [InlineData("{ \"type\": \"pi-speed-torque\", \"position\": {} }", "controller.position")]
    [InlineData("{ \"type\": \"foc-position\", \"position\": { \"kp\": 0 } }", "controller.position.kp")]
    [InlineData("{ \"type\": \"foc-position\", \"position\": { \"kp\": -2 } }", "controller.position.kp")]
    [InlineData("{ \"type\": \"foc-position\", \"position\": { \"separation\": 0.5 } }", "controller.position.separation")]
    [InlineData("{ \"type\": \"foc-position\", \"position\": { \"speed_limit\": -1 } }", "controller.position.speed_limit")]
    [InlineData("{ \"type\": \"foc-position\", \"position\": { \"gain\": 1 } }", "controller.position.gain")]
    [InlineData("{ \"type\": \"foc-position\", \"speed_gains\": { \"kp\": -1, \"ki\": 1 } }", "controller.speed_gains.kp")]
    public void Config_errors_name_the_field(string json, string field)
    {
        var e = Assert.Throws<ConfigException>(() => Families.Create(new RawSection("c.json", "controller", System.Text.Json.JsonDocument.Parse(json).RootElement), ControllerTests.Motor(json.Contains("torque", StringComparison.Ordinal) ? "permex" : "pmsm"), 1e-4));
        Assert.Contains(field, e.Message);
    }
}

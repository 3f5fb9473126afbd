using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Policies.Pwa;
using MotorRT.Policies.Setpoint;

namespace MotorRT.Policies.Tests;

/// <summary>PWA laws whose output means a torque set-point (speed loops for smart-drive rigs).</summary>
public class PwaTorqueSetpointTests
{
    private static readonly PwaParameter[] SpeedAndReference =
        [new(ObservationQuantity.MechanicalSpeed, -400, 400), new(ObservationQuantity.ReferenceSpeed, -400, 400)];

    /// <summary>T* = 2·(ω* − ω) N·m, clipped to ±20 N·m, over the whole box (one region).</summary>
    private static PwaLaw ProportionalSpeedLaw()
    {
        var region = new PwaRegion([[1, 0], [-1, 0], [0, 1], [0, -1]], [400, 400, 400, 400], [[-2, 2]], [0]);
        return new PwaLaw("p-speed.json", SpeedAndReference, PwaOutputMeaning.TorqueSetpoint, [-20], [20], [region], true, 1e-9);
    }

    [Theory]
    [InlineData("permex")]
    [InlineData("pmsm")]
    public void Writes_the_torque_set_point_for_any_machine_with_the_bridge_enabled(string machine)
    {
        var c = new PwaController(ProportionalSpeedLaw(), machine == "pmsm" ? TestMotors.Pmsm : TestMotors.PermExDc, 1e-3);
        Assert.Equal(CommandMode.TorqueSetpoint, c.CommandMode);
        var cmd = default(ConverterCommand);
        cmd.SetSafe();
        c.Compute(new MotorObservation { MechanicalSpeed = 97, Reference = new References { Speed = 100 } }, ref cmd);
        Assert.Equal(ControllerStatus.Ok, c.Status);
        Assert.Equal(CommandMode.TorqueSetpoint, cmd.Mode);
        Assert.Equal(6.0, cmd.TorqueSetpoint, 12);
        Assert.True(cmd.BridgeEnable);
        Assert.Equal(0.0, cmd.Duty[0]);
        Assert.Equal(0.0, cmd.VoltageD);

        c.Compute(new MotorObservation { MechanicalSpeed = 0, Reference = new References { Speed = -50 } }, ref cmd);
        Assert.Equal(-20.0, cmd.TorqueSetpoint);          // clipped to the law's min
        Assert.Equal(ControllerStatus.Saturated, c.Status);
    }

    [Fact]
    public void A_fallback_that_writes_duties_is_refused_one_that_writes_torque_runs_out_of_domain()
    {
        PwaLaw law = ProportionalSpeedLaw();
        var e = Assert.Throws<ConfigException>(() => new PwaController(law, TestMotors.PermExDc, 1e-3, fallback: new DutyController()));
        Assert.Contains("output.meaning", e.Message);
        Assert.Contains("torque set-points", e.Message);

        var fallback = new SpeedTorqueController(kp: 0.5, ki: 0, period: 1e-3, torqueLimit: 5, filterTime: 0);
        var c = new PwaController(law, TestMotors.PermExDc, 1e-3, fallback: fallback);
        c.Reset();
        var cmd = default(ConverterCommand);
        c.Compute(new MotorObservation { MechanicalSpeed = 450, Reference = new References { Speed = 440 } }, ref cmd); // ω outside the box
        Assert.Equal(1, c.OutOfDomainTicks);
        Assert.Equal(CommandMode.TorqueSetpoint, cmd.Mode);
        Assert.Equal(-5.0, cmd.TorqueSetpoint, 12);       // the fallback's 0.5·(440 − 450), at its own limit
    }

    [Fact]
    public void The_meaning_round_trips_through_the_law_file()
    {
        string json = PwaLawFile.ToJson(ProportionalSpeedLaw(), "P speed law");
        Assert.Contains("\"torque_setpoint\"", json);
        PwaLaw again = PwaLawFile.Parse("again.json", json);
        Assert.Equal(PwaOutputMeaning.TorqueSetpoint, again.Meaning);
        Assert.Equal(1, again.OutputCount);

        // Loaded from a file the law has a search tree: with one region it is a single leaf and no plane.
        Assert.NotNull(again.Tree);
        var c = new PwaController(again, TestMotors.PermExDc, 1e-3);
        var cmd = default(ConverterCommand);
        c.Compute(new MotorObservation { MechanicalSpeed = 10, Reference = new References { Speed = 12 } }, ref cmd);
        Assert.Equal(0, c.LastRegion);
        Assert.Equal(4.0, cmd.TorqueSetpoint, 12);

        string twoOutputs = json.Replace("\"min\": [-20]", "\"min\": [-20, -20]").Replace("\"max\": [20]", "\"max\": [20, 20]");
        Assert.Throws<ConfigException>(() => PwaLawFile.Parse("two.json", twoOutputs));
    }

    [Fact]
    public void Zero_allocations_per_tick()
    {
        var c = new PwaController(ProportionalSpeedLaw(), TestMotors.PermExDc, 1e-3);
        var cmd = default(ConverterCommand);
        var obs = new MotorObservation();
        for (int k = 0; k < 1000; k++) { obs.MechanicalSpeed = k % 300; obs.Reference.Speed = 150; c.Compute(in obs, ref cmd); }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 10_000; k++) { obs.MechanicalSpeed = k % 300; obs.Reference.Speed = 150; c.Compute(in obs, ref cmd); }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private sealed class DutyController : IController
    {
        public string Name => "duty";
        public ControllerStatus Status => ControllerStatus.Ok;
        public void Reset() { }
        public void Compute(in MotorObservation observation, ref ConverterCommand command) => command.BridgeEnable = true;
    }
}

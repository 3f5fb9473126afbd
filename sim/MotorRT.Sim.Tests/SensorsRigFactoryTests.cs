using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Sensors;
using MotorRT.Sim.Rig;

namespace MotorRT.Sim.Tests;

public class SensorsRigFactoryTests
{
    private static SensorSpec Sensors(int phases = 2) => SensorsRigTests.Spec(phases);

    private static RawSection J(string json) => RawSection.Parse("cfg.json", json);

    [Fact]
    public void Builds_the_twin_rig_with_every_option()
    {
        using SimulatedRig rig = SimulatedRigFactory.FromConfig(J("""
        { "type": "sim", "plant": { "preset": "Cont-CC-PMSM-v0" }, "sub_steps": 2, "pwm_delay_periods": 0,
          "bridge_off": "zero_volts", "overcurrent_comparator_a": 30,
          "sensor_errors": { "current": [ { "gain_error": 0.01, "offset_counts": 12, "noise_counts": 0.5 }, { "offset_counts": -3 } ],
                             "dc_link": { "noise_counts": 1 } } }
        """), Sensors(), 7);
        Assert.Equal(MachineKind.ThreePhase, rig.Description.Machine);
        Assert.Equal(2e-4, rig.Description.PwmPeriod, 15);
        Assert.Equal(2, rig.Options.SubSteps);
        Assert.Equal(0, rig.Options.PwmDelayPeriods);
        Assert.Equal(BridgeOffModel.ZeroVolts, rig.Options.BridgeOff);
        Assert.Equal(30, rig.Options.OverCurrentComparator);
        Assert.Equal(12, rig.Sensors.CurrentChannel(0).Deviation.OffsetCounts);
        Assert.Equal(-3, rig.Sensors.CurrentChannel(1).Deviation.OffsetCounts);
        Assert.Equal(1, rig.Sensors.DcLink.Deviation.NoiseCounts);
        rig.Open();
        var f = default(RawSensorFrame);
        rig.Read(ref f);
        Assert.InRange(f.CurrentCountsA, 2048 + 12 - 2, 2048 + 12 + 2); // offset plus ±0.5 count noise
    }

    [Fact]
    public void Takes_the_top_level_plant_when_the_rig_has_none()
    {
        using SimulatedRig rig = SimulatedRigFactory.FromConfig(J("""{ "type": "sim" }"""), Sensors(1), 0, J("""{ "preset": "Cont-CC-PermExDc-v0" }"""));
        Assert.Equal(MachineKind.Dc, rig.Description.Machine);
        Assert.Equal(1, rig.Description.ConverterChannels);
        Assert.NotNull(rig.Twin);
    }

    [Theory]
    [InlineData("""{ "type": "sim", "plant": { "preset": "Cont-CC-PMSM-v0" }, "sub_step": 2 }""", "sub_step")]
    [InlineData("""{ "type": "sim", "plant": { "preset": "Cont-CC-PMSM-v0" }, "pwm_delay_periods": 2 }""", "pwm_delay_periods")]
    [InlineData("""{ "type": "sim", "plant": { "preset": "Cont-CC-PMSM-v0" }, "bridge_off": "open" }""", "bridge_off")]
    [InlineData("""{ "type": "sim", "plant": { "preset": "Cont-CC-PMSM-v1" } }""", "plant.preset")]
    [InlineData("""{ "type": "sim", "plant": { "preset": "Cont-CC-PMSM-v0" }, "sensor_errors": { "current": [ { "gain": 0.1 } ] } }""", "sensor_errors.current[0].gain")]
    [InlineData("""{ "type": "sim", "plant": { "preset": "Cont-CC-PMSM-v0" }, "sensor_errors": { "current": [ {}, {}, {} ] } }""", "sensor_errors.current")]
    [InlineData("""{ "type": "sim", "plant": { "preset": "Cont-CC-PMSM-v0", "suply": { } } }""", "plant.suply")]
    [InlineData("""{ "type": "sim", "plant": { "preset": "Cont-CC-PMSM-v0", "supply": { "u_nominal": -1 } } }""", "plant.supply.u_nominal")]
    [InlineData("""{ "type": "sim", "plant": { "preset": "Cont-CC-PMSM-v0", "interlocking_time": 0.001 } }""", "plant.interlocking_time")]
    [InlineData("""{ "type": "sim", "plant": { "preset": "Cont-CC-PMSM-v0", "load": { "type": "external_speed", "times": [0, 0], "speeds": [1, 2] } } }""", "plant.load.times[1]")]
    [InlineData("""{ "type": "sim", "plant": { "preset": "Cont-CC-PMSM-v0", "motor_parameter": { "p": 0 } } }""", "plant.motor_parameter.p")]
    [InlineData("""{ "type": "sim" }""", "plant")]
    [InlineData("""{ "type": "hardware", "plant": { "preset": "Cont-CC-PMSM-v0" } }""", "type")]
    public void Rejects_bad_sections_naming_the_field(string json, string field)
    {
        var e = Assert.Throws<ConfigException>(() => SimulatedRigFactory.FromConfig(J(json), Sensors(), 0));
        Assert.Equal(field, e.Field);
        Assert.Equal("cfg.json", e.File);
    }

    [Fact]
    public void Rejects_one_current_sensor_on_a_three_phase_plant()
    {
        var e = Assert.Throws<ConfigException>(() => SimulatedRigFactory.FromConfig(J("""{ "type": "sim", "plant": { "preset": "Cont-CC-PMSM-v0" } }"""), Sensors(1), 0));
        Assert.Equal("sensors.current.phases_sensed", e.Field);
    }
}

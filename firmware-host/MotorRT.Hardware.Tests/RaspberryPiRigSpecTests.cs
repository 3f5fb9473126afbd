using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Hardware.RaspberryPi;

namespace MotorRT.Hardware.Tests;

public class RaspberryPiRigSpecTests
{
    private static ConfigException Bad(string json, MachineKind m = MachineKind.ThreePhase, int bits = 12) =>
        Assert.Throws<ConfigException>(() => RaspberryPiRigTests.Spec(json, TestRigs.Sensors(m, bits)));

    [Fact]
    public void Reads_a_complete_description()
    {
        RaspberryPiRigSpec s = RaspberryPiRigTests.Spec(RaspberryPiRigTests.PmsmRig, TestRigs.Sensors(MachineKind.ThreePhase));
        Assert.Equal(MachineKind.ThreePhase, s.Machine);
        Assert.Equal([0, 1, 2], s.PwmChannels);
        Assert.Equal(AdcKind.Mcp3208, s.Adc);
        Assert.Equal(12, s.AdcBits);
        Assert.Equal(EncoderSource.Gpio, s.Encoder);
        Assert.Equal(5, s.EncoderPinZ);
        Assert.Equal(2_000_000, s.SpiClock);
    }

    [Fact]
    public void Rejects_a_pin_used_twice()
    {
        var e = Bad(RaspberryPiRigTests.PmsmRig.Replace("\"pin_b\": 27", "\"pin_b\": 22"));
        Assert.Equal("encoder.pin_b", e.Field);
        Assert.Contains("gpio.enable_pin", e.Problem);
    }

    [Fact]
    public void Rejects_adc_resolution_other_than_the_sensor_description()
    {
        var e = Bad(RaspberryPiRigTests.PmsmRig.Replace("mcp3208", "mcp3008"));
        Assert.Equal("sensors.current.bits", e.Field);
        Assert.Contains("10", e.Fix);
    }

    [Fact]
    public void Rejects_unknown_keys_wrong_channel_counts_and_fast_clocks()
    {
        Assert.Equal("pwm.frequncy_hz", Bad(RaspberryPiRigTests.PmsmRig.Replace("\"chip\": 0,", "\"chip\": 0, \"frequncy_hz\": 1,")).Field);
        Assert.Equal("pwm.channels", Bad(RaspberryPiRigTests.PmsmRig.Replace("[0, 1, 2] }", "[0, 1] }")).Field);
        Assert.Equal("adc.clock_hz", Bad(RaspberryPiRigTests.PmsmRig.Replace("2000000", "4000000")).Field);
        Assert.Equal("adc.current_channels", Bad(RaspberryPiRigTests.PmsmRig.Replace("\"dc_link_channel\": 3", "\"dc_link_channel\": 2")).Field);
        Assert.Equal("gpio.hall_pins", Bad(RaspberryPiRigTests.PmsmRig.Replace(", \"hall_pins\": [16, 20, 21]", "")).Field);
        Assert.StartsWith("adc.current_channels[2]", Bad(RaspberryPiRigTests.PmsmRig.Replace("[0, 1, 2], \"dc", "[0, 1, 9], \"dc")).Field);
    }

    [Fact]
    public void Rejects_keys_of_another_part_or_source_and_names_the_path()
    {
        Assert.Equal("adc.i2c_bus", Bad(RaspberryPiRigTests.PmsmRig.Replace("\"spi_bus\": 0,", "\"i2c_bus\": 1,")).Field);
        Assert.Equal("encoder.counter_path", Bad(RaspberryPiRigTests.PmsmRig.Replace("\"pin_z\": 5", "\"pin_z\": 5, \"counter_path\": \"/x\"")).Field);
        Assert.Equal("gpio.enable_pin", Bad(RaspberryPiRigTests.PmsmRig.Replace("\"enable_pin\": 22", "\"enable_pin\": 40")).Field);
        ConfigException e = Bad(RaspberryPiRigTests.PmsmRig.Replace("\"machine\": \"three_phase\"", "\"machine\": \"bldc\""));
        Assert.Equal("machine", e.Field);
        Assert.Contains("dc, three_phase", e.Fix);
    }

    [Fact]
    public void Rejects_missing_index_line_when_the_encoder_has_one()
    {
        var e = Bad(RaspberryPiRigTests.DcRig.Replace(", \"pin_z\": 5", ""), MachineKind.Dc, 10);
        Assert.Equal("encoder.pin_z", e.Field);
    }
}

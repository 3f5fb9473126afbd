using MotorRT.Contracts;
using MotorRT.Contracts.Sensors;
using MotorRT.Hardware.Emulation;
using MotorRT.Hardware.RaspberryPi;
using MotorRT.Sim.Rig;

namespace MotorRT.Hardware.Tests;

/// <summary>The slow ADC option: the DC rig sampling through Iot.Device.Bindings' Ads1115 over the emulated I2C registers.</summary>
public class Ads1115RigTests
{
    private static SensorSpec Sensors => new()
    {
        Current = new CurrentSensorSpec { Bits = 15, AmperesPerCount = 0.005, ZeroCounts = 16384, PhasesSensed = 1 },
        DcLink = new VoltageSensorSpec { Bits = 15, VoltsPerCount = 0.005 },
        Encoder = new EncoderSpec { LinesPerRevolution = 256 },
    };

    private const string Rig = """
    { "type": "raspberry-pi", "machine": "dc", "pwm": { "frequency_hz": 20000, "channels": [0, 1] },
      "gpio": { "enable_pin": 22 }, "encoder": { "source": "gpio", "pin_a": 17, "pin_b": 27, "pin_z": 5 },
      "adc": { "type": "ads1115", "i2c_bus": 1, "i2c_address": 72, "current_channels": [0], "dc_link_channel": 1 } }
    """;

    [Fact]
    public void Dc_rig_on_the_ads1115_matches_the_simulated_rig()
    {
        RaspberryPiRigSpec spec = RaspberryPiRigTests.Spec(Rig, Sensors);
        Assert.Equal(AdcKind.Ads1115, spec.Adc);
        var board = new EmulatedBoard(spec, new SimulatedRig(TestRigs.Plant(MachineKind.Dc), Sensors), 256);
        using var pi = new RaspberryPiRig(spec, board.CreateDevices(), board, 256);
        using var sim = new SimulatedRig(TestRigs.Plant(MachineKind.Dc), Sensors);
        pi.Open();
        sim.Open();
        var fp = default(RawSensorFrame);
        var fs = default(RawSensorFrame);
        var c = default(ConverterCommand);
        c.BridgeEnable = true;
        int maxDiff = 0, maxCounts = 0;
        for (int k = 0; k < 500; k++)
        {
            pi.Read(ref fp);
            sim.Read(ref fs);
            Assert.Equal(fs.DcLinkCounts, fp.DcLinkCounts);
            maxDiff = Math.Max(maxDiff, Math.Abs(fs.CurrentCountsA - fp.CurrentCountsA));
            maxCounts = Math.Max(maxCounts, fp.CurrentCountsA);
            c.Duty[0] = 0.2 + 0.1 * Math.Sin(k * 0.05);
            pi.Write(c);
            sim.Write(c);
        }
        Assert.InRange(maxDiff, 0, 2);
        Assert.True(maxCounts > 16384 + 1000, $"current flowed: peak {maxCounts} counts");
        Assert.True(board.Ads1115!.Conversions >= 1000);
    }
}

using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Sensors;
using MotorRT.Hardware.Emulation;
using MotorRT.Hardware.RaspberryPi;
using MotorRT.Sim.Testing;

namespace MotorRT.Hardware.Tests;

public class RaspberryPiRigTests
{
    internal const string PmsmRig = """
    {
      "type": "raspberry-pi", "machine": "three_phase",
      "pwm": { "frequency_hz": 20000, "chip": 0, "channels": [0, 1, 2] },
      "gpio": { "enable_pin": 22, "gate_fault_pin": 23, "overcurrent_pin": 24, "hall_pins": [16, 20, 21] },
      "encoder": { "source": "gpio", "pin_a": 17, "pin_b": 27, "pin_z": 5 },
      "adc": { "type": "mcp3208", "spi_bus": 0, "chip_select": 0, "clock_hz": 2000000, "current_channels": [0, 1, 2], "dc_link_channel": 3 }
    }
    """;

    internal const string DcRig = """
    {
      "type": "raspberry-pi", "machine": "dc",
      "pwm": { "frequency_hz": 20000, "channels": [0, 1] },
      "gpio": { "enable_pin": 22, "enable_active_high": false, "gate_fault_pin": 23 },
      "encoder": { "source": "gpio", "pin_a": 17, "pin_b": 27, "pin_z": 5 },
      "adc": { "type": "mcp3008", "clock_hz": 3600000, "current_channels": [0], "dc_link_channel": 1 }
    }
    """;

    internal static RaspberryPiRigSpec Spec(string json, SensorSpec sensors) => RaspberryPiRigSpec.Read(RawSection.Parse("rig.json", json), sensors);

    internal static (RaspberryPiRig Rig, EmulatedBoard Board) Emulated(string json, MachineKind m, int bits, int seed = 1)
    {
        SensorSpec sensors = TestRigs.Sensors(m, bits);
        RaspberryPiRigSpec spec = Spec(json, sensors);
        var board = new EmulatedBoard(spec, TestRigs.Rig(m, bits, seed), sensors.Encoder!.LinesPerRevolution);
        return (new RaspberryPiRig(spec, board.CreateDevices(), board, sensors.Encoder.LinesPerRevolution), board);
    }

    private static ConverterCommand Cmd(int k, bool threePhase)
    {
        double w = 2 * Math.PI * 50 * k * 5e-5;
        double m = Math.Min(0.9, k * 2e-4);
        if (threePhase) return TestCommands.ThreePhase(m, w, enable: k > 5);
        var c = default(ConverterCommand);
        c.BridgeEnable = k > 5;
        c.Duty[0] = m * (0.6 + 0.4 * Math.Cos(w));
        return c;
    }

    [Theory]
    [InlineData(MachineKind.ThreePhase, 12)]
    [InlineData(MachineKind.Dc, 10)]
    public void Emulated_pi_rig_matches_the_simulated_rig_tick_for_tick(MachineKind m, int bits)
    {
        (RaspberryPiRig pi, EmulatedBoard board) = Emulated(m == MachineKind.Dc ? DcRig : PmsmRig, m, bits);
        using var sim = TestRigs.Rig(m, bits);
        using (pi)
        {
            Assert.True(pi.IsLockStep);
            pi.Open();
            sim.Open();
            var fp = default(RawSensorFrame);
            var fs = default(RawSensorFrame);
            int maxCurrentDiff = 0;
            long maxEncoderDiff = 0;
            for (int k = 0; k < 4000; k++)
            {
                Assert.Equal(RigIoStatus.Ok, pi.Read(ref fp));
                sim.Read(ref fs);
                Assert.Equal(fs.Sequence, fp.Sequence);
                Assert.Equal(fs.TimestampNs, fp.TimestampNs);
                Assert.Equal(fs.DcLinkCounts, fp.DcLinkCounts);
                Assert.Equal(fs.HallState, fp.HallState);
                Assert.Equal(fs.FaultInputs, fp.FaultInputs);
                Assert.Equal(fs.PhaseCSensed, fp.PhaseCSensed);
                Assert.Equal(fs.EncoderIndexPulses, fp.EncoderIndexPulses);
                maxCurrentDiff = Math.Max(maxCurrentDiff, Math.Abs(fs.CurrentCountsA - fp.CurrentCountsA));
                maxCurrentDiff = Math.Max(maxCurrentDiff, Math.Abs(fs.CurrentCountsB - fp.CurrentCountsB));
                maxCurrentDiff = Math.Max(maxCurrentDiff, Math.Abs(fs.CurrentCountsC - fp.CurrentCountsC));
                maxEncoderDiff = Math.Max(maxEncoderDiff, Math.Abs(fs.EncoderCount - fp.EncoderCount));
                ConverterCommand c = Cmd(k, m == MachineKind.ThreePhase);
                pi.Write(c);
                sim.Write(c);
                // the bridge applied what was commanded, up to the PWM's 1 ns on-time resolution (2·10⁻⁵ of 50 µs)
                if (k > 6)
                {
                    Assert.True(board.LastCommand.BridgeEnable);
                }
            }
            // The only difference between the paths is the duty's 1 ns quantisation in the PWM peripheral.
            Assert.InRange(maxCurrentDiff, 0, 1);
            Assert.InRange(maxEncoderDiff, 0, 1);
            Assert.True(fs.EncoderCount > 1000, $"the shaft turned: {fs.EncoderCount} counts");
            Assert.True(fs.EncoderIndexPulses > 0);
            Assert.Equal(0, pi.EncoderIllegalTransitions);
        }
    }

    [Fact]
    public void Enable_line_is_off_at_construction_on_disable_on_nan_and_on_dispose()
    {
        (RaspberryPiRig pi, EmulatedBoard board) = Emulated(DcRig, MachineKind.Dc, 10);
        const int en = 22; // active low in DcRig
        Assert.True(board.Gpio.Level(en));        // constructed: inactive (high)
        pi.Open();
        Assert.True(board.Gpio.Level(en));
        var c = default(ConverterCommand);
        c.BridgeEnable = true;
        c.Duty[0] = 0.3;
        pi.Write(c);
        Assert.False(board.Gpio.Level(en));       // active
        Assert.Equal(0.65, board.Pwm[0].DutyCycle, 12);
        Assert.Equal(0.35, board.Pwm[1].DutyCycle, 12);
        pi.DisableBridge();
        Assert.True(board.Gpio.Level(en));
        pi.Write(c);                               // the period after DisableBridge stays off
        Assert.True(board.Gpio.Level(en));
        Assert.False(board.LastCommand.BridgeEnable);
        pi.Write(c);
        Assert.False(board.Gpio.Level(en));
        c.Duty[0] = double.NaN;
        pi.Write(c);
        Assert.True(board.Gpio.Level(en));
        Assert.Equal(0.5, board.Pwm[0].DutyCycle); // legs parked at zero volts
        c.Duty[0] = 0.1;
        pi.Write(c);
        Assert.False(board.Gpio.Level(en));
        pi.Dispose();
        Assert.True(board.Gpio.Level(en));
        Assert.False(board.Pwm[0].Running);
    }

    [Fact]
    public void Fault_lines_reach_the_frame()
    {
        (RaspberryPiRig pi, EmulatedBoard board) = Emulated(PmsmRig, MachineKind.ThreePhase, 12);
        using (pi)
        {
            pi.Open();
            var f = default(RawSensorFrame);
            pi.Read(ref f);
            Assert.Equal(0u, f.FaultInputs);
            ((MotorRT.Sim.Rig.SimulatedRig)board.Plant).FaultInputs = 1;
            pi.Write(default);
            pi.Read(ref f);
            Assert.Equal(1u, f.FaultInputs);
            Assert.False(board.Gpio.Level(23)); // active-low nFAULT pulled down
        }
    }

    [Fact]
    public void Read_and_write_over_emulated_devices_do_not_allocate()
    {
        (RaspberryPiRig pi, _) = Emulated(PmsmRig, MachineKind.ThreePhase, 12);
        using (pi)
        {
            pi.Open();
            var f = default(RawSensorFrame);
            for (int k = 0; k < 2000; k++) { pi.Read(ref f); pi.Write(Cmd(k, true)); }
            ConverterCommand c = Cmd(3000, true);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int k = 0; k < 10_000; k++)
            {
                pi.Read(ref f);
                c.Duty[0] = 0.5 * Math.Sin(k * 0.01);
                c.Duty[1] = -c.Duty[0];
                c.Duty[2] = 0;
                pi.Write(c);
            }
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    [Fact]
    public void Off_a_pi_the_real_pwm_path_refuses_clearly()
    {
        if (RaspberryPiDevices.IsRaspberryPi())
        {
            return; // RealPiTests covers the Pi itself
        }
        var e = Assert.Throws<IOException>(() => new SysfsPwmChannel(0, 0, 20000, 0.5));
        Assert.Contains("pwm", e.Message);
    }
}

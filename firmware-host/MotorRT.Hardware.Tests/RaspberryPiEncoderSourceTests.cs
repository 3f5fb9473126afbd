using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Sensors;
using MotorRT.Hardware.Emulation;
using MotorRT.Hardware.RaspberryPi;
using MotorRT.Sim.Rig;
using MotorRT.Sim.Testing;

namespace MotorRT.Hardware.Tests;

/// <summary>The Raspberry Pi rig with each encoder source over the emulated board: the same counts as the twin's encoder, tick for tick, and nothing allocated per tick.</summary>
public class RaspberryPiEncoderSourceTests
{
    internal static string Encoder(string source) => source switch
    {
        "gpio" => """{ "source": "gpio", "pin_a": 17, "pin_b": 27, "pin_z": 5 }""",
        "chardev" => """{ "source": "chardev", "pin_a": 17, "pin_b": 27, "pin_z": 5, "event_buffer_size": 1024 }""",
        _ => """{ "source": "ls7366r", "spi_bus": 0, "chip_select": 1, "clock_hz": 2000000, "index": true }""",
    };

    internal static string PmsmRig(string source) => RaspberryPiRigTests.PmsmRig.Replace(
        """{ "source": "gpio", "pin_a": 17, "pin_b": 27, "pin_z": 5 }""", Encoder(source), StringComparison.Ordinal);

    private static SensorSpec Sensors(int lines) => TestRigs.Sensors(MachineKind.ThreePhase, 12) with
    {
        Encoder = new EncoderSpec { LinesPerRevolution = lines },
    };

    /// <summary>The PMSM twin turning at <paramref name="omega"/> rad/s, behind the emulated board and behind a plain simulated rig.</summary>
    private static (RaspberryPiRig Pi, EmulatedBoard Board, SimulatedRig Sim) Rigs(string source, int lines, double omega)
    {
        SensorSpec sensors = Sensors(lines);
        RaspberryPiRigSpec spec = RaspberryPiRigTests.Spec(PmsmRig(source), sensors);
        SimulatedRig Twin() => new(RlTwin.Plant(MachineKind.ThreePhase, 5e-5, omega), sensors, new SimulatedRigOptions(), 1);
        var board = new EmulatedBoard(spec, Twin(), lines);
        return (new RaspberryPiRig(spec, board.CreateDevices(), board, lines), board, Twin());
    }

    [Theory]
    [InlineData("gpio")]
    [InlineData("chardev")]
    [InlineData("ls7366r")]
    public void Each_source_counts_what_the_twins_encoder_counts_tick_for_tick_at_400k_edges_per_second(string source)
    {
        // 1024 lines at 100 rev/s = 409 600 edges/s: 20.48 edges per 50 µs tick, an index every 200 ticks
        (RaspberryPiRig pi, EmulatedBoard board, SimulatedRig sim) = Rigs(source, 1024, 2 * Math.PI * 100);
        using (pi)
        using (sim)
        {
            pi.Open();
            sim.Open();
            var fp = default(RawSensorFrame);
            var fs = default(RawSensorFrame);
            long zero = board.LastFrame.EncoderCount; // the rig counts from where the shaft is when it opens
            int maxDiff = 0;
            for (int k = 0; k < 4000; k++)
            {
                Assert.Equal(RigIoStatus.Ok, pi.Read(ref fp));
                sim.Read(ref fs);
                // exact against the twin behind the board; the twin of the plain simulated rig may round its angle
                // differently by one count (it sees the duty before the PWM's 1 ns quantisation)
                RawSensorFrame truth = board.LastFrame;
                if (fp.EncoderCount != truth.EncoderCount - zero || fp.EncoderIndexPulses != truth.EncoderIndexPulses
                    || (truth.EncoderIndexPulses > 0 && fp.EncoderCountAtIndex != truth.EncoderCountAtIndex - zero))
                {
                    Assert.Fail($"tick {k}: twin {truth.EncoderCount} {truth.EncoderIndexPulses} {truth.EncoderCountAtIndex}, rig {fp.EncoderCount} {fp.EncoderIndexPulses} {fp.EncoderCountAtIndex}");
                }
                maxDiff = (int)Math.Max(maxDiff, Math.Abs(fs.EncoderCount - fp.EncoderCount));
                Assert.Equal(fs.EncoderIndexPulses, fp.EncoderIndexPulses);
                ConverterCommand c = TestCommands.ThreePhase(0.3, 2 * Math.PI * 50 * k * 5e-5, enable: k > 5);
                pi.Write(c);
                sim.Write(c);
            }
            Assert.InRange(maxDiff, 0, 1);
            Assert.InRange(fs.EncoderCount, 4000 * 20, 4000 * 21); // 0.2 s at 409 600 edges/s
            Assert.InRange(fs.EncoderIndexPulses, 19, 20); // 20 revolutions, the last one at the very end
            Assert.Equal(0, pi.EncoderIllegalTransitions);
            if (source == "chardev")
            {
                Assert.Equal(0, board.LineEvents!.DroppedEvents);
                Assert.Equal(0, ((GpioChardevEdgeReader)RigEncoder(pi)).LostEvents);
            }
            if (source == "ls7366r")
            {
                Assert.Equal(0, board.Ls7366r!.IncompleteTransfers + board.Ls7366r.UndefinedInstructions);
            }
        }
    }

    private static IQuadratureCounter RigEncoder(RaspberryPiRig pi) => pi.Encoder!;

    [Theory]
    [InlineData("chardev")]
    [InlineData("ls7366r")]
    public void Rig_tick_path_allocates_nothing_at_400k_edges_per_second(string source)
    {
        (RaspberryPiRig pi, _, SimulatedRig sim) = Rigs(source, 1024, 2 * Math.PI * 100);
        sim.Dispose();
        using (pi)
        {
            pi.Open();
            var f = default(RawSensorFrame);
            ConverterCommand c = TestCommands.ThreePhase(0.3, 0.5, enable: true);
            for (int k = 0; k < 2000; k++) { pi.Read(ref f); pi.Write(c); }
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int k = 0; k < 10_000; k++)
            {
                pi.Read(ref f);
                c.Duty[0] = 0.5 * Math.Sin(k * 0.01);
                c.Duty[1] = -c.Duty[0];
                pi.Write(c);
            }
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.True(f.EncoderCount > 12_000 * 20, $"the shaft turned: {f.EncoderCount}");
        }
    }

    [Fact]
    public void Config_selects_each_source_with_its_own_keys()
    {
        SensorSpec sensors = Sensors(1024);
        RaspberryPiRigSpec ls = RaspberryPiRigTests.Spec(PmsmRig("ls7366r"), sensors);
        Assert.Equal(EncoderSource.Ls7366r, ls.Encoder);
        Assert.Equal((0, 1, 2_000_000, true), (ls.EncoderSpiBus, ls.EncoderSpiChipSelect, ls.EncoderSpiClock, ls.EncoderIndexOnCounter));
        RaspberryPiRigSpec cd = RaspberryPiRigTests.Spec(PmsmRig("chardev"), sensors);
        Assert.Equal(EncoderSource.Chardev, cd.Encoder);
        Assert.Equal((17, 27, 5, 1024), (cd.EncoderPinA, cd.EncoderPinB, cd.EncoderPinZ, cd.EncoderEventBufferSize));
        Assert.Equal(EncoderSource.Gpio, RaspberryPiRigTests.Spec(PmsmRig("gpio"), sensors).Encoder);

        ConfigException Bad(string encoder, SensorSpec? s = null) => Assert.Throws<ConfigException>(() =>
            RaspberryPiRigTests.Spec(RaspberryPiRigTests.PmsmRig.Replace("""{ "source": "gpio", "pin_a": 17, "pin_b": 27, "pin_z": 5 }""", encoder, StringComparison.Ordinal), s ?? sensors));
        Assert.Contains("chip_select", Bad("""{ "source": "ls7366r", "chip_select": 0, "index": true }""").Message); // CE0 is the ADC's
        Assert.Contains("pin_a", Bad("""{ "source": "ls7366r", "pin_a": 17, "index": true }""").Message);
        Assert.Contains("index", Bad("""{ "source": "ls7366r" }""").Message);                                     // has_index needs it
        Assert.Contains("spi_bus", Bad("""{ "source": "chardev", "pin_a": 17, "pin_b": 27, "pin_z": 5, "spi_bus": 0 }""").Message);
        Assert.Contains("pin_b", Bad("""{ "source": "chardev", "pin_a": 17, "pin_z": 5 }""").Message);
        Assert.Contains("event_buffer_size", Bad("""{ "source": "gpio", "pin_a": 17, "pin_b": 27, "pin_z": 5, "event_buffer_size": 64 }""").Message);
        Assert.Contains("event_buffer_size", Bad("""{ "source": "chardev", "pin_a": 17, "pin_b": 27, "pin_z": 5, "event_buffer_size": 2048 }""").Message);
        Assert.Contains("ls7366r", Bad("""{ "source": "quadrature" }""").Message);
    }
}

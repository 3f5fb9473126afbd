using MotorRT.Hardware.Emulation;
using MotorRT.Hardware.Hil;
using MotorRT.Hardware.RaspberryPi;

namespace MotorRT.HilTests.Faults;

/// <summary>
/// The shipped examples/ configs run unchanged on the simulated rig, the Raspberry Pi rig over emulated devices and
/// through the HIL plant server, in lock-step: the HIL run reproduces the simulated run exactly; the emulated Pi run
/// matches it up to the PWM's 1 ns duty resolution.
/// </summary>
public class ExampleRigsTests
{
    private static string Repo()
    {
        string? d = AppContext.BaseDirectory;
        while (d is not null && !File.Exists(Path.Combine(d, "MotorRT.sln")))
        {
            d = Path.GetDirectoryName(d);
        }
        return d ?? throw new DirectoryNotFoundException("MotorRT.sln not found above the test binaries");
    }

    private static string RaspberryPiRigJson(MachineKind m, string encoder) => RaspberryPiRigJson(m).Replace(
        """{ "source": "gpio", "pin_a": 17, "pin_b": 27, "pin_z": 5 }""", encoder, StringComparison.Ordinal);

    private static string RaspberryPiRigJson(MachineKind m) => m == MachineKind.Dc
        ? """{ "type": "raspberry-pi", "machine": "dc", "pwm": { "frequency_hz": 10000, "channels": [0, 1] }, "gpio": { "enable_pin": 22, "gate_fault_pin": 23 }, "encoder": { "source": "gpio", "pin_a": 17, "pin_b": 27, "pin_z": 5 }, "adc": { "type": "mcp3208", "clock_hz": 2000000, "current_channels": [0], "dc_link_channel": 1 } }"""
        : """{ "type": "raspberry-pi", "machine": "three_phase", "pwm": { "frequency_hz": 10000, "channels": [0, 1, 2] }, "gpio": { "enable_pin": 22, "gate_fault_pin": 23 }, "encoder": { "source": "gpio", "pin_a": 17, "pin_b": 27, "pin_z": 5 }, "adc": { "type": "mcp3208", "clock_hz": 2000000, "current_channels": [0, 1], "dc_link_channel": 3 } }""";

    private static RunResult Run(RuntimeConfig config, string kind)
    {
        SimulatedRig twin = SimulatedRigFactory.FromConfig(config.Rig, config.Sensors, config.Seed, config.Plant);
        MotorParameters motor = config.Motor ?? twin.Twin!.Motor;
        IRigIo rig;
        PlantServer? server = null;
        switch (kind)
        {
            case "sim":
                rig = twin;
                break;
            case "emulated-pi":
            case "emulated-pi-ls7366r":
            case "emulated-pi-chardev":
                string encoder = kind switch
                {
                    "emulated-pi-ls7366r" => """{ "source": "ls7366r", "spi_bus": 0, "chip_select": 1, "index": true }""",
                    "emulated-pi-chardev" => """{ "source": "chardev", "pin_a": 17, "pin_b": 27, "pin_z": 5 }""",
                    _ => """{ "source": "gpio", "pin_a": 17, "pin_b": 27, "pin_z": 5 }""",
                };
                RaspberryPiRigSpec spec = RaspberryPiRigSpec.Read(RawSection.Parse("pi.json", RaspberryPiRigJson(twin.Description.Machine, encoder)), config.Sensors);
                int lines = config.Sensors.Encoder!.LinesPerRevolution;
                var board = new EmulatedBoard(spec, twin, lines);
                rig = new RaspberryPiRig(spec, board.CreateDevices(), board, lines);
                break;
            default:
                server = new PlantServer(twin, 0);
                server.Start();
                rig = new RemoteRig(new RemoteRigOptions { Port = server.Port, TimeoutMs = 2000, RetransmitMs = 5 });
                break;
        }
        try
        {
            IController controller = ControllerFactory.Create(config.Controller, motor, config.Timing.Period);
            using var loop = new ControlLoop(config, rig, controller, motor);
            loop.Open();
            Assert.True(loop.Calibrate());
            return loop.Run();
        }
        finally
        {
            rig.Dispose();
            server?.Dispose();
        }
    }

    [Theory]
    [InlineData("pmdc-current.json")]
    [InlineData("pmsm-speed.json")]
    public void Example_runs_alike_on_sim_emulated_pi_and_hil(string example)
    {
        RuntimeConfig config = RuntimeConfig.Load(Path.Combine(Repo(), "examples", example));
        RunResult sim = Run(config, "sim");
        RunResult hil = Run(config, "hil");
        RunResult pi = Run(config, "emulated-pi");
        Assert.Empty(sim.Faults);
        Assert.Empty(hil.Faults);
        Assert.Empty(pi.Faults);
        Assert.Equal(sim.Ticks, hil.Ticks);
        Assert.Equal(sim.Ticks, pi.Ticks);
        Assert.NotEmpty(sim.Tracking);
        for (int i = 0; i < sim.Tracking.Length; i++)
        {
            // HIL lock-step: the same twin and commands, doubles on the wire: identical.
            Assert.Equal(sim.Tracking[i].Rmse, hil.Tracking[i].Rmse);
            Assert.Equal(sim.Tracking[i].MaxAbs, hil.Tracking[i].MaxAbs);
            // Emulated Pi: duty quantised to whole ns of the PWM period, ADC counts identical otherwise.
            double tol = 0.02 * Math.Abs(sim.Tracking[i].Rmse) + 1e-9;
            Assert.InRange(pi.Tracking[i].Rmse, sim.Tracking[i].Rmse - tol, sim.Tracking[i].Rmse + tol);
        }
    }

    [Theory]
    [InlineData("pmsm-speed.json", "emulated-pi-ls7366r")]
    [InlineData("pmsm-speed.json", "emulated-pi-chardev")]
    [InlineData("pmdc-current.json", "emulated-pi-ls7366r")]
    public void Example_closes_the_loop_on_the_emulated_pi_with_the_ls7366r_and_chardev_encoders(string example, string kind)
    {
        // The loop's encoder feedback comes from the LS7366R over (emulated) SPI or from the GPIO chardev edge reader:
        // each counts exactly what the GPIO decoder counts on the same emulated board, so the runs are identical.
        RuntimeConfig config = RuntimeConfig.Load(Path.Combine(Repo(), "examples", example));
        RunResult gpio = Run(config, "emulated-pi");
        RunResult other = Run(config, kind);
        Assert.Empty(gpio.Faults);
        Assert.Empty(other.Faults);
        Assert.Equal(gpio.Ticks, other.Ticks);
        Assert.NotEmpty(gpio.Tracking);
        for (int i = 0; i < gpio.Tracking.Length; i++)
        {
            Assert.Equal(gpio.Tracking[i].Rmse, other.Tracking[i].Rmse);
            Assert.Equal(gpio.Tracking[i].MaxAbs, other.Tracking[i].MaxAbs);
        }
    }
}

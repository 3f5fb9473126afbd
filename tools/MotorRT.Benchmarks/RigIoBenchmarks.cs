using BenchmarkDotNet.Attributes;
using Iot.Device.Adc;
using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Sensors;
using MotorRT.Hardware.Emulation;
using MotorRT.Hardware.Hil;
using MotorRT.Hardware.RaspberryPi;
using MotorRT.Sim;
using MotorRT.Sim.Presets;
using MotorRT.Sim.Rig;
using MotorRT.Sim.Sensors;
using Microsoft.Win32.SafeHandles;

namespace MotorRT.Benchmarks;

/// <summary>
/// Per-update costs of the rig I/O paths measurable on this machine: the simulated rig, the sensor models, each
/// emulated Raspberry Pi device path through the real Iot.Device.Bindings classes, the HIL lock-step round trip
/// over loopback UDP, and one pwrite (the syscall a sysfs PWM duty update costs, measured on a temporary file).
/// Run with <c>--filter *RigIo* --inProcess</c>.
/// </summary>
[MemoryDiagnoser]
public class RigIoBenchmarks
{
    private SimulatedRig _sim = null!;
    private SensorSuite _suite = null!;
    private SensorInputs _inputs;
    private EmulatedMcp3xxx _spi = null!;
    private Mcp3208 _mcp = null!;
    private RaspberryPiRig _pi = null!;
    private EmulatedGpioDriver _gpio = null!;
    private System.Device.Gpio.GpioController _controller = null!;
    private GpioQuadratureDecoder _decoder = null!;
    private EmulatedLs7366r _counterChip = null!;
    private Ls7366rEncoder _counter = null!;
    private Ls7366rEncoder _counterNoIndex = null!;
    private EmulatedGpioLineEvents _lineEvents = null!;
    private GpioChardevEdgeReader _chardev = null!;
    private long _shaft;
    private ulong _edgeTimeNs;
    private VirtualPwmChannel _pwm = null!;
    private PlantServer _server = null!;
    private RemoteRig _remote = null!;
    private SafeFileHandle _file = null!;
    private string _path = "";
    private RawSensorFrame _frame;
    private ConverterCommand _cmd;
    private readonly byte[] _text = "25000"u8.ToArray();
    private int _k;

    private static SensorSpec Sensors => new()
    {
        Current = new CurrentSensorSpec { Bits = 12, AmperesPerCount = 0.5, ZeroCounts = 2048, PhasesSensed = 3 },
        DcLink = new VoltageSensorSpec { Bits = 12, VoltsPerCount = 0.25 },
        Encoder = new EncoderSpec { LinesPerRevolution = 1024 },
        HallSensors = true,
    };

    private static SimulatedRig Twin() => new(PhysicalSystem.Create(GemPresets.Get("Cont-SC-PMSM-v0")), Sensors);

    [GlobalSetup]
    public void Setup()
    {
        _cmd.BridgeEnable = true;
        _cmd.Duty[0] = 0.05;
        _cmd.Duty[1] = -0.025;
        _cmd.Duty[2] = -0.025;
        _sim = Twin();
        _sim.Open();
        _suite = new SensorSuite(Sensors, MachineKind.ThreePhase, null, 1);
        _inputs = new SensorInputs { CurrentA = 3, CurrentB = -1, CurrentC = -2, DcLinkVoltage = 400 };
        _spi = new EmulatedMcp3xxx(8, 12, new System.Device.Spi.SpiConnectionSettings(0, 0));
        _spi.SetChannel(2, 1234);
        _mcp = new Mcp3208(_spi);
        string rig = """
        { "type": "raspberry-pi", "machine": "three_phase", "pwm": { "frequency_hz": 10000, "channels": [0, 1, 2] },
          "gpio": { "enable_pin": 22, "gate_fault_pin": 23, "overcurrent_pin": 24, "hall_pins": [16, 20, 21] },
          "encoder": { "source": "gpio", "pin_a": 17, "pin_b": 27, "pin_z": 5 },
          "adc": { "type": "mcp3208", "clock_hz": 2000000, "current_channels": [0, 1, 2], "dc_link_channel": 3 } }
        """;
        RaspberryPiRigSpec spec = RaspberryPiRigSpec.Read(RawSection.Parse("bench", rig), Sensors);
        var board = new EmulatedBoard(spec, Twin(), 1024);
        _pi = new RaspberryPiRig(spec, board.CreateDevices(), board, 1024);
        _pi.Open();
        _gpio = new EmulatedGpioDriver();
        _controller = new System.Device.Gpio.GpioController(_gpio);
        _decoder = new GpioQuadratureDecoder(_controller, 17, 27, 5);
        _decoder.Start();
        _counterChip = new EmulatedLs7366r(new System.Device.Spi.SpiConnectionSettings(0, 1));
        _counter = new Ls7366rEncoder(new Ls7366r(_counterChip, ownsDevice: false), indexWired: true);
        _counter.Start();
        _counterNoIndex = new Ls7366rEncoder(new Ls7366r(new EmulatedLs7366r(new System.Device.Spi.SpiConnectionSettings(0, 1))), indexWired: false);
        _counterNoIndex.Start();
        _lineEvents = new EmulatedGpioLineEvents();
        _chardev = new GpioChardevEdgeReader(_lineEvents, 17, 27, 5);
        _chardev.Start();
        _pwm = new VirtualPwmChannel(10000);
        _server = new PlantServer(Twin(), 0);
        _server.Start();
        _remote = new RemoteRig(new RemoteRigOptions { Port = _server.Port, TimeoutMs = 1000 });
        _remote.Open();
        _path = Path.GetTempFileName();
        _file = File.OpenHandle(_path, FileMode.Open, FileAccess.Write);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _remote.Dispose();
        _server.Dispose();
        _pi.Dispose();
        _file.Dispose();
        File.Delete(_path);
    }

    /// <summary>SimulatedRig over the PMSM twin: one Read + one Write (one RK4 plant step and all sensor models).</summary>
    [Benchmark]
    public int SimulatedRigTick()
    {
        _sim.Read(ref _frame);
        _sim.Write(in _cmd);
        return _frame.CurrentCountsA;
    }

    /// <summary>All sensor models of a three-phase rig sampled once (3 current ADCs, DC link, encoder, Halls).</summary>
    [Benchmark]
    public int SensorSuiteSample()
    {
        _inputs.MechanicalAngle += 1e-3;
        _inputs.ElectricalAngle += 3e-3;
        _suite.Sample(in _inputs, 0, ref _frame);
        return _frame.CurrentCountsA;
    }

    /// <summary>One MCP3208 conversion through Iot.Device.Bindings' Mcp3208 over the emulated SPI wire protocol.</summary>
    [Benchmark]
    public int Mcp3208ReadEmulated() => _mcp.Read(2);

    /// <summary>RaspberryPiRig.Read over emulated devices: 4 conversions, encoder snapshot, 3 Hall + 2 fault GPIO reads.</summary>
    [Benchmark]
    public int RaspberryPiRigReadEmulated()
    {
        _pi.Read(ref _frame);
        return _frame.CurrentCountsA;
    }

    /// <summary>RaspberryPiRig.Write over emulated devices plus the emulated board's period (twin step, edge replay).</summary>
    [Benchmark]
    public RigIoStatus RaspberryPiRigWriteEmulatedWithPlantStep()
    {
        _cmd.Duty[0] = 0.05 + 1e-4 * (_k++ & 15);
        return _pi.Write(in _cmd);
    }

    /// <summary>One encoder edge delivered through GpioController to the 4× decoder (four edges per call, divided).</summary>
    [Benchmark(OperationsPerInvoke = 4)]
    public long GpioDecoderEdge()
    {
        _gpio.Drive(17, true);
        _gpio.Drive(27, true);
        _gpio.Drive(17, false);
        _gpio.Drive(27, false);
        return _decoder.Edges;
    }

    /// <summary>Ls7366rEncoder.Sample with the index wired: RD STR (2 bytes) + RD CNTR (5 bytes) over the emulated chip's SPI protocol.</summary>
    [Benchmark]
    public long Ls7366rSampleEmulated()
    {
        _counter.Sample(out long c, out _, out _);
        return c;
    }

    /// <summary>Ls7366rEncoder.Sample without index: one RD CNTR (5 bytes) over the emulated chip.</summary>
    [Benchmark]
    public long Ls7366rSampleNoIndexEmulated()
    {
        _counterNoIndex.Sample(out long c, out _, out _);
        return c;
    }

    /// <summary>
    /// GpioChardevEdgeReader.Sample draining and decoding 41 queued edge events (one 100 µs tick at 409 600 edges/s:
    /// 1024 lines × 4 × 100 rev/s); the emulated kernel FIFO is filled first, inside the measurement (its share is
    /// <see cref="ChardevQueue41EdgesEmulated"/>).
    /// </summary>
    [Benchmark]
    public long ChardevFillAndSample41EdgesEmulated()
    {
        Queue41();
        _chardev.Sample(out long c, out _, out _);
        return c;
    }

    /// <summary>Only the emulated kernel's share of <see cref="ChardevFillAndSample41EdgesEmulated"/>: 41 edges queued (and dropped again).</summary>
    [Benchmark]
    public long ChardevQueue41EdgesEmulated()
    {
        Queue41();
        _chardev.Start(); // drains without decoding
        return _shaft;
    }

    private void Queue41()
    {
        for (int i = 0; i < 41; i++)
        {
            _shaft++;
            _edgeTimeNs += 2441;
            int s = (int)(_shaft & 3);
            _lineEvents.Drive(17, s is 1 or 2, _edgeTimeNs);
            _lineEvents.Drive(27, s is 2 or 3, _edgeTimeNs);
        }
    }

    /// <summary>A duty-cycle update on the virtual PWM channel (the emulation's share of a PWM write).</summary>
    [Benchmark]
    public long PwmDutyEmulated()
    {
        _pwm.DutyCycle = (_k++ & 1) == 0 ? 0.25 : 0.75;
        return _pwm.OnTimeNs;
    }

    /// <summary>One pwrite of a short decimal into a file: the syscall a sysfs PWM duty update costs (proxy on tmpfs/disk).</summary>
    [Benchmark]
    public void PwriteSyscall() => RandomAccess.Write(_file, _text, 0);

    /// <summary>HIL lock-step tick over loopback UDP: Write (command datagram) + Read (wait for the frame datagram).</summary>
    [Benchmark]
    public int HilLockStepRoundTrip()
    {
        _remote.Write(in _cmd);
        _remote.Read(ref _frame);
        return _frame.CurrentCountsA;
    }
}

using MotorRT.Contracts;
using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Cli.Errors;
using MotorRT.Cli.Rigs;
using MotorRT.Hardware.Hil;
using MotorRT.Runtime.Composition;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Loop;
using MotorRT.Runtime.Safety;
using MotorRT.Sim;
using MotorRT.Sim.Rig;

namespace MotorRT.Cli.Simulate;

/// <summary>
/// A run of one config, composed by the runtime's <see cref="DriveBuilder"/> over the CLI's registry
/// (<see cref="CliDrive.Registry"/>: <c>sim</c>, <c>raspberry-pi</c> with <c>"emulate": true</c> over the twin of its
/// <c>sim</c> sub-section, <c>remote</c>, <c>replay</c>), or with <see cref="RigMode.Hil"/> the config's simulated rig
/// served by an in-process <see cref="PlantServer"/> and driven through a <see cref="RemoteRig"/> over UDP.
/// The runtime never sees the sim: only the CLI's registry names it.
/// </summary>
public sealed class Simulation : IDisposable
{
    private readonly PlantServer? _server;

    /// <summary>Which rig <c>motorrt simulate</c> drives.</summary>
    public enum RigMode
    {
        /// <summary>The rig the config's <c>rig.type</c> names (sim, emulated raspberry-pi, remote).</summary>
        Config,
        /// <summary>The config's simulated rig behind an in-process plant server, driven over UDP by the remote HIL rig.</summary>
        Hil,
    }

    private Simulation(RuntimeConfig config, PhysicalSystem? twin, IRigIo rig, IController controller, ControlLoop loop, MotorParameters motor, PlantServer? server)
    {
        _server = server;
        Config = config;
        Twin = twin;
        Rig = rig;
        Controller = controller;
        Loop = loop;
        Motor = motor;
    }

    /// <summary>The validated configuration.</summary>
    public RuntimeConfig Config { get; }

    /// <summary>The plant twin of a simulated rig in this process (fault injection through its disturbances); null otherwise.</summary>
    public PhysicalSystem? Twin { get; }

    /// <summary>The rig the loop drives.</summary>
    public IRigIo Rig { get; }

    /// <summary>The controller.</summary>
    public IController Controller { get; }

    /// <summary>The loop.</summary>
    public ControlLoop Loop { get; }

    /// <summary>The machine as the controller knows it (the config's motor section, else the plant's).</summary>
    public MotorParameters Motor { get; }

    /// <summary>Builds everything from a config file; every config error is a <see cref="ConfigException"/> naming file and field.</summary>
    public static Simulation Create(string configPath, RigMode mode = RigMode.Config) => Create(RuntimeConfig.Load(configPath), mode);

    /// <summary>Builds everything from a validated config.</summary>
    public static Simulation Create(RuntimeConfig config, RigMode mode = RigMode.Config)
    {
        ArgumentNullException.ThrowIfNull(config);
        PhysicalSystem? twinOf;
        RigBuild rig;
        PlantServer? server = null;
        if (mode == RigMode.Hil)
        {
            (rig, server, twinOf) = CreateHilRig(config);
        }
        else
        {
            rig = DriveBuilder.BuildRig(config, CliDrive.Registry);
            twinOf = (rig.Rig as SimulatedRig)?.Twin;
        }
        Drive drive = DriveBuilder.Build(config, CliDrive.Registry, rig);
        return new Simulation(config, twinOf, drive.Rig, drive.Controller, drive.Loop, drive.Motor, server);
    }

    /// <summary>
    /// The config's simulated rig behind an in-process <see cref="PlantServer"/> (started), and the <see cref="RemoteRig"/>
    /// that drives it over UDP; the caller disposes the server after the rig.
    /// </summary>
    internal static (RigBuild Rig, PlantServer Server, PhysicalSystem? Twin) CreateHilRig(RuntimeConfig config)
    {
        if (CliDrive.Registry.Rigs.Of(config.Rig).Type != "sim")
        {
            throw config.Rig.Error("type", "--rig hil serves the config's simulated rig", "use a config with rig.type \"sim\", or drop --rig hil");
        }
        SimulatedRig plant = SimulatedRigFactory.FromConfig(config.Rig, config.Sensors, config.Seed, config.Plant);
        DriveBuilder.CheckLoopPeriod(config, plant.Description.PwmPeriod);
        var server = new PlantServer(plant, 0);
        server.Start();
        var rig = new RigBuild(new RemoteRig(new RemoteRigOptions { Port = server.Port, TimeoutMs = 1000, RetransmitMs = 2, LinkLossTicks = 5 }), plant.Twin?.Motor);
        return (rig, server, plant.Twin);
    }

    /// <summary>
    /// Opens the rig, calibrates, runs on a dedicated loop thread while <paramref name="progress"/> is polled, and returns the figures.
    /// A lock-step run with <paramref name="pace"/> &gt; 0 is paced to that many seconds of loop time per wall-clock
    /// second (the live view): the loop runs its ticks in chunks of about 20 ms of wall time and the loop thread sleeps
    /// between chunks — the tick path is the same, and the pacing allocates nothing. A stop request ends it as usual.
    /// </summary>
    public RunResult Run(string? tracePath, Action<long, long>? progress = null, double pace = 0)
    {
        Loop.Open();
        RunResult? result = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                if (!Loop.Calibrate())
                {
                    failure = new CliException(ExitCodes.RunFaulted, $"calibration failed: {FaultText.Describe(Loop.Supervisor.Faults.ToArray())}",
                        "check the current sensors (zero_counts, wiring) and that no current flows when the drive is armed");
                    return;
                }
                result = pace > 0 && Loop.Mode == LoopMode.LockStep ? RunPaced(tracePath, pace) : Loop.Run(tracePath);
            }
            catch (Exception e)
            {
                Loop.EmergencyStop(Runtime.Safety.FaultCode.UnhandledException);
                failure = e;
            }
        }) { Name = "motorrt-loop", IsBackground = false };
        thread.Start();
        while (!thread.Join(100))
        {
            progress?.Invoke(Loop.TicksCompleted, Loop.TicksPlanned);
        }
        progress?.Invoke(Loop.TicksCompleted, Loop.TicksPlanned);
        if (failure is CliException) throw failure;
        if (failure is not null) throw CliException.Runtime($"the run stopped on an error ({failure.GetType().Name}: {failure.Message})", "the bridge was disabled; rerun with --verbose for the stack trace", failure);
        return result!;
    }

    private RunResult RunPaced(string? tracePath, double pace)
    {
        // First calls before the run (a thread's first sleep creates its wait state, 40 B on Linux; the JIT's first
        // call of each method), so a run stopped inside its measurement warm-up still reads 0 B.
        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        Thread.Sleep(TimeSpan.FromSeconds(Math.Min(System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalSeconds, 1e-3)));
        Loop.Start(tracePath);
        double period = Config.Timing.Period;
        long planned = Loop.TicksPlanned;
        long chunk = Math.Max(1, (long)(0.02 * pace / period));
        t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        while (Loop.TicksCompleted < planned && !Loop.StoppedEarly)
        {
            Loop.RunTicks(Math.Min(chunk, planned - Loop.TicksCompleted));
            double ahead = Loop.TicksCompleted * period / pace - System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalSeconds;
            if (ahead > 0) Thread.Sleep(TimeSpan.FromSeconds(Math.Min(ahead, 1)));
        }
        return Loop.Finish();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Loop.Dispose();
        _server?.Dispose();
    }
}

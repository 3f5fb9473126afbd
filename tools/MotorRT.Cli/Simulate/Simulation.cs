using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Runtime;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Loop;
using MotorRT.Sim;
using MotorRT.Sim.Rig;

namespace MotorRT.Cli.Simulate;

/// <summary>
/// Composes a simulated run from one config: plant section → PlantSpec → <see cref="PhysicalSystem"/>
/// → <see cref="SimulatedRig"/> (<see cref="SimulatedRigFactory"/>) (sensors from the config, seeded) → controller (from <see cref="ControllerFactory"/>)
/// → <see cref="ControlLoop"/>. The runtime never sees the sim: only this composer names both.
/// </summary>
public sealed class Simulation : IDisposable
{
    private Simulation(RuntimeConfig config, PhysicalSystem twin, SimulatedRig rig, IController controller, ControlLoop loop, MotorParameters motor)
    {
        Config = config;
        Twin = twin;
        Rig = rig;
        Controller = controller;
        Loop = loop;
        Motor = motor;
    }

    /// <summary>The validated configuration.</summary>
    public RuntimeConfig Config { get; }

    /// <summary>The plant twin (fault injection through its disturbances).</summary>
    public PhysicalSystem Twin { get; }

    /// <summary>The simulated rig (sensor fault injection).</summary>
    public SimulatedRig Rig { get; }

    /// <summary>The controller.</summary>
    public IController Controller { get; }

    /// <summary>The loop.</summary>
    public ControlLoop Loop { get; }

    /// <summary>The machine as the controller knows it (the config's motor section, else the plant's).</summary>
    public MotorParameters Motor { get; }

    /// <summary>Builds everything from a config file; every config error is a <see cref="ConfigException"/> naming file and field.</summary>
    public static Simulation Create(string configPath) => Create(RuntimeConfig.Load(configPath));

    /// <summary>Builds everything from a validated config.</summary>
    public static Simulation Create(RuntimeConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        // The rig factory reads rig.* strictly and builds the twin from rig.plant or the top-level plant section.
        SimulatedRig rig = SimulatedRigFactory.FromConfig(config.Rig, config.Sensors, config.Seed, config.Plant);
        PhysicalSystem twin = rig.Twin ?? throw new InvalidOperationException("the simulated rig has no twin");
        double pwm = rig.Description.PwmPeriod;
        if (Math.Abs(pwm - config.Timing.Period) > 1e-9 * config.Timing.Period)
        {
            throw new ConfigException(config.File, "timing.frequency",
                $"the loop period {config.Timing.Period:G6} s differs from the rig's PWM period {pwm:G6} s (plant tau × rig.sub_steps)",
                "make timing.frequency = 1 / (plant tau × rig.sub_steps)");
        }
        MotorParameters motor = config.Motor ?? twin.Motor;
        IController controller = ControllerFactory.Create(config.Controller, motor, config.Timing.Period);
        var loop = new ControlLoop(config, rig, controller, motor);
        return new Simulation(config, twin, rig, controller, loop, motor);
    }

    /// <summary>Opens the rig, calibrates, runs on a dedicated loop thread while <paramref name="progress"/> is polled, and returns the figures.</summary>
    public RunResult Run(string? tracePath, Action<long, long>? progress = null)
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
                    failure = new InvalidOperationException($"calibration failed: {string.Join(", ", Loop.Supervisor.Faults.ToArray())}");
                    return;
                }
                result = Loop.Run(tracePath);
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
        if (failure is not null) throw new InvalidOperationException(failure.Message, failure);
        return result!;
    }

    /// <inheritdoc />
    public void Dispose() => Loop.Dispose();
}

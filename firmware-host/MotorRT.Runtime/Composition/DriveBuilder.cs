using MotorRT.Contracts;
using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Loop;

namespace MotorRT.Runtime.Composition;

/// <summary>
/// The one composition root: config → rig (from the registry's rig kinds) → machine (the <c>motor</c> section, else the
/// twin behind the rig) → controller (from the registry's families) → <see cref="ControlLoop"/>. The host daemon and
/// <c>motorrt simulate</c> both build their drive here; the loop itself knows only the contracts.
/// </summary>
public static class DriveBuilder
{
    /// <summary>Builds the drive; every config error is a <see cref="ConfigException"/> naming file and field.</summary>
    /// <param name="config">The validated configuration.</param>
    /// <param name="registry">The rig kinds and controller families of this program.</param>
    /// <param name="rig">A rig built by the caller instead of from <c>config.rig</c> (e.g. the CLI's HIL mode), or null.</param>
    public static Drive Build(RuntimeConfig config, DriveRegistry registry, RigBuild? rig = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(registry);
        rig ??= BuildRig(config, registry);
        try
        {
            MotorParameters motor = config.Motor ?? rig.PlantMotor
                ?? throw new ConfigException(config.File, "motor", "no motor section, and no simulated plant in this process to take the machine from",
                    "add \"motor\": { \"type\": ..., GEM-named parameters, \"limits\": { ... } } (required on a real rig)");
            IController controller = registry.Controllers.Create(config.Controller, motor, config.Timing.Period);
            RigDescription described = rig.Rig.Description;
            if (!described.Capabilities.Accepts(controller.CommandMode))
            {
                (controller as IDisposable)?.Dispose();
                throw config.Controller.Error("type",
                    $"controller \"{controller.Name}\" writes {controller.CommandMode} commands, but rig \"{described.Name}\" takes only {described.Capabilities.Commands}",
                    controller.CommandMode is CommandMode.DutyCycle or CommandMode.SwitchingState
                        ? "choose a controller that writes set-points for this smart-drive rig (e.g. \"pi-speed-torque\")"
                        : "run it on a rig whose drive board takes set-points (\"odrive\", \"moteus\"), or choose a controller that writes duty cycles");
            }
            if (controller is IPositionController && config.Reference.Position is null)
            {
                (controller as IDisposable)?.Dispose();
                throw new ConfigException(config.File, "reference.position", $"controller \"{controller.Name}\" follows a position reference, but the reference section gives none",
                    "add \"position\": { \"type\": \"step\", \"final\": 20.0, \"time\": 0.05 } (rad, unwrapped) to \"reference\"");
            }
            var loop = new ControlLoop(config, rig.Rig, controller, motor);
            return new Drive(config, rig, motor, controller, loop);
        }
        catch
        {
            rig.Rig.Dispose();
            throw;
        }
    }

    /// <summary>Builds only the rig <c>config.rig</c> names, refusing a loop period the rig cannot run (<see cref="CheckLoopPeriod"/>).</summary>
    public static RigBuild BuildRig(RuntimeConfig config, DriveRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(registry);
        RigBuild rig = registry.Rigs.Create(new RigRequest(config.Rig, config.Sensors, config.Seed, config.Plant, registry.Rigs));
        try
        {
            if (rig.Rig.Description.RequiresLoopPeriod) CheckLoopPeriod(config, rig.Rig.Description.PwmPeriod);
        }
        catch
        {
            rig.Rig.Dispose();
            throw;
        }
        return rig;
    }

    /// <summary>
    /// Refuses a loop period (<c>timing.frequency</c>) other than <paramref name="pwmPeriod"/> (s) of a rig that needs it
    /// (<see cref="RigDescription.RequiresLoopPeriod"/>; the CLI's HIL mode checks the served twin's): a twin would run
    /// its plant at another rate than the loop's clock, and identified inductances, fluxes and inertias would come out
    /// scaled by the ratio. Throws a <see cref="ConfigException"/> naming <c>timing.frequency</c>.
    /// </summary>
    public static void CheckLoopPeriod(RuntimeConfig config, double pwmPeriod)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (Math.Abs(pwmPeriod - config.Timing.Period) > 1e-9 * config.Timing.Period)
        {
            throw new ConfigException(config.File, "timing.frequency",
                $"the loop period {config.Timing.Period:G6} s differs from the rig's PWM period {pwmPeriod:G6} s (plant tau × rig.sub_steps, or the drive board's frequency_hz)",
                $"make timing.frequency {1 / pwmPeriod:G6} Hz (the twin's 1 / (plant tau × rig.sub_steps); a drive board's rig.frequency_hz)");
        }
    }
}

/// <summary>A composed drive: what <see cref="DriveBuilder"/> built from one config.</summary>
/// <param name="Config">The configuration.</param>
/// <param name="RigBuild">The rig and, when a twin runs behind it in this process, its machine.</param>
/// <param name="Motor">The machine as the controller knows it.</param>
/// <param name="Controller">The controller.</param>
/// <param name="Loop">The loop (owns the rig once opened; dispose it to close).</param>
public sealed record Drive(RuntimeConfig Config, RigBuild RigBuild, MotorParameters Motor, IController Controller, ControlLoop Loop)
{
    /// <summary>The rig the loop drives.</summary>
    public IRigIo Rig => RigBuild.Rig;
}

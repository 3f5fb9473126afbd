using System.CommandLine;
using System.Globalization;
using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Policies;
using MotorRT.Policies.Cascades;
using MotorRT.Policies.Foc;
using MotorRT.Policies.PI;
using MotorRT.Policies.Position;
using MotorRT.Policies.Setpoint;
using MotorRT.Policies.Tuning;
using MotorRT.Runtime;
using MotorRT.Runtime.Configuration;
using MotorRT.Sim;
using MotorRT.Sim.Rig;

[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("MotorRT.Cli.Tests")]

namespace MotorRT.Cli.Commands;

/// <summary>
/// <c>motorrt tune &lt;config&gt;</c>: designs the cascaded-PI controller of a runtime config file (loaded by
/// <see cref="RuntimeConfig.Load"/>, the machine resolved as <c>motorrt simulate</c> does) from the motor parameters and
/// prints the gains in use with the reasoning (plant, method, formulas, crossover, phase margin, bandwidth).
/// </summary>
internal static class TuneCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var config = new Argument<FileInfo>("config") { Description = "Runtime config file (the one `motorrt simulate` and the host run, see firmware-host/README.md): the controller section (type pi-dc-*, foc-* or pi-speed-torque / pi-position-torque), the control period from timing.frequency, the machine from the motor section or, when absent, from the simulated plant (plant / rig.plant preset)." };
        var command = new Command("tune", "Design the cascaded PI / FOC gains (and the position loop of the *-position types) of a runtime config from the motor parameters and print gains, bandwidths and phase margins.") { config };
        command.SetAction(parse => Run(parse.GetValue(config)!.FullName, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Runs the command; returns the exit code (0 ok, 2 config error).</summary>
    public static int Run(string path, TextWriter output, TextWriter error)
    {
        try
        {
            // The runtime's own loader: the whole file is validated strictly, exactly as `simulate` and the host do.
            RuntimeConfig config = RuntimeConfig.Load(path);
            double period = config.Timing.Period;
            RawSection controller = config.Controller;
            string type = ControllerFactory.Families.TypeOf(controller);
            if (ControllerFactory.Families.Find(type) is not (DcCascadeFamily or FocFamily or SpeedTorqueFamily))
            {
                string[] tunable = [.. new DcCascadeFamily().Types, .. new FocFamily().Types, .. new SpeedTorqueFamily().Types];
                throw controller.Error("type", $"\"{type}\" is not a cascaded PI controller, nothing to tune",
                    $"use one of: {string.Join(", ", tunable)}");
            }
            MotorParameters motor = ResolveMotor(config, out string source);
            IController c = ControllerFactory.Create(controller, motor, period);
            Print(output, path, type, motor, source, period, c);
            return 0;
        }
        catch (ConfigException e)
        {
            error.WriteLine(e.Message);
            return 2;
        }
    }

    /// <summary>
    /// The machine as the controller of a run of this config knows it, resolved as <c>motorrt simulate</c> does
    /// (<see cref="Simulate.Simulation.Create(RuntimeConfig, Simulate.Simulation.RigMode)"/>): the config's <c>motor</c> section, else the twin the
    /// simulated rig builds from <c>rig.plant</c> / <c>plant</c> (<see cref="SimulatedRigFactory"/> →
    /// <see cref="MotorRT.Sim.Spec.PlantSpecReader.FromConfig"/>), with the same strict checks.
    /// </summary>
    internal static MotorParameters ResolveMotor(RuntimeConfig config, out string source)
    {
        if (config.Motor is not null)
        {
            source = "motor section";
            return config.Motor;
        }
        // A rig that emulates a board over the twin (odrive, moteus with "emulate") nests the simulated rig as "sim".
        RawSection simRig = config.Rig.Optional("sim") ?? config.Rig;
        SimulatedRig rig = SimulatedRigFactory.FromConfig(simRig, config.Sensors, config.Seed, config.Plant);
        PhysicalSystem twin = rig.Twin ?? throw new ConfigException(config.File, "rig", "the simulated rig has no twin", "give a motor section");
        source = $"plant {twin.Spec.Name ?? "(custom)"}";
        return twin.Motor;
    }

    private static void Print(TextWriter o, string path, string type, MotorParameters motor, string source, double period, IController c)
    {
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(inv, $"{path}: {type} for a {motor.Machine.Id} ({source}), control period {period * 1e6:G4} µs (timing)"));
        PositionLoopDesign? position = null;
        if (c is PositionController pc)
        {
            position = pc.Design;
            c = pc.Inner;
        }
        if (c is SpeedTorqueController st)
        {
            PrintSetpointSpeedLoop(o, st, position);
            return;
        }
        CascadeDesign design;
        CascadeOptions options;
        double torqueLimit;
        if (c is DcCascadeController dc)
        {
            design = dc.Design;
            options = dc.Options;
            torqueLimit = dc.TorqueLimit;
        }
        else if (c is FocController foc)
        {
            design = foc.Design;
            options = foc.Options;
            torqueLimit = foc.TorqueLimit;
        }
        else
        {
            var scim = (ScimFocController)c;
            design = scim.Design;
            options = scim.Options;
            torqueLimit = scim.TorqueLimit;
        }
        o.WriteLine();
        o.WriteLine(design.Explain());
        o.WriteLine();
        o.WriteLine("gains in use (config overrides take precedence over the design):");
        Gains(o, "current" + (design.CurrentQ is null ? "" : " d"), options.CurrentGains, design.Current.Kp, design.Current.Ki, "V/A", "V/(A·s)");
        if (design.CurrentQ is not null) Gains(o, "current q", options.CurrentQGains, design.CurrentQ.Kp, design.CurrentQ.Ki, "V/A", "V/(A·s)");
        if (design.Excitation is not null) Gains(o, "excitation", options.ExcitationGains, design.Excitation.Kp, design.Excitation.Ki, "V/A", "V/(A·s)");
        if (design.Speed is not null) Gains(o, "speed", options.SpeedGains, design.Speed.Kp, design.Speed.Ki, "N·m·s/rad", "N·m/rad");
        o.WriteLine(string.Create(inv, $"  anti-windup {options.AntiWindup}, current limit {(options.CurrentLimit > 0 ? options.CurrentLimit : motor.Limits.Current):G4} A, torque limit {torqueLimit:G4} N·m"));
        PrintPosition(o, position);
    }

    /// <summary>The speed PI of a set-point rig (its torque loop is the drive board's) and the position loop over it, if any.</summary>
    private static void PrintSetpointSpeedLoop(TextWriter o, SpeedTorqueController st, PositionLoopDesign? position)
    {
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine();
        o.WriteLine("current/torque loop: the drive board's (set-points over CAN); speed loop: symmetric optimum on J/s with T_Σ = delay + board torque-loop time (see the pi-speed-torque section)");
        if (position is not null)
        {
            o.WriteLine(string.Create(inv, $"  J = {position.Speed.Inertia:G4} kg·m², T_Σ = {position.Speed.SumTimeConstant * 1e3:G4} ms"));
        }
        o.WriteLine();
        o.WriteLine("gains in use:");
        o.WriteLine(string.Create(inv, $"  speed: K_p = {st.Kp:G5} N·m·s/rad, K_i = {st.Ki:G5} N·m/rad, torque limit {st.TorqueLimit:G4} N·m"));
        PrintPosition(o, position);
    }

    private static void PrintPosition(TextWriter o, PositionLoopDesign? position)
    {
        if (position is null) return;
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(inv, $"  position: K_p = {position.Kp:G5} 1/s ({(position.Kp != position.DesignedKp ? "config" : "designed")}), speed limit {position.SpeedLimit:G4} rad/s, deceleration limit {position.DecelerationLimit:G4} rad/s²"));
        o.WriteLine();
        o.WriteLine(position.Explain());
    }

    private static void Gains(TextWriter o, string name, PIGains? over, double kp, double ki, string ukp, string uki)
    {
        var inv = CultureInfo.InvariantCulture;
        if (over is null)
        {
            o.WriteLine(string.Create(inv, $"  {name}: K_p = {kp:G5} {ukp}, K_i = {ki:G5} {uki} (designed)"));
        }
        else
        {
            o.WriteLine(string.Create(inv, $"  {name}: K_p = {over.Kp:G5} {ukp}, K_i = {over.Ki:G5} {uki} (config; design was {kp:G5}, {ki:G5})"));
        }
    }
}

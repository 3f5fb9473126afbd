using System.CommandLine;
using System.Globalization;
using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Policies;
using MotorRT.Policies.Cascades;
using MotorRT.Policies.Foc;
using MotorRT.Policies.Pi;
using MotorRT.Policies.Tuning;

[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("MotorRT.Cli.Tests")]

namespace MotorRT.Cli.Commands;

/// <summary>
/// <c>motorrt tune &lt;config&gt;</c>: designs the cascaded-PI controller of a config file from the motor parameters and
/// prints the gains in use with the reasoning (plant, method, formulas, crossover, phase margin, bandwidth).
/// </summary>
internal static class TuneCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var config = new Argument<FileInfo>("config") { Description = "Config file with a \"controller\" section (type pi-dc-* or foc-*) and the machine: \"motor\" (explicit GEM-named parameters)." };
        var period = new Option<double?>("--period") { Description = "Control period in s (default: the config's \"period\", else 1e-4 s, GEM's tau)." };
        var command = new Command("tune", "Design the cascaded PI / FOC gains from the motor parameters and print gains, bandwidths and phase margins.");
        command.Arguments.Add(config);
        command.Options.Add(period);
        command.SetAction(parse => Run(parse.GetValue(config)!.FullName, parse.GetValue(period), Console.Out, Console.Error));
        return command;
    }

    /// <summary>Runs the command; returns the exit code (0 ok, 2 config error).</summary>
    public static int Run(string path, double? periodOverride, TextWriter output, TextWriter error)
    {
        try
        {
            JsonSection root = JsonSection.Load(path);
            double period = periodOverride ?? root.Number("period", 1e-4, 1e-6, 1e-2, "s");
            MotorParameters motor = MotorSection.Read(root.Section("motor"));
            JsonSection controller = root.Section("controller");
            string type = controller.String("type");
            if (!PiControllerCatalog.Handles(type))
            {
                throw controller.Error("type", $"\"{type}\" is not a cascaded PI controller, nothing to tune",
                    $"use one of: {string.Join(", ", PiControllerCatalog.Types)}");
            }
            IController c = PiControllerCatalog.Create(type, controller, motor, period);
            root.Ignore("rig", "loop", "sensors", "supervisor", "telemetry", "scenario", "plant", "notes", "seed", "runtime");
            Print(output, path, type, motor, period, c);
            return 0;
        }
        catch (ConfigException e)
        {
            error.WriteLine(e.Message);
            return 2;
        }
    }

    private static void Print(TextWriter o, string path, string type, MotorParameters motor, double period, IController c)
    {
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(inv, $"{path}: {type} for a {motor.Type}, control period {period * 1e6:G4} µs"));
        CascadeDesign design;
        CascadeOptions options;
        double torqueLimit;
        if (c is DcCascadeController dc)
        {
            design = dc.Design;
            options = dc.Options;
            torqueLimit = dc.TorqueLimit;
        }
        else
        {
            var foc = (FocController)c;
            design = foc.Design;
            options = foc.Options;
            torqueLimit = foc.TorqueLimit;
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
    }

    private static void Gains(TextWriter o, string name, PiGains? over, double kp, double ki, string ukp, string uki)
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

/// <summary>
/// Reads an explicit machine description in GEM's parameter names (SI):
/// <c>{"type": "PermExDc"|"ExtExDc"|"SeriesDc"|"ShuntDc"|"PMSM"|"SynRM"|"EESM", "r_a", "l_a", "psi_e", "r_e", "l_e",
/// "l_e_prime", "p", "l_d", "l_q", "psi_p", "r_s", "l_m", "j_rotor", "limits": {"i", "u", "omega", "torque", "i_e"}}</c>.
/// Strict: unknown keys and non-positive values are errors naming the field.
/// </summary>
internal static class MotorSection
{
    public static MotorParameters Read(JsonSection s)
    {
        string type = s.OneOf("type", "PermExDc", "ExtExDc", "SeriesDc", "ShuntDc", "PMSM", "SynRM", "EESM");
        MotorType t = type switch
        {
            "PermExDc" => MotorType.PermanentlyExcitedDc,
            "ExtExDc" => MotorType.ExternallyExcitedDc,
            "SeriesDc" => MotorType.SeriesDc,
            "ShuntDc" => MotorType.ShuntDc,
            "PMSM" => MotorType.Pmsm,
            "SynRM" => MotorType.SynRm,
            _ => MotorType.Eesm,
        };
        const double tiny = 1e-12;
        bool dc = t is MotorType.PermanentlyExcitedDc or MotorType.ExternallyExcitedDc or MotorType.SeriesDc or MotorType.ShuntDc;
        bool wound = t is MotorType.ExternallyExcitedDc or MotorType.SeriesDc or MotorType.ShuntDc or MotorType.Eesm;
        JsonSection lim = s.Section("limits");
        var limits = new MotorLimits
        {
            Current = lim.Number("i", tiny, 1e6, "A"),
            Voltage = lim.Number("u", tiny, 1e6, "V"),
            Speed = lim.Number("omega", tiny, 1e6, "rad/s"),
            Torque = lim.Number("torque", 0.0, 0.0, 1e6, "N·m"),
            ExcitationCurrent = lim.Number("i_e", 0.0, 0.0, 1e6, "A"),
        };
        lim.EnsureNoUnknownKeys();
        var m = new MotorParameters
        {
            Type = t,
            ArmatureResistance = dc ? s.Number("r_a", tiny, 1e3, "Ω") : 0,
            ArmatureInductance = dc ? s.Number("l_a", tiny, 10, "H") : 0,
            ExcitationFlux = t == MotorType.PermanentlyExcitedDc ? s.Number("psi_e", tiny, 100, "V·s") : 0,
            ExcitationResistance = wound ? s.Number("r_e", tiny, 1e3, "Ω") : 0,
            ExcitationInductance = wound ? s.Number("l_e", tiny, 10, "H") : 0,
            MutualInductance = dc && wound ? s.Number("l_e_prime", tiny, 10, "H") : 0,
            PolePairs = dc ? 1 : s.Number("p", 1, 100),
            StatorResistance = dc ? 0 : s.Number("r_s", tiny, 1e3, "Ω"),
            InductanceD = dc ? 0 : s.Number("l_d", tiny, 10, "H"),
            InductanceQ = dc ? 0 : s.Number("l_q", tiny, 10, "H"),
            PermanentMagnetFlux = t == MotorType.Pmsm ? s.Number("psi_p", tiny, 100, "V·s") : 0,
            MainInductance = t == MotorType.Eesm ? s.Number("l_m", tiny, 10, "H") : 0,
            RotorInertia = s.Number("j_rotor", tiny, 1e4, "kg·m²"),
            Limits = limits,
        };
        s.EnsureNoUnknownKeys();
        return m;
    }
}

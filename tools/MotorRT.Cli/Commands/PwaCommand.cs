using System.CommandLine;
using MotorRT.Cli.Errors;
using MotorRT.Cli.Output;
using MotorRT.Contracts.IO;
using MotorRT.Contracts;
using System.Globalization;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.Pwa;

namespace MotorRT.Cli.Commands;

/// <summary>
/// <c>motorrt pwa check|import|mpc</c>: validate a PWA law file, convert MPT3/PPOPT exports into one, or synthesise the
/// PMSM current-loop explicit MPC (see policies/README.md, "PWA laws").
/// </summary>
internal static class PwaCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("pwa", "Piecewise-affine (explicit MPC) laws: check a law file, import MPT3/PPOPT exports, synthesise the PMSM current MPC.");

        var law = new Argument<FileInfo>("law") { Description = "A motorrt-pwa-law/1 file." };
        var samples = new Option<int>("--samples") { Description = "Random coverage samples (default 4000).", DefaultValueFactory = _ => 4000 };
        var check = new Command("check", "Validate a law file (dimensions, non-empty regions, coverage of the box, continuity), build its search tree and print a summary.") { law, samples };
        check.SetAction(p => Check(p.GetValue(law)!.FullName, p.GetValue(samples), p.InvocationConfiguration.Output, p.InvocationConfiguration.Error));
        command.Subcommands.Add(check);

        var from = new Option<string>("--from") { Description = "Source format: mpt3 (arrays H, K, NC, F, G) or ppopt (critical_regions with E, f, A, b).", Required = true };
        from.AcceptOnlyFromAmong("mpt3", "ppopt");
        var source = new Argument<FileInfo>("source") { Description = "JSON file with the toolbox's arrays." };
        var header = new Option<FileInfo>("--header") { Description = "JSON header: parameters (θ order, SI box), output (meaning, min, max), continuous, optional tolerance/description.", Required = true };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Law file to write.", Required = true };
        var import = new Command("import", "Convert an MPT3 or PPOPT export into a validated motorrt-pwa-law/1 file.") { source, from, header, output };
        import.SetAction(p => Import(p.GetValue(from)!, p.GetValue(source)!.FullName, p.GetValue(header)!.FullName, p.GetValue(output)!.FullName, p.InvocationConfiguration.Output, p.InvocationConfiguration.Error));
        command.Subcommands.Add(import);

        var config = new Argument<FileInfo>("config") { Description = "Config with a \"motor\" section (GEM parameter names, as for motorrt tune) and optionally \"period\" (s)." };
        var horizon = new Option<int>("--horizon") { Description = "Prediction horizon N (1-3, default 2).", DefaultValueFactory = _ => 2 };
        var dcLink = new Option<double>("--dc-link") { Description = "DC-link voltage in V for the voltage limit u_dc/sqrt(6) (default 300).", DefaultValueFactory = _ => 300.0 };
        var current = new Option<double?>("--current-range") { Description = "Half-width of the current box in A (default: the motor's current limit)." };
        var speed = new Option<double?>("--speed-range") { Description = "Largest mechanical speed in rad/s (default: the motor's speed limit)." };
        var mpcOut = new Option<FileInfo>("--output", "-o") { Description = "Law file to write.", Required = true };
        var mpc = new Command("mpc", "Synthesise the explicit MPC of the PMSM current loop (exact multiparametric QP) and write it as a law file.") { config, horizon, dcLink, current, speed, mpcOut };
        mpc.SetAction(p => Mpc(p.GetValue(config)!.FullName, p.GetValue(horizon), p.GetValue(dcLink), p.GetValue(current), p.GetValue(speed),
            p.GetValue(mpcOut)!.FullName, p.InvocationConfiguration.Output, p.InvocationConfiguration.Error));
        command.Subcommands.Add(mpc);
        return command;
    }

    /// <summary>Validates and summarises a law file; exit code 0 ok, 2 invalid.</summary>
    public static int Check(string path, int samples, TextWriter output, TextWriter error)
    {
        try
        {
            PwaLaw law = PwaLawFile.Load(path, validate: false);
            PwaValidationReport report = PwaValidator.Validate(law, samples);
            PwaSearchTree tree = law.Tree ?? law.BuildTree();
            Summarise(output, law, report, tree);
            return 0;
        }
        catch (Exception e)
        {
            return CliErrorReporter.Report(e, "pwa", verbose: false, error);
        }
    }

    /// <summary>Imports an MPT3/PPOPT export; exit code 0 ok, 2 invalid.</summary>
    public static int Import(string from, string source, string headerPath, string outPath, TextWriter output, TextWriter error)
    {
        try
        {
            outPath = OutputPaths.CheckFile(outPath, "--output");
            PwaImport.Header header = PwaImport.LoadHeader(headerPath);
            PwaLaw law = from == "mpt3" ? PwaImport.LoadMpt3(source, header) : PwaImport.LoadPpopt(source, header);
            string description = header.Description.Length > 0 ? header.Description : $"imported from {from}: {Path.GetFileName(source)}";
            AtomicFile.WriteAllText(outPath, PwaLawFile.ToJson(law, description));
            PwaLaw written = PwaLawFile.Load(outPath);
            output.WriteLine($"{outPath}: {written.RegionCount} regions imported from {from} ({source}), validated");
            return 0;
        }
        catch (Exception e)
        {
            return CliErrorReporter.Report(e, "pwa", verbose: false, error);
        }
    }

    /// <summary>Synthesises the PMSM current MPC; exit code 0 ok, 2 invalid config.</summary>
    public static int Mpc(string configPath, int horizon, double dcLink, double? currentRange, double? speedRange, string outPath, TextWriter output, TextWriter error)
    {
        try
        {
            outPath = OutputPaths.CheckFile(outPath, "--output");
            // Any file with a motor section (a runtime config, a case file); the period is its own top-level key.
            System.Text.Json.JsonElement root = ConfigFile.Load(configPath, PwaJson.Info<System.Text.Json.JsonElement>(), PwaLawFile.MaxFileBytes);
            double period = 1e-4;
            if (root.TryGetProperty("period", out System.Text.Json.JsonElement p)
                && !(p.ValueKind == System.Text.Json.JsonValueKind.Number && p.TryGetDouble(out period) && double.IsFinite(period)))
            {
                throw new ConfigException(configPath, "period", $"expected a finite number s, found {(p.ValueKind == System.Text.Json.JsonValueKind.String ? $"\"{p.GetString()}\"" : p.GetRawText())}", "write a plain number such as 1e-4");
            }
            if (period is < 1e-6 or > 1e-2)
            {
                throw new ConfigException(configPath, "period", $"value {period} s is out of range", "use a value in [1E-06, 0.01] s");
            }
            if (!root.TryGetProperty("motor", out System.Text.Json.JsonElement motorElement))
            {
                throw new ConfigException(configPath, "motor", "required field is missing", "add \"motor\": { \"type\": \"pmsm\", ... }");
            }
            MotorParameters motor = GemMotorSection.Read(configPath, "motor", motorElement);
            if (motor.Type is not (MotorType.Pmsm or MotorType.SynRm))
            {
                throw new ConfigException(configPath, "motor.type", $"the current MPC is for PMSM/SynRM, not {motor.Machine.Id}", "use a PMSM or SynRM motor section");
            }
            if (horizon is < 1 or > 3)
            {
                throw CliException.Input($"--horizon {horizon}: out of range", "use 1, 2 or 3");
            }
            if (!double.IsFinite(dcLink) || dcLink <= 0)
            {
                throw CliException.Input($"--dc-link {dcLink}: not a positive voltage", "give the DC-link voltage in V, e.g. 300");
            }
            if (currentRange is { } cr && (!double.IsFinite(cr) || cr <= 0) || speedRange is { } sr && (!double.IsFinite(sr) || sr <= 0))
            {
                throw CliException.Input("--current-range / --speed-range: not a positive number", "give the half-width in A and the speed in rad/s");
            }
            var options = new PmsmMpcOptions { Horizon = horizon, DcLinkVoltage = dcLink, CurrentRange = currentRange, SpeedRange = speedRange };
            PwaLaw law = PwaSynthesis.PmsmCurrentMpc(motor, period, options);
            string description = string.Create(CultureInfo.InvariantCulture,
                $"PMSM current explicit MPC (exact mpQP), N = {horizon}, T = {period} s, u_dc = {dcLink} V, from {Path.GetFileName(configPath)}");
            AtomicFile.WriteAllText(outPath, PwaLawFile.ToJson(law, description));
            PwaLaw written = PwaLawFile.Load(outPath);
            Summarise(output, written, PwaValidator.Validate(written), written.Tree ?? written.BuildTree());
            return 0;
        }
        catch (Exception e)
        {
            return CliErrorReporter.Report(e, "pwa", verbose: false, error);
        }
    }

    private static void Summarise(TextWriter o, PwaLaw law, PwaValidationReport report, PwaSearchTree tree)
    {
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine($"{law.Source}: {law.RegionCount} regions, θ ∈ R^{law.ParameterCount}, {law.OutputCount} outputs ({PwaLawFile.MeaningNames[(int)law.Meaning]}), continuous: {(law.Continuous ? "claimed and checked" : "not claimed")}");
        for (int j = 0; j < law.ParameterCount; j++)
        {
            PwaParameter p = law.Parameters[j];
            o.WriteLine(string.Create(inv, $"  θ[{j}] {p.Quantity} ∈ [{p.Min:G6}, {p.Max:G6}] {ObservationQuantities.UnitOf(p.Quantity)}"));
        }
        o.WriteLine(string.Create(inv, $"  smallest region: {report.SmallestRegion} (Chebyshev radius {report.SmallestRegionRadius:G4})"));
        o.WriteLine($"  coverage: {report.CoverageSamples} sample points covered, {report.FacetsProbed} interior facets probed from outside");
        o.WriteLine(string.Create(inv, $"  continuity: {report.ContinuityChecks} facet/neighbour pairs, largest jump {report.LargestJump:G3}"));
        o.WriteLine($"  search tree: {tree.NodeCount} nodes, {tree.LeafCount} leaves, depth {tree.Depth}, largest leaf {tree.MaxLeafSize} regions");
    }
}

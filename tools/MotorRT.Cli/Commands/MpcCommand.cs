using System.CommandLine;
using System.Globalization;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.Mpc;
using MotorRT.Policies.Pwa;
using MotorRT.Runtime.Configuration;

namespace MotorRT.Cli.Commands;

/// <summary>
/// <c>motorrt mpc build &lt;config&gt;</c>: the explicit MPC of one loop of a runtime config (machine, period and
/// limits as the drive uses them), solved by facet exploration, verified against the online QP and written as a
/// law file (see policies/README.md, "Explicit MPC").
/// </summary>
internal static class MpcCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("mpc", "Explicit model-predictive control: build a loop's explicit MPC from a runtime config.");
        var config = new Argument<FileInfo>("config") { Description = "Runtime config (as for `motorrt simulate`/`tune`): period from timing.frequency, machine from the motor section or the twin's plant, current/speed limits from limits and the machine." };
        var loop = new Option<string?>("--loop") { Description = "dc-current, dc-speed or dq-current (default: dc-current for a DC machine, dq-current for PMSM/SynRM)." };
        loop.AcceptOnlyFromAmong("dc-current", "dc-speed", "dq-current");
        var horizon = new Option<int?>("--horizon") { Description = "Horizon N in steps (default 5 for DC loops, 3 for dq)." };
        var input = new Option<string>("--input") { Description = "Input set: box (default) or hexagon (dq: the B6 voltage hexagon's largest rotation-invariant inner hexagon).", DefaultValueFactory = _ => "box" };
        input.AcceptOnlyFromAmong("box", "hexagon");
        var deltaU = new Option<double?>("--delta-u") { Description = "Δu formulation with this weight on the squared input increment (1/V²); θ gains the previous command." };
        var tracking = new Option<double>("--tracking-weight") { Description = "Weight on the squared tracking error (1/A² or 1/(rad/s)², default 1).", DefaultValueFactory = _ => 1.0 };
        var inputWeight = new Option<double?>("--input-weight") { Description = "Weight on the squared input deviation from steady state (1/V²; default b², b the discrete current gain in A/V)." };
        var currentLimit = new Option<double?>("--current-limit") { Description = "State constraint |i| ≤ this on the predicted currents, A (default: the smaller of the machine's and limits.phase_current, divided by 1.05)." };
        var noState = new Option<bool>("--no-state-constraint") { Description = "Drop the current constraint (the law is then defined on the whole box)." };
        var supply = new Option<double?>("--supply-voltage") { Description = "Supply / DC-link voltage in V (default: the machine's voltage limit)." };
        var verify = new Option<int>("--verify") { Description = "Random parameter samples checked against the online QP (default 100000).", DefaultValueFactory = _ => 100_000 };
        var maxRegions = new Option<int>("--max-regions") { Description = "Stop the exploration at this many regions (default 20000); a law cut short there has holes and is rejected (exit 2, nothing written).", DefaultValueFactory = _ => 20000 };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Law file to write.", Required = true };
        var build = new Command("build", "Build the explicit MPC of a loop (exact ZOH, Riccati terminal weight, box/hexagon input and current constraints), verify it against the online QP and write a motorrt-pwa-law/1 file. Exit code 0 ok, 2 config error, failed verification or a law that fails validation (e.g. cut short by --max-regions); nothing is written then.")
        {
            config, loop, horizon, input, deltaU, tracking, inputWeight, currentLimit, noState, supply, verify, maxRegions, output,
        };
        build.SetAction(p => Build(p.GetValue(config)!.FullName, new BuildArguments
        {
            Loop = p.GetValue(loop), Horizon = p.GetValue(horizon), Input = p.GetValue(input)!, DeltaWeight = p.GetValue(deltaU),
            TrackingWeight = p.GetValue(tracking), InputWeight = p.GetValue(inputWeight), CurrentLimit = p.GetValue(currentLimit),
            NoStateConstraint = p.GetValue(noState), SupplyVoltage = p.GetValue(supply), VerifySamples = p.GetValue(verify), MaxRegions = p.GetValue(maxRegions),
        }, p.GetValue(output)!.FullName, Console.Out, Console.Error));
        command.Subcommands.Add(build);
        return command;
    }

    /// <summary>The options of <c>mpc build</c>.</summary>
    internal sealed record BuildArguments
    {
        public string? Loop { get; init; }
        public int? Horizon { get; init; }
        public string Input { get; init; } = "box";
        public double? DeltaWeight { get; init; }
        public double TrackingWeight { get; init; } = 1.0;
        public double? InputWeight { get; init; }
        public double? CurrentLimit { get; init; }
        public bool NoStateConstraint { get; init; }
        public double? SupplyVoltage { get; init; }
        public int VerifySamples { get; init; } = 100_000;
        public int MaxRegions { get; init; } = 20000;
    }

    /// <summary>Runs <c>mpc build</c>; exit code 0 ok, 2 config error or failed verification.</summary>
    internal static int Build(string path, BuildArguments a, string outPath, TextWriter o, TextWriter error)
    {
        var inv = CultureInfo.InvariantCulture;
        try
        {
            RuntimeConfig config = RuntimeConfig.Load(path);
            double period = config.Timing.Period;
            MotorParameters motor = TuneCommand.ResolveMotor(config, out string source);
            bool dq = motor.Type is MotorType.Pmsm or MotorType.SynRm;
            string loopName = a.Loop ?? (dq ? "dq-current" : "dc-current");
            MpcLoop loop = loopName switch { "dc-speed" => MpcLoop.DcSpeed, "dq-current" => MpcLoop.DqCurrent, _ => MpcLoop.DcCurrent };
            if ((loop == MpcLoop.DqCurrent) != dq || (!dq && motor.Type != MotorType.PermanentlyExcitedDc))
            {
                throw new ConfigException(path, "--loop", $"the {loopName} MPC does not fit a {motor.Type} machine ({source})",
                    "use dc-current or dc-speed for a permanently excited DC machine, dq-current for a PMSM or SynRM");
            }
            int horizon = a.Horizon ?? (dq ? 3 : 5);
            if (a.MaxRegions < 1) throw new ConfigException(path, "--max-regions", $"region cap {a.MaxRegions} is not positive", "give a cap of at least 1 region (default 20000)");
            if (horizon is < 1 or > 20) throw new ConfigException(path, "--horizon", $"horizon {horizon} is out of range", "use 1 to 20 steps");
            double machineCurrent = motor.Limits.Current;
            if (double.IsFinite(config.Limits.PhaseCurrent)) machineCurrent = Math.Min(machineCurrent, config.Limits.PhaseCurrent);
            double iLim = a.CurrentLimit ?? machineCurrent / 1.05;
            if (!(iLim > 0)) throw new ConfigException(path, "--current-limit", $"current limit {iLim} A is not positive", "give a positive current limit");
            double speed = double.IsFinite(config.Limits.Speed) ? config.Limits.Speed : motor.Limits.Speed;
            double supply = a.SupplyVoltage ?? motor.Limits.Voltage;
            var options = new MpcOptions
            {
                Loop = loop, Horizon = horizon, TrackingWeight = a.TrackingWeight, InputWeight = a.InputWeight, DeltaWeight = a.DeltaWeight,
                InputSet = a.Input == "hexagon" ? MpcInputSet.Hexagon : MpcInputSet.Box, SupplyVoltage = supply,
                CurrentLimit = a.NoStateConstraint ? null : iLim, CurrentRange = 1.05 * iLim, ReferenceRange = iLim, SpeedRange = speed,
                MaxRegions = a.MaxRegions,
            };
            if (options.InputSet == MpcInputSet.Hexagon && !dq) throw new ConfigException(path, "--input", "the voltage hexagon is for the dq loop", "use --input box for a DC machine");
            ExplicitMpc mpc = MpcLoops.Build(motor, period, options, outPath);
            MpcVerificationReport report = MpcVerification.Verify(mpc.Problem, mpc.Law, a.VerifySamples);
            string description = string.Create(inv,
                $"explicit MPC {loopName}, N = {horizon}, T = {period} s, {a.Input} input ≤ {supply} V supply{(options.CurrentLimit is { } c ? $", |i| ≤ {c:G6} A" : "")}{(a.DeltaWeight is { } d ? $", Δu weight {d}" : "")}, from {Path.GetFileName(path)} ({source})");
            string json = PwaLawFile.ToJson(mpc.Law, description);
            o.WriteLine(string.Create(inv, $"{outPath}: {description}"));
            o.WriteLine(string.Create(inv, $"  {mpc.Solution.Regions.Count} regions by facet exploration in {mpc.Solution.Seconds * 1e3:F1} ms ({mpc.Solution.QpSolves} QP solves, {mpc.Solution.DegenerateSteps} degenerate steps){(mpc.Solution.Truncated ? ", stopped at --max-regions" : "")}"));
            o.WriteLine(mpc.Law.Domain is { } dom
                ? $"  domain: the feasible set, box ∩ {dom.K.Length} facets ({100.0 * report.Feasible / Math.Max(1, report.Samples):F1} % of the box)"
                : "  domain: the whole parameter box");
            for (int j = 0; j < mpc.Law.ParameterCount; j++)
            {
                PwaParameter p = mpc.Law.Parameters[j];
                o.WriteLine(string.Create(inv, $"  θ[{j}] {p.Quantity} ∈ [{p.Min:G6}, {p.Max:G6}] {Contracts.ObservationQuantities.UnitOf(p.Quantity)}"));
            }
            o.WriteLine(string.Create(inv, $"  verified against the online QP at {report.Samples} samples ({report.Feasible} feasible): max |Δu| = {report.MaxDeviation:E2} V, {report.Uncovered} feasible samples in no region"));
            if (mpc.Solution.Truncated)
            {
                // The partition is incomplete: the validator must see the hole; report what it found.
                string found = "the validator found no hole (the cap was reached with parameters still uncovered)";
                try { PwaLawFile.Parse(outPath, json); }
                catch (ConfigException e) { found = e.Message; }
                error.WriteLine(string.Create(inv, $"{outPath}: the exploration stopped at --max-regions {a.MaxRegions} before the law was complete, so the law fails validation: {found}"));
                error.WriteLine($"  raise --max-regions (default 20000), or shorten --horizon / coarsen the constraints to need fewer regions; nothing was written");
                return 2;
            }
            if (report.Uncovered > 0 || report.MaxDeviation > 1e-8)
            {
                error.WriteLine(string.Create(inv, $"{outPath}: verification failed (max |Δu| {report.MaxDeviation:E2} V, {report.Uncovered} uncovered); shorten the horizon or report the config"));
                return 2;
            }
            // Validate the text as the runtime will load it before anything is written.
            PwaLaw written = PwaLawFile.Parse(outPath, json);
            File.WriteAllText(outPath, json);
            o.WriteLine($"  law file written; it loads and validates (coverage of the domain, continuity); search tree {written.Tree?.NodeCount ?? 0} nodes");
            return 0;
        }
        catch (ConfigException e)
        {
            error.WriteLine(e.Message);
            return 2;
        }
    }
}

using System.CommandLine;
using MotorRT.Cli.Errors;
using MotorRT.Cli.Output;
using MotorRT.Contracts;
using MotorRT.Contracts.IO;
using MotorRT.Cli.Simulate;
using MotorRT.Contracts.Configuration;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Loop;
using MotorRT.Runtime.Safety;

namespace MotorRT.Cli.Commands;

/// <summary>
/// <c>motorrt simulate &lt;config.json&gt; --out &lt;dir&gt;</c>: runs the runtime against the simulated rig in lock-step
/// and writes <c>trace.csv</c> (or <c>trace.parquet</c>, see <c>telemetry.format</c>), <c>summary.json</c> and PNG plots, with a progress bar on stderr.
/// </summary>
internal static class SimulateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var config = new Argument<FileInfo>("config") { Description = "Runtime config file (see firmware-host/README.md): rig (type sim), plant, sensors, controller, reference, limits, timing, telemetry, seed." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output directory for trace.csv (trace.parquet for long runs or telemetry.format \"parquet\"), summary.json, currents.png, speed.png, duty.png (created if missing).", Required = true };
        var noPlots = new Option<bool>("--no-plots") { Description = "Skip the PNG plots." };
        var rigOption = new Option<string>("--rig")
        {
            Description = "Rig to drive: 'config' (default: the config's rig.type — sim, raspberry-pi or odrive with \"emulate\": true over the twin of rig.sim, or remote) or 'hil' (the config's simulated rig served by an in-process plant server, driven over UDP by the remote HIL rig).",
            DefaultValueFactory = _ => "config",
        };
        rigOption.AcceptOnlyFromAmong("config", "hil");
        var command = new Command("simulate", "Run the runtime against the simulated rig (lock-step) and write trace.csv (or trace.parquet: telemetry.format), summary.json and plots.") { config, output, noPlots, rigOption };
        command.SetAction(parse => Run(parse.GetValue(config)!.FullName, parse.GetValue(output)!.FullName, !parse.GetValue(noPlots),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error,
            parse.GetValue(rigOption) == "hil" ? Simulation.RigMode.Hil : Simulation.RigMode.Config, parse.GetValue(Program.Verbose)));
        return command;
    }

    /// <summary>
    /// Runs a simulation; returns the exit code (<see cref="ExitCodes"/>). The config is validated and every output path
    /// checked (a directory for <paramref name="outDir"/>, regular files or nothing for trace.csv, summary.json and the
    /// plots) before the rig is built or armed; summary.json is written atomically.
    /// </summary>
    public static int Run(string configPath, string outDir, bool plots, TextWriter stdout, TextWriter stderr, Simulation.RigMode rig = Simulation.RigMode.Config, bool verbose = false, bool progress = true)
    {
        try
        {
            return RunChecked(configPath, outDir, plots, stdout, stderr, rig, progress);
        }
        catch (Exception e)
        {
            return CliErrorReporter.Report(e, "simulate", verbose, stderr);
        }
    }

    private static int RunChecked(string configPath, string outDir, bool plots, TextWriter stdout, TextWriter stderr, Simulation.RigMode rig, bool progress)
    {
        RuntimeConfig config = RuntimeConfig.Load(configPath);
        outDir = OutputPaths.PrepareDirectory(outDir, "--out");
        string trace = OutputPaths.CheckFile(config.Telemetry.TracePath(outDir, config.Timing), "--out");
        string summary = OutputPaths.CheckFile(Path.Combine(outDir, "summary.json"), "--out");
        if (plots)
        {
            foreach (string png in TracePlots.FileNames) OutputPaths.CheckFile(Path.Combine(outDir, png), "--out");
        }
        using Simulation sim = Simulation.Create(config, rig);
        ProgressBar? bar = progress ? new ProgressBar() : null;
        double period = sim.Config.Timing.Period;
        RunResult result;
        StopRecord end;
        using (var hooks = new SafetyHooks(sim.Loop))
        {
            try
            {
                result = sim.Run(trace, (done, total) => bar?.Draw(done, total, done * period));
            }
            finally
            {
                bar?.Finish();
            }
            end = StopRecord.Of(result, hooks);
        }
        AtomicFile.Write(summary, fs => result.WriteJson(fs, new Dictionary<string, string>
        {
            ["config"] = Path.GetFullPath(configPath),
            ["rig"] = sim.Rig.Description.Name,
            ["machine"] = sim.Motor.Machine.Id,
            ["plant"] = sim.Twin?.Spec.Name ?? "",
            ["seed"] = sim.Config.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, (sim.Controller as IControllerCounters)?.Counters(), end));
        var files = new List<string> { trace, summary };
        if (plots)
        {
            files.AddRange(TracePlots.Write(trace, outDir, sim.Rig.Description.Machine, sim.Rig.Description.ConverterChannels));
        }
        stdout.WriteLine($"{result.Ticks} ticks ({result.LoopTime:G4} s loop time) in {result.WallTime:G3} s wall = {result.RealTimeFactor:F0}x real time ({result.RealTimeFactorAfterWarmup:F0}x after warm-up); " +
            $"tick compute p50 {result.TickCompute.P50:F0} ns, p99 {result.TickCompute.P99:F0} ns; allocated after warm-up {result.AllocatedBytesAfterWarmup} B; " +
            $"GC collections {result.GcCollectionsDuringRun}; faults {result.Faults.Length}; telemetry dropped {result.TelemetryDropped}");
        foreach (TrackingResult t in result.Tracking)
        {
            stdout.WriteLine($"  tracking {t.Quantity}: rmse {t.Rmse:G4} {t.Unit}, max |e| {t.MaxAbs:G4} {t.Unit}");
        }
        foreach (FaultRecord f in result.Faults)
        {
            stdout.WriteLine($"  FAULT {FaultText.Describe(f)}");
        }
        stdout.WriteLine($"  END {end.ReasonName}: {end.Detail}");
        foreach (string f in files) stdout.WriteLine($"  wrote {f}");
        return result.Faults.Length > 0 ? ExitCodes.RunFaulted : ExitCodes.Ok;
    }
}

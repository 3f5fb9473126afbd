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
using MotorRT.Runtime.Telemetry;
using MotorRT.LiveView;
using System.Runtime.InteropServices;

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
            Description = "Rig to drive: 'config' (default: the config's rig.type — sim, raspberry-pi, odrive or moteus with \"emulate\": true over the twin of rig.sim, or remote) or 'hil' (the config's simulated rig served by an in-process plant server, driven over UDP by the remote HIL rig).",
            DefaultValueFactory = _ => "config",
        };
        rigOption.AcceptOnlyFromAmong("config", "hil");
        var serve = new Option<bool>("--serve")
        {
            Description = "Serve the live view on 127.0.0.1 (plots of currents, speed, duty, DC link; drive state and faults; start/stop/reset behind the token printed at start-up). " +
                "A lock-step run is paced (--serve-pace) and the process stays up after the run, serving, until Ctrl+C or SIGTERM; start runs the config again (fresh drive, outputs rewritten).",
        };
        var servePort = new Option<int>("--serve-port")
        {
            Description = $"TCP port of the live view on 127.0.0.1 (default {LiveViewOptions.DefaultPort}; 0: any free port, printed).",
            DefaultValueFactory = _ => LiveViewOptions.DefaultPort,
        };
        var servePace = new Option<double>("--serve-pace")
        {
            Description = $"With --serve: seconds of loop time per wall-clock second for a lock-step run (default {DefaultPace}: ten times slower than real time; 0: unpaced). A real-time run keeps its own clock.",
            DefaultValueFactory = _ => DefaultPace,
        };
        var command = new Command("simulate", "Run the runtime against the simulated rig (lock-step) and write trace.csv (or trace.parquet: telemetry.format), summary.json and plots; --serve adds the live view.") { config, output, noPlots, rigOption, serve, servePort, servePace };
        command.SetAction(parse => Run(parse.GetValue(config)!.FullName, parse.GetValue(output)!.FullName, !parse.GetValue(noPlots),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error,
            parse.GetValue(rigOption) == "hil" ? Simulation.RigMode.Hil : Simulation.RigMode.Config, parse.GetValue(Program.Verbose),
            serve: parse.GetValue(serve) ? new ServeOptions(parse.GetValue(servePort), parse.GetValue(servePace)) : null));
        return command;
    }

    /// <summary>The default pace of a served lock-step run, in s of loop time per wall-clock second.</summary>
    public const double DefaultPace = 0.1;

    /// <summary>The live view of <c>--serve</c>.</summary>
    /// <param name="Port">TCP port on 127.0.0.1 (0: any free one).</param>
    /// <param name="Pace">Seconds of loop time per wall-clock second for a lock-step run (0: unpaced).</param>
    /// <param name="Hold">Ends the serving after the runs (besides SIGINT/SIGTERM), e.g. for tests.</param>
    /// <param name="Started">Called once the server listens (tests learn the address and token).</param>
    public sealed record ServeOptions(int Port, double Pace, CancellationToken Hold = default, Action<LiveViewServer>? Started = null);

    /// <summary>
    /// Runs a simulation; returns the exit code (<see cref="ExitCodes"/>). The config is validated and every output path
    /// checked (a directory for <paramref name="outDir"/>, regular files or nothing for trace.csv, summary.json and the
    /// plots) before the rig is built or armed; summary.json is written atomically.
    /// </summary>
    public static int Run(string configPath, string outDir, bool plots, TextWriter stdout, TextWriter stderr, Simulation.RigMode rig = Simulation.RigMode.Config, bool verbose = false, bool progress = true, ServeOptions? serve = null)
    {
        try
        {
            if (serve is not null) CheckServe(serve);
            return RunChecked(configPath, outDir, plots, stdout, stderr, rig, progress, serve);
        }
        catch (Exception e)
        {
            return CliErrorReporter.Report(e, "simulate", verbose, stderr);
        }
    }

    private static void CheckServe(ServeOptions serve)
    {
        if (serve.Port is < 0 or > 65535) throw CliException.Input($"--serve-port {serve.Port}: out of range", "use a TCP port in 1024..65535, or 0 for any free port");
        if (!double.IsFinite(serve.Pace) || serve.Pace < 0 || serve.Pace > 1e6) throw CliException.Input($"--serve-pace {serve.Pace}: not a pace", "give seconds of loop time per wall-clock second, e.g. 0.1, or 0 for unpaced");
    }

    private static int RunChecked(string configPath, string outDir, bool plots, TextWriter stdout, TextWriter stderr, Simulation.RigMode rig, bool progress, ServeOptions? serve)
    {
        RuntimeConfig config = RuntimeConfig.Load(configPath);
        outDir = OutputPaths.PrepareDirectory(outDir, "--out");
        string trace = OutputPaths.CheckFile(config.Telemetry.TracePath(outDir, config.Timing), "--out");
        string summary = OutputPaths.CheckFile(Path.Combine(outDir, "summary.json"), "--out");
        if (plots)
        {
            foreach (string png in TracePlots.FileNames) OutputPaths.CheckFile(Path.Combine(outDir, png), "--out");
        }
        if (serve is null)
        {
            using Simulation only = Simulation.Create(config, rig);
            return RunOnce(only, configPath, outDir, plots, trace, summary, stdout, progress, null, 0);
        }
        return Serve(config, rig, serve, configPath, outDir, plots, trace, summary, stdout, progress);
    }

    private static int Serve(RuntimeConfig config, Simulation.RigMode rig, ServeOptions serve, string configPath, string outDir, bool plots, string trace, string summary, TextWriter stdout, bool progress)
    {
        Simulation? sim = Simulation.Create(config, rig);
        using var live = new LiveSession();
        LiveViewServer server;
        try
        {
            server = LiveViewServer.StartAsync(live, LiveViewOptions.For(sim.Rig.Description, configPath, serve.Port)).GetAwaiter().GetResult();
        }
        catch (IOException e)
        {
            sim.Dispose();
            throw CliException.Runtime($"live view: {e.Message}", "stop what listens there, or choose another --serve-port (0: any free port)", e);
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(serve.Hold);
        void OnSignal(PosixSignalContext c)
        {
            c.Cancel = true; // a stop request to the run in progress, then the end of serving
            live.Stop();
            stop.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            stdout.WriteLine($"live view: {server.UrlWithToken}");
            stdout.WriteLine($"  token {server.Token} (header {LiveViewServer.TokenHeader} of POST /api/start, /api/stop, /api/reset); pace {(serve.Pace > 0 ? $"{serve.Pace:G4} s of loop time per s" : "unpaced")}; Ctrl+C ends");
            stdout.Flush();
            serve.Started?.Invoke(server);
            int code = ExitCodes.Ok;
            while (true)
            {
                sim ??= Simulation.Create(config, rig);
                using (sim)
                {
                    code = RunOnce(sim, configPath, outDir, plots, trace, summary, stdout, progress, live, serve.Pace);
                }
                sim = null;
                stdout.WriteLine("live view: run ended; start another from the page, or Ctrl+C to quit");
                stdout.Flush();
                if (stop.IsCancellationRequested || WaitHandle.WaitAny([live.StartRequested, stop.Token.WaitHandle]) != 0) break;
            }
            return code;
        }
        finally
        {
            sim?.Dispose();
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static int RunOnce(Simulation sim, string configPath, string outDir, bool plots, string trace, string summary, TextWriter stdout, bool progress, LiveSession? live, double pace)
    {
        if (live is not null)
        {
            // The live view's copy of the stream, taken by the trace writer's thread: about 250 points per wall-clock
            // second when paced, else about 4000 per run.
            double span = pace > 0 ? pace / 250 : sim.Config.Timing.Duration / 4000;
            var tap = new TelemetryTap(Math.Max(span, sim.Config.Timing.Period * sim.Config.Telemetry.Decimation));
            sim.Loop.Tap = tap;
            live.Begin(sim.Loop, tap);
        }
        RunResult? done = null;
        string ended = "the run stopped on an error";
        try
        {
            ProgressBar? bar = progress ? new ProgressBar() : null;
            double period = sim.Config.Timing.Period;
            RunResult result;
            StopRecord end;
            using (var hooks = new SafetyHooks(sim.Loop))
            {
                try
                {
                    result = sim.Run(trace, (ticks, total) => bar?.Draw(ticks, total, ticks * period), pace);
                }
                finally
                {
                    bar?.Finish();
                }
                end = StopRecord.Of(result, hooks);
            }
            done = result;
            ended = $"{end.ReasonName}: {end.Detail}";
            live?.End(done, ended);   // the page shows the end while the plots are drawn
            live = null;
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
        finally
        {
            live?.End(done, ended);
        }
    }
}

using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Runtime.Composition;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Loop;
using MotorRT.Runtime.Safety;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MotorRT.LiveView;
using MotorRT.Runtime.Telemetry;

namespace MotorRT.Host;

/// <summary>Options of the daemon: which config to run and where telemetry goes.</summary>
public sealed record DriveServiceOptions
{
    /// <summary>Path of the runtime config file.</summary>
    public required string ConfigPath { get; init; }

    /// <summary>Directory for the trace (trace.csv, or trace.parquet per <c>telemetry.format</c>) and summary.json.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>TCP port of the live view on 127.0.0.1 (0: any free port); null: no live view.</summary>
    public int? ServePort { get; init; }
}

/// <summary>
/// The daemon's one service: loads and validates the config (nothing is armed on a config error), builds rig and
/// controller, calibrates, runs the loop on its own thread (real-time settings are applied inside that thread), and
/// stops safely when the host stops (SIGTERM from systemd): bridge off at once, loop to Idle, summary written.
/// </summary>
public sealed class DriveService : BackgroundService
{
    private readonly DriveServiceOptions _options;
    private readonly ILogger<DriveService> _log;
    private readonly IHostApplicationLifetime _lifetime;
    private ControlLoop? _loop;

    /// <summary>Creates the service.</summary>
    public DriveService(DriveServiceOptions options, ILogger<DriveService> log, IHostApplicationLifetime lifetime)
    {
        _options = options;
        _log = log;
        _lifetime = lifetime;
    }

    /// <summary>The last run's figures (null until a run ended).</summary>
    public RunResult? Result { get; private set; }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        RuntimeConfig config;
        try
        {
            config = RuntimeConfig.Load(_options.ConfigPath);
            _loop = DriveBuilder.Build(config, HostDrive.Registry).Loop;
        }
        catch (ConfigException e)
        {
            _log.LogCritical("configuration rejected, nothing armed: {Message}", e.Message);
            Environment.ExitCode = 2;
            _lifetime.StopApplication();
            return Task.CompletedTask;
        }

        ControlLoop loop = _loop;
        LiveSession? live = null;
        LiveViewServer? server = null;
        if (_options.ServePort is { } port)
        {
            // About 250 points per second of the real-time run, copied by the trace writer's thread, never the loop's.
            var tap = new TelemetryTap(Math.Max(config.Timing.Period * config.Telemetry.Decimation, 1.0 / 250));
            loop.Tap = tap;
            // The daemon runs its config once: start is refused; stop and reset act on that run.
            live = new LiveSession("the host runs its config once: restart the service (systemctl restart motorrt-host) for another run");
            live.Begin(loop, tap);
            try
            {
                server = LiveViewServer.StartAsync(live, LiveViewOptions.For(loop.Rig.Description, config.File, port)).GetAwaiter().GetResult();
            }
            catch (IOException e)
            {
                _log.LogCritical("live view: {Message}; nothing armed. Fix: choose another --serve-port (0: any free port)", e.Message);
                loop.Dispose();
                Environment.ExitCode = 4;
                _lifetime.StopApplication();
                return Task.CompletedTask;
            }
            _log.LogWarning("live view: {Url} (token {Token}, header {Header} of POST /api/stop, /api/reset)", server.UrlWithToken, server.Token, LiveViewServer.TokenHeader);
        }
        stoppingToken.Register(() =>
        {
            loop.Rig.DisableBridge();
            loop.RequestStop();
        });
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => RunLoop(loop, config, done, live, server)) { Name = "motorrt-loop", IsBackground = false };
        thread.Start();
        return done.Task;
    }

    private void RunLoop(ControlLoop loop, RuntimeConfig config, TaskCompletionSource done, LiveSession? live, LiveViewServer? server)
    {
        string ended = "the run stopped on an error";
        try
        {
            using var hooks = new SafetyHooks(loop);
            loop.Open();
            _log.LogInformation("rig {Rig} open ({Mode}), controller {Controller}; calibrating", loop.Rig.Description.Name, loop.Mode, loop.Controller.Name);
            if (!loop.Calibrate())
            {
                _log.LogCritical("calibration failed: {Faults}", FaultText.Describe(loop.Supervisor.Faults.ToArray()));
                Environment.ExitCode = 3;
                return;
            }
            Directory.CreateDirectory(_options.OutputDirectory);
            _log.LogInformation("armed; running at {Frequency} Hz for {Duration} s (0 = until stopped)", config.Timing.Frequency, config.Timing.Duration);
            RunResult result = loop.Run(config.Telemetry.TracePath(_options.OutputDirectory, config.Timing));
            Result = result;
            StopRecord end = StopRecord.Of(result, hooks);
            ended = $"{end.ReasonName}: {end.Detail}";
            live?.End(result, ended);
            MotorRT.Contracts.IO.AtomicFile.Write(Path.Combine(_options.OutputDirectory, "summary.json"), fs => result.WriteJson(fs,
                new Dictionary<string, string> { ["config"] = Path.GetFullPath(config.File), ["rig"] = loop.Rig.Description.Name },
                (loop.Controller as IControllerCounters)?.Counters(), end));
            _log.LogInformation("end: {Reason}: {Detail}", end.ReasonName, end.Detail);
            foreach (string line in result.RealTimeReport) _log.LogInformation("realtime: {Line}", line);
            _log.LogInformation("run ended in {State}: {Ticks} ticks, deadline misses {Misses}, jitter p99 {Jitter} us, GC collections {Gc}, faults {Faults}",
                result.FinalState, result.Ticks, result.DeadlineMisses, result.Jitter.P99 / 1e3, result.GcCollectionsDuringRun, result.Faults.Length);
            if (result.Faults.Length > 0) Environment.ExitCode = 3;
        }
        catch (Exception e)
        {
            loop.EmergencyStop(FaultCode.UnhandledException);
            _log.LogCritical(e, "loop failed; bridge disabled");
            Environment.ExitCode = 4;
        }
        finally
        {
            live?.End(Result, ended);
            server?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            loop.Dispose();
            done.TrySetResult();
            _lifetime.StopApplication();
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Bridge off before anything else shuts down.
        _loop?.Rig.DisableBridge();
        _loop?.RequestStop();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}

using System.CommandLine;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using MotorRT.Cli.Errors;
using MotorRT.Cli.Rigs;
using MotorRT.Hardware.Hil;
using MotorRT.Runtime.Configuration;
using MotorRT.Sim.Rig;

namespace MotorRT.Cli.Commands;

/// <summary>
/// <c>motorrt plant-server &lt;config.json&gt;</c>: runs the twin (with its sensor models) as its own process and serves
/// it over the HIL protocol on UDP 127.0.0.1 (see firmware-host/README.md). The plant is the config's <c>rig.sim</c>
/// section of a "remote" rig (or a "sim" rig itself); sensors and seed come from the same file, which is validated as
/// strictly as <c>motorrt simulate</c> does (the runtime's own loader). Runs until SIGINT/SIGTERM or
/// <c>--duration</c>; prints the session statistics on exit either way.
/// </summary>
internal static class PlantServerCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var config = new Argument<string>("config") { Description = "Runtime config whose rig is of type \"remote\" (plant in rig.sim) or \"sim\"; validated as strictly as `motorrt simulate`." };
        var port = new Option<int?>("--port") { Description = "UDP port on 127.0.0.1, 1024..65535 (default: rig.port, else 47100)." };
        var duration = new Option<double?>("--duration") { Description = "Stop after this many seconds (default: run until SIGINT/SIGTERM)." };
        var takeover = new Option<bool>("--allow-takeover") { Description = "Let a new client's Hello replace a live session at once (default: only after the old client has been silent for the session timeout)." };
        var timeout = new Option<double>("--session-timeout") { Description = "Seconds of silence after which a session is gone and another client may start one (default 2).", DefaultValueFactory = _ => 2.0 };
        var command = new Command("plant-server", "Serve the plant twin to a remote HIL rig over UDP on 127.0.0.1 (lock-step or free-running, chosen by the client; one client per session, optional pre-shared key from rig.psk_file).") { config, port, duration, takeover, timeout };
        command.SetAction(parse => Run(parse.GetValue(config)!, parse.GetValue(port), parse.GetValue(duration), parse.GetValue(takeover), parse.GetValue(timeout),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Serves until stopped; returns the exit code (0 ok, 2 bad config or arguments, 4 port in use).</summary>
    internal static int Run(string path, int? portOverride, double? duration, bool allowTakeover, double sessionTimeout, TextWriter output, TextWriter error, CancellationToken cancel = default)
    {
        if (portOverride is { } po && po is < 1024 or > 65535)
        {
            throw CliException.Input($"--port {po}: out of range", "use a UDP port in 1024..65535");
        }
        if (duration is { } d0 && (!double.IsFinite(d0) || d0 <= 0))
        {
            throw CliException.Input($"--duration {d0}: not a positive number of seconds", "give e.g. --duration 10, or leave it out to run until Ctrl+C");
        }
        if (!double.IsFinite(sessionTimeout) || sessionTimeout is < 0.01 or > 3600)
        {
            throw CliException.Input($"--session-timeout {sessionTimeout}: out of range", "use 0.01..3600 s");
        }
        // The runtime's own loader: unknown keys, ranges and sections are checked exactly as `simulate` checks them.
        RuntimeConfig config = RuntimeConfig.Load(path);
        (SimulatedRig plant, int port, byte[]? key) = CliDrive.CreatePlantServerRig(config.Rig, config.Sensors, config.Seed, config.Plant);
        PlantServer server;
        try
        {
            server = new PlantServer(plant, portOverride ?? port, new PlantServerOptions { AllowTakeover = allowTakeover, SessionTimeout = sessionTimeout, Key = key });
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            plant.Dispose();
            throw CliException.Runtime($"UDP port 127.0.0.1:{portOverride ?? port} is in use", "stop the other plant server, or choose another port with --port (and the same rig.port on the client)", e);
        }
        using (server)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            void OnSignal(PosixSignalContext c)
            {
                c.Cancel = true; // stop serving and print the statistics instead of dying
                stop.Cancel();
            }
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            if (duration is { } d)
            {
                stop.CancelAfter(TimeSpan.FromSeconds(d));
            }
            output.WriteLine($"plant server on 127.0.0.1:{server.Port}: {plant.Description.Machine}, PWM period {plant.Description.PwmPeriod * 1e6:F1} us, encoder {plant.Description.EncoderLinesPerRevolution} lines{(key is null ? "" : ", pre-shared key")}");
            output.Flush();
            server.Run(stop.Token);
            output.WriteLine(server.Statistics());
        }
        return ExitCodes.Ok;
    }
}

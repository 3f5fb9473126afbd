using System.CommandLine;
using MotorRT.Cli.Rigs;
using MotorRT.Contracts.Configuration;
using MotorRT.Runtime.Configuration;
using MotorRT.Contracts.Sensors;
using MotorRT.Hardware.Hil;
using MotorRT.Sim.Rig;

namespace MotorRT.Cli.Commands;

/// <summary>
/// <c>motorrt plant-server &lt;config.json&gt;</c>: runs the twin (with its sensor models) as its own process and serves
/// it over the HIL protocol on UDP 127.0.0.1 (see firmware-host/README.md). The plant is the config's <c>rig.sim</c>
/// section of a "remote" rig (or a "sim" rig itself); sensors and seed come from the same file. Runs until Ctrl+C or
/// <c>--duration</c>; prints the session statistics on exit. Exit 2 on a bad config.
/// </summary>
internal static class PlantServerCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var config = new Argument<string>("config") { Description = "Runtime config whose rig is of type \"remote\" (plant in rig.sim) or \"sim\"." };
        var port = new Option<int?>("--port") { Description = "UDP port on 127.0.0.1 (default: rig.port, else 47100)." };
        var duration = new Option<double?>("--duration") { Description = "Stop after this many seconds (default: run until Ctrl+C)." };
        var command = new Command("plant-server", "Serve the plant twin to a remote HIL rig over UDP on 127.0.0.1 (lock-step or free-running, chosen by the client).");
        command.Arguments.Add(config);
        command.Options.Add(port);
        command.Options.Add(duration);
        command.SetAction(parse => Run(parse.GetValue(config)!, parse.GetValue(port), parse.GetValue(duration)));
        return command;
    }

    private static int Run(string path, int? portOverride, double? duration)
    {
        SimulatedRig plant;
        int port;
        try
        {
            RuntimeConfig config = RuntimeConfig.Load(path);
            (plant, port) = CliDrive.CreatePlantServerRig(config.Rig, config.Sensors, config.Seed, config.Plant);
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        using var server = new PlantServer(plant, portOverride ?? port);
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        if (duration is { } d)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(d));
        }
        Console.WriteLine($"plant server on 127.0.0.1:{server.Port}: {plant.Description.Machine}, PWM period {plant.Description.PwmPeriod * 1e6:F1} us, encoder {plant.Description.EncoderLinesPerRevolution} lines");
        server.Run(stop.Token);
        Console.WriteLine($"commands applied {server.CommandsApplied}, duplicates {server.DuplicateCommands}, lost {server.LostCommands}, late {server.LateCommands}, bad packets {server.BadPackets}, overruns {server.Overruns}, frames sent {server.FramesSent}");
        return 0;
    }
}

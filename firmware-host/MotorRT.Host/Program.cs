using MotorRT.Runtime.Rigs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MotorRT.Host;

/// <summary>
/// <c>motorrt-host --config &lt;file&gt; [--out &lt;dir&gt;] [--serve] [--serve-port &lt;port&gt;]</c>: the systemd-ready daemon (Type=notify) that runs the
/// runtime against the rig named in the config. The config may also come from <c>MOTORRT_CONFIG</c>, the output
/// directory from <c>MOTORRT_OUT</c> (default <c>./motorrt-run</c>). Exit codes: 0 ok, 1 usage, 2 config rejected,
/// 3 the run faulted or calibration failed, 4 loop error.
/// </summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        string? config = Environment.GetEnvironmentVariable("MOTORRT_CONFIG");
        string output = Environment.GetEnvironmentVariable("MOTORRT_OUT") ?? "motorrt-run";
        int? serve = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--config" when i + 1 < args.Length: config = args[++i]; break;
                case "--out" when i + 1 < args.Length: output = args[++i]; break;
                case "--serve": serve ??= MotorRT.LiveView.LiveViewOptions.DefaultPort; break;
                case "--serve-port" when i + 1 < args.Length:
                    if (!int.TryParse(args[++i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port) || port > 65535)
                    {
                        Console.Error.WriteLine($"motorrt-host: --serve-port {args[i]}: not a TCP port. Fix: give 1024..65535, or 0 for any free port.");
                        return 1;
                    }
                    serve = port;
                    break;
                case "-h" or "--help":
                    Console.WriteLine("motorrt-host --config <config.json> [--out <dir>] [--serve] [--serve-port <port>]   (or MOTORRT_CONFIG / MOTORRT_OUT)");
                    Console.WriteLine("Runs the MotorRT runtime on the rig named in the config; systemd Type=notify ready.");
                    Console.WriteLine($"--serve: the live view on http://127.0.0.1:{MotorRT.LiveView.LiveViewOptions.DefaultPort}/ for the length of the run (plots, state, faults; stop/reset");
                    Console.WriteLine("  behind the token logged at start-up); --serve-port <port> sets the port and implies --serve (0: any free port).");
                    Console.WriteLine($"Rig types: {string.Join(", ", HostDrive.Registry.Rigs.All.Where(k => k is not UnavailableRigKind).Select(k => k.Type))} (use 'motorrt simulate' for \"sim\").");
                    return 0;
            }
        }
        if (config is null)
        {
            Console.Error.WriteLine("motorrt-host: no config given. Fix: pass --config <config.json> or set MOTORRT_CONFIG.");
            return 1;
        }

        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(args);
        builder.Services.AddSystemd();
        builder.Services.AddSingleton(new DriveServiceOptions { ConfigPath = config, OutputDirectory = output, ServePort = serve });
        builder.Services.AddHostedService<DriveService>();
        using IHost host = builder.Build();
        host.Run();
        return Environment.ExitCode;
    }
}

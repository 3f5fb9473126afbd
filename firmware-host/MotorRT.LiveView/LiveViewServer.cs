using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MotorRT.Runtime.Telemetry;

namespace MotorRT.LiveView;

/// <summary>Options of the live view.</summary>
public sealed record LiveViewOptions
{
    /// <summary>The default TCP port on 127.0.0.1.</summary>
    public const int DefaultPort = 5180;

    /// <summary>TCP port on 127.0.0.1 (0: any free port; the chosen one is in <see cref="LiveViewServer.Url"/>).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Page title (config file, rig).</summary>
    public string Title { get; init; } = "MotorRT";

    /// <summary>True for a three-phase machine (plots i_d, i_q, i_a, i_b, i_c), false for DC (i_a).</summary>
    public bool ThreePhase { get; init; }

    /// <summary>True when the machine has an excitation winding on its own channel (plots i_e).</summary>
    public bool Excitation { get; init; }

    /// <summary>Converter channels whose duty is plotted (1..4).</summary>
    public int DutyChannels { get; init; } = 1;

    /// <summary>The command token; null: a random one (128 bit, hex).</summary>
    public string? Token { get; init; }

    /// <summary>Interval between two server-sent events, in s.</summary>
    public double EventInterval { get; init; } = 0.1;

    /// <summary>The options for a drive on the rig <paramref name="rig"/>: which currents and duties are plotted follows its machine and converter channels.</summary>
    /// <param name="rig">The opened rig's description.</param>
    /// <param name="configFile">The config file (its name goes into the title).</param>
    /// <param name="port">TCP port on 127.0.0.1 (0: any free port).</param>
    public static LiveViewOptions For(MotorRT.Contracts.RigDescription rig, string configFile, int port)
    {
        ArgumentNullException.ThrowIfNull(rig);
        bool dc = rig.Machine is MotorRT.Contracts.MachineKind.Dc;
        return new LiveViewOptions
        {
            Port = port,
            Title = $"{Path.GetFileName(configFile)} on {rig.Name}",
            ThreePhase = !dc,
            Excitation = rig.ConverterChannels >= (dc ? 2 : 4),
            DutyChannels = Math.Clamp(rig.ConverterChannels, 1, 4),
        };
    }
}

/// <summary>
/// The live view: a Kestrel server on 127.0.0.1 only, ASP.NET Core minimal APIs. <c>GET /</c> is the page (uPlot
/// charts of currents, speed, duty, DC link; drive state; latched faults), <c>GET /api/events</c> a server-sent event
/// stream of the <see cref="ILiveDrive.Tap"/>'s new samples and the status every <see cref="LiveViewOptions.EventInterval"/>,
/// <c>GET /api/status</c> the status as JSON, <c>POST /api/start|stop|reset</c> the commands: they need the header
/// <c>X-MotorRT-Token</c> equal to <see cref="Token"/> (403 otherwise; 409 when refused in the current state, 200 done).
/// Requests whose Host header is not 127.0.0.1 or localhost are refused (400), against DNS rebinding.
/// </summary>
public sealed class LiveViewServer : IAsyncDisposable
{
    /// <summary>The header carrying the command token.</summary>
    public const string TokenHeader = "X-MotorRT-Token";

    private readonly WebApplication _app;
    private readonly ILiveDrive _drive;
    private readonly LiveViewOptions _options;
    private readonly byte[] _token;

    private LiveViewServer(WebApplication app, ILiveDrive drive, LiveViewOptions options, string token)
    {
        _app = app;
        _drive = drive;
        _options = options;
        Token = token;
        _token = Encoding.ASCII.GetBytes(token);
    }

    /// <summary>The command token (print it at start-up; the page reads it from the URL fragment <c>#token=</c> or its field).</summary>
    public string Token { get; }

    /// <summary>The page's address, e.g. <c>http://127.0.0.1:5180/</c>.</summary>
    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The page's address with the token in its fragment (not sent to the server by the browser).</summary>
    public string UrlWithToken => $"{Url}#token={Token}";

    /// <summary>Starts serving; a port in use is an <see cref="IOException"/> naming it.</summary>
    public static async Task<LiveViewServer> StartAsync(ILiveDrive drive, LiveViewOptions options)
    {
        ArgumentNullException.ThrowIfNull(drive);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Port is < 0 or > 65535) throw new ArgumentOutOfRangeException(nameof(options), options.Port, "port must be 0..65535");
        string token = options.Token ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        WebApplication app = builder.Build();
        var server = new LiveViewServer(app, drive, options, token);
        server.Map();
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"TCP port 127.0.0.1:{options.Port} is in use ({e.Message})", e);
        }
        string address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private void Map()
    {
        _app.Use(async (ctx, next) =>
        {
            string host = ctx.Request.Host.Host;
            if (host is not ("127.0.0.1" or "localhost"))
            {
                ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
                await ctx.Response.WriteAsync("live view: only 127.0.0.1 / localhost").ConfigureAwait(false);
                return;
            }
            ctx.Response.Headers.CacheControl = "no-store";
            await next(ctx).ConfigureAwait(false);
        });
        _app.MapGet("/", () => Resource("index.html", "text/html; charset=utf-8"));
        _app.MapGet("/uPlot.iife.min.js", () => Resource("uPlot.iife.min.js", "text/javascript; charset=utf-8"));
        _app.MapGet("/uPlot.min.css", () => Resource("uPlot.min.css", "text/css; charset=utf-8"));
        _app.MapGet("/uPlot.LICENSE", () => Resource("uPlot.LICENSE", "text/plain; charset=utf-8"));
        _app.MapGet("/api/config", () => Json(w =>
        {
            w.WriteString("title", _options.Title);
            w.WriteBoolean("three_phase", _options.ThreePhase);
            w.WriteBoolean("excitation", _options.Excitation);
            w.WriteNumber("duty_channels", _options.DutyChannels);
        }));
        _app.MapGet("/api/status", () => Json(w => WriteStatus(w, _drive.Status())));
        _app.MapGet("/api/events", Events);
        _app.MapPost("/api/start", (HttpContext c) => Command(c, _drive.Start));
        _app.MapPost("/api/stop", (HttpContext c) => Command(c, _drive.Stop));
        _app.MapPost("/api/reset", (HttpContext c) => Command(c, _drive.Reset));
    }

    private static IResult Resource(string name, string contentType)
    {
        Stream? s = typeof(LiveViewServer).Assembly.GetManifestResourceStream("wwwroot/" + name);
        return s is null ? Results.NotFound() : Results.Stream(s, contentType);
    }

    private static IResult Json(Action<Utf8JsonWriter> body, int status = 200)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Results.Content(Encoding.UTF8.GetString(buffer.WrittenSpan), "application/json", Encoding.UTF8, status);
    }

    private IResult Command(HttpContext context, Func<LiveCommandResult> command)
    {
        string? given = context.Request.Headers[TokenHeader];
        byte[] bytes = Encoding.ASCII.GetBytes(given ?? "");
        if (!CryptographicOperations.FixedTimeEquals(bytes, _token))
        {
            return Json(w =>
            {
                w.WriteBoolean("ok", false);
                w.WriteString("message", given is null ? $"no token: send the {TokenHeader} header printed at start-up" : "wrong token");
            }, StatusCodes.Status403Forbidden);
        }
        LiveCommandResult r = command();
        return Json(w =>
        {
            w.WriteBoolean("ok", r.Done);
            w.WriteString("message", r.Message);
        }, r.Done ? StatusCodes.Status200OK : StatusCodes.Status409Conflict);
    }

    private static void WriteStatus(Utf8JsonWriter w, LiveStatus s)
    {
        w.WriteNumber("run", s.Run);
        w.WriteBoolean("active", s.Active);
        w.WriteString("state", s.State);
        w.WriteString("fault", s.Fault);
        w.WriteNumber("ticks", s.Ticks);
        w.WriteNumber("planned", s.Planned);
        w.WriteString("end", s.End);
        w.WriteStartArray("faults");
        foreach (string f in s.Faults) w.WriteStringValue(f);
        w.WriteEndArray();
    }

    private async Task Events(HttpContext context)
    {
        CancellationToken cancel = context.RequestAborted;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        var samples = new TelemetrySample[1024];
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        TelemetryTap? tap = null;
        long next = 0;
        var period = TimeSpan.FromSeconds(Math.Max(0.01, _options.EventInterval));
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                TelemetryTap? current = _drive.Tap;
                bool restart = !ReferenceEquals(current, tap);
                if (restart)
                {
                    tap = current;
                    next = 0;
                }
                int n = tap?.CopySince(next, samples, out next) ?? 0;
                buffer.ResetWrittenCount();
                buffer.Write("data: "u8);
                using (var w = new Utf8JsonWriter(buffer))
                {
                    w.WriteStartObject();
                    WriteStatus(w, _drive.Status());
                    w.WriteBoolean("restart", restart);
                    WriteSamples(w, samples.AsSpan(0, n));
                    w.WriteEndObject();
                }
                buffer.Write("\n\n"u8);
                await context.Response.Body.WriteAsync(buffer.WrittenMemory, cancel).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(cancel).ConfigureAwait(false);
                if (n < samples.Length) await Task.Delay(period, cancel).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // the page went away
        }
    }

    private static void WriteSamples(Utf8JsonWriter w, ReadOnlySpan<TelemetrySample> s)
    {
        w.WriteStartObject("s");
        void Column(string name, ReadOnlySpan<TelemetrySample> rows, Func<TelemetrySample, double> value)
        {
            w.WriteStartArray(name);
            foreach (ref readonly TelemetrySample r in rows)
            {
                double v = value(r);
                if (double.IsFinite(v)) w.WriteNumberValue(Math.Round(v, 6));
                else w.WriteNullValue();
            }
            w.WriteEndArray();
        }
        Column("t", s, r => r.Time);
        Column("i_a", s, r => r.Observation.CurrentA);
        Column("i_b", s, r => r.Observation.CurrentB);
        Column("i_c", s, r => r.Observation.CurrentC);
        Column("i_d", s, r => r.Observation.CurrentD);
        Column("i_q", s, r => r.Observation.CurrentQ);
        Column("i_e", s, r => r.Observation.CurrentExcitation);
        Column("omega", s, r => r.Observation.MechanicalSpeed);
        Column("ref_speed", s, r => r.Observation.Reference.Speed);
        Column("duty_0", s, r => r.Command.Duty[0]);
        Column("duty_1", s, r => r.Command.Duty[1]);
        Column("duty_2", s, r => r.Command.Duty[2]);
        Column("duty_3", s, r => r.Command.Duty[3]);
        Column("u_dc", s, r => r.Observation.DcLinkVoltage);
        w.WriteEndObject();
    }
}

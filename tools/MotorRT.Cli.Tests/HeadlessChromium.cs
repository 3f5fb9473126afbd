using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MotorRT.Cli.Tests;

/// <summary>
/// Debian's system Chromium, headless, driven over the Chrome DevTools Protocol (a WebSocket to one page target):
/// navigate, evaluate JavaScript, capture a screenshot. No browser download, no NuGet driver.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private int _id;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The chromium executable on PATH (<c>chromium</c>, Debian's package), or null.</summary>
    public static string? Executable { get; } = Find();

    private static string? Find()
    {
        foreach (string name in new[] { "chromium", "chromium-browser" })
        {
            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                string path = Path.Combine(dir, name);
                if (File.Exists(path)) return path;
            }
        }
        return null;
    }

    /// <summary>Starts the browser with a fresh profile and attaches to its first page.</summary>
    public static async Task<HeadlessChromium> LaunchAsync(int width = 1300, int height = 900)
    {
        string profile = Directory.CreateTempSubdirectory("motorrt-chromium").FullName;
        var start = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("chromium is not installed"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--no-default-browser-check", "--disable-extensions", "--remote-debugging-port=0", $"--user-data-dir={profile}",
                     $"--window-size={width},{height}", "about:blank" })
        {
            start.ArgumentList.Add(a);
        }
        Process p = Process.Start(start)!;
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
        var browser = new HeadlessChromium(p, profile);
        string portFile = Path.Combine(profile, "DevToolsActivePort");
        var clock = Stopwatch.StartNew();
        while (!File.Exists(portFile) || File.ReadAllLines(portFile).Length < 2)
        {
            if (p.HasExited) throw new InvalidOperationException($"chromium exited with {p.ExitCode} before it listened");
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("chromium did not open its DevTools port in 60 s");
            await Task.Delay(100);
        }
        int port = int.Parse(File.ReadAllLines(portFile)[0], System.Globalization.CultureInfo.InvariantCulture);
        using var http = new HttpClient();
        string? ws = null;
        while (ws is null)
        {
            JsonArray targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
            ws = targets.FirstOrDefault(t => (string?)t!["type"] == "page")?["webSocketDebuggerUrl"]?.GetValue<string>();
            if (ws is null) await Task.Delay(100);
        }
        await browser._socket.ConnectAsync(new Uri(ws), CancellationToken.None);
        return browser;
    }

    /// <summary>Sends one CDP command and returns its <c>result</c> (events in between are skipped).</summary>
    public async Task<JsonNode> SendAsync(string method, JsonObject? parameters = null)
    {
        int id = ++_id;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[1 << 16];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            using var text = new MemoryStream();
            WebSocketReceiveResult r;
            do
            {
                r = await _socket.ReceiveAsync(buffer, timeout.Token);
                text.Write(buffer, 0, r.Count);
            }
            while (!r.EndOfMessage);
            JsonNode reply = JsonNode.Parse(text.ToArray())!;
            if ((int?)reply["id"] != id) continue;
            if (reply["error"] is { } error) throw new InvalidOperationException($"CDP {method}: {error.ToJsonString()}");
            return reply["result"]!;
        }
    }

    /// <summary>Navigates the page.</summary>
    public Task NavigateAsync(string url) => SendAsync("Page.navigate", new JsonObject { ["url"] = url });

    /// <summary>Evaluates <paramref name="expression"/> in the page (promises awaited) and returns its value as JSON.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        JsonNode r = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (r["exceptionDetails"] is { } ex) throw new InvalidOperationException($"page threw on '{expression}': {ex.ToJsonString()}");
        return r["result"]?["value"];
    }

    /// <summary>Evaluates <paramref name="expression"/> until <paramref name="accept"/> holds; returns the last value.</summary>
    public async Task<JsonNode?> WaitForAsync(string expression, Func<JsonNode?, bool> accept, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        JsonNode? value = null;
        while (clock.Elapsed < timeout)
        {
            try
            {
                value = await EvaluateAsync(expression);
                if (accept(value)) return value;
            }
            catch (InvalidOperationException)
            {
                // the page is still loading
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{what}: '{expression}' was {value?.ToJsonString() ?? "null"} after {timeout.TotalSeconds} s");
    }

    /// <summary>Captures the page as PNG into <paramref name="path"/>.</summary>
    public async Task ScreenshotAsync(string path)
    {
        JsonNode r = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(r["data"]!.GetValue<string>()));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open) await SendAsync("Browser.close");
        }
        catch (Exception e) when (e is InvalidOperationException or WebSocketException or OperationCanceledException)
        {
            // closing anyway
        }
        _socket.Dispose();
        if (!_process.WaitForExit(5000)) _process.Kill(entireProcessTree: true);
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, true);
        }
        catch (IOException)
        {
            // a child still holds a file: the temp dir is cleaned later
        }
    }
}

/// <summary>A fact that needs the system Chromium: skipped, saying how to install it, when <c>chromium</c> is not on PATH.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when Chromium is absent.</summary>
    public ChromiumFactAttribute()
    {
        if (HeadlessChromium.Executable is null)
        {
            Skip = "chromium is not installed (Debian: apt-get install -y chromium; .ci/run installs it)";
        }
    }
}

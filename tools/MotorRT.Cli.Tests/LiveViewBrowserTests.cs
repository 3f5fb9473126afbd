using System.Text.Json;
using System.Text.Json.Nodes;
using MotorRT.Cli.Commands;
using MotorRT.LiveView;

namespace MotorRT.Cli.Tests;

/// <summary>
/// <c>motorrt simulate --serve</c> end to end in headless Chromium: the page shows the drive state, the plots' data
/// grow, a stop with a wrong token is refused (403) and the run goes on, a stop with the printed token stops the run
/// safely. Screenshots are kept in the test's output directory (<c>live-view/</c>).
/// </summary>
[Collection("simulate-gc")]
public class LiveViewBrowserTests
{
    [Fact]
    public void APacedServedRunWritesTheTraceOfAnUnpacedRun()
    {
        // Pacing only puts the loop thread to sleep between chunks of ticks: same ticks, same trace, 0 B.
        string dir = Directory.CreateTempSubdirectory("motorrt-paced").FullName;
        string text = File.ReadAllText(Path.Combine(ExampleFiles.Root, "examples", "pmdc-current.json"));
        string cfg = Path.Combine(dir, "cfg.json");
        File.WriteAllText(cfg, System.Text.RegularExpressions.Regex.Replace(text, "\"duration\": [0-9.]+", "\"duration\": 0.3"));
        Assert.Equal(0, SimulateCommand.Run(cfg, Path.Combine(dir, "plain"), false, TextWriter.Null, TextWriter.Null, progress: false));
        using var hold = new CancellationTokenSource();
        var stdout = new StringWriter();
        // The hold ends as soon as the server listens: one paced run (0.3 s of loop time at 1 s per s), then the end.
        var serve = new SimulateCommand.ServeOptions(0, 1.0, hold.Token, _ => hold.Cancel());
        int code = SimulateCommand.Run(cfg, Path.Combine(dir, "paced"), false, stdout, TextWriter.Null, progress: false, serve: serve);
        Assert.True(code == 0, stdout.ToString());
        Assert.Contains("live view: http://127.0.0.1:", stdout.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "plain", "trace.csv")), File.ReadAllBytes(Path.Combine(dir, "paced", "trace.csv")));
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "paced", "summary.json")));
        Assert.Equal(0, doc.RootElement.GetProperty("allocated_bytes_after_warmup").GetInt64());
        Assert.True(doc.RootElement.GetProperty("wall_time_s").GetDouble() >= 0.25, "the run was not paced");
        Directory.Delete(dir, true);
    }

    [Fact]
    public void ABadServePortIsAnInputErrorAndAPortInUseAnEnvironmentError()
    {
        string cfg = Path.Combine(ExampleFiles.Root, "examples", "pmdc-current.json");
        string dir = Directory.CreateTempSubdirectory("motorrt-serve-port").FullName;
        var stderr = new StringWriter();
        Assert.Equal(2, SimulateCommand.Run(cfg, dir, false, TextWriter.Null, stderr, progress: false, serve: new SimulateCommand.ServeOptions(70000, 0.1)));
        Assert.Contains("--serve-port 70000", stderr.ToString());
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        int port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        stderr = new StringWriter();
        Assert.Equal(4, SimulateCommand.Run(cfg, dir, false, TextWriter.Null, stderr, progress: false, serve: new SimulateCommand.ServeOptions(port, 0.1)));
        Assert.Contains($"127.0.0.1:{port} is in use", stderr.ToString());
        Assert.Contains("--serve-port", stderr.ToString());
        Assert.False(File.Exists(Path.Combine(dir, "summary.json")));
        Directory.Delete(dir, true);
    }

    [ChromiumFact]
    public async Task ThePageShowsTheRunAndStopsItWithTheToken()
    {
        string dir = Directory.CreateTempSubdirectory("motorrt-live").FullName;
        string artefacts = Path.Combine(AppContext.BaseDirectory, "live-view");
        string text = File.ReadAllText(Path.Combine(ExampleFiles.Root, "examples", "pmdc-current.json"));
        text = System.Text.RegularExpressions.Regex.Replace(text, "\"duration\": [0-9.]+", "\"duration\": 2.0");
        string cfg = Path.Combine(dir, "cfg.json");
        File.WriteAllText(cfg, text);

        using var hold = new CancellationTokenSource();
        var started = new TaskCompletionSource<LiveViewServer>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        // 2 s of loop time at 0.05 s per wall-clock second: 40 s, far longer than the test needs before its stop.
        var serve = new SimulateCommand.ServeOptions(0, 0.05, hold.Token, s => started.SetResult(s));
        Task<int> run = Task.Factory.StartNew(() => SimulateCommand.Run(cfg, Path.Combine(dir, "out"), false, TextWriter.Synchronized(stdout), stderr, progress: false, serve: serve),
            TaskCreationOptions.LongRunning);
        try
        {
            Task first = await Task.WhenAny(started.Task, run, Task.Delay(TimeSpan.FromSeconds(120)));
            Assert.True(first == started.Task, $"the live view did not start: {stdout}\n{stderr}");
            LiveViewServer server = started.Task.Result;
            Assert.Contains(server.Token, stdout.ToString());
            Assert.Matches("^[0-9a-f]{32}$", server.Token);

            await using HeadlessChromium browser = await HeadlessChromium.LaunchAsync();
            await browser.NavigateAsync(server.UrlWithToken);
            TimeSpan wait = TimeSpan.FromSeconds(60);

            // The page shows the state and the token taken from the URL fragment.
            await browser.WaitForAsync("document.getElementById('state').textContent", v => (string?)v == "Running", wait, "drive state on the page");
            Assert.Equal(server.Token, (string?)await browser.EvaluateAsync("document.getElementById('token').value"));
            Assert.Equal("None", (string?)await browser.EvaluateAsync("document.getElementById('fault').textContent"));

            // The plot data update: the currents chart's x series grows between two reads.
            // Count and last time are read in one evaluation (read apart, an update could land between them).
            const string snapshot = "plots.length && plots[0].u.data[0].length ? plots[0].u.data[0].length + ' ' + plots[0].u.data[0][plots[0].u.data[0].length - 1] : ''";
            static (int N, double T) Parse(System.Text.Json.Nodes.JsonNode? v)
            {
                string[] parts = ((string?)v ?? "").Split(' ');
                return parts.Length == 2 ? (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)) : (0, double.NaN);
            }
            (int n1, double t1) = Parse(await browser.WaitForAsync(snapshot, v => Parse(v).N > 0, wait, "plot data"));
            (int n2, double t2) = Parse(await browser.WaitForAsync(snapshot, v => Parse(v) is var p && p.N > n1 && p.T > t1, wait, "plot data growing"));
            Assert.True(n2 > n1 && t2 > t1, $"points {n1} → {n2}, last t {t1} → {t2}");
            Assert.True((int)(await browser.EvaluateAsync("plots[1].u.data[1].filter(v => v !== null).length"))! > 0, "speed series empty");
            await browser.ScreenshotAsync(Path.Combine(artefacts, "live-view-running.png"));

            // A wrong token is refused and the run goes on.
            await browser.EvaluateAsync("document.getElementById('token').value = '0123456789abcdef0123456789abcdef'; document.getElementById('stop').click(); 0");
            await browser.WaitForAsync("document.getElementById('result').textContent", v => ((string?)v ?? "").StartsWith("stop: 403", StringComparison.Ordinal), wait, "refusal of a wrong token");
            long ticks = (long)(await browser.EvaluateAsync("+document.getElementById('ticks').textContent"))!;
            await browser.WaitForAsync("+document.getElementById('ticks').textContent", v => v is not null && (long)v > ticks, wait, "the run going on after the refusal");
            Assert.Equal("Running", (string?)await browser.EvaluateAsync("document.getElementById('state').textContent"));

            // The printed token stops the run (after the measurement warm-up of 2000 ticks, so its 0 B is a steady-state
            // figure): bridge off, drive Idle, the end shown on the page.
            await browser.WaitForAsync("+document.getElementById('ticks').textContent", v => v is not null && (long)v > 2500, wait, "the run past its warm-up");
            await browser.EvaluateAsync($"document.getElementById('token').value = '{server.Token}'; document.getElementById('stop').click(); 0");
            await browser.WaitForAsync("document.getElementById('result').textContent", v => ((string?)v ?? "").StartsWith("stop: 200", StringComparison.Ordinal), wait, "stop accepted");
            await browser.WaitForAsync("document.getElementById('state').textContent", v => (string?)v == "Idle", wait, "drive Idle after the stop");
            await browser.WaitForAsync("document.getElementById('end').textContent", v => ((string?)v ?? "").Contains("stop_requested", StringComparison.Ordinal), wait, "end of the run on the page");
            await browser.ScreenshotAsync(Path.Combine(artefacts, "live-view-stopped.png"));

            // Once ended, a second stop is refused as out of place (409), not as a bad token.
            await browser.EvaluateAsync("document.getElementById('stop').click(); 0");
            await browser.WaitForAsync("document.getElementById('result').textContent", v => ((string?)v ?? "").StartsWith("stop: 409", StringComparison.Ordinal), wait, "stop after the end");
        }
        finally
        {
            hold.Cancel();
        }
        int code = await run.WaitAsync(TimeSpan.FromSeconds(120));
        Assert.True(code == 0, stdout + "\n" + stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "out", "summary.json")));
        JsonElement s = doc.RootElement;
        Assert.True(s.GetProperty("stopped_early").GetBoolean());
        Assert.True(s.GetProperty("ticks").GetInt64() < 20_000);
        Assert.Equal(0, s.GetProperty("allocated_bytes_after_warmup").GetInt64());
        Assert.Equal(0, s.GetProperty("telemetry").GetProperty("dropped").GetInt64());
        Assert.True(File.Exists(Path.Combine(artefacts, "live-view-running.png")));
        Directory.Delete(dir, true);
    }
}

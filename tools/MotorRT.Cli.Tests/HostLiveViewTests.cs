using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MotorRT.Cli.Tests;

/// <summary>
/// The host daemon end to end with its live view: <c>motorrt plant-server</c> serves the twin over UDP, the real
/// <c>motorrt-host --serve-port 0</c> process runs examples/pmdc-current.json on the <c>remote</c> rig until stopped, and
/// this test talks to the live view as the page does: the page and its status, a stop without the token (refused, the
/// run goes on), start (refused: the host runs its config once), stop with the token printed at start-up → the run
/// ends as requested, summary.json says so, the daemon exits 0.
/// </summary>
public class HostLiveViewTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    private static string Root => ExampleFiles.Root;

    /// <summary>The host's build output of the same configuration as this test assembly (the solution builds both).</summary>
    private static string HostDll()
    {
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        return Path.Combine(Root, "firmware-host", "MotorRT.Host", "bin", configuration, "net10.0", "motorrt-host.dll");
    }

    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>A started process whose output lines are collected; <see cref="WaitFor"/> blocks until a line matches.</summary>
    private sealed class Child : IDisposable
    {
        private readonly StringBuilder _text = new();
        private readonly List<string> _lines = [];
        public Process Process { get; }

        public Child(string dll, IEnumerable<string> args)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            psi.ArgumentList.Add(dll);
            foreach (string a in args) psi.ArgumentList.Add(a);
            Process = Process.Start(psi)!;
            Process.OutputDataReceived += Collect;
            Process.ErrorDataReceived += Collect;
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        private void Collect(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (_lines) { _lines.Add(e.Data); _text.AppendLine(e.Data); Monitor.PulseAll(_lines); }
        }

        public string Text { get { lock (_lines) return _text.ToString(); } }

        public Match WaitFor(Regex pattern, TimeSpan timeout)
        {
            DateTime until = DateTime.UtcNow + timeout;
            lock (_lines)
            {
                int seen = 0;
                while (true)
                {
                    for (; seen < _lines.Count; seen++)
                    {
                        Match m = pattern.Match(_lines[seen]);
                        if (m.Success) return m;
                    }
                    TimeSpan left = until - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero || Process.HasExited && seen == _lines.Count)
                    {
                        Assert.Fail($"no line matching {pattern} within {timeout.TotalSeconds} s:\n{_text}");
                    }
                    Monitor.Wait(_lines, left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
                }
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                try { Process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            }
            Process.Dispose();
        }
    }

    [Fact]
    public async Task Host_serves_the_live_view_and_a_tokened_stop_ends_its_run()
    {
        if (!OperatingSystem.IsLinux()) return; // the daemon and its signals are Linux
        string host = HostDll();
        Assert.True(File.Exists(host), $"{host} not built (the solution build builds it)");
        string dir = Directory.CreateTempSubdirectory("motorrt-host-live").FullName;
        int plantPort = FreeUdpPort();

        // examples/pmdc-current.json on the remote rig (its plant in rig.sim, served by the plant server), lock-step with
        // generous link timeouts (this test checks the daemon and its live view, not the link under a loaded VM), made
        // 600 s of loop time long (a lock-step run needs a finite duration) so that it is surely stopped mid-run.
        string text = File.ReadAllText(Path.Combine(Root, "examples", "pmdc-current.json"));
        text = text.Replace("\"rig\": { \"type\": \"sim\", \"sub_steps\": 1, \"pwm_delay_periods\": 1, \"bridge_off\": \"diode_freewheel\" },",
            $"\"rig\": {{ \"type\": \"remote\", \"mode\": \"lock-step\", \"port\": {plantPort}, \"timeout_ms\": 10000, \"link_loss_ticks\": 1000, \"sim\": {{ \"type\": \"sim\", \"sub_steps\": 1, \"pwm_delay_periods\": 1, \"bridge_off\": \"diode_freewheel\" }} }},", StringComparison.Ordinal);
        Assert.Contains("\"remote\"", text);
        // A real rig's drive knows its machine from the config, not from a plant in its process: GEM's PermExDc defaults.
        text = text.Replace("\"sensors\": {", """
            "motor": { "type": "permex-dc", "r_a": 0.016, "l_a": 1.9e-5, "psi_e": 0.165, "j_rotor": 0.025,
                       "limits": { "current": 210, "voltage": 60, "speed": 400, "torque": 38 } },
              "sensors": {
            """, StringComparison.Ordinal);
        text = Regex.Replace(text, "\"duration\": [0-9.]+", "\"duration\": 600");
        text = text.Replace("\"telemetry\": { \"decimation\": 1,", "\"telemetry\": { \"format\": \"csv\", \"decimation\": 100,", StringComparison.Ordinal);
        Assert.Contains("\"decimation\": 100", text);
        string config = Path.Combine(dir, "host.json");
        File.WriteAllText(config, text);
        string outDir = Path.Combine(dir, "out");

        using var plant = new Child(Path.Combine(AppContext.BaseDirectory, "motorrt.dll"), ["plant-server", config, "--port", plantPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        plant.WaitFor(new Regex("^plant server on"), TimeSpan.FromSeconds(120));

        using var daemon = new Child(host, ["--config", config, "--out", outDir, "--serve-port", "0"]);
        Match live = daemon.WaitFor(new Regex(@"live view: (http://127\.0\.0\.1:\d+/)#token=([0-9a-f]{32})"), TimeSpan.FromSeconds(120));
        var baseUri = new Uri(live.Groups[1].Value);
        string token = live.Groups[2].Value;

        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        string page = await http.GetStringAsync("/");
        Assert.Contains("<html", page, StringComparison.OrdinalIgnoreCase);

        // The run arms and ticks: the status the page polls says Running with a growing tick count.
        long ticks = 0;
        for (int i = 0; i < 600 && ticks < 1000; i++)
        {
            string json;
            try { json = await http.GetStringAsync("/api/status"); }
            catch (HttpRequestException e) { Assert.Fail($"the live view went away ({e.Message}); the daemon said:\n{daemon.Text}"); throw; }
            using JsonDocument s = JsonDocument.Parse(json);
            if (s.RootElement.GetProperty("state").GetString() == "Running") ticks = s.RootElement.GetProperty("ticks").GetInt64();
            if (ticks < 1000) await Task.Delay(100);
        }
        Assert.True(ticks >= 1000, $"the host's run never reached 1000 Running ticks:\n{daemon.Text}");

        using (HttpResponseMessage noToken = await http.PostAsync("/api/stop", null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, noToken.StatusCode);
        }
        using (var start = new HttpRequestMessage(HttpMethod.Post, "/api/start"))
        {
            start.Headers.Add("X-MotorRT-Token", token);
            using HttpResponseMessage refused = await http.SendAsync(start);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("runs its config once", await refused.Content.ReadAsStringAsync());
        }
        using (JsonDocument s = JsonDocument.Parse(await http.GetStringAsync("/api/status")))
        {
            Assert.Equal("Running", s.RootElement.GetProperty("state").GetString()); // the refused requests changed nothing
        }
        using (var stop = new HttpRequestMessage(HttpMethod.Post, "/api/stop"))
        {
            stop.Headers.Add("X-MotorRT-Token", token);
            using HttpResponseMessage ok = await http.SendAsync(stop);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        Assert.True(daemon.Process.WaitForExit(TimeSpan.FromSeconds(60)), $"the host did not exit after the stop:\n{daemon.Text}");
        daemon.Process.WaitForExit();
        Assert.True(daemon.Process.ExitCode == 0, $"host exit code {daemon.Process.ExitCode}:\n{daemon.Text}");
        using (JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json"))))
        {
            JsonElement s = summary.RootElement;
            Assert.True(s.GetProperty("stopped_early").GetBoolean());
            Assert.Equal(0, s.GetProperty("faults").GetArrayLength());
            Assert.Equal("stop_requested", s.GetProperty("end").GetProperty("reason").GetString());
            Assert.True(s.GetProperty("ticks").GetInt64() >= ticks);
            Assert.Equal(0, s.GetProperty("telemetry").GetProperty("dropped").GetInt64());
        }
        Assert.True(File.Exists(Path.Combine(outDir, "trace.csv")));

        Assert.Equal(0, kill(plant.Process.Id, 15));
        Assert.True(plant.Process.WaitForExit(TimeSpan.FromSeconds(60)), "the plant server did not stop on SIGTERM");
        Directory.Delete(dir, true);
    }
}

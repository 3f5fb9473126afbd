using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace MotorRT.Cli.Tests;

/// <summary>
/// SIGTERM/SIGINT during a run: the real <c>motorrt simulate</c> process, signalled from outside, must disable the
/// bridge, stop the loop safely (a stop is not a fault), write its summary and exit 0 — the path the host daemon shares
/// (<c>SafetyHooks</c>).
/// </summary>
public class SignalSafetyTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    private const int SIGINT = 2;
    private const int SIGTERM = 15;

    private static string Root => ExampleFiles.Root;

    [Theory]
    [InlineData(SIGTERM)]
    [InlineData(SIGINT)]
    public void Signal_during_a_run_stops_safely_and_writes_the_summary(int signal)
    {
        if (!OperatingSystem.IsLinux()) return; // POSIX signals; CI and the rigs are Linux
        string dir = Directory.CreateTempSubdirectory("motorrt-signal").FullName;
        // The PMDC example made long enough (100 s of loop time) that the signal surely lands mid-run.
        string text = File.ReadAllText(Path.Combine(Root, "examples", "pmdc-current.json"));
        text = System.Text.RegularExpressions.Regex.Replace(text, "\"duration\": [0-9.]+", "\"duration\": 100");
        // A 100 s run would get a Parquet trace (telemetry.format auto); this test reads the last row as text.
        text = text.Replace("\"telemetry\": {", "\"telemetry\": { \"format\": \"csv\",", StringComparison.Ordinal);
        Assert.Contains("\"format\": \"csv\"", text);
        string config = Path.Combine(dir, "long.json");
        File.WriteAllText(config, text);
        string outDir = Path.Combine(dir, "out");

        // The progress bar on stderr: the loop is ticking.
        SignalOnceReady(["simulate", config, "--out", outDir], watchStdout: false, line => line.Contains('%'), signal, "run");

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        JsonElement s = summary.RootElement;
        Assert.True(s.GetProperty("stopped_early").GetBoolean());
        Assert.True(s.GetProperty("ticks").GetInt64() < 1_000_000, "the run should have been cut short");
        Assert.Equal(0, s.GetProperty("faults").GetArrayLength());
        Assert.NotEqual("Running", s.GetProperty("final_state").GetString());
        Assert.Equal(0, s.GetProperty("telemetry").GetProperty("dropped").GetInt64());
        // The stop is recorded: why the run ended, which signal, and the trace's last row has the bridge off.
        JsonElement end = s.GetProperty("end");
        Assert.Equal("stop_signal", end.GetProperty("reason").GetString());
        Assert.Equal(signal == SIGTERM ? "SIGTERM" : "SIGINT", end.GetProperty("signal").GetString());
        Assert.True(end.GetProperty("signal_tick").GetInt64() >= 0);
        string[] rows = File.ReadAllLines(Path.Combine(outDir, "trace.csv"));
        string[] header = rows[0].Split(',');
        string[] last = rows[^1].Split(',');
        Assert.Equal("0", last[Array.IndexOf(header, "bridge")]);
        Assert.NotEqual("3", last[Array.IndexOf(header, "state")]); // not Running
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData(SIGTERM)]
    [InlineData(SIGINT)]
    public void Plant_server_prints_its_statistics_when_signalled(int signal)
    {
        if (!OperatingSystem.IsLinux()) return;
        int port;
        using (var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp))
        {
            probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            port = ((System.Net.IPEndPoint)probe.LocalEndPoint!).Port;
        }
        string stdout = SignalOnceReady(
            ["plant-server", Path.Combine(Root, "tools", "MotorRT.Cli.Tests", "data", "bad", "short-ok.json"), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            watchStdout: true, line => line.StartsWith("plant server on", StringComparison.Ordinal), signal, "server");
        Assert.Contains("sessions 0, commands applied 0", stdout);
    }

    /// <summary>
    /// Starts <c>motorrt <paramref name="args"/></c>, waits until a line of its stdout (<paramref name="watchStdout"/>) or
    /// stderr satisfies <paramref name="ready"/>, sends <paramref name="signal"/> and asserts that the process exits 0;
    /// returns the watched stream's text.
    /// </summary>
    private static string SignalOnceReady(string[] args, bool watchStdout, Func<string, bool> ready, int signal, string what)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "motorrt.dll"));
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var text = new System.Text.StringBuilder();
        var started = new ManualResetEventSlim();
        void Watch(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (text) text.AppendLine(e.Data);
            if (ready(e.Data)) started.Set();
        }
        if (watchStdout) { p.OutputDataReceived += Watch; p.ErrorDataReceived += (_, _) => { }; }
        else { p.ErrorDataReceived += Watch; p.OutputDataReceived += (_, _) => { }; }
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
        Assert.True(started.Wait(TimeSpan.FromSeconds(120)), $"the {what} never started:\n{text}");
        Assert.Equal(0, kill(p.Id, signal));
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(120)), $"the {what} did not stop after the signal");
        p.WaitForExit();
        lock (text)
        {
            Assert.Equal(0, p.ExitCode);
            return text.ToString();
        }
    }
}

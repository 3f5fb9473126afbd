using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using MotorRT.Cli.Errors;

namespace MotorRT.Cli.Tests;

/// <summary>
/// The CLI's error contract over a corpus of bad inputs (data/bad: configs, laws; plus CLI arguments and file-system
/// situations made in a temp folder): every command run through the entry point returns a documented exit code and
/// prints one or two lines on stderr, never a stack trace. Runs in the "simulate-gc" collection because some cases run
/// short simulations and <see cref="SimulateCommandTests"/> asserts zero collections in the whole process.
/// </summary>
[Collection("simulate-gc")]
public class ErrorContractTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int mkfifo(string path, uint mode);

    private static string Root => ExampleFiles.Root;

    private static string Data => Path.Combine(Root, "tools", "MotorRT.Cli.Tests", "data", "bad");

    /// <summary>A temp folder with the file-system situations the cases name: a file, a summary.json that is a directory, a FIFO trace.</summary>
    private static string Situations()
    {
        string tmp = Directory.CreateTempSubdirectory("motorrt-bad").FullName;
        File.WriteAllText(Path.Combine(tmp, "afile"), "x");
        Directory.CreateDirectory(Path.Combine(tmp, "sumdir", "summary.json"));
        Directory.CreateDirectory(Path.Combine(tmp, "tracedir", "trace.csv"));
        Directory.CreateDirectory(Path.Combine(tmp, "fifo"));
        if (OperatingSystem.IsLinux()) Assert.Equal(0, mkfifo(Path.Combine(tmp, "fifo", "trace.csv"), 0x1B6));
        return tmp;
    }

    public static TheoryData<string, int, string> Cases => new()
    {
        // configs
        { "simulate {data}/unknown-key.json --out {tmp}/o", 2, "timing.frequnecy" },
        { "simulate {data}/not-json.json --out {tmp}/o", 2, "not valid JSON" },
        { "simulate {data}/empty.json --out {tmp}/o", 2, "not valid JSON" },
        { "simulate {data}/no-such-file.json --out {tmp}/o", 2, "no-such-file.json" },
        { "simulate {data}/calibration-offset.json --out {tmp}/o --no-plots", 3, "CalibrationOffset" },
        { "simulate {data}/remote-no-server.json --out {tmp}/o --no-plots", 4, "does not answer" },
        { "simulate {data}/short-ok.json --out {tmp}/o --rig bogus", 2, "bogus" },
        { "simulate {data}/period-mismatch.json --out {tmp}/o --no-plots", 2, "timing.frequency" },
        { "calibrate {data}/period-mismatch.json", 2, "timing.frequency" },
        { "simulate", 2, "Required argument missing" },
        // output paths
        { "simulate {data}/short-ok.json --out {tmp}/afile", 2, "is an existing file" },
        { "simulate {data}/short-ok.json --out {tmp}/afile/sub", 2, "is a file" },
        { "simulate {data}/short-ok.json --out {tmp}/sumdir --no-plots", 2, "summary.json is a directory" },
        { "simulate {data}/short-ok.json --out {tmp}/tracedir --no-plots", 2, "trace.csv is a directory" },
        { "simulate {data}/short-ok.json --out {tmp}/fifo --no-plots", 2, "not a regular file" },
        // jitter
        { "jitter --duration -1", 2, "--duration" },
        { "jitter --duration abc", 2, "abc" },
        { "jitter --frequency 5", 2, "--frequency" },
        { "jitter --fifo 200", 2, "--fifo" },
        { "jitter --frequency 20000 --spin-us 30", 2, "half the 50 µs period" },
        // plant-server
        { "plant-server {data}/plant-server-unknown-key.json", 2, "rig.colour" },
        { "plant-server {data}/plant-server-unknown-top-key.json", 2, "bogus_top" },
        { "plant-server {data}/short-ok.json --port 70000", 2, "--port 70000" },
        { "plant-server {data}/short-ok.json --port {busyport} --duration 1", 4, "in use" },
        { "plant-server {data}/short-ok.json --duration -1", 2, "--duration" },
        // PWA laws
        { "pwa check {data}/law-not-json.json", 2, "law-not-json.json" },
        { "pwa check {data}/law-wrong-format.json", 2, "law-wrong-format.json" },
        { "pwa check {data}/no-such-law.json", 2, "no-such-law.json" },
        { "pwa import {data}/law-not-json.json --from mpt3 --header {data}/law-not-json.json -o {tmp}", 2, "is a directory" },
        { "pwa import {data}/law-not-json.json --from mpt3 --header {data}/law-not-json.json -o {tmp}/afile/law.json", 2, "is a file" },
        { "pwa import {data}/law-not-json.json --from mpt4 --header {data}/law-not-json.json -o {tmp}/law.json", 2, "mpt4" },
        { "pwa mpc {data}/short-ok.json -o {tmp}/law.json", 2, "short-ok.json" },
        // ONNX
        { "onnx-imitate --out {tmp}/m --name ../../x", 2, "--name" },
        { "onnx-imitate --out {tmp}/m --name /etc/x", 2, "--name" },
        { "onnx-imitate --out {tmp}/afile", 2, "is an existing file" },
        { "onnx-imitate --out {tmp}/m --preset Nope-v0", 2, "--preset" },
        { "onnx-imitate --out {tmp}/m --episodes 0", 2, "--episodes" },
        // tune, twin-check, bench
        { "tune {data}/unknown-key.json", 2, "timing.frequnecy" },
        { "tune {data}/no-such-file.json", 2, "no-such-file.json" },
        { "twin-check {tmp}/no-such-case", 2, "no-such-case" },
        { "twin-check {tmp} --tolerance -1", 2, "--tolerance" },
        { "bench --repeats 0", 2, "--repeats" },
        { "bench --json {tmp}/sumdir/summary.json --filter nothing-matches", 2, "is a directory" },
        // the command line itself
        { "no-such-command", 2, "no-such-command" },
        { "simulate {data}/short-ok.json --out {tmp}/o --no-such-option", 2, "--no-such-option" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_gives_a_documented_exit_code_and_one_or_two_lines(string command, int expected, string mentions)
    {
        string tmp = Situations();
        using var busy = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        busy.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        string[] args = command.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(a => a.Replace("{data}", Data).Replace("{tmp}", tmp).Replace("{busyport}", ((IPEndPoint)busy.LocalEndPoint!).Port.ToString()))
            .ToArray();
        if (!OperatingSystem.IsLinux() && command.Contains("fifo")) return;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int rc = Program.Run(args, stdout, stderr);
        string err = stderr.ToString();
        Assert.True(rc == expected, $"{command}: exit {rc}, expected {expected}\nstderr: {err}\nstdout: {stdout}");
        AssertShape(err, command);
        Assert.Contains(mentions, err);
        Directory.Delete(tmp, true);
    }

    internal static void AssertShape(string err, string what)
    {
        string[] lines = err.TrimEnd().Split('\n');
        Assert.True(err.Trim().Length > 0, $"{what}: nothing on stderr");
        Assert.True(lines.Length <= 2, $"{what}: {lines.Length} lines on stderr:\n{err}");
        Assert.DoesNotContain("   at ", err);
        Assert.DoesNotContain("Exception:", err.Replace("internal error", ""));
    }

    [Fact]
    public void Verbose_adds_the_stack_trace()
    {
        string tmp = Situations();
        var stderr = new StringWriter();
        int rc = Program.Run(["simulate", Path.Combine(Data, "remote-no-server.json"), "--out", Path.Combine(tmp, "o"), "--no-plots", "--verbose"], TextWriter.Null, stderr);
        Assert.Equal(ExitCodes.RuntimeError, rc);
        Assert.Contains("   at ", stderr.ToString());
        Directory.Delete(tmp, true);
    }

    [Fact]
    public void A_non_finite_tracking_metric_is_null_with_a_note_and_the_summary_is_complete()
    {
        string tmp = Situations();
        var stderr = new StringWriter();
        int rc = Program.Run(["simulate", Path.Combine(Data, "reference-1e300.json"), "--out", Path.Combine(tmp, "o"), "--no-plots"], TextWriter.Null, stderr);
        Assert.True(rc is 0 or 3, stderr.ToString());
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(tmp, "o", "summary.json"))); // parses: not truncated
        JsonElement current = doc.RootElement.GetProperty("tracking").GetProperty("current");
        Assert.Equal(JsonValueKind.Null, current.GetProperty("rmse").ValueKind);
        Assert.Contains("not finite", current.GetProperty("note").GetString());
        Assert.Empty(Directory.GetFiles(Path.Combine(tmp, "o"), "*.tmp")); // the atomic write left no temporary behind
        Directory.Delete(tmp, true);
    }

    [Fact]
    public void Every_command_documents_the_exit_codes_in_its_help()
    {
        var root = Program.BuildRoot();
        var all = new List<System.CommandLine.Command>();
        void Walk(System.CommandLine.Command c)
        {
            all.Add(c);
            foreach (var s in c.Subcommands) Walk(s);
        }
        Walk(root);
        Assert.True(all.Count >= 10);
        foreach (var c in all)
        {
            Assert.Contains("Exit codes: 0 ok, 2 input/config error, 3 the run faulted, 4 runtime/environment error", c.Description);
        }
        var o = new StringWriter();
        Assert.Equal(0, Program.Run(["jitter", "--help"], o, TextWriter.Null));
        Assert.Contains("Exit codes:", o.ToString());
    }

    [Theory]
    [InlineData("jitter --duration -1", 2)]
    [InlineData("simulate {data}/remote-no-server.json --out {tmp}/o --no-plots", 4)]
    public async Task The_real_process_keeps_the_contract(string command, int expected)
    {
        string tmp = Situations();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "motorrt.dll"));
        foreach (string a in command.Split(' ')) psi.ArgumentList.Add(a.Replace("{data}", Data).Replace("{tmp}", tmp));
        using var p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        Task<string> output = p.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await p.WaitForExitAsync(timeout.Token);
        string e = await err, o = await output;
        Assert.True(p.ExitCode == expected, $"exit {p.ExitCode}\n{e}\n{o}");
        AssertShape(e, command);
        Directory.Delete(tmp, true);
    }
}

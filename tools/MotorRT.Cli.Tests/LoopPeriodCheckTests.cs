using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MotorRT.Cli.Commands;

namespace MotorRT.Cli.Tests;

/// <summary>
/// The loop-period check lives in the composition root (DriveBuilder.BuildRig): the host daemon and the CLI refuse the
/// same config — a timing.frequency other than the rig's PWM (or CAN exchange) rate — with exit 2 naming the field.
/// </summary>
public class LoopPeriodCheckTests
{
    /// <summary>
    /// examples/pmdc-speed-odrive.json (1 kHz CAN exchange) with timing.frequency 2 kHz: on the emulated board over the
    /// twin, or (<paramref name="emulated"/> false) on a real bus with a motor section — the host runs no twin. The bus
    /// is not opened: the check comes first.
    /// </summary>
    private static string MismatchedConfig(string dir, bool emulated)
    {
        string text = Regex.Replace(File.ReadAllText(ExampleFiles.Path("pmdc-speed-odrive.json")), @"^\s*//.*$", "", RegexOptions.Multiline);
        JsonNode root = JsonNode.Parse(text)!;
        root.AsObject().Remove("$schema");
        root["timing"]!["frequency"] = 2000;
        if (!emulated)
        {
            JsonObject rig = root["rig"]!.AsObject();
            rig["emulate"] = false;
            rig.Remove("sim");
            rig.Remove("inner_steps");
            root.AsObject().Remove("plant");
            root["motor"] = JsonNode.Parse("""
                { "type": "permex-dc", "r_a": 0.016, "l_a": 1.9e-5, "psi_e": 0.165, "j_rotor": 0.025,
                  "limits": { "current": 200, "voltage": 60, "speed": 400, "torque": 30 } }
                """);
        }
        string path = Path.Combine(dir, "period-mismatch-odrive.json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    private static string HostDll()
    {
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        return Path.Combine(ExampleFiles.Root, "firmware-host", "MotorRT.Host", "bin", configuration, "net10.0", "motorrt-host.dll");
    }

    [Fact]
    public void SimulateAndCalibrateRefuseALoopPeriodOtherThanTheRigsWithExit2()
    {
        string dir = Directory.CreateTempSubdirectory("motorrt-period").FullName;
        foreach (bool emulated in new[] { true, false })
        {
            string config = MismatchedConfig(dir, emulated);
            var err = new StringWriter();
            Assert.Equal(2, SimulateCommand.Run(config, Path.Combine(dir, "o"), false, TextWriter.Null, err));
            Assert.Contains("timing.frequency", err.ToString(), StringComparison.Ordinal);
            Assert.Contains("1000 Hz", err.ToString(), StringComparison.Ordinal);
            var calErr = new StringWriter();
            Assert.Equal(2, Program.Run(["calibrate", config], TextWriter.Null, calErr));
            Assert.Contains("timing.frequency", calErr.ToString(), StringComparison.Ordinal);
        }
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task TheHostRefusesTheSameConfigWithExit2NamingTheField()
    {
        string dll = HostDll();
        Assert.True(File.Exists(dll), $"build the host first: {dll}");
        string dir = Directory.CreateTempSubdirectory("motorrt-period-host").FullName;
        string config = MismatchedConfig(dir, emulated: false);
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { dll, "--config", config, "--out", Path.Combine(dir, "run") }) psi.ArgumentList.Add(a);
        using Process host = Process.Start(psi)!;
        Task<string> stdout = host.StandardOutput.ReadToEndAsync();
        Task<string> stderr = host.StandardError.ReadToEndAsync();
        Assert.True(host.WaitForExit(TimeSpan.FromSeconds(60)), "the host did not exit");
        host.WaitForExit();
        string text = await stdout + await stderr;
        Assert.True(host.ExitCode == 2, $"host exit code {host.ExitCode}:\n{text}");
        Assert.Contains("timing.frequency", text, StringComparison.Ordinal);
        Assert.Contains("1000 Hz", text, StringComparison.Ordinal);
        Assert.Contains("nothing armed", text, StringComparison.Ordinal);
        Directory.Delete(dir, true);
    }
}

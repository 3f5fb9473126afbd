using System.Text.Json;
using MotorRT.Cli.Bench;
using MotorRT.Cli.Commands;

namespace MotorRT.Cli.Tests;

/// <summary><c>motorrt bench --group io</c>: the group runs, and every path it cannot open is listed with the reason.</summary>
public sealed class IoBenchTests
{
    [Fact]
    public void Io_group_runs_and_lists_unavailable_paths_with_reasons()
    {
        string root = Path.Combine(Path.GetTempPath(), $"motorrt-no-io-{Guid.NewGuid():N}");
        var paths = new IoBenchPaths($"{root}/spidev0.0", $"{root}/pwmchip0", $"{root}/gpiochip0", 26, "mrtnovcan0", $"{root}/spidev0.1");
        string json = Path.Combine(Path.GetTempPath(), $"motorrt-bench-io-{Guid.NewGuid():N}.json");
        try
        {
            var o = new StringWriter();
            Assert.Equal(0, BenchCommand.RunGroup("io", json, quick: true, o, new StringWriter(), paths));
            string table = o.ToString();
            Assert.Contains("machine:", table);
            Assert.Contains($"not present: {root}/spidev0.0", table);
            Assert.Contains($"not present: {root}/spidev0.1", table);
            Assert.Contains($"not present: {root}/pwmchip0", table);
            Assert.Contains($"not present: {root}/gpiochip0", table);
            Assert.Contains("not present: /sys/class/net/mrtnovcan0", table);

            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json));
            var names = doc.RootElement.GetProperty("unavailable").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
            Assert.Equal(["can-vcan-roundtrip", "spi-transfer-3B", "ls7366r-rd-cntr-5B", "pwm-duty-write", "gpio-read", "gpio-chardev-sample"], names);
            if (OperatingSystem.IsLinux())
            {
                JsonElement can = Assert.Single(doc.RootElement.GetProperty("io_cases").EnumerateArray());
                Assert.Equal("can-socketpair-roundtrip", can.GetProperty("name").GetString());
                Assert.True(can.GetProperty("p99_ns").GetDouble() >= can.GetProperty("median_ns").GetDouble());
            }
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public void Unknown_group_is_an_input_error()
    {
        Assert.Equal(2, BenchCommand.RunGroup("nope", null, true, new StringWriter(), new StringWriter()));
    }
}

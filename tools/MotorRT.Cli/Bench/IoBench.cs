using System.Device.Gpio;
using System.Device.Spi;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MotorRT.Hardware.Can;
using MotorRT.Hardware.RaspberryPi;

namespace MotorRT.Cli.Bench;

/// <summary>The device paths the I/O group probes (the defaults are a Raspberry Pi's; tests point them elsewhere).</summary>
/// <param name="Spidev">SPI device node, bus 0 chip-select 0.</param>
/// <param name="PwmChip">sysfs PWM chip directory (chip 0; channel 0 is used).</param>
/// <param name="GpioChip">GPIO character device.</param>
/// <param name="GpioPin">BCM pin read (opened as input).</param>
/// <param name="VcanInterface">Virtual CAN interface name.</param>
/// <param name="CounterSpidev">SPI device node of an LS7366R (bus 0 chip-select 1 by default).</param>
/// <param name="GpioPinB">Second BCM pin of the chardev edge-reader case (with <paramref name="GpioPin"/>).</param>
public sealed record IoBenchPaths(string Spidev, string PwmChip, string GpioChip, int GpioPin, string VcanInterface, string CounterSpidev = "/dev/spidev0.1", int GpioPinB = 19)
{
    /// <summary>/dev/spidev0.0, /sys/class/pwm/pwmchip0, /dev/gpiochip0 (BCM 26), vcan0.</summary>
    public static IoBenchPaths Default { get; } = new("/dev/spidev0.0", "/sys/class/pwm/pwmchip0", "/dev/gpiochip0", 26, "vcan0");
}

/// <summary>One measured I/O operation: per-operation latency over <see cref="Samples"/> operations, in ns.</summary>
public sealed record IoBenchResult(string Name, string Path, double MedianNs, double P99Ns, int Samples);

/// <summary>One I/O path the group could not open, and why.</summary>
public sealed record IoBenchSkip(string Name, string Reason);

/// <summary>
/// <c>motorrt bench --group io</c>: times each real I/O path it can open on this machine, one operation at a time
/// (<see cref="Stopwatch.GetTimestamp"/> around each call), and reports median and p99 per operation in ns: CAN frame
/// round trip over the in-process socket pair and over <c>vcan0</c>, a 3-byte SPI full-duplex transfer (an MCP3208
/// read), a 5-byte transfer on the LS7366R's chip select (RD CNTR, as the ls7366r encoder source does each tick),
/// a PWM duty write (channel 0, not enabled), a GPIO read and a chardev edge-reader sample (a v2 line request on two
/// lines; one non-blocking read() of their edge queue, empty unless the lines move). Paths it cannot open are listed with the reason.
/// Each case stops after its sample count or its time budget (≤ 2 s).
/// </summary>
internal static class IoBench
{
    private const double BudgetSeconds = 1.0;

    /// <summary>Runs the group; writes the table (and JSON to <paramref name="jsonPath"/>); returns exit code 0.</summary>
    public static int Run(IoBenchPaths paths, bool quick, string? jsonPath, TextWriter output)
    {
        int samples = quick ? 5_000 : 100_000; // --quick: 1/20, as for the other cases
        var results = new List<IoBenchResult>();
        var skips = new List<IoBenchSkip>();
        var m = BenchRunner.Machine();
        output.WriteLine($"machine: {m["os"]}, {m["architecture"]}, {m["cpu_count"]} CPUs, {m["dotnet"]}");
        output.WriteLine($"{"io case",-26} {"median ns",10} {"p99 ns",10} {"samples",8}  path");
        void Try(string name, string path, Func<int, long[]?> run, Func<string?> missing)
        {
            string? why = missing();
            if (why is null)
            {
                try
                {
                    long[]? ticks = run(samples);
                    if (ticks is null || ticks.Length == 0) why = "no sample completed";
                    else
                    {
                        var r = Summarise(name, path, ticks);
                        results.Add(r);
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Name,-26} {r.MedianNs,10:F0} {r.P99Ns,10:F0} {r.Samples,8}  {r.Path}"));
                        return;
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or PlatformNotSupportedException or ArgumentException or TimeoutException)
                {
                    why = $"cannot open {path}: {e.Message}";
                }
            }
            skips.Add(new IoBenchSkip(name, why));
        }

        Try("can-socketpair-roundtrip", "socketpair(AF_UNIX, SOCK_SEQPACKET)", n =>
        {
            var (a, b) = SocketCanTransport.CreatePair();
            using (a) using (b) return CanRoundTrip(a, b, n);
        }, () => OperatingSystem.IsLinux() ? null : "not present: socketpair needs Linux");
        Try("can-vcan-roundtrip", paths.VcanInterface, n =>
        {
            using var a = SocketCanTransport.Open(paths.VcanInterface);
            using var b = SocketCanTransport.Open(paths.VcanInterface);
            return CanRoundTrip(a, b, n);
        }, () => Directory.Exists($"/sys/class/net/{paths.VcanInterface}") ? null
            : $"not present: /sys/class/net/{paths.VcanInterface} (create it: sudo ip link add dev {paths.VcanInterface} type vcan && sudo ip link set up {paths.VcanInterface})");
        Try("spi-transfer-3B", paths.Spidev, n => Spi(paths.Spidev, n), () => Exists(paths.Spidev, "enable SPI: dtparam=spi=on"));
        Try("ls7366r-rd-cntr-5B", paths.CounterSpidev, n => CounterSpi(paths.CounterSpidev, n), () => Exists(paths.CounterSpidev, "enable SPI: dtparam=spi=on; the LS7366R on CE1"));
        Try("pwm-duty-write", $"{paths.PwmChip}/pwm0/duty_cycle", n => Pwm(paths.PwmChip, n), () => Exists(paths.PwmChip, "enable hardware PWM: dtoverlay=pwm-2chan"));
        Try("gpio-read", $"{paths.GpioChip} BCM {paths.GpioPin}", n => Gpio(paths.GpioChip, paths.GpioPin, n), () => Exists(paths.GpioChip, "a GPIO character device"));
        Try("gpio-chardev-sample", $"{paths.GpioChip} BCM {paths.GpioPin},{paths.GpioPinB}", n => Chardev(paths.GpioChip, paths.GpioPin, paths.GpioPinB, n), () => Exists(paths.GpioChip, "a GPIO character device"));

        foreach (IoBenchSkip s in skips) output.WriteLine($"{s.Name,-26} skipped — {s.Reason}");
        if (jsonPath is not null)
        {
            var doc = new Dictionary<string, object>
            {
                ["machine"] = m,
                ["io_cases"] = results.Select(r => new Dictionary<string, object> { ["name"] = r.Name, ["path"] = r.Path, ["median_ns"] = r.MedianNs, ["p99_ns"] = r.P99Ns, ["samples"] = r.Samples }).ToList(),
                ["unavailable"] = skips.Select(s => new Dictionary<string, object> { ["name"] = s.Name, ["reason"] = s.Reason }).ToList(),
            };
            string? dir = Path.GetDirectoryName(Path.GetFullPath(jsonPath));
            if (dir is not null) Directory.CreateDirectory(dir);
            File.WriteAllText(jsonPath, JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
            output.WriteLine($"wrote {jsonPath}");
        }
        return 0;
    }

    private static string? Exists(string path, string hint) =>
        File.Exists(path) || Directory.Exists(path) ? null : $"not present: {path} ({hint})";

    private static IoBenchResult Summarise(string name, string path, long[] ticks)
    {
        Array.Sort(ticks);
        double toNs = 1e9 / Stopwatch.Frequency;
        double median = ticks[ticks.Length / 2] * toNs;
        double p99 = ticks[Math.Min(ticks.Length - 1, (int)Math.Ceiling(0.99 * ticks.Length) - 1)] * toNs;
        return new IoBenchResult(name, path, median, p99, ticks.Length);
    }

    /// <summary>Times <paramref name="op"/> up to <paramref name="n"/> times (after 1/10 as warm-up) within the budget.</summary>
    private static long[] Time(int n, Func<bool> op)
    {
        for (int i = 0; i < Math.Max(1, n / 10); i++) op();
        var ticks = new long[n];
        long end = Stopwatch.GetTimestamp() + (long)(BudgetSeconds * Stopwatch.Frequency);
        int k = 0;
        while (k < n)
        {
            long t0 = Stopwatch.GetTimestamp();
            bool ok = op();
            long t1 = Stopwatch.GetTimestamp();
            if (!ok) throw new TimeoutException("operation failed or timed out");
            ticks[k++] = t1 - t0;
            if (t1 > end) break;
        }
        return ticks[..k];
    }

    /// <summary>A sends a frame, B takes it and answers, A takes the answer: one round trip, busy-polling (≤ 10 ms).</summary>
    private static long[] CanRoundTrip(ICanTransport a, ICanTransport b, int n)
    {
        var frame = new CanFrame { Id = 0x123, Length = 8 };
        long wait = Stopwatch.Frequency / 100;
        return Time(n, () =>
        {
            if (!a.TrySend(frame)) return false;
            long limit = Stopwatch.GetTimestamp() + wait;
            CanFrame got;
            while (!b.TryReceive(out got)) if (Stopwatch.GetTimestamp() > limit) return false;
            got.Id = 0x124;
            if (!b.TrySend(got)) return false;
            while (!a.TryReceive(out got)) if (Stopwatch.GetTimestamp() > limit) return false;
            return true;
        });
    }

    private static long[] Spi(string node, int n)
    {
        // /dev/spidevB.C → bus B, chip-select C
        string[] bc = Path.GetFileName(node)["spidev".Length..].Split('.');
        using SpiDevice spi = SpiDevice.Create(new SpiConnectionSettings(int.Parse(bc[0], CultureInfo.InvariantCulture), int.Parse(bc[1], CultureInfo.InvariantCulture)) { ClockFrequency = 1_000_000, Mode = SpiMode.Mode0 });
        byte[] tx = [0x06, 0x00, 0x00]; // MCP3208 single-ended channel 0
        byte[] rx = new byte[3];
        return Time(n, () => { spi.TransferFullDuplex(tx, rx); return true; });
    }

    private static long[] CounterSpi(string node, int n)
    {
        string[] bc = Path.GetFileName(node)["spidev".Length..].Split('.');
        var settings = new SpiConnectionSettings(int.Parse(bc[0], CultureInfo.InvariantCulture), int.Parse(bc[1], CultureInfo.InvariantCulture)) { ClockFrequency = 1_000_000, Mode = SpiMode.Mode0 };
        using var chip = new Ls7366r(SpiDevice.Create(settings)); // RD CNTR only: no register is written
        return Time(n, () => { _ = chip.ReadCounter(); return true; });
    }

    private static long[] Chardev(string chipNode, int pinA, int pinB, int n)
    {
        using var reader = new GpioChardevEdgeReader(new GpioChardevLineRequest(chipNode), pinA, pinB, -1);
        reader.Start();
        return Time(n, () => { reader.Sample(out _, out _, out _); return true; });
    }

    private static long[] Pwm(string chipDir, int n)
    {
        int chip = int.Parse(Path.GetFileName(chipDir)["pwmchip".Length..], CultureInfo.InvariantCulture);
        using var pwm = new SysfsPwmChannel(chip, 0, 20_000, 0.0); // never enabled here: only the duty register is written
        int i = 0;
        long[] ticks = Time(n, () => { pwm.DutyCycle = (i++ & 1) == 0 ? 0.0 : 0.01; return true; });
        pwm.DutyCycle = 0.0;
        return ticks;
    }

    private static long[] Gpio(string chipNode, int pin, int n)
    {
        int chip = int.Parse(Path.GetFileName(chipNode)["gpiochip".Length..], CultureInfo.InvariantCulture);
        using var gpio = new GpioController(new System.Device.Gpio.Drivers.LibGpiodDriver(chip));
        gpio.OpenPin(pin, PinMode.Input);
        return Time(n, () => { _ = gpio.Read(pin); return true; });
    }
}

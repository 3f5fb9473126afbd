using System.CommandLine;
using System.Globalization;
using MotorRT.Cli.Errors;
using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Loop;
using MotorRT.Runtime.Rigs;

namespace MotorRT.Cli.Commands;

/// <summary>
/// <c>motorrt jitter</c>: runs the real-time loop (absolute-deadline sleep + spin) against a rig with no plant and
/// reports period jitter, wake-up lateness, tick compute and deadline misses — the loop's timing on this machine,
/// like cyclictest for the MotorRT loop. Real-time settings are applied when permitted and reported when not. When
/// Debian's <c>cyclictest</c> (rt-tests) is installed, it runs right after the loop at each frequency with the same
/// period, SCHED_FIFO priority, CPU affinity, mlockall and duration, and the loop's wake-up lateness p99/max is
/// reported next to cyclictest's latency as a ratio (ours / cyclictest: 1 = the machine's own limit).
/// </summary>
internal static class JitterCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var frequency = new Option<double[]>("--frequency") { Description = "Loop frequencies in Hz (default 10000 20000).", AllowMultipleArgumentsPerToken = true };
        var duration = new Option<double>("--duration") { Description = "Seconds per frequency (default 5).", DefaultValueFactory = _ => 5.0 };
        var fifo = new Option<int>("--fifo") { Description = "SCHED_FIFO priority of the loop thread, 1..99 (0 = off, default).", DefaultValueFactory = _ => 0 };
        var cpu = new Option<int>("--cpu") { Description = "Pin the loop thread to this CPU (-1 = off, default).", DefaultValueFactory = _ => -1 };
        var mlock = new Option<bool>("--mlock") { Description = "mlockall before running." };
        var spin = new Option<double?>("--spin-us") { Description = "Spin this long before each deadline, in µs (default: the loop's own, min(50 µs, period/4)); must be below half the period." };
        var noCyclictest = new Option<bool>("--no-cyclictest") { Description = "Do not run cyclictest (rt-tests) for comparison even when it is installed." };
        var command = new Command("jitter", "Measure the real-time loop's timing (period jitter, lateness, deadline misses) at 10 and 20 kHz on this machine, next to cyclictest (rt-tests) with the same settings when it is installed.") { frequency, duration, fifo, cpu, mlock, spin, noCyclictest };
        command.SetAction(p => Run(p.GetValue(frequency) is { Length: > 0 } f ? f : [10_000, 20_000], p.GetValue(duration), p.GetValue(fifo), p.GetValue(cpu),
            p.GetValue(mlock), p.GetValue(spin), p.InvocationConfiguration.Output, p.InvocationConfiguration.Error, cyclictest: !p.GetValue(noCyclictest)));
        return command;
    }

    /// <summary>Runs the measurement; returns the exit code (0 ok, 2 bad arguments).</summary>
    public static int Run(double[] frequencies, double duration, int fifo, int cpu, bool mlock, double? spinUs, TextWriter o, TextWriter? error = null, bool cyclictest = true)
    {
        error ??= o;
        var inv = CultureInfo.InvariantCulture;
        string? bad = Check(frequencies, duration, fifo, cpu, spinUs);
        if (bad is not null)
        {
            error.WriteLine($"motorrt jitter: {bad}");
            return ExitCodes.InputError;
        }
        string? cyclictestPath = cyclictest ? Cyclictest.Find() : null;
        if (cyclictest && cyclictestPath is null)
        {
            o.WriteLine("cyclictest not found on PATH: no comparison with the machine's own limit (Debian: apt-get install rt-tests)");
        }
        var rows = new List<string>();
        foreach (double f in frequencies)
        {
            string json = string.Create(inv, $$"""
                { "rig": { "type": "constant" },
                  "sensors": { "current": { "amperes_per_count": 0.15, "zero_counts": 2048, "phases_sensed": 1 }, "dc_link": { "volts_per_count": 0.025 },
                               "encoder": { "lines_per_revolution": 1024 } },
                  "motor": { "type": "permex-dc", "r_a": 0.016, "l_a": 1.9e-5, "psi_e": 0.165, "j_rotor": 0.025,
                             "limits": { "current": 210, "voltage": 60, "speed": 400, "torque": 38 } },
                  "controller": { "type": "open-loop-voltage", "voltage": 5 }, "reference": {},
                  "limits": { "deadline_misses": 2000000000, "watchdog_timeout": 10, "controller_budget": 1 },
                  "timing": { "frequency": {{f}}, "duration": {{duration}}, "mode": "real-time", "warmup_ticks": {{(int)f / 2}},
                              "fifo_priority": {{fifo}}, "cpu": {{cpu}}, "lock_memory": {{(mlock ? "true" : "false")}}{{(spinUs is double us ? string.Create(inv, $", \"spin_time\": {us * 1e-6}") : "")}} },
                  "telemetry": { "buffer_samples": 1024 } }
                """);
            RuntimeConfig config = RuntimeConfig.Parse("jitter.json", json);
            var frame = new RawSensorFrame { CurrentCountsA = 2048, DcLinkCounts = 2400, HallState = -1 };
            var rig = new ConstantFrameRig(new RigDescription { Name = "no-plant", Machine = MachineKind.Dc, ConverterChannels = 1, PwmPeriod = 1.0 / f }, frame, lockStep: false);
            var controller = Runtime.ControllerFactory.Create(config.Controller, config.Motor!, config.Timing.Period);
            using var loop = new ControlLoop(config, rig, controller, config.Motor!);
            RunResult r = null!;
            var thread = new Thread(() =>
            {
                loop.Open();
                loop.Calibrate();
                r = loop.Run();
            }) { Name = "motorrt-loop" };
            thread.Start();
            thread.Join();
            o.WriteLine(string.Create(inv,
                $"{f / 1000:G3} kHz, {r.Ticks - r.WarmupTicks} ticks: period jitter p50 {r.Jitter.P50 / 1e3:F2} µs, p99 {r.Jitter.P99 / 1e3:F2} µs, p99.9 {r.Jitter.P999 / 1e3:F2} µs, max {r.Jitter.Max / 1e3:F1} µs; " +
                $"lateness p99 {r.Lateness.P99 / 1e3:F2} µs, max {r.Lateness.Max / 1e3:F1} µs; tick compute p50 {r.TickCompute.P50:F0} ns, p99 {r.TickCompute.P99:F0} ns; " +
                $"deadline misses {r.DeadlineMisses} ({100.0 * r.DeadlineMisses / Math.Max(1, r.Ticks - r.WarmupTicks):F3} %); GC {r.GcCollectionsDuringRun}"));
            foreach (string line in r.RealTimeReport) o.WriteLine($"  {line}");
            if (cyclictestPath is not null)
            {
                string[] args = Cyclictest.Arguments(f, duration, fifo, cpu, mlock);
                CyclictestResult? c = Cyclictest.Run(cyclictestPath, args, duration, out string cyclictestError);
                if (c is null)
                {
                    o.WriteLine($"  cyclictest {string.Join(' ', args)}: {cyclictestError}");
                    continue;
                }
                double loopP99 = r.Lateness.P99 / 1e3, loopMax = r.Lateness.Max / 1e3;
                o.WriteLine(string.Create(inv,
                    $"  cyclictest {string.Join(' ', args)}: {c.Cycles} wake-ups, latency p99 {c.P99:F0} µs, max {c.Max:F0} µs{(c.Overflows > 0 ? $" ({c.Overflows} over {Cyclictest.HistogramLimitUs} µs)" : "")}; " +
                    $"loop lateness / cyclictest: p99 {Ratio(loopP99, c.P99)}, max {Ratio(loopMax, c.Max)}"));
                rows.Add(string.Create(inv,
                    $"| {f / 1000:G3} kHz | {loopP99:F1} | {loopMax:F0} | {c.P99:F0} | {c.Max:F0} | {Ratio(loopP99, c.P99)} | {Ratio(loopMax, c.Max)} |"));
            }
        }
        if (rows.Count > 0)
        {
            o.WriteLine();
            o.WriteLine(string.Create(inv, $"| rate | loop lateness p99 (µs) | loop max (µs) | cyclictest p99 (µs) | cyclictest max (µs) | ratio p99 | ratio max |   (fifo {fifo}, cpu {cpu}, mlock {mlock}, spin {(spinUs is double su ? su.ToString(inv) + " µs" : "min(50 µs, period/4)")}, {duration} s)"));
            o.WriteLine("|---|---|---|---|---|---|---|");
            foreach (string row in rows) o.WriteLine(row);
        }
        return 0;
    }

    private static string? Check(double[] frequencies, double duration, int fifo, int cpu, double? spinUs)
    {
        foreach (double f in frequencies)
        {
            if (!double.IsFinite(f) || f is < 1000 or > 50_000) return string.Create(CultureInfo.InvariantCulture, $"--frequency {f}: out of range; use 1000..50000 Hz");
        }
        if (!double.IsFinite(duration) || duration is <= 0 or > 3600) return string.Create(CultureInfo.InvariantCulture, $"--duration {duration}: out of range; use a number of seconds in (0, 3600]");
        if (fifo is < 0 or > 99) return $"--fifo {fifo}: out of range; use 1..99, or 0 for off";
        if (cpu < -1 || cpu >= Environment.ProcessorCount) return $"--cpu {cpu}: no such CPU; use 0..{Environment.ProcessorCount - 1}, or -1 for off";
        if (spinUs is double us)
        {
            if (!double.IsFinite(us) || us is < 0 or > 1000) return string.Create(CultureInfo.InvariantCulture, $"--spin-us {us}: out of range; use 0..1000 µs");
            foreach (double f in frequencies)
            {
                if (us * 1e-6 >= 0.5 / f)
                {
                    return string.Create(CultureInfo.InvariantCulture,
                        $"--spin-us {us}: at {f / 1000:G3} kHz that is at least half the {1e6 / f:G3} µs period, so the loop would hardly sleep (under SCHED_FIFO the kernel's RT throttling then stalls it); use at most {Math.Floor(0.25e6 / f)} µs or leave --spin-us out");
                }
            }
        }
        return null;
    }

    // cyclictest's histogram has 1 µs buckets: a latency below 1 µs reads as 0, so the ratio is taken against ≥ 1 µs.
    private static string Ratio(double ours, double theirs) =>
        (ours / Math.Max(1.0, theirs)).ToString("F2", CultureInfo.InvariantCulture) + "×";
}

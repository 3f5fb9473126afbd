using System.CommandLine;
using System.Globalization;
using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Loop;
using MotorRT.Runtime.Rigs;

namespace MotorRT.Cli.Commands;

/// <summary>
/// <c>motorrt jitter</c>: runs the real-time loop (absolute-deadline sleep + spin) against a rig with no plant and
/// reports period jitter, wake-up lateness, tick compute and deadline misses — the loop's timing on this machine,
/// like cyclictest for the MotorRT loop. Real-time settings are applied when permitted and reported when not.
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
        var spin = new Option<double>("--spin-us") { Description = "Spin this long before each deadline, in µs (default 50).", DefaultValueFactory = _ => 50.0 };
        var command = new Command("jitter", "Measure the real-time loop's timing (period jitter, lateness, deadline misses) at 10 and 20 kHz on this machine.");
        command.Options.Add(frequency);
        command.Options.Add(duration);
        command.Options.Add(fifo);
        command.Options.Add(cpu);
        command.Options.Add(mlock);
        command.Options.Add(spin);
        command.SetAction(p => Run(p.GetValue(frequency) is { Length: > 0 } f ? f : [10_000, 20_000], p.GetValue(duration), p.GetValue(fifo), p.GetValue(cpu),
            p.GetValue(mlock), p.GetValue(spin), Console.Out));
        return command;
    }

    /// <summary>Runs the measurement; returns the exit code.</summary>
    public static int Run(double[] frequencies, double duration, int fifo, int cpu, bool mlock, double spinUs, TextWriter o)
    {
        var inv = CultureInfo.InvariantCulture;
        foreach (double f in frequencies)
        {
            if (f is < 1000 or > 50_000)
            {
                o.WriteLine($"--frequency {f}: out of range, use 1000..50000 Hz");
                return 2;
            }
            string json = string.Create(inv, $$"""
                { "rig": { "type": "constant" },
                  "sensors": { "current": { "amperes_per_count": 0.15, "zero_counts": 2048, "phases_sensed": 1 }, "dc_link": { "volts_per_count": 0.025 },
                               "encoder": { "lines_per_revolution": 1024 } },
                  "motor": { "type": "permex-dc", "r_a": 0.016, "l_a": 1.9e-5, "psi_e": 0.165, "j_rotor": 0.025,
                             "limits": { "current": 210, "voltage": 60, "speed": 400, "torque": 38 } },
                  "controller": { "type": "open-loop-voltage", "voltage": 5 }, "reference": {},
                  "limits": { "deadline_misses": 2000000000, "watchdog_timeout": 10, "controller_budget": 1 },
                  "timing": { "frequency": {{f}}, "duration": {{duration}}, "mode": "real-time", "warmup_ticks": {{(int)f / 2}},
                              "fifo_priority": {{fifo}}, "cpu": {{cpu}}, "lock_memory": {{(mlock ? "true" : "false")}}, "spin_time": {{spinUs * 1e-6}} },
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
        }
        return 0;
    }
}

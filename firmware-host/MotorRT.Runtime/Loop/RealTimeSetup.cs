using System.Runtime;
using System.Runtime.InteropServices;
using MotorRT.Runtime.Configuration;

namespace MotorRT.Runtime.Loop;

/// <summary>
/// Applies the real-time settings to the calling thread (call it from inside the loop thread): SCHED_FIFO priority,
/// CPU affinity, mlockall, GC latency mode. Each is applied when permitted and reported when not — never an exception
/// because the process is not root or not on Linux.
/// </summary>
public static partial class RealTimeSetup
{
    private const int SchedFifo = 1;
    private const int McCurrent = 1;
    private const int McFuture = 2;

    [StructLayout(LayoutKind.Sequential)]
    private struct SchedParam
    {
        public int Priority;
    }

    [LibraryImport("libc", SetLastError = true, EntryPoint = "sched_setscheduler")]
    private static partial int SchedSetScheduler(int pid, int policy, ref SchedParam param);

    [LibraryImport("libc", SetLastError = true, EntryPoint = "sched_setaffinity")]
    private static unsafe partial int SchedSetAffinity(int pid, nint size, ulong* mask);

    [LibraryImport("libc", SetLastError = true, EntryPoint = "mlockall")]
    private static partial int MLockAll(int flags);

    /// <summary>Applies what <paramref name="timing"/> asks for; returns one line per setting ("applied" / "not applied: why").</summary>
    public static IReadOnlyList<string> Apply(TimingConfig timing)
    {
        ArgumentNullException.ThrowIfNull(timing);
        var report = new List<string>();
        bool linux = OperatingSystem.IsLinux();
        if (timing.SustainedLowLatency)
        {
            try
            {
                GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;
                report.Add($"gc_latency_mode=SustainedLowLatency: {(GCSettings.LatencyMode == GCLatencyMode.SustainedLowLatency ? "applied" : "not applied: the runtime kept " + GCSettings.LatencyMode)}");
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                report.Add($"gc_latency_mode=SustainedLowLatency: not applied: {e.Message}");
            }
        }
        if (timing.LockMemory)
        {
            report.Add(!linux ? "mlockall: not applied: not Linux"
                : MLockAll(McCurrent | McFuture) == 0 ? "mlockall: applied"
                : $"mlockall: not applied: errno {Marshal.GetLastPInvokeError()} (needs CAP_IPC_LOCK or a higher RLIMIT_MEMLOCK)");
        }
        if (timing.Cpu >= 0)
        {
            if (!linux || timing.Cpu >= 64)
            {
                report.Add($"cpu_affinity={timing.Cpu}: not applied: {(linux ? "CPU index above 63 unsupported" : "not Linux")}");
            }
            else
            {
                unsafe
                {
                    ulong mask = 1UL << timing.Cpu;
                    report.Add(SchedSetAffinity(0, sizeof(ulong), &mask) == 0 ? $"cpu_affinity={timing.Cpu}: applied"
                        : $"cpu_affinity={timing.Cpu}: not applied: errno {Marshal.GetLastPInvokeError()} (CPU not available?)");
                }
            }
        }
        if (timing.FifoPriority > 0)
        {
            if (!linux)
            {
                report.Add($"sched_fifo={timing.FifoPriority}: not applied: not Linux");
            }
            else
            {
                // pid 0 = the calling thread on Linux (each thread has its own scheduling policy).
                var p = new SchedParam { Priority = timing.FifoPriority };
                report.Add(SchedSetScheduler(0, SchedFifo, ref p) == 0 ? $"sched_fifo={timing.FifoPriority}: applied to the loop thread"
                    : $"sched_fifo={timing.FifoPriority}: not applied: errno {Marshal.GetLastPInvokeError()} (needs root or CAP_SYS_NICE / rtprio limit)");
                report.Add(RtThrottling(timing));
            }
        }
        return report;
    }

    /// <summary>
    /// One line on the kernel's RT throttling (<c>/proc/sys/kernel/sched_rt_runtime_us</c> of
    /// <c>sched_rt_period_us</c>) next to the share of each tick the loop spins: a SCHED_FIFO thread busy for more than
    /// the runtime share of a period is stopped for the rest of it (50 ms each second at the default 950000/1000000).
    /// </summary>
    public static string RtThrottling(TimingConfig timing)
    {
        ArgumentNullException.ThrowIfNull(timing);
        double spinShare = timing.EffectiveSpinTime / timing.Period;
        string spin = $"the loop spins {timing.EffectiveSpinTime * 1e6:F1} µs of each {timing.Period * 1e6:F1} µs tick ({spinShare:P0}) and sleeps the rest less its compute time";
        long runtime = ReadProcLong("/proc/sys/kernel/sched_rt_runtime_us");
        long period = ReadProcLong("/proc/sys/kernel/sched_rt_period_us");
        if (runtime == long.MinValue || period <= 0) return $"rt_throttling: unknown (/proc/sys/kernel/sched_rt_* not readable); {spin}";
        if (runtime < 0) return $"rt_throttling: off (sched_rt_runtime_us = -1); {spin}";
        return $"rt_throttling: on, sched_rt_runtime_us = {runtime} of sched_rt_period_us = {period} ({(double)runtime / period:P0}): a SCHED_FIFO thread busy longer than that is stopped for the rest of each {period / 1000.0:G4} ms; {spin}";
    }

    private static long ReadProcLong(string path)
    {
        try
        {
            return long.TryParse(File.ReadAllText(path).Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long v) ? v : long.MinValue;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return long.MinValue;
        }
    }
}

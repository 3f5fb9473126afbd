using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MotorRT.Runtime.Loop;

/// <summary>
/// Waits until an absolute deadline on the monotonic clock: <c>clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)</c>
/// until <c>spin</c> before the deadline, then a busy spin on <see cref="Stopwatch"/> (which reads CLOCK_MONOTONIC on
/// Linux). Absolute deadlines do not accumulate drift the way relative sleeps do. Allocation-free.
/// </summary>
public static partial class PreciseSleep
{
    private const int ClockMonotonic = 1;
    private const int TimerAbstime = 1;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, ref Timespec request, nint remain);

    private static readonly bool NativeSleep = OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000;

    /// <summary>Nanoseconds per <see cref="Stopwatch"/> tick.</summary>
    public static readonly double NsPerTick = 1e9 / Stopwatch.Frequency;

    /// <summary>Now, in ns on the monotonic clock.</summary>
    public static long NowNs() => NativeSleep ? Stopwatch.GetTimestamp() : (long)(Stopwatch.GetTimestamp() * NsPerTick);

    /// <summary>Sleeps until <paramref name="deadlineNs"/> − <paramref name="spinNs"/>, then spins until <paramref name="deadlineNs"/>; returns the wake-up time, in ns.</summary>
    public static long Until(long deadlineNs, long spinNs)
    {
        long wake = deadlineNs - spinNs;
        if (NowNs() < wake)
        {
            if (NativeSleep)
            {
                var ts = new Timespec { Seconds = wake / 1_000_000_000, Nanoseconds = wake % 1_000_000_000 };
                while (ClockNanosleep(ClockMonotonic, TimerAbstime, ref ts, 0) == 4 /* EINTR */)
                {
                }
            }
            else
            {
                long remainingMs = (wake - NowNs()) / 1_000_000;
                if (remainingMs > 1) Thread.Sleep((int)remainingMs - 1);
            }
        }
        long now;
        while ((now = NowNs()) < deadlineNs)
        {
            Thread.SpinWait(8);
        }
        return now;
    }
}

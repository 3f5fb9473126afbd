using System.Diagnostics;
using MotorRT.Bench;
using MotorRT.Runtime.Loop;

namespace MotorRT.Cli.Bench;

/// <summary>
/// Runtime loop cases (kind "loop", ns per tick, lock-step): the loop's own overhead with no controller and no plant,
/// and full closed-loop ticks against the twin (rig + sensors + plant step + controller + supervisor + telemetry):
/// real-time factor at 10 kHz = 100 000 ns / tick_ns. Real-time jitter is measured by <c>motorrt jitter</c>.
/// </summary>
internal static class LoopBenchCases
{
    /// <summary>The cases.</summary>
    public static IEnumerable<BenchCase> Create()
    {
        yield return new BenchCase("loop-overhead-no-controller", "loop", 2_000_000, RunOverhead);
        yield return new BenchCase("loop-pmdc-pi-current-twin", "loop", 400_000, n => RunTwin(LoopFixtures.PmdcPiCurrent, n));
        yield return new BenchCase("loop-pmsm-foc-speed-twin", "loop", 200_000, n => RunTwin(LoopFixtures.PmsmFocSpeed, n));
    }

    private static ControlLoop? _overhead;

    private static double RunOverhead(long n)
    {
        if (_overhead is null)
        {
            _overhead = LoopFixtures.Overhead();
            _overhead.RunTicks(200_000);
        }
        long t0 = Stopwatch.GetTimestamp();
        _overhead.RunTicks(n);
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    private static readonly Dictionary<string, ControlLoop> Twins = [];

    private static double RunTwin(string json, long n)
    {
        if (!Twins.TryGetValue(json, out ControlLoop? loop))
        {
            loop = LoopFixtures.Twin(json);
            loop.RunTicks(50_000);
            Twins[json] = loop;
        }
        long t0 = Stopwatch.GetTimestamp();
        loop.RunTicks(n);
        double s = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        if (loop.State != Runtime.Safety.DriveState.Running)
        {
            throw new InvalidOperationException($"bench twin left Running: {loop.States.LatchedFault}");
        }
        return s;
    }
}

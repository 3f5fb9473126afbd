using System.Diagnostics;
using MotorRT.Contracts;
using MotorRT.Policies.Pwa;

namespace MotorRT.Cli.Bench;

/// <summary>
/// PWA controller ticks (tick_ns): grid laws with 9, 25, 49 regions and the 81-region PMSM current MPC, each with the
/// search tree and with the sequential search; the workload is <see cref="PwaBenchmarkWorkload"/> (as in
/// BenchmarkDotNet's PwaBenchmarks): 1024 seeded observations spread over the law's box, one Compute per iteration.
/// </summary>
internal static class PwaBenchCases
{
    private static readonly Dictionary<(int, bool), (PwaController, MotorObservation[])> Workloads = new();

    /// <summary>The eight PWA cases.</summary>
    public static IEnumerable<BenchCase> Create()
    {
        foreach (int regions in new[] { 9, 25, 49, 81 })
        {
            foreach (bool sequential in new[] { false, true })
            {
                int r = regions;
                bool s = sequential;
                yield return new BenchCase($"pwa-{r}-{(s ? "sequential" : "tree")}", "controller", 1_000_000, n => Run(r, s, n));
            }
        }
    }

    /// <summary>Runs <paramref name="n"/> ticks after a warm-up; returns their elapsed seconds.</summary>
    public static double Run(int regions, bool sequential, long n)
    {
        // Synthesis and tree build take up to a second or two: build each workload once per process, not per repeat.
        if (!Workloads.TryGetValue((regions, sequential), out var workload))
        {
            workload = PwaBenchmarkWorkload.Create(regions, sequential);
            Workloads[(regions, sequential)] = workload;
        }
        (PwaController controller, MotorObservation[] observations) = workload;
        var cmd = new ConverterCommand();
        for (int k = 0; k < 50_000; k++) controller.Compute(in observations[k & 1023], ref cmd);
        long t0 = Stopwatch.GetTimestamp();
        for (long k = 0; k < n; k++) controller.Compute(in observations[(int)(k & 1023)], ref cmd);
        double elapsed = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        if (controller.Status == ControllerStatus.OutOfDomain) throw new InvalidOperationException("PWA bench workload left the law's domain");
        return elapsed;
    }
}

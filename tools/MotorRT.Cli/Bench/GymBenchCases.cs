using System.Diagnostics;
using MotorRT.Sim.Gym;
using MotorRT.Sim.Gym.Batch;
using MotorRT.Sim.Spec;

namespace MotorRT.Cli.Bench;

/// <summary>
/// Environment-step cases (GEM's env layer over the twin, Cont-CC-PermExDc-v0 with Euler): one scalar
/// <see cref="GemEnv"/>, and the SIMD batch of 1024 environments on one thread and on two. The figure counts
/// environment steps.
/// </summary>
internal static class GymBenchCases
{
    private const int BatchSize = 1024;

    /// <summary>The scalar env and the SIMD batch (one thread, two threads).</summary>
    public static IEnumerable<BenchCase> Create()
    {
        yield return new BenchCase("gem-env-permexdc-cc-euler", "plant", 2_000_000, RunScalar);
        yield return new BenchCase("batch1024-permexdc-cc-euler", "plant", 20_000_000, n => RunBatch(n, twoThreads: false));
        yield return new BenchCase("batch1024x2-permexdc-cc-euler", "plant", 20_000_000, n => RunBatch(n, twoThreads: true));
    }

    private static GemEnvSpec Spec() => GemEnvironments.Spec("Cont-CC-PermExDc-v0").WithSolver(SolverSpec.Euler) with { MaxEpisodeSteps = 10_000 };

    /// <summary>n environment steps of one scalar env (auto-reset on termination or truncation); returns elapsed s.</summary>
    public static double RunScalar(long n)
    {
        var env = new GemEnv(Spec());
        double[] a = [0.275];
        env.Reset(1);
        for (int k = 0; k < 20_000; k++) Step(env, a, k);
        long t0 = Stopwatch.GetTimestamp();
        for (long k = 0; k < n; k++) Step(env, a, k);
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    private static void Step(GemEnv env, double[] a, long k)
    {
        a[0] = 0.275 + 0.002 * ((k >> 6) & 1);
        StepResult r = env.Step(a);
        if (r.Terminated || r.Truncated) env.Reset();
    }

    /// <summary>n environment steps of the 1024-environment SIMD batch (n / 1024 batch steps); returns elapsed s.</summary>
    public static double RunBatch(long n, bool twoThreads)
    {
        using var batch = new PermExDcCurrentBatch(Spec(), BatchSize, twoThreads);
        var actions = new double[BatchSize];
        for (int j = 0; j < BatchSize; j++) actions[j] = 0.275 + 1e-5 * j;
        batch.Reset(1);
        for (int k = 0; k < 200; k++) batch.Step(actions);
        long steps = Math.Max(1, n / BatchSize);
        long t0 = Stopwatch.GetTimestamp();
        for (long k = 0; k < steps; k++) batch.Step(actions);
        return Stopwatch.GetElapsedTime(t0).TotalSeconds * n / (steps * BatchSize);
    }
}

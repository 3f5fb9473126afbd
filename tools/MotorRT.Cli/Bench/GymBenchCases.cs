using System.Diagnostics;
using MotorRT.Sim.Gym;
using MotorRT.Sim.Gym.Batch;
using MotorRT.Sim.Spec;

namespace MotorRT.Cli.Bench;

/// <summary>
/// Environment-step cases (GEM's env layer over the twin): one scalar <see cref="GemEnv"/> of Cont-CC-PermExDc-v0
/// with Euler and one of Cont-CC-PMSM-v0 with RK4, and the SIMD batches of 1024 environments — <see cref="PermExDcCurrentBatch"/> (Euler) and
/// <see cref="PmsmCurrentBatch"/> (Cont-CC-PMSM-v0, RK4) — on one thread and on two. The figure counts environment
/// steps (reference, reward, constraint and auto-reset included; observations stay in the batch's columns).
/// </summary>
internal static class GymBenchCases
{
    private const int BatchSize = 1024;

    /// <summary>The scalar env and the SIMD batches (one thread, two threads).</summary>
    public static IEnumerable<BenchCase> Create()
    {
        yield return new BenchCase("gem-env-permexdc-cc-euler", "plant", 2_000_000, RunScalar);
        yield return new BenchCase("gem-env-pmsm-cc-rk4", "plant", 500_000, RunScalarPmsm);
        yield return new BenchCase("batch1024-permexdc-cc-euler", "plant", 20_000_000, n => RunBatch(n, pmsm: false, twoThreads: false));
        yield return new BenchCase("batch1024x2-permexdc-cc-euler", "plant", 20_000_000, n => RunBatch(n, pmsm: false, twoThreads: true));
        yield return new BenchCase("batch1024-pmsm-cc-rk4", "plant", 5_000_000, n => RunBatch(n, pmsm: true, twoThreads: false));
        yield return new BenchCase("batch1024x2-pmsm-cc-rk4", "plant", 5_000_000, n => RunBatch(n, pmsm: true, twoThreads: true));
    }

    private static GemEnvSpec Spec() => GemEnvironments.Spec("Cont-CC-PermExDc-v0").WithSolver(SolverSpec.Euler) with { MaxEpisodeSteps = 10_000 };

    /// <summary>
    /// Cont-CC-PMSM-v0 with the load held at 0 rad/s: open-loop duties then keep the currents inside the limit and the
    /// episodes run to their 10,000-step truncation (at GEM's 100 rad/s the uncompensated back-EMF ends them within
    /// ~100 steps, and the figure measures the Wiener references' draws at reset). The per-step work does not depend on ω.
    /// </summary>
    internal static GemEnvSpec PmsmSpec()
    {
        GemEnvSpec spec = GemEnvironments.Spec("Cont-CC-PMSM-v0");
        return spec with { MaxEpisodeSteps = 10_000, Plant = spec.Plant with { Load = new ConstantSpeedLoadSpec { Omega = 0 } } };
    }

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

    /// <summary>n environment steps of one scalar PMSM env (the batch bench's spec and duties of its environment 0); returns elapsed s.</summary>
    public static double RunScalarPmsm(long n)
    {
        var env = new GemEnv(PmsmSpec());
        double[] a = [0, 1e-3 * Math.Sin(-2.0943951023931953), 1e-3 * Math.Sin(-2 * 2.0943951023931953)];
        env.Reset(1);
        for (int k = 0; k < 20_000; k++) StepPmsm(env, a);
        long t0 = Stopwatch.GetTimestamp();
        for (long k = 0; k < n; k++) StepPmsm(env, a);
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    private static void StepPmsm(GemEnv env, double[] a)
    {
        StepResult r = env.Step(a);
        if (r.Terminated || r.Truncated) env.Reset();
    }

    private static void Step(GemEnv env, double[] a, long k)
    {
        a[0] = 0.275 + 0.002 * ((k >> 6) & 1);
        StepResult r = env.Step(a);
        if (r.Terminated || r.Truncated) env.Reset();
    }

    /// <summary>n environment steps of a 1024-environment SIMD batch (n / 1024 batch steps); returns elapsed s.</summary>
    public static double RunBatch(long n, bool pmsm, bool twoThreads)
    {
        using SimdBatchEnv batch = pmsm ? new PmsmCurrentBatch(PmsmSpec(), BatchSize, twoThreads) : new PermExDcCurrentBatch(Spec(), BatchSize, twoThreads);
        var actions = new double[BatchSize * batch.ActionSize];
        // DC: duties near the steady state; PMSM: small phase duties (a fixed voltage vector per environment, ~10 A).
        for (int j = 0; j < BatchSize; j++)
        {
            if (pmsm) for (int x = 0; x < 3; x++) actions[3 * j + x] = 1e-3 * Math.Sin(0.01 * j - 2.0943951023931953 * x);
            else actions[j] = 0.275 + 1e-5 * j;
        }
        batch.Reset(1);
        for (int k = 0; k < 200; k++) batch.Step(actions);
        long steps = Math.Max(1, n / BatchSize);
        long t0 = Stopwatch.GetTimestamp();
        for (long k = 0; k < steps; k++) batch.Step(actions);
        return Stopwatch.GetElapsedTime(t0).TotalSeconds * n / (steps * BatchSize);
    }
}

using BenchmarkDotNet.Attributes;
using MotorRT.Sim.Gym;
using MotorRT.Sim.Gym.Batch;
using MotorRT.Sim.Spec;

namespace MotorRT.Benchmarks;

/// <summary>
/// Environment steps of GEM's env layer over the twin: one scalar env (Cont-CC-PermExDc-v0, Euler), and the SIMD
/// batches of 1024 environments (PermExDc with Euler, PMSM with RK4) on one thread and on two. Reported time is per
/// environment step (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class GymEnvBenchmarks
{
    private const int Steps = 10_000;
    private const int BatchSize = 1024, BatchSteps = 100;
    private GemEnv _env = null!;
    private SimdBatchEnv _dc = null!, _dc2 = null!, _pmsm = null!, _pmsm2 = null!;
    private readonly double[] _duty = [0.275];
    private readonly double[] _actions = new double[BatchSize], _pmsmActions = new double[3 * BatchSize];

    [GlobalSetup]
    public void Setup()
    {
        GemEnvSpec spec = GemEnvironments.Spec("Cont-CC-PermExDc-v0").WithSolver(SolverSpec.Euler) with { MaxEpisodeSteps = 10_000 };
        // Cont-CC-PMSM-v0 with the load at 0 rad/s, so that the open-loop duties do not end the episodes (see motorrt bench).
        GemEnvSpec pmsm = GemEnvironments.Spec("Cont-CC-PMSM-v0");
        pmsm = pmsm with { MaxEpisodeSteps = 10_000, Plant = pmsm.Plant with { Load = new ConstantSpeedLoadSpec { Omega = 0 } } };
        _env = new GemEnv(spec);
        _dc = new PermExDcCurrentBatch(spec, BatchSize);
        _dc2 = new PermExDcCurrentBatch(spec, BatchSize, twoThreads: true);
        _pmsm = new PmsmCurrentBatch(pmsm, BatchSize);
        _pmsm2 = new PmsmCurrentBatch(pmsm, BatchSize, twoThreads: true);
        for (int j = 0; j < BatchSize; j++)
        {
            _actions[j] = 0.275 + 1e-5 * j;
            for (int x = 0; x < 3; x++) _pmsmActions[3 * j + x] = 1e-3 * Math.Sin(0.01 * j - 2.0943951023931953 * x);
        }
        foreach (SimdBatchEnv b in new[] { _dc, _dc2, _pmsm, _pmsm2 }) b.Reset(1);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (SimdBatchEnv b in new[] { _dc, _dc2, _pmsm, _pmsm2 }) b.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public double ScalarEnv_PermExDc_CC_Euler()
    {
        _env.Reset(1);
        double sum = 0;
        for (int k = 0; k < Steps; k++)
        {
            StepResult r = _env.Step(_duty);
            sum += r.Reward;
            if (r.Terminated || r.Truncated) _env.Reset();
        }
        return sum;
    }

    private static double Run(SimdBatchEnv batch, double[] actions)
    {
        for (int k = 0; k < BatchSteps; k++) batch.Step(actions);
        return batch.Rewards[0];
    }

    [Benchmark(OperationsPerInvoke = BatchSize * BatchSteps)]
    public double Batch1024_PermExDc_CC_Euler() => Run(_dc, _actions);

    [Benchmark(OperationsPerInvoke = BatchSize * BatchSteps)]
    public double Batch1024x2_PermExDc_CC_Euler() => Run(_dc2, _actions);

    [Benchmark(OperationsPerInvoke = BatchSize * BatchSteps)]
    public double Batch1024_Pmsm_CC_Rk4() => Run(_pmsm, _pmsmActions);

    [Benchmark(OperationsPerInvoke = BatchSize * BatchSteps)]
    public double Batch1024x2_Pmsm_CC_Rk4() => Run(_pmsm2, _pmsmActions);
}

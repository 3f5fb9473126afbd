using BenchmarkDotNet.Attributes;
using MotorRT.Sim.Gym;
using MotorRT.Sim.Gym.Batch;
using MotorRT.Sim.Spec;

namespace MotorRT.Benchmarks;

/// <summary>
/// Environment steps of GEM's env layer over the twin (Cont-CC-PermExDc-v0, Euler): one scalar env, and the SIMD
/// batch of 1024 environments. Reported time is per environment step (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class GymEnvBenchmarks
{
    private const int Steps = 10_000;
    private const int BatchSize = 1024, BatchSteps = 100;
    private GemEnv _env = null!;
    private PermExDcCurrentBatch _batch = null!;
    private readonly double[] _duty = [0.275];
    private readonly double[] _actions = new double[BatchSize];

    [GlobalSetup]
    public void Setup()
    {
        GemEnvSpec spec = GemEnvironments.Spec("Cont-CC-PermExDc-v0").WithSolver(SolverSpec.Euler) with { MaxEpisodeSteps = 10_000 };
        _env = new GemEnv(spec);
        _batch = new PermExDcCurrentBatch(spec, BatchSize);
        for (int j = 0; j < BatchSize; j++) _actions[j] = 0.275 + 1e-5 * j;
        _batch.Reset(1);
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

    [Benchmark(OperationsPerInvoke = BatchSize * BatchSteps)]
    public double Batch1024_PermExDc_CC_Euler()
    {
        for (int k = 0; k < BatchSteps; k++) _batch.Step(_actions);
        return _batch.Rewards[0];
    }
}

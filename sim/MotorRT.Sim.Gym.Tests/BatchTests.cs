using MotorRT.Sim.Gym.Batch;
using MotorRT.Sim.Gym.Initializers;
using MotorRT.Sim.Noise;
using MotorRT.Sim.Spec;
using Xunit.Abstractions;

namespace MotorRT.Sim.Gym.Tests;

public sealed class BatchTests(ITestOutputHelper output)
{
    private static GemEnvSpec Spec(int maxSteps) =>
        GemEnvironments.Spec("Cont-CC-PermExDc-v0").WithSolver(SolverSpec.Euler) with
        {
            MaxEpisodeSteps = maxSteps,
            Initializer = () => new UniformRandomInitializer(null, (-60, 60)),
        };

    private static void Close(double expected, double actual, string what)
    {
        if (expected == actual) return;
        Assert.True(Math.Abs(expected - actual) <= 1e-12 * Math.Abs(expected), $"{what}: scalar {expected:R}, batch {actual:R}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SimdBatchEqualsTheScalarTwinPerStep(bool twoThreads)
    {
        const int n = 37; // not a multiple of the vector width: padded lanes must not leak
        GemEnvSpec spec = Spec(700);
        using var batch = new PermExDcCurrentBatch(spec, n, twoThreads);
        var scalar = new GemVectorEnv(spec, n);
        batch.Reset(100);
        scalar.Reset(100);
        Assert.Equal(scalar.Observations.ToArray(), batch.Observations.ToArray());
        var noise = new GaussianNoise(5);
        var actions = new double[n];
        int ended = 0, terminated = 0, truncated = 0;
        for (int k = 0; k < 3000; k++)
        {
            for (int j = 0; j < n; j++) actions[j] = 0.275 + (j % 5 == 0 ? 0.1 : 0.0) + 0.01 * noise.NextGaussian(); // some envs are pushed into the limit
            batch.Step(actions);
            scalar.Step(actions);
            for (int j = 0; j < n; j++)
            {
                Assert.Equal(scalar.Terminated[j], batch.Terminated[j]);
                Assert.Equal(scalar.Truncated[j], batch.Truncated[j]);
                Close(scalar.Rewards[j], batch.Rewards[j], $"step {k} env {j} reward");
                int o = j * batch.ObservationSize;
                for (int x = 0; x < batch.ObservationSize; x++) Close(scalar.Observations[o + x], batch.Observations[o + x], $"step {k} env {j} obs {x}");
                if (batch.Terminated[j] || batch.Truncated[j])
                {
                    ended++;
                    if (batch.Terminated[j]) terminated++; else truncated++;
                    for (int x = 0; x < batch.ObservationSize; x++) Close(scalar.FinalObservations[o + x], batch.FinalObservations[o + x], $"step {k} env {j} final obs {x}");
                }
            }
        }
        output.WriteLine($"{n} envs × 3000 steps, {terminated} terminations, {truncated} truncations, lanes {PermExDcCurrentBatch.Lanes}");
        Assert.True(terminated > 0 && truncated > 0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BatchStepDoesNotAllocate(bool twoThreads)
    {
        using var batch = new PermExDcCurrentBatch(Spec(500), 64, twoThreads);
        var actions = new double[64];
        Array.Fill(actions, 0.3);
        batch.Reset(1);
        for (int k = 0; k < 2000; k++) batch.Step(actions);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 5000; k++) batch.Step(actions);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void UnsupportedSpecsAreRejectedWithTheReason()
    {
        var e = Assert.Throws<ArgumentException>(() => new PermExDcCurrentBatch(GemEnvironments.Spec("Cont-CC-PermExDc-v0"), 4));
        Assert.Contains("Euler", e.Message);
        e = Assert.Throws<ArgumentException>(() => new PermExDcCurrentBatch(GemEnvironments.Spec("Cont-CC-PMSM-v0").WithSolver(SolverSpec.Euler), 4));
        Assert.Contains("permanently excited DC", e.Message);
    }
}

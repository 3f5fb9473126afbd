using MotorRT.Sim.Gym.Batch;
using MotorRT.Sim.Gym.Initializers;
using MotorRT.Sim.Gym.References;
using MotorRT.Sim.Noise;
using MotorRT.Sim.Spec;
using Xunit.Abstractions;

namespace MotorRT.Sim.Gym.Tests;

public sealed class BatchTests(ITestOutputHelper output)
{
    private static GemEnvSpec DcSpec(int maxSteps, bool shortSubEpisodes = false)
    {
        GemEnvSpec spec = GemEnvironments.Spec("Cont-CC-PermExDc-v0").WithSolver(SolverSpec.Euler) with
        {
            MaxEpisodeSteps = maxSteps,
            Initializer = () => new UniformRandomInitializer(null, (-60, 60)),
        };
        // Sub-episodes of 3…40 samples: several boundaries inside every 32-step reference block.
        return shortSubEpisodes ? spec with { References = () => new WienerProcessReferenceGenerator("i", (1e-2, 1e-1), episodeLengths: (3, 40)) } : spec;
    }

    private static GemEnvSpec PmsmSpec(int maxSteps, bool shortSubEpisodes = false)
    {
        GemEnvSpec spec = GemEnvironments.Spec("Cont-CC-PMSM-v0") with
        {
            MaxEpisodeSteps = maxSteps,
            Initializer = () => new UniformRandomInitializer(null, (-20, 20), (-20, 20), (-10, 10)),
        };
        return shortSubEpisodes
            ? spec with { References = () => new MultipleReferenceGenerator(new WienerProcessReferenceGenerator("i_sd", episodeLengths: (3, 40)), new WienerProcessReferenceGenerator("i_sq", episodeLengths: (5, 25))) }
            : spec;
    }

    private static SimdBatchEnv Make(string motor, GemEnvSpec spec, int n, bool twoThreads) =>
        motor == "PMSM" ? new PmsmCurrentBatch(spec, n, twoThreads) : new PermExDcCurrentBatch(spec, n, twoThreads);

    private static GemEnvSpec Spec(string motor, int maxSteps, bool shortSubEpisodes = false) =>
        motor == "PMSM" ? PmsmSpec(maxSteps, shortSubEpisodes) : DcSpec(maxSteps, shortSubEpisodes);

    /// <summary>Duties that drift some environments into the current limit: one per action entry.</summary>
    private static void Actions(string motor, double[] actions, int n, int k, GaussianNoise noise)
    {
        if (motor == "PMSM")
        {
            for (int j = 0; j < n; j++)
            {
                double amp = j % 5 == 0 ? 0.3 : 0.02, ph = 0.002 * k + j;
                for (int x = 0; x < 3; x++) actions[3 * j + x] = amp * Math.Sin(ph - 2.0943951023931953 * x) + 0.01 * noise.NextGaussian();
            }
        }
        else for (int j = 0; j < n; j++) actions[j] = 0.275 + (j % 5 == 0 ? 0.1 : 0.0) + 0.01 * noise.NextGaussian();
    }

    private static void Close(double expected, double actual, string what)
    {
        if (expected == actual) return;
        Assert.True(Math.Abs(expected - actual) <= 1e-12 * Math.Abs(expected), $"{what}: scalar {expected:R}, batch {actual:R}");
    }

    [Theory]
    [InlineData("PermExDc", false, false)]
    [InlineData("PermExDc", true, false)]
    [InlineData("PermExDc", false, true)]
    [InlineData("PMSM", false, false)]
    [InlineData("PMSM", true, false)]
    [InlineData("PMSM", true, true)]
    public void SimdBatchEqualsTheScalarTwinPerStep(string motor, bool twoThreads, bool shortSubEpisodes)
    {
        const int n = 37; // not a multiple of the vector width: padded lanes must not leak
        GemEnvSpec spec = Spec(motor, 700, shortSubEpisodes);
        using SimdBatchEnv batch = Make(motor, spec, n, twoThreads);
        var scalar = new GemVectorEnv(spec, n);
        Assert.Equal(scalar.ObservationSize, batch.ObservationSize);
        Assert.Equal(scalar.ActionSize, batch.ActionSize);
        batch.Reset(100);
        scalar.Reset(100);
        Assert.Equal(scalar.Observations.ToArray(), batch.Observations.ToArray());
        var noise = new GaussianNoise(5);
        var actions = new double[n * batch.ActionSize];
        int terminated = 0, truncated = 0;
        for (int k = 0; k < 3000; k++)
        {
            Actions(motor, actions, n, k, noise);
            batch.Step(actions);
            scalar.Step(actions);
            for (int j = 0; j < n; j++)
            {
                Assert.Equal(scalar.Terminated[j], batch.Terminated[j]);
                Assert.Equal(scalar.Truncated[j], batch.Truncated[j]);
                Close(scalar.Rewards[j], batch.Rewards[j], $"step {k} env {j} reward");
                int o = j * batch.ObservationSize;
                for (int x = 0; x < batch.ObservationSize; x++)
                {
                    Close(scalar.Observations[o + x], batch.Observations[o + x], $"step {k} env {j} obs {x}");
                    Assert.Equal(batch.Observations[o + x], batch.ObservationColumn(x)[j]); // the SoA view is the same data
                }
                if (batch.Terminated[j] || batch.Truncated[j])
                {
                    if (batch.Terminated[j]) terminated++; else truncated++;
                    for (int x = 0; x < batch.ObservationSize; x++) Close(scalar.FinalObservations[o + x], batch.FinalObservations[o + x], $"step {k} env {j} final obs {x}");
                }
            }
        }
        output.WriteLine($"{motor}: {n} envs × 3000 steps, {terminated} terminations, {truncated} truncations, lanes {SimdBatchEnv.Lanes}, block references {batch.BlockReferences}");
        Assert.True(batch.BlockReferences);
        Assert.True(terminated > 0 && truncated > 0);
    }

    [Theory]
    [InlineData("PermExDc")]
    [InlineData("PMSM")]
    public void SameSeedSameRunOtherSeedOtherRun(string motor)
    {
        const int n = 16;
        GemEnvSpec spec = Spec(motor, 300, shortSubEpisodes: true);
        double[] Run(ulong seed, bool twoThreads)
        {
            using SimdBatchEnv batch = Make(motor, spec, n, twoThreads);
            var noise = new GaussianNoise(9);
            var actions = new double[n * batch.ActionSize];
            var trace = new List<double>();
            batch.Reset(seed);
            for (int k = 0; k < 900; k++)
            {
                Actions(motor, actions, n, k, noise);
                batch.Step(actions);
                trace.AddRange(batch.Observations.ToArray());
                trace.AddRange(batch.Rewards.ToArray());
            }
            return [.. trace];
        }
        double[] a = Run(7, false);
        Assert.Equal(a, Run(7, false));
        Assert.Equal(a, Run(7, true));
        Assert.NotEqual(a, Run(8, false));
    }

    [Theory]
    [InlineData("PermExDc", false)]
    [InlineData("PermExDc", true)]
    [InlineData("PMSM", false)]
    [InlineData("PMSM", true)]
    public void BatchStepDoesNotAllocate(string motor, bool twoThreads)
    {
        using SimdBatchEnv batch = Make(motor, Spec(motor, 500, shortSubEpisodes: true), 64, twoThreads);
        var actions = new double[64 * batch.ActionSize];
        for (int j = 0; j < actions.Length; j++) actions[j] = 0.3 * Math.Sin(j);
        batch.Reset(1);
        for (int k = 0; k < 2000; k++) batch.Step(actions);
        long before = GC.GetAllocatedBytesForCurrentThread();
        double sum = 0;
        for (int k = 0; k < 5000; k++)
        {
            batch.Step(actions);
            sum += batch.Observations[0];
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(double.IsFinite(sum));
    }

    [Fact]
    public void UnsupportedSpecsAreRejectedWithTheReason()
    {
        var e = Assert.Throws<ArgumentException>(() => new PermExDcCurrentBatch(GemEnvironments.Spec("Cont-CC-PermExDc-v0"), 4));
        Assert.Contains("Euler", e.Message);
        e = Assert.Throws<ArgumentException>(() => new PermExDcCurrentBatch(GemEnvironments.Spec("Cont-CC-PMSM-v0").WithSolver(SolverSpec.Euler), 4));
        Assert.Contains("permanently excited DC", e.Message);
        e = Assert.Throws<ArgumentException>(() => new PmsmCurrentBatch(GemEnvironments.Spec("Cont-CC-PMSM-v0").WithSolver(SolverSpec.Euler), 4));
        Assert.Contains("RK4", e.Message);
        e = Assert.Throws<ArgumentException>(() => new PmsmCurrentBatch(GemEnvironments.Spec("Cont-SC-PMSM-v0"), 4));
        Assert.Contains("constant-speed", e.Message);
        e = Assert.Throws<ArgumentException>(() => new PmsmCurrentBatch(GemEnvironments.Spec("Cont-CC-PermExDc-v0"), 4));
        Assert.Contains("PMSM", e.Message);
    }
}

using MotorRT.Policies.Training.Export;
using MotorRT.Policies.Training.Rl;

namespace MotorRT.Policies.Training.Tests;

public class ActorCriticTests
{
    private static RlOptions Tiny(RlAlgorithm algorithm, ulong seed = 7) => new()
    {
        Algorithm = algorithm,
        ActorHidden = [32, 32],
        CriticHidden = [32, 32],
        BatchSize = 64,
        BufferSize = 20_000,
        LearningStarts = 500,
        Gamma = 0.9,
        Tau = 0.01,
        NoiseSigma = 0.2,
        Seed = seed,
    };

    private static double MeanReturn(Func<float[], float[]> policy)
    {
        var env = new PointMass();
        var obs = new float[2];
        double total = 0;
        for (int e = 0; e < 20; e++)
        {
            env.Reset(1000UL + (ulong)e, obs);
            for (int k = 0; k < 50; k++)
            {
                RlStep r = env.Step(policy(obs), obs);
                total += r.Reward;
                if (r.Truncated) break;
            }
        }
        return total / 20;
    }

    [Theory]
    [InlineData(RlAlgorithm.Td3)]
    [InlineData(RlAlgorithm.Ddpg)]
    public void LearnsThePointMassTask(RlAlgorithm algorithm)
    {
        var trainer = new RlTrainer(new PointMass(), Tiny(algorithm));
        trainer.Train(4000);
        var rng = new SplitMix64Rng(99);
        double random = MeanReturn(_ => [(float)(2 * rng.NextDouble() - 1)]);
        double trained = MeanReturn(o =>
        {
            var a = new float[1];
            trainer.Agent.Act(o, a);
            return a;
        });
        // Random actions wander off (≈ −40 per episode); the learnt policy reaches the target within a few steps.
        Assert.True(trained > 0.25 * random, $"{algorithm}: trained return {trained:F2} not clearly better than random {random:F2}");
        Assert.True(trained > -6, $"{algorithm}: trained return {trained:F2}");
    }

    [Fact]
    public void SameSeedGivesBitIdenticalNetworks()
    {
        float[] Run(ulong seed)
        {
            var trainer = new RlTrainer(new PointMass(), Tiny(RlAlgorithm.Td3, seed) with { LearningStarts = 100 });
            trainer.Train(600);
            var net = trainer.Agent.Actor;
            var all = new List<float>();
            for (int l = 0; l < net.LayerCount; l++) { all.AddRange(net.Weights(l).ToArray()); all.AddRange(net.Biases(l).ToArray()); }
            return [.. all];
        }
        float[] a = Run(3), b = Run(3), c = Run(4);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void CheckpointRoundTrips()
    {
        var trainer = new RlTrainer(new PointMass(), Tiny(RlAlgorithm.Ddpg) with { LearningStarts = 100 });
        trainer.Train(300);
        string path = Path.Combine(Path.GetTempPath(), $"motorrt-rl-{Guid.NewGuid():N}.ckpt");
        try
        {
            trainer.Agent.Save(path);
            var other = new ActorCriticAgent(2, 1, Tiny(RlAlgorithm.Ddpg) with { Seed = 1234 });
            other.Load(path);
            float[] o = [0.3f, -0.4f];
            float[] x = new float[1], y = new float[1];
            trainer.Agent.Act(o, x);
            other.Act(o, y);
            Assert.Equal(x[0], y[0]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void OrnsteinUhlenbeckNoiseStaysInRange()
    {
        var noise = new ExplorationNoise(NoiseKind.OrnsteinUhlenbeck, 2, 0.3, 0.15, 1);
        var a = new float[2];
        for (int k = 0; k < 1000; k++)
        {
            a[0] = a[1] = 0.9f;
            noise.Apply(a);
            Assert.InRange(a[0], -1f, 1f);
        }
    }

    [Fact]
    public void AGivenActorIsKeptDuringTheCriticWarmup()
    {
        var initial = new DenseNetwork([2, 16, 1], MlpActivation.Relu, MlpActivation.Identity, seed: 3);
        var trainer = new RlTrainer(new PointMass(), Tiny(RlAlgorithm.Td3) with { LearningStarts = 0, CriticWarmupUpdates = 600 }, initial);
        trainer.Train(500);
        Assert.Equal(initial.ToMlp().Layers[0].Weights, trainer.Agent.Actor.ToMlp().Layers[0].Weights);
        Assert.True(trainer.Agent.Updates > 0);
        var a = new float[1];
        trainer.Agent.Act([5f, 5f], a);
        Assert.InRange(a[0], -1f, 1f); // an Identity output is clamped
        trainer.Train(500);
        Assert.NotEqual(initial.ToMlp().Layers[0].Weights, trainer.Agent.Actor.ToMlp().Layers[0].Weights);
    }
}

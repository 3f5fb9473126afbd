using MotorRT.Sim.Gym.Constraints;
using MotorRT.Sim.Gym.Initializers;
using MotorRT.Sim.Gym.References;
using MotorRT.Sim.Gym.Rewards;

namespace MotorRT.Sim.Gym.Tests;

public sealed class RewardTests
{
    private static StateLayout DcLayout(bool series) => new(["omega", "torque", "i", "u", "u_sup"], [400, 38, 210, 60, 60], [300, 16, 97, 60, 60],
        series ? [0, 0, -1, -1, 0] : [-1, -1, -1, -1, 0]);

    [Fact]
    public void ViolationRewardIsGemsBinary64Value()
    {
        var r = new WeightedSumOfErrors();
        r.Bind(DcLayout(false), ["i"]);
        Assert.Equal(-10.000000000000002, r.ViolationReward);
        Assert.Equal((-1.0, 0.0), r.RewardRange);
        var r2 = new WeightedSumOfErrors(gamma: 0.99);
        r2.Bind(DcLayout(false), ["i"]);
        Assert.Equal(-1.0 / (1.0 - 0.99), r2.ViolationReward);
    }

    [Fact]
    public void WeightedErrorUsesStateLengthPowerAndBias()
    {
        double[] s = [0.5, 0, 0.2, 0, 1], reference = [0.1, 0, 0, 0, 0];
        var speed = new WeightedSumOfErrors(new Dictionary<string, double> { ["omega"] = 1 });
        speed.Bind(DcLayout(series: true), ["omega"]);
        Assert.Equal(-0.4, speed.Reward(s, reference, 1, 0), 15); // series motor: ω in [0, 1], length 1
        speed.Bind(DcLayout(series: false), ["omega"]);
        Assert.Equal(-0.2, speed.Reward(s, reference, 1, 0), 15); // length 2
        var squared = new WeightedSumOfErrors(new Dictionary<string, double> { ["omega"] = 1 }, rewardPower: 2, bias: double.NaN);
        squared.Bind(DcLayout(false), ["omega"]);
        Assert.Equal(1.0, squared.Bias);
        Assert.Equal(1 - 0.04, squared.Reward(s, reference, 1, 0), 15);
        Assert.Equal(0.5 * (1 - 0.04) + 0.5 * squared.ViolationReward, squared.Reward(s, reference, 1, 0.5), 15);
    }

    [Fact]
    public void DefaultWeightsAreEqualOnReferencedStatesAndNormedWeightsSumToOne()
    {
        var r = new WeightedSumOfErrors();
        r.Bind(DcLayout(false), ["omega", "i"]);
        Assert.Equal([0.5, 0, 0.5, 0, 0], r.Weights.ToArray());
        var n = new WeightedSumOfErrors(new Dictionary<string, double> { ["omega"] = 3, ["i"] = 1 }, normedRewardWeights: true);
        n.Bind(DcLayout(false), ["omega"]);
        Assert.Equal([0.75, 0, 0.25, 0, 0], n.Weights.ToArray());
        Assert.Equal(-10.000000000000002, n.ViolationReward);
    }

    [Fact]
    public void NumpySumUsesEightAccumulators()
    {
        double[] a = [1e16, 1, 1, 1, 1, 1, 1, 1, -1e16, 1, 1, 1, 1, 1];
        // 14 elements: eight accumulators start from the first eight (the unrolled loop adds nothing more), are combined pairwise, then the rest is added one by one.
        double expected = ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
        for (int k = 8; k < a.Length; k++) expected += a[k];
        double sequential = 0;
        foreach (double v in a) sequential += v;
        Assert.NotEqual(sequential, expected); // the test data tells the orders apart
        Assert.Equal(expected, WeightedSumOfErrors.NumpySum(a));
        Assert.Equal(6.0, WeightedSumOfErrors.NumpySum([1, 2, 3]));
    }
}

public sealed class ConstraintTests
{
    private static readonly StateLayout Layout = new(["omega", "torque", "i_sd", "i_sq", "u_sup"], [400, 38, 400, 400, 60], [300, 16, 240, 240, 60], [-1, -1, -1, -1, 0]);

    [Fact]
    public void LimitConstraintIsStrict()
    {
        var c = new LimitConstraint("i_sd");
        c.Bind(Layout);
        Assert.Equal(0.0, c.Check([0, 5, 1.0, 0, 1]));
        Assert.Equal(1.0, c.Check([0, 5, -1.0000001, 0, 1]));
    }

    [Fact]
    public void SquaredConstraintOnDqCurrentsAndMonitorTakesMax()
    {
        var m = new ConstraintMonitor(new SquaredConstraint("i_sq", "i_sd"), new LimitConstraint("omega"));
        m.Bind(Layout);
        Assert.Equal(0.0, m.Check([0, 0, 0.6, 0.8, 1])); // exactly 1: no violation
        Assert.Equal(1.0, m.Check([0, 0, 0.71, 0.71, 1]));
        Assert.Equal(1.0, m.Check([1.1, 0, 0, 0, 1]));
    }
}

public sealed class ReferenceGeneratorTests
{
    private static readonly StateLayout Layout = new(["omega", "torque", "i", "u", "u_sup"], [400, 38, 210, 60, 60], [300, 16, 97, 60, 60], [-1, -1, -1, -1, 0]);

    private static double[] Run(ReferenceGenerator g, int n, ulong seed)
    {
        g.Bind(Layout, 1e-4);
        g.Seed(seed);
        var obs = new double[1];
        var trace = new double[n];
        g.Reset(new double[5], obs);
        trace[0] = obs[0];
        for (int k = 1; k < n; k++) { g.NextObservation(new double[5], obs); trace[k] = obs[0]; }
        return trace;
    }

    [Fact]
    public void WienerStaysInItsMarginAndIsSeeded()
    {
        var w = new WienerProcessReferenceGenerator("i", (1e-2, 1e-1));
        double[] a = Run(w, 6000, 7);
        Assert.Equal(-97.0 / 210, w.ReferenceLow[0], 15);
        Assert.All(a, v => Assert.InRange(v, -97.0 / 210, 97.0 / 210));
        Assert.Equal(a, Run(new WienerProcessReferenceGenerator("i", (1e-2, 1e-1)), 6000, 7));
        Assert.NotEqual(a, Run(new WienerProcessReferenceGenerator("i", (1e-2, 1e-1)), 6000, 8));
        Assert.InRange(w.CurrentSigma, 1e-2, 1e-1);
        var g = new double[5];
        w.GetReference(g);
        Assert.Equal([0, 0, a[^1], 0, 0], g);
    }

    [Fact]
    public void WienerStartsFromItsInitialRange()
    {
        var w = new WienerProcessReferenceGenerator("omega", (1e-9, 1e-9), initialRange: (0.3, 0.3), episodeLengths: (10, 20));
        double[] a = Run(w, 500, 3);
        Assert.All(a, v => Assert.Equal(0.3, v, 6));
    }

    [Fact]
    public void SinusoidHasItsPeriodAndMargin()
    {
        var s = new PeriodicReferenceGenerator(Waveform.Sinusoidal, "omega", amplitudeRange: (0.2, 0.2), frequencyRange: (50, 50), offsetRange: (0.1, 0.1), episodeLengths: (1000, 1001));
        double[] a = Run(s, 1000, 1);
        for (int k = 0; k + 200 < 1000; k++) Assert.Equal(a[k], a[k + 200], 9); // 50 Hz at τ = 1e-4 s: 200 samples
        Assert.Equal(0.3, a.Max(), 3);
        Assert.Equal(-0.1, a.Min(), 3);
    }

    [Fact]
    public void StepTakesTwoLevelsAndMarginClips()
    {
        var s = new PeriodicReferenceGenerator(Waveform.Step, "omega", amplitudeRange: (0.5, 0.5), frequencyRange: (10, 10), episodeLengths: (3000, 3001));
        double[] a = Run(s, 3000, 2);
        Assert.Equal(0.75, s.ReferenceHigh[0]);
        double[] levels = [.. a.Select(v => Math.Round(v, 12)).Distinct().Order()];
        Assert.Equal(2, levels.Length);
        Assert.Equal(1.0, levels[1] - levels[0], 9);
        Assert.All(a, v => Assert.InRange(v, -0.75, 0.75));
    }

    [Fact]
    public void SawtoothMatchesScipy()
    {
        Assert.Equal(-1.0, PeriodicReferenceGenerator.Sawtooth(0, 1), 15);
        Assert.Equal(0.0, PeriodicReferenceGenerator.Sawtooth(Math.PI, 1), 15);
        Assert.Equal(1.0, PeriodicReferenceGenerator.Sawtooth(Math.PI, 0.5), 15);
        Assert.Equal(0.0, PeriodicReferenceGenerator.Sawtooth(1.5 * Math.PI, 0.5), 15);
        Assert.Equal(-0.5, PeriodicReferenceGenerator.Sawtooth(-1.5 * Math.PI, 1), 15);
        var t = new PeriodicReferenceGenerator(Waveform.Triangular, "omega", amplitudeRange: (0.3, 0.3), frequencyRange: (20, 20), offsetRange: (0, 0));
        Assert.All(Run(t, 2000, 4), v => Assert.InRange(v, -0.3 - 1e-12, 0.3 + 1e-12));
    }

    [Fact]
    public void SwitchedUsesEverySubGeneratorAndContinuesFromTheLastReference()
    {
        var c1 = new ConstReferenceGenerator("omega", 0.1);
        var c2 = new ConstReferenceGenerator("omega", 0.2);
        var sw = new SwitchedReferenceGenerator([c1, c2], superEpisodeLength: (5, 10));
        double[] a = Run(sw, 400, 9);
        Assert.Contains(0.1, a);
        Assert.Contains(0.2, a);
        var w = new WienerProcessReferenceGenerator("omega", (1e-9, 1e-9));
        var sw2 = new SwitchedReferenceGenerator([new ConstReferenceGenerator("omega", 0.4), w], superEpisodeLength: (5, 6));
        double[] b = Run(sw2, 200, 1);
        int first = Array.IndexOf(b, 0.4);
        Assert.True(first >= 0 && first < 20);
        Assert.All(b[first..], v => Assert.Equal(0.4, v, 6)); // after the constant, the Wiener process starts from its last value
    }

    [Fact]
    public void MultipleConcatenatesAndSumsReferenceArrays()
    {
        var m = new MultipleReferenceGenerator(new ConstReferenceGenerator("omega", 0.1), new ConstReferenceGenerator("i", -0.3));
        m.Bind(Layout, 1e-4);
        var obs = new double[2];
        m.Reset(new double[5], obs);
        Assert.Equal([0.1, -0.3], obs);
        var r = new double[5];
        m.GetReference(r);
        Assert.Equal([0.1, 0, -0.3, 0, 0], r);
        Assert.Equal(["omega", "i"], m.ReferenceNames);
    }
}

public sealed class EnvTests
{
    [Fact]
    public void EveryPresetBuildsResetsAndSteps()
    {
        foreach (string id in GemEnvironments.Ids)
        {
            GemEnv env = GemEnvironments.Make(id);
            ReadOnlySpan<double> obs = env.Reset(1);
            Assert.Equal(env.Layout.Count + env.References.ReferenceNames.Count, obs.Length);
            StepResult r = env.IsFinite ? env.Step((ReadOnlySpan<int>)Enumerable.Repeat(1, env.ActionCount).ToArray()) : env.Step(new double[env.ActionCount]);
            Assert.True(double.IsFinite(r.Reward) && r.Reward <= 0, id);
        }
        Assert.Contains("Cont-CC-DFIM-v0", GemEnvironments.Ids);
        Assert.Contains("Finite-SC-DFIM-v0", GemEnvironments.Ids);
        Assert.Throws<ArgumentException>(() => GemEnvironments.Spec("Cont-CC-SCIM-v0")); // the SCIM's env layer is not written yet
    }

    /// <summary>GEM 3.0.2's DFIM envs as read back from the live GEM objects: references, margins, violation reward, bounds.</summary>
    [Theory]
    [InlineData("Cont-CC-DFIM-v0", "i_sd,i_sq", 0.8333333333333334, 6)]
    [InlineData("Cont-SC-DFIM-v0", "omega", 0.9166666666666667, 6)]
    [InlineData("Finite-TC-DFIM-v0", "torque", 1.0, 2)]
    public void DfimEnvironmentsHaveGemsReferencesAndLayout(string id, string references, double margin, int actions)
    {
        GemEnv env = GemEnvironments.Make(id);
        Assert.Equal(references.Split(','), env.References.ReferenceNames);
        for (int k = 0; k < env.References.ReferenceNames.Count; k++)
        {
            Assert.Equal(-margin, env.References.ReferenceLow[k], 15);
            Assert.Equal(margin, env.References.ReferenceHigh[k], 15);
        }
        Assert.Equal(-10.000000000000002, ((WeightedSumOfErrors)env.Reward).ViolationReward);
        Assert.Equal(actions, env.ActionCount);
        Assert.Equal(24, env.Layout.Count);
        Assert.Equal("u_sup", env.Layout.Names[^1]);
        for (int k = 0; k < env.Layout.Count; k++) Assert.Equal(env.Layout.Names[k] == "u_sup" ? 0.0 : -1.0, env.Layout.Low[k]);
        Assert.Equal(9.0, env.Layout.Limits[env.Layout.IndexOf("i_rq")]);
        Assert.Equal(360.0, env.Layout.Limits[env.Layout.IndexOf("u_ra")]);
        Assert.Equal(33.27096740509266, env.Layout.Limits[env.Layout.IndexOf("torque")], 12);
    }

    [Fact]
    public void SeededResetRepeatsAnEpisode()
    {
        GemEnv env = GemEnvironments.Make("Cont-SC-PermExDc-v0");
        double[] Episode(ulong seed)
        {
            var trace = new List<double>();
            env.Reset(seed);
            for (int k = 0; k < 3000; k++) { StepResult r = env.Step([0.3]); trace.Add(r.Reward); trace.Add(env.Observation[^1]); if (r.Terminated) break; }
            return [.. trace];
        }
        double[] a = Episode(5);
        Assert.Equal(a, Episode(5));
        Assert.NotEqual(a, Episode(6));
    }

    [Fact]
    public void InitializersSetTheStartingStateIncludingSpeed()
    {
        GemEnvSpec spec = GemEnvironments.Spec("Cont-SC-PermExDc-v0") with { Initializer = () => new ConstantInitializer(150.0, 21.0) };
        var env = new GemEnv(spec);
        ReadOnlySpan<double> obs = env.Reset(1);
        Assert.Equal(150.0 / 400, obs[0], 15);
        Assert.Equal(21.0 / 210, obs[2], 15);
        Assert.Equal(0.165 * 21 / 38, obs[1], 12); // torque ψ_e·i follows the initial current

        var random = new GemEnv(GemEnvironments.Spec("Cont-SC-PermExDc-v0") with { Initializer = () => new UniformRandomInitializer((-200, 200), (-50, 50)) });
        double w1 = random.Reset(3)[0], w2 = random.Reset(4)[0];
        Assert.NotEqual(0.0, w1);
        Assert.NotEqual(w1, w2);
        Assert.Equal(w1, random.Reset(3)[0]);
        Assert.InRange(w1 * 400, -200, 200);
        random.Step([0.0]);
        Assert.NotEqual(0.0, random.State[0]); // the plant really starts moving from ω₀
    }

    [Fact]
    public void TruncationAndTerminationRequireAReset()
    {
        var env = new GemEnv(GemEnvironments.Spec("Cont-CC-PermExDc-v0") with { MaxEpisodeSteps = 10 });
        Assert.Throws<InvalidOperationException>(() => env.Step([0.0]));
        env.Reset(1);
        StepResult r = default;
        for (int k = 0; k < 10; k++) r = env.Step([0.275]); // ≈ the back-EMF at 100 rad/s: the current stays small
        Assert.True(r.Truncated);
        Assert.False(r.Terminated);
        Assert.Throws<InvalidOperationException>(() => env.Step([0.0]));
        env.Reset();
        int steps = 0;
        do { r = env.Step([1.0]); steps++; } while (!r.Terminated && !r.Truncated);
        Assert.True(r.Terminated); // full voltage at 100 rad/s passes 210 A within a few steps
        Assert.Equal(-10.000000000000002, r.Reward);
        Assert.True(steps < 10);
    }

    [Fact]
    public void StepDoesNotAllocate()
    {
        GemEnv env = GemEnvironments.Make("Cont-CC-PMSM-v0");
        double[] action = [0.1, -0.05, -0.05];
        void Run(int n)
        {
            env.Reset(2);
            for (int k = 0; k < n; k++)
                if (env.Step(action).Terminated) env.Reset();
        }
        Run(5000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(10000);
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, bytes);
    }
}

public sealed class PresetTests
{
    [Fact]
    public void ExtExDcCurrentControlReferencesBothCurrentsAndLimitsBoth()
    {
        GemEnv env = GemEnvironments.Make("Cont-CC-ExtExDc-v0");
        Assert.Equal(["i_a", "i_e"], env.References.ReferenceNames);
        Assert.Equal(97.0 / 210, env.References.ReferenceHigh[1], 15);
        Assert.Equal([0, 0, 0.5, 0.5, 0, 0, 0], ((MotorRT.Sim.Gym.Rewards.WeightedSumOfErrors)env.Reward).Weights.ToArray());
        env.Reset(1);
        StepResult r;
        int steps = 0;
        do { r = env.Step([0.0, 1.0]); steps++; } while (!r.Terminated && steps < 100_000);
        Assert.True(r.Terminated); // full excitation voltage drives i_e past its 210 A limit (60 V / 0.16 Ω = 375 A)
    }

    [Fact]
    public void FiniteExtExDcTakesOneSwitchingStatePerSubConverter()
    {
        GemEnv env = GemEnvironments.Make("Finite-CC-ExtExDc-v0");
        env.Reset(1);
        env.Step([1, 1]);
        Assert.Equal(1.0, env.State[4]); // u_a = +u_sup, normalised by the 60 V limit
        Assert.Equal(1.0, env.State[5]);
    }
}

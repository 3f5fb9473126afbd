using MotorRT.Contracts;
using MotorRT.Policies.Pwa;

namespace MotorRT.Policies.Tests;

public class PwaEvaluationTests
{
    private static readonly PwaParameter[] OneD = [new(ObservationQuantity.ErrorCurrentD, -20, 20)];

    [Fact]
    public void SaturatedLinearLawIn1DEvaluatesExactlyAsTheClosedForm()
    {
        const double k = 5, c = 1, lo = -30, hi = 40;
        PwaLaw law = PwaSynthesis.SaturatedLinear(OneD, [k], c, lo, hi);
        PwaValidator.Validate(law);
        law.BuildTree();
        Assert.Equal(3, law.RegionCount);
        var u = new double[1];
        var rng = new Random(1);
        var points = new List<double> { -20, -6.2, -31.0 / 5, 0, 7.8, 39.0 / 5, 20 };
        for (int i = 0; i < 20_000; i++) points.Add(-20 + 40 * rng.NextDouble());
        foreach (double x in points)
        {
            foreach (bool sequential in new[] { true, false })
            {
                int r = law.Evaluate([x], u, sequential, out bool clipped);
                Assert.True(r >= 0);
                Assert.Equal(Math.Clamp(k * x + c, lo, hi), u[0]);
                Assert.False(clipped); // saturation is part of the law itself, not of the output clip
            }
        }
        // The region index follows the closed form away from the breakpoints.
        Assert.Equal(0, law.FindRegionSequential([-10.0]));
        Assert.Equal(1, law.FindRegionSequential([0.0]));
        Assert.Equal(2, law.FindRegionSequential([10.0]));
    }

    [Fact]
    public void SaturatedLinearLawInThreeParametersEvaluatesExactly()
    {
        PwaParameter[] ps = [new(ObservationQuantity.ErrorCurrentD, -10, 10), new(ObservationQuantity.CurrentD, -10, 10), new(ObservationQuantity.ReferenceCurrentD, -10, 10)];
        double[] k = [3, -1.5, 0.5];
        PwaLaw law = PwaSynthesis.SaturatedLinear(ps, k, 0.25, -12, 9);
        PwaValidator.Validate(law);
        var rng = new Random(2);
        var u = new double[1];
        var theta = new double[3];
        for (int i = 0; i < 20_000; i++)
        {
            for (int j = 0; j < 3; j++) theta[j] = -10 + 20 * rng.NextDouble();
            Assert.True(law.Evaluate(theta, u, true, out _) >= 0);
            double expected = 0.25;
            for (int j = 0; j < 3; j++) expected += k[j] * theta[j];
            Assert.Equal(Math.Clamp(expected, -12, 9), u[0], 12);
        }
    }

    [Theory]
    [InlineData(3, 9)]
    [InlineData(5, 25)]
    [InlineData(7, 49)]
    public void GridLawsHaveTheStatedRegionCountAndMatchTheirAxisFunctions(int perAxis, int regions)
    {
        PwaLaw law = PwaSynthesis.GridBenchmarkLaw(perAxis);
        Assert.Equal(regions, law.RegionCount);
        PwaValidationReport report = PwaValidator.Validate(law);
        Assert.True(report.FacetsProbed > 0);
        Assert.True(report.ContinuityChecks > 0);
        Assert.True(report.LargestJump < 1e-9);
        PwaSearchTree tree = law.BuildTree();
        Assert.Equal(1, tree.MaxLeafSize);
        Assert.True(tree.Depth <= 2 * (int)Math.Ceiling(Math.Log2(perAxis)), $"depth {tree.Depth}");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    public void TreeAndSequentialSearchAgreeOnOneHundredThousandRandomPoints(int perAxis)
    {
        PwaLaw law = PwaSynthesis.GridBenchmarkLaw(perAxis);
        law.BuildTree();
        AssertTreeAgrees(law, 100_000, seed: perAxis);
    }

    [Fact]
    public void TreeAndSequentialSearchAgreeOnTheMpcLaw()
    {
        PwaLaw law = PwaSynthesis.PmsmCurrentMpc(TestMotors.Pmsm, 1e-4, new PmsmMpcOptions { DcLinkVoltage = 300, Horizon = 2 });
        law.BuildTree();
        AssertTreeAgrees(law, 100_000, seed: 11);
    }

    internal static void AssertTreeAgrees(PwaLaw law, int points, int seed)
    {
        var rng = new Random(seed);
        int n = law.ParameterCount;
        var theta = new double[n];
        var u1 = new double[law.OutputCount];
        var u2 = new double[law.OutputCount];
        double[] lo = law.BoxMin(), hi = law.BoxMax();
        int differentRegion = 0;
        for (int i = 0; i < points; i++)
        {
            for (int j = 0; j < n; j++) theta[j] = lo[j] + (hi[j] - lo[j]) * rng.NextDouble();
            int rs = law.Evaluate(theta, u1, sequential: true, out _);
            int rt = law.Evaluate(theta, u2, sequential: false, out _);
            Assert.True(rs >= 0, "the law covers its box");
            if (rs != rt)
            {
                // Allowed only on a shared facet (tie rule): both regions contain θ and the outputs agree.
                differentRegion++;
                Assert.True(law.Contains(rt, theta));
            }
            for (int o = 0; o < u1.Length; o++) Assert.Equal(u1[o], u2[o], 9);
        }
        Assert.True(differentRegion <= points / 10_000, $"{differentRegion} ties");
    }

    [Fact]
    public void PointsOutsideTheBoxOrNaNAreOutOfDomainNotExceptions()
    {
        PwaLaw law = PwaSynthesis.GridBenchmarkLaw(5);
        law.BuildTree();
        var u = new double[2];
        Assert.Equal(-1, law.Evaluate([10.5, 0], u, true, out _));
        Assert.Equal(-1, law.Evaluate([0, -11], u, false, out _));
        Assert.Equal(-1, law.Evaluate([double.NaN, 0], u, false, out _));
        Assert.Equal(-1, law.Evaluate([0, double.NaN], u, true, out _));
        Assert.Equal(-1, law.Evaluate([0], u, true, out _));
        // Within the tolerance of the box edge is still inside.
        Assert.True(law.Evaluate([10 + 1e-12, 0], u, true, out _) >= 0);
    }

    [Fact]
    public void ControllerReportsOutOfDomainAndLeavesTheCommandSafe()
    {
        PwaLaw law = PwaSynthesis.GridBenchmarkLaw(3);
        var controller = new PwaController(law, TestMotors.Pmsm, 1e-4);
        var obs = new MotorObservation { DcLinkVoltage = 300, CurrentD = 0, CurrentQ = 0, Reference = new References { CurrentD = 50 } };
        var cmd = new ConverterCommand();
        cmd.SetSafe();
        controller.Compute(in obs, ref cmd);
        Assert.Equal(ControllerStatus.OutOfDomain, controller.Status);
        Assert.False(cmd.BridgeEnable);
        Assert.Equal(0.0, cmd.Duty[0]);
        Assert.Equal(1, controller.OutOfDomainTicks);

        var fallback = new ConstantDutyController();
        var withFallback = new PwaController(law, TestMotors.Pmsm, 1e-4, fallback: fallback);
        cmd.SetSafe();
        withFallback.Compute(in obs, ref cmd);
        Assert.Equal(ControllerStatus.Ok, withFallback.Status);
        Assert.Equal(0.125, cmd.Duty[0]);
        Assert.Equal(1, withFallback.OutOfDomainTicks);
    }

    [Fact]
    public void VoltageDqOutputIsModulatedOnTheDcLink()
    {
        // A law that always asks u_d = 0, u_q = 50 V: at ε = 0 the αβ vector is (0, 50) V.
        PwaParameter[] ps = [new(ObservationQuantity.CurrentD, -10, 10), new(ObservationQuantity.CurrentQ, -10, 10)];
        var region = new PwaRegion([[1, 0]], [10], [[0, 0], [0, 0]], [0, 50]);
        var law = new PwaLaw("test", ps, PwaOutputMeaning.VoltageDq, [-100, -100], [100, 100], [region], true, 1e-9);
        var controller = new PwaController(law, TestMotors.Pmsm, 1e-4);
        var obs = new MotorObservation { DcLinkVoltage = 300, ElectricalAngle = 0 };
        var cmd = new ConverterCommand();
        controller.Compute(in obs, ref cmd);
        Assert.Equal(ControllerStatus.Ok, controller.Status);
        Assert.True(cmd.BridgeEnable);
        Foc.SpaceVectorModulator.VoltageOf(cmd.Duty[0], cmd.Duty[1], cmd.Duty[2], 300, out double alpha, out double beta);
        Assert.Equal(0.0, alpha, 9);
        Assert.Equal(50.0, beta, 9);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ComputeAllocatesNothing(bool sequential)
    {
        PwaLaw law = PwaSynthesis.PmsmCurrentMpc(TestMotors.Pmsm, 1e-4, new PmsmMpcOptions { DcLinkVoltage = 300 });
        law.BuildTree();
        var controller = new PwaController(law, TestMotors.Pmsm, 1e-4, sequential);
        var obs = new MotorObservation { DcLinkVoltage = 300, ElectricalSpeed = 300, Period = 1e-4 };
        var cmd = new ConverterCommand();
        var rng = new Random(3);
        var samples = new MotorObservation[64];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = obs;
            samples[i].CurrentD = -50 + 100 * rng.NextDouble();
            samples[i].CurrentQ = -50 + 100 * rng.NextDouble();
            samples[i].ElectricalAngle = -Math.PI + 2 * Math.PI * rng.NextDouble();
            samples[i].Reference.CurrentQ = 40 * rng.NextDouble();
        }
        for (int i = 0; i < 1000; i++) controller.Compute(in samples[i & 63], ref cmd);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            cmd.SetSafe();
            controller.Compute(in samples[i & 63], ref cmd);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(controller.LastRegion >= 0);
    }

    [Fact]
    public void FileRoundTripKeepsTheLaw()
    {
        PwaLaw law = PwaSynthesis.GridBenchmarkLaw(5);
        string json = PwaLawFile.ToJson(law, "grid 25");
        PwaLaw back = PwaLawFile.Parse("grid25.json", json);
        Assert.NotNull(back.Tree);
        Assert.Equal(law.RegionCount, back.RegionCount);
        var rng = new Random(4);
        var u1 = new double[2];
        var u2 = new double[2];
        for (int i = 0; i < 2000; i++)
        {
            double[] t = [-10 + 20 * rng.NextDouble(), -10 + 20 * rng.NextDouble()];
            Assert.Equal(law.Evaluate(t, u1, true, out _), back.Evaluate(t, u2, false, out _));
            Assert.Equal(u1[0], u2[0], 12);
            Assert.Equal(u1[1], u2[1], 12);
        }
    }

    [Theory]
    [InlineData(9)]
    [InlineData(25)]
    [InlineData(49)]
    [InlineData(81)]
    public void BenchmarkWorkloadsStayInDomainAndVisitManyRegions(int regions)
    {
        (PwaController controller, MotorObservation[] observations) = PwaBenchmarkWorkload.Create(regions, sequential: false);
        Assert.Equal(regions, controller.Law.RegionCount);
        var seen = new HashSet<int>();
        var cmd = new ConverterCommand();
        foreach (MotorObservation o in observations)
        {
            controller.Compute(in o, ref cmd);
            Assert.NotEqual(ControllerStatus.OutOfDomain, controller.Status);
            seen.Add(controller.LastRegion);
        }
        Assert.True(seen.Count >= Math.Min(regions, 20), $"{seen.Count} regions visited");
    }

    private sealed class ConstantDutyController : IController
    {
        public string Name => "constant";
        public ControllerStatus Status => ControllerStatus.Ok;
        public void Reset() { }
        public void Compute(in MotorObservation observation, ref ConverterCommand command)
        {
            command.Duty[0] = 0.125;
            command.BridgeEnable = true;
        }
    }
}

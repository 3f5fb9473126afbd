using MathNet.Numerics.LinearAlgebra;
using MotorRT.Policies.Mpc;
using MotorRT.Policies.Pwa;
using MotorRT.Contracts.Configuration;
using Xunit.Abstractions;

namespace MotorRT.Policies.Tests;

public class MpcBuildTests(ITestOutputHelper output)
{
    internal static MpcOptions AnchorOptions(int horizon) => new()
    {
        Loop = MpcLoop.DcCurrent, Horizon = horizon, SupplyVoltage = 60, CurrentLimit = 200, CurrentRange = 210, ReferenceRange = 200, SpeedRange = 400,
    };

    [Theory]
    [InlineData(3, false, 11)] // PPOPT 1.6.12: 11 regions
    [InlineData(5, false, 19)] // PPOPT 1.6.12: 19 regions
    [InlineData(3, true, 21)]
    [InlineData(5, true, 37)]
    public void DcCurrentAnchor(int horizon, bool stateConstraint, int regions)
    {
        var (problem, solution, law) = MpcLoops.Build(TestMotors.PermExDc, 1e-4, AnchorOptions(horizon) with { CurrentLimit = stateConstraint ? 200 : null }, "test");
        output.WriteLine($"N = {horizon}: {solution.Regions.Count} regions, {solution.DomainFacets.Count} domain facets, {solution.QpSolves} QPs, {solution.DegenerateSteps} degenerate, {solution.Seconds * 1e3:F1} ms");
        PwaValidator.Validate(law);
        MpcVerificationReport report = MpcVerification.Verify(problem, law, horizon == 5 && !stateConstraint ? 100_000 : 20_000);
        output.WriteLine($"max |Δu| = {report.MaxDeviation:E2} V at {report.Feasible} feasible samples");
        Assert.Equal(regions, solution.Regions.Count);
        Assert.Equal(0, report.Uncovered);
        Assert.Equal(0, report.EvaluatedOutsideDomain);
        Assert.True(report.MaxDeviation <= 1e-8, $"max |Δu| {report.MaxDeviation}");
        Assert.Equal(stateConstraint, law.Domain is not null);
        Assert.Equal(stateConstraint, report.Feasible < report.Samples);
    }

    [Theory]
    [InlineData(MpcLoop.DqCurrent, MpcInputSet.Box, false, 3, true)]
    [InlineData(MpcLoop.DqCurrent, MpcInputSet.Hexagon, false, 2, true)]
    [InlineData(MpcLoop.DqCurrent, MpcInputSet.Box, true, 2, true)]
    // The DC speed and Δu laws validate since domain facets take the LP support of the feasible set, facet centres lie
    // on the facet, and wedge-shaped regions down to 1e-9 of the box (N = 3: radius 2.4e-5 rad/s) are kept.
    [InlineData(MpcLoop.DcSpeed, MpcInputSet.Box, false, 3, true)]
    [InlineData(MpcLoop.DcSpeed, MpcInputSet.Box, false, 5, true)]
    [InlineData(MpcLoop.DcCurrent, MpcInputSet.Box, true, 5, true)]
    public void EveryLoopMatchesTheOnlineQp(MpcLoop loop, MpcInputSet input, bool deltaU, int horizon, bool validates)
    {
        bool dq = loop == MpcLoop.DqCurrent;
        var motor = dq ? TestMotors.Pmsm : TestMotors.PermExDc;
        var options = new MpcOptions
        {
            Loop = loop, Horizon = horizon, InputSet = input, DeltaWeight = deltaU ? 1e-3 : null, SupplyVoltage = dq ? 300 : 60,
            CurrentLimit = dq ? 100 : 200, CurrentRange = dq ? 105 : 210, ReferenceRange = dq ? 100 : 200, SpeedRange = dq ? 200 : 400,
        };
        var (problem, solution, law) = MpcLoops.Build(motor, 1e-4, options, "test");
        output.WriteLine($"{loop} {input} Δu={deltaU} N={horizon}: {solution.Regions.Count} regions, {solution.DomainFacets.Count} domain facets, {solution.QpSolves} QPs, {solution.DegenerateSteps} degenerate, {solution.Seconds * 1e3:F1} ms");
        MpcVerificationReport report = MpcVerification.Verify(problem, law, 5000);
        output.WriteLine($"max |Δu| = {report.MaxDeviation:E2} V at {report.Feasible}/{report.Samples} feasible samples, {report.Uncovered} uncovered");
        if (validates) PwaValidator.Validate(law, 2000);
        Assert.True(solution.Regions.Count > 1);
        Assert.Equal(0, report.Uncovered);
        Assert.True(report.MaxDeviation <= 1e-8, $"max |Δu| {report.MaxDeviation}");
        AssertDomainFacetsSupportTheFeasibleSet(problem, solution);
    }

    /// <summary>
    /// Every domain facet a·θ ≤ k is a supporting hyperplane of the feasible set: no feasible θ lies beyond it, and the
    /// online QP is feasible at some θ on it (found as the LP maximiser of a·θ, checked here by a QP just inside).
    /// A facet taken from a region's row where one probe was infeasible (the old rule) can cut off feasible θ.
    /// </summary>
    private static void AssertDomainFacetsSupportTheFeasibleSet(LinearMpcProblem problem, MpQpSolution solution)
    {
        var rng = new Random(3);
        double[] lo = problem.Qp.ThetaMin, hi = problem.Qp.ThetaMax;
        var t = new double[lo.Length];
        for (int s = 0; s < 3000; s++)
        {
            for (int j = 0; j < t.Length; j++) t[j] = lo[j] + (hi[j] - lo[j]) * rng.NextDouble();
            if (MpQpExplorer.OnlineOptimiser(problem.Qp, t) is null) continue;
            foreach ((double[] row, double k) in solution.DomainFacets)
            {
                double v = row.Zip(t, (a, b) => a * b).Sum();
                Assert.True(v <= k + 1e-9 * Math.Max(1, Math.Abs(k)), $"feasible θ = ({string.Join(", ", t)}) beyond domain facet {v} > {k}");
            }
        }
    }

    [Fact]
    public void TheDcSpeedLawKeepsItsThinWedgeAndTheValidatorCatchesTheHoleWithoutIt()
    {
        // DC speed, N = 3: between two wide regions near top speed and i = 210 A lies the region of a fully determined
        // active set (three constraints, three moves), a wedge of Chebyshev radius 2.4e-5 rad/s — under the old 1e-7-of-
        // the-box threshold (4.2e-5) it was dropped, leaving a real hole across which the law jumps by 1e-3 V.
        var options = new MpcOptions
        {
            Loop = MpcLoop.DcSpeed, Horizon = 3, SupplyVoltage = 60, CurrentLimit = 200, CurrentRange = 210, ReferenceRange = 200, SpeedRange = 400,
        };
        var (problem, solution, law) = MpcLoops.Build(TestMotors.PermExDc, 1e-4, options, "test");
        PwaValidationReport report = PwaValidator.Validate(law, 2000);
        output.WriteLine($"{solution.Regions.Count} regions; smallest: region {report.SmallestRegion}, radius {report.SmallestRegionRadius:E3}; {report.FacetsProbed} facets probed");
        Assert.InRange(report.SmallestRegionRadius, PwaValidator.MinRegionRadius * law.BoxScale(), 1e-7 * law.BoxScale());
        Assert.Equal(3, solution.Regions[report.SmallestRegion].ActiveSet.Length);

        // The law has two such wedges (θ ↦ −θ). Without either one it has a real hole, thinner than the validator's
        // facet probe, which the validator must still find.
        int[] wedges = Enumerable.Range(0, law.RegionCount).Where(r => PwaValidator.ChebyshevInBox(law, r, law.BoxMin(), law.BoxMax(), out _) < 1e-7 * law.BoxScale()).ToArray();
        Assert.Equal(2, wedges.Length);
        foreach (int w in wedges)
        {
            var regions = law.Regions.Where((_, r) => r != w).ToList();
            var holed = new PwaLaw("holed.json", law.Parameters, law.Meaning, law.OutputMin.ToArray(), law.OutputMax.ToArray(), regions, law.Continuous, law.Tolerance) { Domain = law.Domain };
            var e = Assert.Throws<ConfigException>(() => PwaValidator.Validate(holed, 2000));
            output.WriteLine($"without region {w}: {e.Message}");
            Assert.Equal("holed.json", e.File);
        }
    }

    [Fact]
    public void AnExplorationStoppedAtTheRegionCapIsTruncatedAndItsLawFailsValidation()
    {
        var (_, full, _) = MpcLoops.Build(TestMotors.PermExDc, 1e-4, AnchorOptions(3), "test");
        Assert.False(full.Truncated);
        var (_, cut, law) = MpcLoops.Build(TestMotors.PermExDc, 1e-4, AnchorOptions(3) with { MaxRegions = 5 }, "test");
        Assert.True(cut.Truncated);
        Assert.Equal(5, cut.Regions.Count);
        var e = Assert.Throws<ConfigException>(() => PwaValidator.Validate(law, 2000));
        Assert.Contains("lies in no region", e.Message);
    }

    [Fact]
    public void RiccatiTerminalWeightSolvesTheRiccatiEquation()
    {
        var m = Matrix<double>.Build;
        var a = m.DenseOfArray(new[,] { { 0.9, 0.1 }, { 0.0, 1.0 } });
        var b = m.DenseOfArray(new[,] { { 0.5 }, { 0.0 } });
        b[1, 0] = 0.05;
        var q = m.DenseIdentity(2);
        var r = m.DenseOfArray(new[,] { { 0.1 } });
        Matrix<double> p = Discretisation.Dare(a, b, q, r);
        Matrix<double> residual = a.Transpose() * p * a - a.Transpose() * p * b * (r + b.Transpose() * p * b).Inverse() * b.Transpose() * p * a + q - p;
        Assert.True(residual.InfinityNorm() < 1e-9 * p.InfinityNorm());
    }

    [Fact]
    public void ZeroOrderHoldIsExactForAFirstOrderLag()
    {
        var m = Matrix<double>.Build;
        double r = 0.016, l = 1.9e-5, t = 1e-4;
        var (ad, bd) = Discretisation.ZeroOrderHold(m.DenseOfArray(new[,] { { -r / l } }), m.DenseOfArray(new[,] { { 1 / l } }), t);
        Assert.Equal(Math.Exp(-r * t / l), ad[0, 0], 14);
        Assert.Equal((1 - Math.Exp(-r * t / l)) / r, bd[0, 0], 12);
    }
}

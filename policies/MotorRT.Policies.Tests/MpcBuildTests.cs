using MathNet.Numerics.LinearAlgebra;
using MotorRT.Policies.Mpc;
using MotorRT.Policies.Pwa;
using Xunit.Abstractions;

namespace MotorRT.Policies.Tests;

public class MpcBuildTests(ITestOutputHelper output)
{
    internal static MpcOptions AnchorOptions(int horizon) => new()
    {
        Loop = MpcLoop.DcCurrent, Horizon = horizon, SupplyVoltage = 60, CurrentLimit = 200, CurrentRange = 210, ReferenceRange = 200, SpeedRange = 400,
    };

    internal static (LinearMpcProblem Problem, MpQpSolution Solution, PwaLaw Law) Build(Contracts.Machines.MotorParameters motor, MpcOptions options)
    {
        var (spec, meaning, lo, hi) = MpcLoops.Spec(motor, 1e-4, options);
        LinearMpcProblem problem = LinearMpc.Build(spec);
        MpQpSolution solution = MpQpExplorer.Solve(problem.Qp);
        PwaLaw law = LinearMpc.ToLaw(problem, solution, spec.Parameters, meaning, lo, hi, "test");
        return (problem, solution, law);
    }

    [Theory]
    [InlineData(3, true)]
    [InlineData(5, true)]
    [InlineData(3, false)]
    [InlineData(5, false)]
    public void DcCurrentAnchor(int horizon, bool stateConstraint)
    {
        var (problem, solution, law) = Build(TestMotors.PermExDc, AnchorOptions(horizon) with { CurrentLimit = stateConstraint ? 200 : null });
        output.WriteLine($"N = {horizon}: {solution.Regions.Count} regions, {solution.DomainFacets.Count} domain facets, {solution.QpSolves} QPs, {solution.DegenerateSteps} degenerate, {solution.Seconds * 1e3:F1} ms");
        PwaValidator.Validate(law);
        double worst = MaxDeviation(problem, law, 20000, 1, out int feasible);
        output.WriteLine($"max |Δu| = {worst:E2} V at {feasible} feasible samples");
        Assert.True(worst <= 1e-8, $"max |Δu| {worst}");
    }

    internal static double MaxDeviation(LinearMpcProblem problem, PwaLaw law, int samples, int seed, out int feasible)
    {
        var rng = new Random(seed);
        double[] lo = law.BoxMin(), hi = law.BoxMax();
        var t = new double[lo.Length];
        var u = new double[law.OutputCount];
        double worst = 0;
        feasible = 0;
        for (int s = 0; s < samples; s++)
        {
            for (int j = 0; j < t.Length; j++) t[j] = lo[j] + (hi[j] - lo[j]) * rng.NextDouble();
            Vector<double>? z = MpQpExplorer.OnlineOptimiser(problem.Qp, t);
            int r = law.Evaluate(t, u, true, out _);
            if (z is null) { Assert.True(r < 0 || law.Domain is not null); continue; }
            feasible++;
            Assert.True(r >= 0, $"feasible θ = ({string.Join(", ", t)}) in no region");
            Vector<double> u0 = problem.FirstMove * z + problem.FirstMoveTheta * Vector<double>.Build.DenseOfArray(t);
            for (int i = 0; i < u.Length; i++) worst = Math.Max(worst, Math.Abs(u0[i] - u[i]));
        }
        return worst;
    }
}

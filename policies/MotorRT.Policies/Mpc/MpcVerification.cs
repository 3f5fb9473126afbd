using MathNet.Numerics.LinearAlgebra;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.Pwa;

namespace MotorRT.Policies.Mpc;

/// <summary>What <see cref="MpcVerification.Verify"/> measured.</summary>
public sealed record MpcVerificationReport
{
    /// <summary>Uniform samples of the parameter box.</summary>
    public required int Samples { get; init; }

    /// <summary>Samples where the online QP is feasible (the share of the box inside the law's domain).</summary>
    public required int Feasible { get; init; }

    /// <summary>Feasible samples that lie in no region of the law (0 for a complete partition).</summary>
    public required int Uncovered { get; init; }

    /// <summary>Infeasible samples that the law nevertheless evaluates (in a region, within its tolerance).</summary>
    public required int EvaluatedOutsideDomain { get; init; }

    /// <summary>Largest |u_law(θ) − u_QP(θ)| over the feasible samples, in the output's SI unit (V).</summary>
    public required double MaxDeviation { get; init; }
}

/// <summary>An explicit MPC and how it was made (<see cref="MpcLoops.Build"/>).</summary>
/// <param name="Problem">The condensed QP.</param>
/// <param name="Solution">The explored critical regions.</param>
/// <param name="Law">The law (first move, clipped to the input bounds, with its domain).</param>
public sealed record ExplicitMpc(LinearMpcProblem Problem, MpQpSolution Solution, PwaLaw Law);

/// <summary>Checks an explicit MPC against the online QP it replaces.</summary>
public static class MpcVerification
{
    /// <summary>
    /// Samples θ uniformly in the box (seeded), solves the QP online at each (<see cref="DenseQp"/>) and compares the
    /// first move with the law's sequential evaluation.
    /// </summary>
    public static MpcVerificationReport Verify(LinearMpcProblem problem, PwaLaw law, int samples, int seed = 1)
    {
        var rng = new Random(seed);
        double[] lo = law.BoxMin(), hi = law.BoxMax();
        var t = new double[lo.Length];
        var u = new double[law.OutputCount];
        double worst = 0;
        int feasible = 0, uncovered = 0, outside = 0;
        for (int s = 0; s < samples; s++)
        {
            for (int j = 0; j < t.Length; j++) t[j] = lo[j] + (hi[j] - lo[j]) * rng.NextDouble();
            Vector<double>? z = MpQpExplorer.OnlineOptimiser(problem.Qp, t);
            int r = law.Evaluate(t, u, true, out _);
            if (z is null)
            {
                if (r >= 0) outside++;
                continue;
            }
            feasible++;
            if (r < 0) { uncovered++; continue; }
            Vector<double> u0 = problem.FirstMove * z + problem.FirstMoveTheta * Vector<double>.Build.DenseOfArray(t);
            for (int i = 0; i < u.Length; i++) worst = Math.Max(worst, Math.Abs(Math.Clamp(u0[i], law.OutputMin[i], law.OutputMax[i]) - u[i]));
        }
        return new MpcVerificationReport { Samples = samples, Feasible = feasible, Uncovered = uncovered, EvaluatedOutsideDomain = outside, MaxDeviation = worst };
    }
}

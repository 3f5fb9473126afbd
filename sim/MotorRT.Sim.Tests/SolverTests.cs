using MotorRT.Sim.Solvers;

namespace MotorRT.Sim.Tests;

/// <summary>Orders of convergence on dy/dt = −y + sin t (exact solution known).</summary>
public sealed class SolverTests
{
    private struct Decay : IOdeSystem
    {
        public readonly int Dimension => 1;
        public readonly void Derivatives(double t, in Vec8 y, ref Vec8 dy) => dy[0] = -y[0] + Math.Sin(t);
    }

    // y(0) = 1: y = 1.5·e^−t + (sin t − cos t)/2
    private static double Exact(double t) => 1.5 * Math.Exp(-t) + 0.5 * (Math.Sin(t) - Math.Cos(t));

    private static double Error(Func<int, double> integrate, int n) => Math.Abs(integrate(n) - Exact(1.0));

    private static double Rk4(int n)
    {
        var s = new Decay();
        Vec8 y = default;
        y[0] = 1;
        OdeSolvers.Rk4(ref s, ref y, 0, 1, n);
        return y[0];
    }

    private static double Euler(int n)
    {
        // One Euler step per interval of length 1/n (GEM's nsteps=1 form, time argument = interval start).
        var s = new Decay();
        Vec8 y = default;
        y[0] = 1;
        for (int k = 0; k < n; k++) OdeSolvers.Euler(ref s, ref y, (double)k / n, (double)(k + 1) / n, 1);
        return y[0];
    }

    [Fact]
    public void Euler_converges_with_order_one()
    {
        double ratio = Error(Euler, 200) / Error(Euler, 400);
        Assert.InRange(Math.Log2(ratio), 0.9, 1.1);
    }

    [Fact]
    public void Rk4_converges_with_order_four()
    {
        double ratio = Error(Rk4, 10) / Error(Rk4, 20);
        Assert.InRange(Math.Log2(ratio), 3.8, 4.2);
    }

    [Fact]
    public void DormandPrince_meets_tight_tolerance()
    {
        var s = new Decay();
        Vec8 y = default;
        y[0] = 1;
        double hint = 0;
        for (int k = 0; k < 10; k++) OdeSolvers.DormandPrince(ref s, ref y, k * 0.1, (k + 1) * 0.1, 1e-10, 1e-12, ref hint);
        Assert.Equal(Exact(1.0), y[0], 1e-9);
    }
}

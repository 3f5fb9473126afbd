using System.Runtime.CompilerServices;

namespace MotorRT.Sim.Solvers;

/// <summary>
/// Fixed-step and adaptive integrators over one interval [t0, t1]. Generic over a struct right-hand side so each plant
/// gets its own specialised, allocation-free code.
/// </summary>
public static class OdeSolvers
{
    /// <summary>
    /// GEM's EulerSolver: one step y += f(t0, y)·(t1 − t0) when <paramref name="substeps"/> = 1; otherwise n steps of
    /// h = (t1 − t0)/n whose time argument is t1 + k·h, k = 1..n (GEM 3.0.2 starts its sub-step clock at the interval's
    /// end; only time-dependent loads notice; reproduced on purpose, see sim/README.md).
    /// </summary>
    public static void Euler<T>(ref T sys, ref Vec8 y, double t0, double t1, int substeps) where T : struct, IOdeSystem
    {
        int n = sys.Dimension;
        Vec8 dy = default;
        if (substeps <= 1)
        {
            double h = t1 - t0;
            sys.Derivatives(t0, in y, ref dy);
            for (int i = 0; i < n; i++) y[i] += dy[i] * h;
            return;
        }
        double hs = (t1 - t0) / substeps;
        double t = t1;
        for (int k = 0; k < substeps; k++)
        {
            sys.Derivatives(t + hs, in y, ref dy);
            for (int i = 0; i < n; i++) y[i] += dy[i] * hs;
            t += hs;
        }
    }

    /// <summary>Classic fourth-order Runge–Kutta with <paramref name="substeps"/> equal steps over [t0, t1].</summary>
    [SkipLocalsInit] // the stages are zeroed below; the prolog's zeroing of the same 320 B was a second copy
    public static void Rk4<T>(ref T sys, ref Vec8 y, double t0, double t1, int substeps) where T : struct, IOdeSystem
    {
        int n = sys.Dimension;
        int m = substeps < 1 ? 1 : substeps;
        double h = (t1 - t0) / m;
        double half = 0.5 * h;
        Vec8 k1 = default, k2 = default, k3 = default, k4 = default, tmp = default;
        double t = t0;
        for (int s = 0; s < m; s++)
        {
            sys.Derivatives(t, in y, ref k1);
            for (int i = 0; i < n; i++) tmp[i] = y[i] + half * k1[i];
            sys.Derivatives(t + half, in tmp, ref k2);
            for (int i = 0; i < n; i++) tmp[i] = y[i] + half * k2[i];
            sys.Derivatives(t + half, in tmp, ref k3);
            for (int i = 0; i < n; i++) tmp[i] = y[i] + h * k3[i];
            sys.Derivatives(t + h, in tmp, ref k4);
            double h6 = h / 6.0;
            for (int i = 0; i < n; i++) y[i] += h6 * (k1[i] + 2.0 * (k2[i] + k3[i]) + k4[i]);
            t = s + 1 == m ? t1 : t + h;
        }
    }

    // Dormand–Prince 5(4) tableau.
    private const double C2 = 1.0 / 5, C3 = 3.0 / 10, C4 = 4.0 / 5, C5 = 8.0 / 9;
    private const double A21 = 1.0 / 5;
    private const double A31 = 3.0 / 40, A32 = 9.0 / 40;
    private const double A41 = 44.0 / 45, A42 = -56.0 / 15, A43 = 32.0 / 9;
    private const double A51 = 19372.0 / 6561, A52 = -25360.0 / 2187, A53 = 64448.0 / 6561, A54 = -212.0 / 729;
    private const double A61 = 9017.0 / 3168, A62 = -355.0 / 33, A63 = 46732.0 / 5247, A64 = 49.0 / 176, A65 = -5103.0 / 18656;
    private const double B1 = 35.0 / 384, B3 = 500.0 / 1113, B4 = 125.0 / 192, B5 = -2187.0 / 6784, B6 = 11.0 / 84;
    private const double E1 = 71.0 / 57600, E3 = -71.0 / 16695, E4 = 71.0 / 1920, E5 = -17253.0 / 339200, E6 = 22.0 / 525, E7 = -1.0 / 40;

    /// <summary>
    /// Adaptive Dormand–Prince 5(4) over [t0, t1] (local extrapolation, error norm RMS of e_i/(atol + rtol·max|y_i|)).
    /// <paramref name="stepHint"/> carries the last accepted step size (s) between calls; pass 0 to let the solver pick.
    /// Returns the number of right-hand-side evaluations.
    /// </summary>
    public static int DormandPrince<T>(ref T sys, ref Vec8 y, double t0, double t1, double rtol, double atol, ref double stepHint)
        where T : struct, IOdeSystem
    {
        int n = sys.Dimension;
        double span = t1 - t0;
        if (span <= 0) return 0;
        double h = stepHint > 0 ? Math.Min(stepHint, span) : span;
        Vec8 k1 = default, k2 = default, k3 = default, k4 = default, k5 = default, k6 = default, k7 = default, tmp = default, y5 = default;
        double t = t0;
        int evals = 0;
        sys.Derivatives(t, in y, ref k1);
        evals++;
        int guard = 0;
        while (t < t1)
        {
            if (++guard > 1_000_000) throw new InvalidOperationException("Dormand–Prince: step size underflow (the plant ODE is unstable or stiff beyond reach)");
            bool last = false;
            if (t + h >= t1 || t1 - (t + h) < 1e-12 * span)
            {
                h = t1 - t;
                last = true;
            }
            for (int i = 0; i < n; i++) tmp[i] = y[i] + h * A21 * k1[i];
            sys.Derivatives(t + C2 * h, in tmp, ref k2);
            for (int i = 0; i < n; i++) tmp[i] = y[i] + h * (A31 * k1[i] + A32 * k2[i]);
            sys.Derivatives(t + C3 * h, in tmp, ref k3);
            for (int i = 0; i < n; i++) tmp[i] = y[i] + h * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
            sys.Derivatives(t + C4 * h, in tmp, ref k4);
            for (int i = 0; i < n; i++) tmp[i] = y[i] + h * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
            sys.Derivatives(t + C5 * h, in tmp, ref k5);
            for (int i = 0; i < n; i++) tmp[i] = y[i] + h * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
            sys.Derivatives(t + h, in tmp, ref k6);
            for (int i = 0; i < n; i++) y5[i] = y[i] + h * (B1 * k1[i] + B3 * k3[i] + B4 * k4[i] + B5 * k5[i] + B6 * k6[i]);
            sys.Derivatives(t + h, in y5, ref k7);
            evals += 6;
            double err = 0;
            for (int i = 0; i < n; i++)
            {
                double e = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
                double sc = atol + rtol * Math.Max(Math.Abs(y[i]), Math.Abs(y5[i]));
                double r = e / sc;
                err += r * r;
            }
            err = Math.Sqrt(err / n);
            if (err <= 1.0)
            {
                t = last ? t1 : t + h;
                y = y5;
                k1 = k7;
                double fac = err == 0 ? 5.0 : Math.Min(5.0, Math.Max(0.2, 0.9 * Math.Pow(err, -0.2)));
                double hNext = h * fac;
                if (!last) stepHint = hNext;
                else stepHint = Math.Max(stepHint, h);
                h = hNext;
            }
            else
            {
                h *= Math.Max(0.1, 0.9 * Math.Pow(err, -0.2));
            }
        }
        return evals;
    }
}

using System.Numerics;

namespace MotorRT.Policies.Tuning;

/// <summary>Frequency-domain figures of one designed loop, computed numerically with the exact dead time.</summary>
/// <param name="CrossoverFrequency">Gain crossover of the open loop |L(jω)| = 1, in rad/s.</param>
/// <param name="PhaseMargin">180° + arg L(jω_c), in degrees.</param>
/// <param name="Bandwidth">−3 dB bandwidth of the closed loop |L/(1+L)| = 1/√2, in rad/s.</param>
public readonly record struct LoopAnalysis(double CrossoverFrequency, double PhaseMargin, double Bandwidth)
{
    /// <summary>Analyses an open loop given as a function of ω (rad/s) → L(jω), searching [ω_lo, ω_hi] rad/s.</summary>
    public static LoopAnalysis Of(Func<double, Complex> openLoop, double omegaLow, double omegaHigh)
    {
        double wc = FindCrossing(w => openLoop(w).Magnitude - 1.0, omegaLow, omegaHigh);
        double pm = double.NaN;
        if (!double.IsNaN(wc))
        {
            // Unwrapped phase: sum the phase contributions by following arg continuously from low frequency.
            pm = 180.0 + UnwrappedPhaseDegrees(openLoop, omegaLow, wc);
        }
        double bw = FindCrossing(w =>
        {
            Complex l = openLoop(w);
            return (l / (1.0 + l)).Magnitude - Math.Sqrt(0.5);
        }, omegaLow, omegaHigh);
        return new LoopAnalysis(wc, pm, bw);
    }

    private static double UnwrappedPhaseDegrees(Func<double, Complex> f, double from, double to)
    {
        const int n = 4000;
        double logA = Math.Log(from), logB = Math.Log(to);
        double previous = f(from).Phase;
        double total = previous;
        for (int i = 1; i <= n; i++)
        {
            double p = f(Math.Exp(logA + (logB - logA) * i / n)).Phase;
            double step = p - previous;
            while (step > Math.PI) step -= 2 * Math.PI;
            while (step < -Math.PI) step += 2 * Math.PI;
            total += step;
            previous = p;
        }
        return total * 180.0 / Math.PI;
    }

    /// <summary>First sign change of g from + to − on a log grid, refined by bisection; NaN when none.</summary>
    private static double FindCrossing(Func<double, double> g, double lo, double hi)
    {
        const int n = 2000;
        double logA = Math.Log(lo), logB = Math.Log(hi);
        double wPrev = lo, gPrev = g(lo);
        for (int i = 1; i <= n; i++)
        {
            double w = Math.Exp(logA + (logB - logA) * i / n);
            double gw = g(w);
            if (gPrev > 0 && gw <= 0)
            {
                double a = wPrev, b = w;
                for (int k = 0; k < 60; k++)
                {
                    double m = Math.Sqrt(a * b);
                    if (g(m) > 0) a = m; else b = m;
                }
                return Math.Sqrt(a * b);
            }
            wPrev = w;
            gPrev = gw;
        }
        return double.NaN;
    }
}

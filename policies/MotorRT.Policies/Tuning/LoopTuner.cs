using System.Globalization;
using System.Numerics;
using System.Text;

namespace MotorRT.Policies.Tuning;

/// <summary>A current (or excitation) loop designed by the magnitude optimum.</summary>
/// <param name="Name">Which loop (e.g. "armature current", "d-axis current").</param>
/// <param name="Kp">Proportional gain, in V/A.</param>
/// <param name="Ki">Integral gain, in V/(A·s).</param>
/// <param name="Resistance">Plant resistance R used, in Ω.</param>
/// <param name="Inductance">Plant inductance L used, in H.</param>
/// <param name="Period">Control period T_s, in s.</param>
/// <param name="DelayPeriods">Converter/computation dead time, in control periods.</param>
/// <param name="SmallTimeConstant">Sum of small time constants T_σ = (delay + ½)·T_s, in s.</param>
/// <param name="EquivalentTimeConstant">First-order equivalent of the closed current loop, 2·T_σ, in s (used by the outer loop).</param>
/// <param name="Analysis">Crossover, phase margin and closed-loop bandwidth with the exact dead time.</param>
public sealed record CurrentLoopDesign(string Name, double Kp, double Ki, double Resistance, double Inductance, double Period,
    double DelayPeriods, double SmallTimeConstant, double EquivalentTimeConstant, LoopAnalysis Analysis)
{
    /// <summary>Integral time T_i = K_p/K_i, in s (= L/R: the PI zero cancels the electrical pole).</summary>
    public double IntegralTime => Kp / Ki;

    /// <summary>Open loop L(jω) of this design with dead time T_σ (dimensionless).</summary>
    public Complex OpenLoop(double omega)
    {
        var s = new Complex(0, omega);
        return Kp * (1.0 + 1.0 / (s * IntegralTime)) / (Resistance + s * Inductance) * Complex.Exp(-s * SmallTimeConstant);
    }

    /// <summary>Closed loop T(jω) = L/(1+L) (dimensionless).</summary>
    public Complex ClosedLoop(double omega)
    {
        Complex l = OpenLoop(omega);
        return l / (1.0 + l);
    }

    /// <summary>Human-readable reasoning: plant, method, formulas, resulting figures.</summary>
    public string Explain()
    {
        var sb = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        sb.AppendLine(c, $"{Name} loop: plant 1/(R + sL), R = {Resistance:G4} Ω, L = {Inductance:G4} H, T_el = L/R = {Inductance / Resistance * 1e3:G4} ms");
        sb.AppendLine(c, $"  dead time: {DelayPeriods:G3} period(s) converter delay + ½ period sample-and-hold → T_σ = {SmallTimeConstant * 1e6:G4} µs (T_s = {Period * 1e6:G4} µs)");
        sb.AppendLine(c, $"  magnitude optimum with pole-zero cancellation: T_i = T_el, K_p = L/(2·T_σ) = {Kp:G5} V/A, K_i = R/(2·T_σ) = {Ki:G5} V/(A·s)");
        sb.AppendLine(c, $"  expected: closed loop ≈ 1/(1 + 2T_σ s + 2T_σ² s²), 4.3 % overshoot, rise time ≈ 4.7·T_σ = {4.7 * SmallTimeConstant * 1e6:G4} µs");
        sb.Append(c, $"  analysed with exact dead time: crossover {Analysis.CrossoverFrequency:G4} rad/s ({Analysis.CrossoverFrequency / (2 * Math.PI):G4} Hz), phase margin {Analysis.PhaseMargin:F1}°, closed-loop bandwidth {Analysis.Bandwidth:G4} rad/s ({Analysis.Bandwidth / (2 * Math.PI):G4} Hz)");
        return sb.ToString();
    }
}

/// <summary>A speed loop designed by the symmetric optimum, output torque (N·m).</summary>
/// <param name="Kp">Proportional gain, in N·m/(rad/s).</param>
/// <param name="Ki">Integral gain, in N·m/rad.</param>
/// <param name="Inertia">Total inertia J used, in kg·m².</param>
/// <param name="A">Symmetric-optimum parameter a (crossover ω_c = 1/(a·T_Σ), T_i = a²·T_Σ).</param>
/// <param name="SumTimeConstant">T_Σ: equivalent time constant of the inner torque loop, in s.</param>
/// <param name="Inner">The inner current-loop design (for the numerical analysis).</param>
/// <param name="Analysis">Crossover, phase margin, bandwidth of the speed loop around the real inner closed loop.</param>
public sealed record SpeedLoopDesign(double Kp, double Ki, double Inertia, double A, double SumTimeConstant, CurrentLoopDesign Inner,
    LoopAnalysis Analysis)
{
    /// <summary>Integral time T_i = a²·T_Σ, in s; also the time constant of the reference prefilter.</summary>
    public double IntegralTime => Kp / Ki;

    /// <summary>Textbook phase margin of the symmetric optimum, atan((a² − 1)/(2a)), in degrees.</summary>
    public double TheoreticalPhaseMargin => Math.Atan((A * A - 1.0) / (2.0 * A)) * 180.0 / Math.PI;

    /// <summary>Human-readable reasoning.</summary>
    public string Explain()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"speed loop: plant 1/(J s) on torque, J = {Inertia:G4} kg·m², inner torque loop ≈ 1/(1 + s·T_Σ), T_Σ = 2·T_σ = {SumTimeConstant * 1e6:G4} µs");
        sb.AppendLine(c, $"  symmetric optimum, a = {A:G3}: K_p = J/(a·T_Σ) = {Kp:G5} N·m·s/rad, T_i = a²·T_Σ = {IntegralTime * 1e3:G4} ms, K_i = {Ki:G5} N·m/rad");
        sb.AppendLine(c, $"  reference prefilter 1/(1 + s·T_i) removes the PI zero from the reference path (without it the SO step response overshoots strongly, 43 % for a = 2)");
        sb.AppendLine(c, $"  expected: crossover 1/(a·T_Σ) = {1.0 / (A * SumTimeConstant):G4} rad/s, phase margin atan((a²−1)/2a) = {TheoreticalPhaseMargin:F1}°");
        sb.Append(c, $"  analysed around the real inner loop with dead time: crossover {Analysis.CrossoverFrequency:G4} rad/s ({Analysis.CrossoverFrequency / (2 * Math.PI):G4} Hz), phase margin {Analysis.PhaseMargin:F1}°, closed-loop bandwidth {Analysis.Bandwidth:G4} rad/s ({Analysis.Bandwidth / (2 * Math.PI):G4} Hz)");
        return sb.ToString();
    }
}

/// <summary>
/// Automatic loop design from plant parameters: current loops by the magnitude optimum (pole–zero cancellation),
/// speed loops by the symmetric optimum, both accounting for the sampling (½ period hold) and the converter delay.
/// </summary>
public static class LoopTuner
{
    /// <summary>Designs a current loop for plant 1/(R + sL) (R in Ω, L in H) sampled at <paramref name="period"/> (s).</summary>
    /// <param name="name">Loop name for the reasoning text.</param>
    /// <param name="resistance">R, in Ω (&gt; 0).</param>
    /// <param name="inductance">L, in H (&gt; 0).</param>
    /// <param name="period">Control period, in s (&gt; 0).</param>
    /// <param name="delayPeriods">Dead time of converter and computation, in periods (≥ 0; 1 for a PWM written one period late).</param>
    public static CurrentLoopDesign CurrentLoop(string name, double resistance, double inductance, double period, double delayPeriods)
    {
        if (!(resistance > 0) || !(inductance > 0) || !(period > 0) || !(delayPeriods >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(resistance), "R, L and the period must be positive, the delay non-negative");
        }
        double tSigma = (delayPeriods + 0.5) * period;
        double kp = inductance / (2.0 * tSigma);
        double ki = resistance / (2.0 * tSigma);
        var draft = new CurrentLoopDesign(name, kp, ki, resistance, inductance, period, delayPeriods, tSigma, 2.0 * tSigma, default);
        LoopAnalysis analysis = LoopAnalysis.Of(draft.OpenLoop, 1e-2, Math.PI / period * 4);
        return draft with { Analysis = analysis };
    }

    /// <summary>
    /// Designs a speed loop (output: torque reference in N·m) on inertia J (kg·m²) by the symmetric optimum with
    /// parameter <paramref name="a"/> around the inner loop <paramref name="inner"/>.
    /// </summary>
    public static SpeedLoopDesign SpeedLoop(double inertia, CurrentLoopDesign inner, double a)
    {
        if (!(inertia > 0) || !(a > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(inertia), "J must be positive and a > 1");
        }
        double tSum = inner.EquivalentTimeConstant;
        double kp = inertia / (a * tSum);
        double ti = a * a * tSum;
        double ki = kp / ti;
        var draft = new SpeedLoopDesign(kp, ki, inertia, a, tSum, inner, default);
        Complex OpenLoop(double w)
        {
            var s = new Complex(0, w);
            return kp * (1.0 + 1.0 / (s * ti)) * inner.ClosedLoop(w) / (inertia * s);
        }
        return draft with { Analysis = LoopAnalysis.Of(OpenLoop, 1e-3, Math.PI / inner.Period * 4) };
    }
}

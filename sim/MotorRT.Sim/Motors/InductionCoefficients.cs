using MotorRT.Contracts.Machines;

namespace MotorRT.Sim.Motors;

/// <summary>
/// The coefficients of GEM's induction-machine ODE (InductionMotor._update_model), shared by the squirrel-cage and the
/// doubly-fed machine: l_s = l_m + l_σs, l_r = l_m + l_σr, σ = (l_s·l_r − l_m²)/(l_s·l_r), τ_r = l_r/r_r,
/// τ_σ = σ·l_s/(r_s + r_r·l_m²/l_r²).
/// </summary>
internal readonly struct InductionCoefficients
{
    /// <summary>Pole pairs p (dimensionless).</summary>
    public readonly double P;
    /// <summary>Main inductance l_m, in H.</summary>
    public readonly double Lm;
    /// <summary>Rotor inductance l_r = l_m + l_σr, in H.</summary>
    public readonly double Lr;
    /// <summary>1/τ_σ, in 1/s.</summary>
    public readonly double InvTauSig;
    /// <summary>l_m·r_r/(σ·l_s·l_r²), in 1/(H·s).</summary>
    public readonly double A13;
    /// <summary>l_m·p/(σ·l_r·l_s), in 1/H.</summary>
    public readonly double A14;
    /// <summary>1/(σ·l_s), in 1/H.</summary>
    public readonly double B;
    /// <summary>l_m/(σ·l_r·l_s), in 1/H.</summary>
    public readonly double C;
    /// <summary>1/τ_r, in 1/s.</summary>
    public readonly double InvTauR;
    /// <summary>l_m/τ_r, in H/s.</summary>
    public readonly double LmOverTauR;
    /// <summary>Torque factor 1.5·p·l_m/l_r (dimensionless: T = k·ψ_r × i_s in N·m).</summary>
    public readonly double TorqueK;

    /// <summary>From p, r_s, r_r (Ω), l_m, l_σs, l_σr (H).</summary>
    public InductionCoefficients(InductionParameters m)
    {
        P = m.PolePairs; Lm = m.MainInductance;
        double ls = m.MainInductance + m.StatorLeakageInductance;
        Lr = InductionEquations.RotorInductance(m.MainInductance, m.RotorLeakageInductance);
        double sigma = (ls * Lr - Lm * Lm) / (ls * Lr);
        double tauR = Lr / m.RotorResistance;
        double tauSig = sigma * ls / (m.StatorResistance + m.RotorResistance * Lm * Lm / (Lr * Lr));
        InvTauSig = 1.0 / tauSig;
        A13 = Lm * m.RotorResistance / (sigma * ls * Lr * Lr);
        A14 = Lm * P / (sigma * Lr * ls);
        B = 1.0 / (sigma * ls);
        C = Lm / (sigma * Lr * ls);
        InvTauR = 1.0 / tauR;
        LmOverTauR = Lm / tauR;
        TorqueK = InductionEquations.TorqueFactor(P, Lm, Lr);
    }
}

using System.Runtime.CompilerServices;

namespace MotorRT.Contracts.Machines;

/// <summary>
/// GEM 3.0.2's synchronous machines in the rotor dq frame (PMSM; SynRM with ψ_p = 0): the stator flux linkage is
/// ψ_d = l_d·i_d + ψ_p, ψ_q = l_q·i_q and T = 1.5·p·(ψ_p + (l_d − l_q)·i_d)·i_q. Used by the twin, the observation
/// quantities, tuning and the FOC controllers.
/// </summary>
public static class SynchronousEquations
{
    /// <summary>T = 1.5·p·(ψ_p + (l_d − l_q)·i_d)·i_q, in N·m (p pole pairs, ψ_p V·s, l_d, l_q H, i_d, i_q A).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Torque(double polePairs, double magnetFlux, double inductanceD, double inductanceQ, double currentD, double currentQ) =>
        1.5 * polePairs * (magnetFlux + (inductanceD - inductanceQ) * currentD) * currentQ;

    /// <summary>d-axis stator flux linkage ψ_d = l_d·i_d + ψ_p, in V·s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double FluxD(double inductanceD, double currentD, double magnetFlux) => inductanceD * currentD + magnetFlux;

    /// <summary>q-axis stator flux linkage ψ_q = l_q·i_q, in V·s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double FluxQ(double inductanceQ, double currentQ) => inductanceQ * currentQ;

    /// <summary>
    /// GEM's torque limit at nominal current i_n (A) for a PMSM/SynRM-like machine: the MTPA point on the i_n circle
    /// (i_d = −p/2 − √(p²/4 − q), p = ψ_p/(2(l_d − l_q)), q = −i_n²/2), or 1.5·p·ψ_p·i_max when l_d = l_q; in N·m.
    /// </summary>
    public static double GemTorqueLimit(double polePairs, double magnetFlux, double inductanceD, double inductanceQ, double currentLimit, double nominalCurrent)
    {
        if (inductanceD == inductanceQ) return 1.5 * polePairs * magnetFlux * currentLimit;
        double p = magnetFlux / (2 * (inductanceD - inductanceQ));
        double q = -nominalCurrent * nominalCurrent / 2;
        double id = -p / 2 - Math.Sqrt(p * p / 4 - q);
        double iq = Math.Sqrt(nominalCurrent * nominalCurrent - id * id);
        return 1.5 * polePairs * (magnetFlux + (inductanceD - inductanceQ) * id) * iq;
    }
}

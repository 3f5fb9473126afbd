using System.Runtime.CompilerServices;

namespace MotorRT.Contracts.Machines;

/// <summary>
/// GEM 3.0.2's externally excited synchronous machine: the excitation circuit referred to the stator with the transfer
/// ratio k (r_E = 1.5·k²·r_e, l_M = 1.5·k·l_m, l_E = 1.5·k²·l_e, i_e scaled by 2/(3k)) and
/// T = 1.5·p·(l_M·i_e·(2/(3k)) + (l_d − l_q)·i_d)·i_q. Used by the twin, the observation quantities and the FOC.
/// </summary>
public static class EesmEquations
{
    /// <summary>Stator-referred main inductance l_M = k·1.5·l_m, in H.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ReferredMainInductance(double transferRatio, double mainInductance) => transferRatio * 1.5 * mainInductance;

    /// <summary>Stator-referred excitation resistance r_E = k²·1.5·r_e, in Ω.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ReferredExcitationResistance(double transferRatio, double excitationResistance) =>
        transferRatio * transferRatio * 1.5 * excitationResistance;

    /// <summary>Stator-referred excitation inductance l_E = k²·1.5·l_e, in H.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ReferredExcitationInductance(double transferRatio, double excitationInductance) =>
        transferRatio * transferRatio * 1.5 * excitationInductance;

    /// <summary>The factor 2/(3k) that turns the excitation current into its stator-referred value (dimensionless).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ExcitationCurrentScale(double transferRatio) => 2.0 / 3.0 / transferRatio;

    /// <summary>T = 1.5·p·(l_M·i_e·s + (l_d − l_q)·i_d)·i_q, in N·m (l_M referred, H; s = 2/(3k); currents A).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Torque(double polePairs, double referredMainInductance, double excitationCurrent, double excitationCurrentScale,
        double inductanceD, double inductanceQ, double currentD, double currentQ) =>
        1.5 * polePairs * (referredMainInductance * excitationCurrent * excitationCurrentScale + (inductanceD - inductanceQ) * currentD) * currentQ;
}

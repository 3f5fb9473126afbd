using System.Runtime.CompilerServices;

namespace MotorRT.Contracts.Machines;

/// <summary>
/// GEM 3.0.2's induction machines: l_r = l_m + l_σr and T = 1.5·p·(l_m/l_r)·(ψ_rα·i_sβ − ψ_rβ·i_sα) (the same in
/// any frame). Used by the twin and the induction-machine FOC.
/// </summary>
public static class InductionEquations
{
    /// <summary>Rotor inductance l_r = l_m + l_σr, in H.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double RotorInductance(double mainInductance, double rotorLeakageInductance) => mainInductance + rotorLeakageInductance;

    /// <summary>The torque factor 1.5·p·l_m/l_r, in N·m/(V·s·A).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double TorqueFactor(double polePairs, double mainInductance, double rotorInductance) => 1.5 * polePairs * mainInductance / rotorInductance;

    /// <summary>T = k_T·(ψ_rα·i_sβ − ψ_rβ·i_sα), in N·m (k_T from <see cref="TorqueFactor"/>, fluxes V·s, currents A).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Torque(double torqueFactor, double rotorFluxAlpha, double rotorFluxBeta, double currentAlpha, double currentBeta) =>
        torqueFactor * (rotorFluxAlpha * currentBeta - rotorFluxBeta * currentAlpha);

    /// <summary>
    /// One component of the rotor current from the stator current and the rotor flux (any frame):
    /// i_r = ψ_r/l_r − (l_m/l_r)·i_s, in A (GEM's DoublyFedInductionMotorSystem.calculate_rotor_current, same operations).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double RotorCurrent(double mainInductance, double rotorInductance, double rotorFlux, double statorCurrent) =>
        1 / rotorInductance * rotorFlux - mainInductance / rotorInductance * statorCurrent;
}

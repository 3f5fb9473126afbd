using System.Runtime.CompilerServices;

namespace MotorRT.Contracts.Machines;

/// <summary>
/// GEM 3.0.2's wound-field DC machines (externally excited, shunt, series): the excitation flux is l_e'·i_e, so
/// T = l_e'·i_a·i_e and the back-EMF is l_e'·ω·i_e (series: i_a = i_e = i). Used by the twin, the observation
/// quantities and the controllers.
/// </summary>
public static class WoundDcEquations
{
    /// <summary>Electrical torque T = l_e'·i_a·i_e, in N·m (l_e' H, currents A; series machine: both are i).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Torque(double mutualInductance, double armatureCurrent, double excitationCurrent) =>
        mutualInductance * armatureCurrent * excitationCurrent;

    /// <summary>Back-EMF e = l_e'·ω·i_e, in V (l_e' H, ω rad/s, i_e A).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double BackEmf(double mutualInductance, double speed, double excitationCurrent) =>
        mutualInductance * speed * excitationCurrent;

    /// <summary>di_a/dt = (u_a − r_a·i_a − l_e'·ω·i_e)·(1/l_a), in A/s (series machine: r = r_a + r_e, 1/l = 1/(l_a + l_e), i_e = i_a).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ArmatureCurrentDerivative(double voltage, double resistance, double armatureCurrent, double mutualInductance,
        double speed, double excitationCurrent, double inverseInductance) =>
        (voltage - resistance * armatureCurrent - mutualInductance * speed * excitationCurrent) * inverseInductance;

    /// <summary>di_e/dt = (u_e − r_e·i_e)·(1/l_e), in A/s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ExcitationCurrentDerivative(double voltage, double resistance, double excitationCurrent, double inverseInductance) =>
        (voltage - resistance * excitationCurrent) * inverseInductance;
}

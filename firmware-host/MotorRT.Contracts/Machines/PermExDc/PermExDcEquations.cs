using System.Runtime.CompilerServices;

namespace MotorRT.Contracts.Machines;

/// <summary>
/// GEM 3.0.2's permanently excited DC machine: di/dt = (u − r_a·i − ψ_e·ω)/l_a; T = ψ_e·i. The twin, the observation
/// quantities and the controllers all evaluate these.
/// </summary>
public static class PermExDcEquations
{
    /// <summary>Electrical torque T = ψ_e·i, in N·m, from ψ_e (V·s) and the armature current i (A).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Torque(double excitationFlux, double current) => excitationFlux * current;

    /// <summary>Back-EMF e = ψ_e·ω, in V, from ψ_e (V·s) and the mechanical speed ω (rad/s).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double BackEmf(double excitationFlux, double speed) => excitationFlux * speed;

    /// <summary>di/dt = (u − r_a·i − ψ_e·ω)·(1/l_a), in A/s (u V, r_a Ω, i A, ψ_e V·s, ω rad/s, 1/l_a in 1/H).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double CurrentDerivative(double voltage, double resistance, double current, double excitationFlux, double speed, double inverseInductance) =>
        (voltage - resistance * current - excitationFlux * speed) * inverseInductance;
}

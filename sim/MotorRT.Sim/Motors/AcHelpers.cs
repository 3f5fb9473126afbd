using System.Runtime.CompilerServices;
using MotorRT.Contracts;
using MotorRT.Sim.Solvers;

namespace MotorRT.Sim.Motors;

/// <summary>Shared pieces of the three-phase models: GEM's angle report and the open-phase constraint.</summary>
internal static class AcHelpers
{
    private const double Sqrt3Over2 = 0.86602540378443864676;

    /// <summary>GEM's reported ε: ε mod 2π, minus 2π when above π (so in (−π, π]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double GemWrap(double eps)
    {
        const double TwoPi = 2 * Math.PI;
        double w = eps - TwoPi * Math.Floor(eps * (1.0 / TwoPi));
        if (w >= TwoPi) w -= TwoPi;
        if (w > Math.PI) w -= TwoPi;
        return w;
    }

    /// <summary>Unit vector of phase <paramref name="phase"/> in the (amplitude-invariant) αβ plane: i_x = e_x · i_αβ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PhaseAxis(int phase, out double ex, out double ey)
    {
        switch (phase)
        {
            case 0: ex = 1; ey = 0; break;
            case 1: ex = -0.5; ey = Sqrt3Over2; break;
            default: ex = -0.5; ey = -Sqrt3Over2; break;
        }
    }

    /// <summary>
    /// Removes the open stator phase's axis from the stationary-frame current pair held at elements 2 and 3 of
    /// <paramref name="v"/> (a state or its derivative, SCIM and DFIM); phases outside 0..2 leave it unchanged.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RemoveStatorAxis(int openPhase, ref Vec8 v)
    {
        if ((uint)openPhase > 2) return;
        double a = v[2], b = v[3];
        RemoveAxis(openPhase, ref a, ref b);
        v[2] = a; v[3] = b;
    }

    /// <summary>Removes the component along phase <paramref name="phase"/> from an αβ vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RemoveAxis(int phase, ref double alpha, ref double beta)
    {
        PhaseAxis(phase, out double ex, out double ey);
        double c = ex * alpha + ey * beta;
        alpha -= c * ex;
        beta -= c * ey;
    }

    /// <summary>
    /// Open phase in the rotor (dq) frame: d/dt i_αβ = R(ε)(di_dq + ω_el·J·i_dq); its component along the open phase is
    /// removed and the result mapped back, so the phase current stays at zero.
    /// </summary>
    public static void ConstrainDqDerivative(int phase, double eps, double omegaEl, double id, double iq, ref double did, ref double diq)
    {
        (double s, double c) = Math.SinCos(eps);
        double gd = did - omegaEl * iq, gq = diq + omegaEl * id;
        SpaceVector.InversePark(gd, gq, s, c, out double ga, out double gb);
        RemoveAxis(phase, ref ga, ref gb);
        SpaceVector.Park(ga, gb, s, c, out gd, out gq);
        did = gd + omegaEl * iq;
        diq = gq - omegaEl * id;
    }

    /// <summary>Sets the open phase's current to zero for a dq current at angle ε.</summary>
    public static void ConstrainDqState(int phase, double eps, ref double id, ref double iq)
    {
        (double s, double c) = Math.SinCos(eps);
        SpaceVector.InversePark(id, iq, s, c, out double a, out double b);
        RemoveAxis(phase, ref a, ref b);
        SpaceVector.Park(a, b, s, c, out id, out iq);
    }
}

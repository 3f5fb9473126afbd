using System.Runtime.CompilerServices;
using MotorRT.Contracts.Machines;

namespace MotorRT.Policies.Foc;

/// <summary>
/// Torque → d/q current references of a synchronous machine with T = 1.5·p·(ψ + (L_d − L_q)·i_d)·i_q: maximum torque
/// per ampere (MTPA) below base speed, field weakening along the voltage ellipse above it, the current circle always.
/// Allocation-free: the MTPA point is found by a fixed number of Newton steps on the analytic MTPA curve
/// <c>i_d = a − sgn(L_q − L_d)·√(a² + i_q²)</c>, <c>a = ψ/(2(L_q − L_d))</c>.
/// </summary>
public struct OperatingPoint
{
    /// <summary>Pole pairs p.</summary>
    public double PolePairs;

    /// <summary>d inductance, in H.</summary>
    public double Ld;

    /// <summary>q inductance, in H.</summary>
    public double Lq;

    /// <summary>Current limit (amplitude), in A.</summary>
    public double CurrentLimit;

    /// <summary>Use MTPA (true) or i_d = <see cref="FixedD"/> (false).</summary>
    public bool Mtpa;

    /// <summary>d current when MTPA is off (0 for a PMSM; a magnetising current for a SynRM), in A.</summary>
    public double FixedD;

    /// <summary>Apply field weakening.</summary>
    public bool FieldWeakening;

    /// <summary>Fraction of the available voltage the flux may use (margin for the current controllers), dimensionless.</summary>
    public double VoltageMargin;

    /// <summary>
    /// Current pair on the MTPA curve for torque <paramref name="torque"/> (N·m) with rotor flux ψ (V·s); no limits.
    /// </summary>
    public readonly void MtpaPoint(double torque, double psi, out double id, out double iq)
    {
        double k = 1.5 * PolePairs;
        double dL = Ld - Lq;
        double t = Math.Abs(torque);
        double sign = torque < 0 ? -1.0 : 1.0;
        if (!Mtpa || Math.Abs(dL) <= 1e-9 * Math.Max(Ld, Lq))
        {
            id = Mtpa ? 0.0 : FixedD;
            double flux = psi + dL * id;
            iq = flux > 1e-12 ? sign * t / (k * flux) : 0.0;
            if (!Mtpa && flux <= 1e-12 && dL != 0.0)
            {
                iq = 0.0;
            }
            return;
        }
        double dqd = Lq - Ld;
        double a = psi / (2.0 * dqd);
        double s = dqd > 0 ? 1.0 : -1.0;
        double x; // |i_q|
        if (psi <= 1e-12)
        {
            // Pure reluctance: i_d = |i_q|·(−s), T = k·|dL|·i_q².
            x = Math.Sqrt(t / (k * Math.Abs(dL)));
        }
        else
        {
            x = t / (k * psi);
            // f(x) = k(ψ + dL·i_d(x))·x − t is increasing and convex from x = 0; Newton from the right converges monotonically
            // when the reluctance term helps (dL·i_d ≥ 0), and from the magnet-only guess otherwise.
            for (int n = 0; n < 8; n++)
            {
                double r = Math.Sqrt(a * a + x * x);
                double idx = a - s * r;
                double f = k * (psi + dL * idx) * x - t;
                double df = k * ((psi + dL * idx) + dL * (-s * x / r) * x);
                if (df <= 0)
                {
                    break;
                }
                double next = x - f / df;
                double x1 = next > 0 ? next : 0.5 * x;
                // At a fixed point every further step computes the same x: stopping there gives the same bits.
                if (x1 == x) break;
                x = x1;
            }
        }
        id = psi <= 1e-12 ? -s * x : a - s * Math.Sqrt(a * a + x * x);
        iq = sign * x;
    }

    /// <summary>
    /// Full operating point: MTPA, then field weakening for electrical speed <paramref name="omegaEl"/> (rad/s) and
    /// voltage amplitude <paramref name="voltageAmplitude"/> (V), then the current circle. Returns true when the torque
    /// had to be reduced (current or voltage limit).
    /// </summary>
    /// <param name="torque">Torque reference, in N·m.</param>
    /// <param name="psi">Rotor flux ψ (magnet, or l_m·i_e), in V·s.</param>
    /// <param name="maxTorque">Largest MTPA torque within the current limit at this ψ (<see cref="MaxMtpaTorque"/>, precomputed), in N·m.</param>
    /// <param name="omegaEl">Electrical speed, in rad/s.</param>
    /// <param name="voltageAmplitude">Largest stator voltage amplitude available, in V.</param>
    /// <param name="id">d current reference, in A.</param>
    /// <param name="iq">q current reference, in A.</param>
    public readonly bool Select(double torque, double psi, double maxTorque, double omegaEl, double voltageAmplitude, out double id, out double iq)
    {
        bool limited = false;
        double imax = CurrentLimit;
        // Current circle along the MTPA curve: the MTPA point at |i| = I_max is the largest MTPA torque (the point of
        // the unlimited torque is not computed then: it was overwritten).
        if (Math.Abs(torque) > maxTorque)
        {
            MtpaPoint(Math.CopySign(maxTorque, torque), psi, out id, out iq);
            limited = true;
        }
        else
        {
            MtpaPoint(torque, psi, out id, out iq);
        }
        if (FieldWeakening && omegaEl != 0.0)
        {
            double fluxMax = VoltageMargin * voltageAmplitude / Math.Abs(omegaEl);
            double fq = Lq * iq;
            if (fq * fq > fluxMax * fluxMax)
            {
                iq = Math.CopySign(fluxMax / Lq, iq);
                fq = Lq * iq;
                limited = true;
            }
            double fdMax = Math.Sqrt(Math.Max(fluxMax * fluxMax - fq * fq, 0.0));
            double fd = psi + Ld * id;
            if (fd > fdMax)
            {
                id = (fdMax - psi) / Ld;
                limited = true;
            }
            else if (fd < -fdMax)
            {
                id = (-fdMax - psi) / Ld;
                limited = true;
            }
            if (id < -imax) { id = -imax; limited = true; }
            if (id > imax) { id = imax; limited = true; }
            double iqMax = Math.Sqrt(Math.Max(imax * imax - id * id, 0.0));
            if (Math.Abs(iq) > iqMax)
            {
                iq = Math.CopySign(iqMax, iq);
                limited = true;
            }
        }
        return limited;
    }

    /// <summary>Torque, in N·m, of the current pair (A) with rotor flux ψ (V·s).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Torque(double id, double iq, double psi) => SynchronousEquations.Torque(PolePairs, psi, Ld, Lq, id, iq);

    /// <summary>Largest torque on the MTPA curve within the current limit, in N·m (bisection on the torque; no allocation).</summary>
    public readonly double MaxMtpaTorque(double psi)
    {
        double lo = 0.0, hi = 1.0;
        // Grow until the MTPA current exceeds the limit.
        for (int n = 0; n < 200; n++)
        {
            MtpaPoint(hi, psi, out double d, out double q);
            if (d * d + q * q >= CurrentLimit * CurrentLimit) break;
            lo = hi;
            hi *= 2.0;
        }
        for (int n = 0; n < 60; n++)
        {
            double m = 0.5 * (lo + hi);
            MtpaPoint(m, psi, out double d, out double q);
            if (d * d + q * q > CurrentLimit * CurrentLimit) hi = m; else lo = m;
        }
        return lo;
    }
}

using System.Runtime.CompilerServices;
using MotorRT.Contracts;
using MotorRT.Policies.PI;

namespace MotorRT.Policies.Foc;

/// <summary>
/// The dq current stage shared by synchronous and induction FOC: d/q current PIs with feed-forward, the voltage
/// limit on the circle with d priority, angle-advanced inverse Park and space-vector modulation with hexagon
/// over-modulation; the realised voltage is fed back to the PIs' anti-windup. A mutable struct: keep it in a field
/// and call it through that field.
/// </summary>
public struct DqCurrentStage
{
    private PIController _d;
    private PIController _q;

    /// <summary>Creates the stage with PI gains in V/A and V/(A·s).</summary>
    /// <param name="d">d-axis PI gains.</param>
    /// <param name="q">q-axis PI gains.</param>
    /// <param name="period">Control period, in s.</param>
    /// <param name="antiWindup">Anti-windup scheme of both PIs.</param>
    public DqCurrentStage(PIGains d, PIGains q, double period, AntiWindupMode antiWindup)
    {
        _d = new PIController(d.Kp, d.Ki, period, -1, 1, antiWindup);
        _q = new PIController(q.Kp, q.Ki, period, -1, 1, antiWindup);
        ModulationScale = 1.0;
    }

    /// <summary>d voltage produced in the last tick (after modulation), in V.</summary>
    public double VoltageD { readonly get; private set; }

    /// <summary>q voltage produced in the last tick (after modulation), in V.</summary>
    public double VoltageQ { readonly get; private set; }

    /// <summary>Modulator shortening factor of the last tick (1 = linear range, dimensionless).</summary>
    public double ModulationScale { readonly get; private set; }

    /// <summary>True when a PI or the modulator limited the voltage in the last tick.</summary>
    public readonly bool Saturated => _d.Saturated || _q.Saturated;

    /// <summary>
    /// True when the voltage limit holds i_q back from <paramref name="iqRef"/> (A) at measured <paramref name="iq"/> (A):
    /// the q PI sits on its limit in the direction the error pushes.
    /// </summary>
    public readonly bool QHeldByVoltageLimit(double iqRef, double iq) => _q.Saturated && (iqRef - iq) * (_q.Output - _q.UnlimitedOutput) < 0;

    /// <summary>Clears both PIs and the reported voltage.</summary>
    public void Reset()
    {
        _d.Reset();
        _q.Reset();
        VoltageD = VoltageQ = 0.0;
        ModulationScale = 1.0;
    }

    /// <summary>
    /// Bumpless enable: presets both PIs so that their first output is the held voltage (<paramref name="ud"/>,
    /// <paramref name="uq"/>, V) within the circle of radius <paramref name="uMax"/> (V). Currents in A, feed-forward in V.
    /// </summary>
    public void InitializeBumpless(double ud, double uq, double uMax, double idRef, double id, double ffD, double iqRef, double iq, double ffQ)
    {
        _d.OutputMax = uMax; _d.OutputMin = -uMax;
        _q.OutputMax = uMax; _q.OutputMin = -uMax;
        _d.InitializeBumpless(ud, idRef, id, ffD);
        _q.InitializeBumpless(uq, iqRef, iq, ffQ);
    }

    /// <summary>
    /// One tick: d PI within ±u_max, q PI within the rest of the circle, inverse Park at the (advanced) angle given by
    /// its sine and cosine, SVM into channels 0..2 of <paramref name="duty"/>. Returns true when anything limited.
    /// </summary>
    /// <param name="idRef">d current reference, in A.</param>
    /// <param name="id">Measured d current, in A.</param>
    /// <param name="ffD">d feed-forward, in V.</param>
    /// <param name="iqRef">q current reference, in A.</param>
    /// <param name="iq">Measured q current, in A.</param>
    /// <param name="ffQ">q feed-forward, in V.</param>
    /// <param name="uMax">Voltage circle radius, in V.</param>
    /// <param name="sinAngle">Sine of the modulation angle (dimensionless).</param>
    /// <param name="cosAngle">Cosine of the modulation angle (dimensionless).</param>
    /// <param name="dcLink">DC-link voltage, in V.</param>
    /// <param name="duty">Duty channels to fill.</param>
    /// <param name="qPriority">
    /// Over-modulated current transient: q first, on the hexagon's whole extent along q at this angle (up to 2/3·u_dc at
    /// a corner, not the circle's u_dc/√3), d takes the chord that is left at that q voltage. In a voltage-limited i_q
    /// step this gives i_q up to 15 % more slew at the price of a transient i_d dip; GEM's bridge reaches the same
    /// corners by clipping each phase. The caller sets it only for a transient whose set-point is reachable inside the
    /// linear range in steady state (else q would starve d for good).
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Compute(double idRef, double id, double ffD, double iqRef, double iq, double ffQ, double uMax,
        double sinAngle, double cosAngle, double dcLink, ref Channels4 duty, bool qPriority = false)
    {
        double ud, uq;
        if (qPriority)
        {
            _q.OutputMax = Math.Min(uMax, 2.0 / 3.0 * dcLink * SpaceVectorModulator.HexagonSupport(-sinAngle, cosAngle));
            _q.OutputMin = -_q.OutputMax;
            uq = _q.Update(iqRef, iq, ffQ);
            // The d range at this q voltage: the same chord computation in the frame turned by +90° (axes e_q, −e_d).
            SpaceVectorModulator.ChordRange(uq, cosAngle, -sinAngle, dcLink, out double lo, out double hi);
            if (lo > hi) lo = hi = 0.5 * (lo + hi); // rounding at a corner
            _d.OutputMax = -lo;
            _d.OutputMin = -hi;
            ud = _d.Update(idRef, id, ffD);
        }
        else
        {
            _d.OutputMax = uMax;
            _d.OutputMin = -uMax;
            ud = _d.Update(idRef, id, ffD);
            double uqMax = Math.Sqrt(Math.Max(uMax * uMax - ud * ud, 0.0));
            _q.OutputMax = uqMax;
            _q.OutputMin = -uqMax;
            uq = _q.Update(iqRef, iq, ffQ);
        }
        bool limited = _d.Saturated || _q.Saturated;

        SpaceVector.InversePark(ud, uq, sinAngle, cosAngle, out double ua, out double ub);
        double k = SpaceVectorModulator.Modulate(ua, ub, dcLink, ref duty);
        if (k < 1.0)
        {
            _d.ApplyExternalLimit(ud * k);
            _q.ApplyExternalLimit(uq * k);
            limited = true;
        }
        ModulationScale = k;
        VoltageD = ud * k;
        VoltageQ = uq * k;
        return limited;
    }
}

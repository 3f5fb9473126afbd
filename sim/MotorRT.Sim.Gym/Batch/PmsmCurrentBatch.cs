using System.Numerics;
using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Sim.Spec;

namespace MotorRT.Sim.Gym.Batch;

/// <summary>
/// N PMSM current-control environments (Cont-CC-PMSM-v0 and variants) as structure-of-arrays: the twin's dq model
/// (di_d/dt = (u_d − r_s·i_d + p·ω·l_q·i_q)/l_d, di_q/dt = (u_q − r_s·i_q − p·ω·l_d·i_d − p·ω·ψ_p)/l_q, dε/dt = p·ω)
/// integrated with classic RK4 (the plant's sub-steps, h = ((kτ + τ) − kτ)/m) with SIMD across environments, the
/// continuous B6 bridge's phase voltages held in dq at the start-of-step angle, and the twin's report (i_abc from the
/// end-of-step i_dq turned back with the start-of-step angle, GEM's wrapped ε). sin/cos of ε are Math.SinCos per
/// environment, once per step, as in the scalar twin. The environment layer is <see cref="SimdBatchEnv"/>'s. Results
/// equal <see cref="GemEnv"/>'s. Requires: ideal supply, no interlocking, no noise, a constant-speed load, RK4.
/// </summary>
public sealed class PmsmCurrentBatch : SimdBatchEnv
{
    private const double TwoThirds = 2.0 / 3.0;
    private const double InvSqrt3 = 0.57735026918962576451; // SpaceVector's constants
    private const double Sqrt3Over2 = 0.86602540378443864676;
    private readonly double[] _idArr, _iqArr, _epsArr, _sinArr, _cosArr;
    private readonly int _idOff, _iqOff, _epsOff, _sinOff, _cosOff;
    private readonly double _rs, _ld, _lq, _psi, _p, _invLd, _invLq, _tau, _uSup, _omega, _substeps;
    private readonly double[] _limit;
    private readonly Vector<double>[] _limitV;

    /// <summary>
    /// Builds <paramref name="count"/> environments from <paramref name="spec"/> (throws naming what the batch does not
    /// support). With <paramref name="twoThreads"/> a worker thread steps the second half of the batch.
    /// </summary>
    public PmsmCurrentBatch(GemEnvSpec spec, int count, bool twoThreads = false) : base(spec, Probe(spec), count, twoThreads)
    {
        PlantSpec p = spec.Plant;
        var m = (SynchronousParameters)p.Motor.ToTyped();
        _rs = m.StatorResistance; _ld = m.InductanceD; _lq = m.InductanceQ; _psi = m.MagnetFlux; _p = m.PolePairs;
        _invLd = 1.0 / _ld; _invLq = 1.0 / _lq;
        _tau = p.Tau;
        _uSup = p.Supply.NominalVoltage * 1.0 - 0.0 * 0.0; // the scalar twin's u_nom·scale − R·i_sup with R = 0
        _omega = ((ConstantSpeedLoadSpec)p.Load).Omega;
        _substeps = Math.Max(1, p.Solver.Substeps);
        _limit = Layout.Limits.ToArray();
        _limitV = [.. _limit.Select(x => new Vector<double>(x))];
        (_idArr, _idOff) = Aligned(PaddedCount);
        (_iqArr, _iqOff) = Aligned(PaddedCount);
        (_epsArr, _epsOff) = Aligned(PaddedCount);
        (_sinArr, _sinOff) = Aligned(PaddedCount);
        (_cosArr, _cosOff) = Aligned(PaddedCount);
        _cosArr.AsSpan(_cosOff, PaddedCount).Fill(1.0);
    }

    private static GemEnv Probe(GemEnvSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        PlantSpec p = spec.Plant;
        if (p.Motor.Type != MotorType.Pmsm) throw new ArgumentException($"PmsmCurrentBatch needs a PMSM, got {p.Motor.Type}");
        if (p.Converter.Kind != ConverterKind.ContB6Bridge || p.Converter.InterlockingTime != 0) throw new ArgumentException("PmsmCurrentBatch needs a continuous B6 bridge without interlocking");
        if (p.Supply.SourceResistance != 0 || p.Noise.Level != 0) throw new ArgumentException("PmsmCurrentBatch needs an ideal supply and no observation noise");
        if (p.Load is not ConstantSpeedLoadSpec) throw new ArgumentException("PmsmCurrentBatch needs a constant-speed load (current control)");
        if (p.Solver.Kind != SolverKind.Rk4) throw new ArgumentException("PmsmCurrentBatch needs the RK4 solver (the GEM presets' default)");
        var probe = new GemEnv(spec);
        string[] expected = ["omega", "torque", "i_a", "i_b", "i_c", "i_sd", "i_sq", "u_a", "u_b", "u_c", "u_sd", "u_sq", "epsilon", "u_sup"];
        if (!probe.Layout.Names.SequenceEqual(expected)) throw new ArgumentException($"PmsmCurrentBatch needs the states {string.Join(", ", expected)}");
        return probe;
    }

    /// <inheritdoc/>
    protected override void ResetPlant(int env, double speed, ReadOnlySpan<double> machine)
    {
        // The constant-speed load imposes ω; the initializer gives i_sd, i_sq, ε. The B6 bridge resets to phase duties ½
        // (normalised voltages −½ each), reported in dq at the initial angle.
        double id = machine[0], iq = machine[1], eps = machine[2];
        (double s, double c) = Math.SinCos(eps);
        _idArr[_idOff + env] = id; _iqArr[_iqOff + env] = iq; _epsArr[_epsOff + env] = eps;
        _sinArr[_sinOff + env] = s; _cosArr[_cosOff + env] = c;
        double u = -0.5 * _uSup;
        SpaceVector.Clarke(u, u, u, out double al, out double be);
        SpaceVector.Park(al, be, s, c, out double ud, out double uq);
        SpaceVector.InversePark(id, iq, s, c, out double ial, out double ibe);
        SpaceVector.InverseClarke(ial, ibe, out double ia, out double ib, out double ic);
        Span<double> si = [_omega, SynchronousEquations.Torque(_p, _psi, _ld, _lq, id, iq), ia, ib, ic, id, iq, u, u, u, ud, uq, GemWrap(new Vector<double>(eps))[0], _uSup];
        for (int x = 0; x < si.Length; x++) StateColumn(x)[env] = si[x] / _limit[x];
    }

    /// <summary>GEM's reported ε: ε mod 2π, minus 2π when above π (the twin's wrap, lane by lane).</summary>
    private static Vector<double> GemWrap(Vector<double> eps)
    {
        const double TwoPi = 2 * Math.PI;
        var twoPi = new Vector<double>(TwoPi);
        Vector<double> w = eps - twoPi * Vector.Floor(eps * new Vector<double>(1.0 / TwoPi));
        w = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(w, twoPi), w - twoPi, w);
        return Vector.ConditionalSelect(Vector.GreaterThan(w, new Vector<double>(Math.PI)), w - twoPi, w);
    }

    /// <inheritdoc/>
    protected override void Kernel(int b0, int b1)
    {
        int n = PaddedCount;
        var vId = V(_idArr.AsSpan(_idOff, n));
        var vIq = V(_iqArr.AsSpan(_iqOff, n));
        var vEps = V(_epsArr.AsSpan(_epsOff, n));
        Span<double> sinCol = _sinArr.AsSpan(_sinOff, n), cosCol = _cosArr.AsSpan(_cosOff, n), epsCol = _epsArr.AsSpan(_epsOff, n);
        var vSin = V(sinCol);
        var vCos = V(cosCol);
        var vK = V(StepColumn);
        var vA = V(ActionColumn(0));
        var vB = V(ActionColumn(1));
        var vC = V(ActionColumn(2));
        Span<Vector<double>> sTorque = V(StateColumn(1)), sIa = V(StateColumn(2)), sIb = V(StateColumn(3)), sIc = V(StateColumn(4)),
            sId = V(StateColumn(5)), sIq = V(StateColumn(6)), sUa = V(StateColumn(7)), sUb = V(StateColumn(8)), sUc = V(StateColumn(9)),
            sUd = V(StateColumn(10)), sUq = V(StateColumn(11)), sEps = V(StateColumn(12));
        var one = Vector<double>.One;
        var minusOne = new Vector<double>(-1.0);
        var zero = Vector<double>.Zero;
        var half = new Vector<double>(0.5);
        var two = new Vector<double>(2.0);
        var tau = new Vector<double>(_tau);
        var uSup = new Vector<double>(_uSup);
        var rs = new Vector<double>(_rs);
        var invLd = new Vector<double>(_invLd);
        var invLq = new Vector<double>(_invLq);
        double welS = _p * _omega;
        var wel = new Vector<double>(welS);
        var welLq = new Vector<double>(welS * _lq);
        var welLd = new Vector<double>(welS * _ld);
        var welPsi = new Vector<double>(welS * _psi);
        var torqueK = new Vector<double>(1.5 * _p);
        var psi = new Vector<double>(_psi);
        var dL = new Vector<double>(_ld - _lq);
        var substeps = new Vector<double>(_substeps);
        var six = new Vector<double>(6.0);
        var twoThirds = new Vector<double>(TwoThirds);
        var invSqrt3 = new Vector<double>(InvSqrt3);
        var sqrt3Over2 = new Vector<double>(Sqrt3Over2);
        var minusHalf = new Vector<double>(-0.5);
        int m = (int)_substeps, lanes = Vector<double>.Count;
        Vector<double>[] l = _limitV;
        for (int b = b0; b < b1; b++)
        {
            // B6 bridge: u_x = (clip(½(a_x + 1), 0, 1) − ½)·u_sup; Clarke, then Park at the start-of-step angle.
            Vector<double> ua = (Vector.Min(Vector.Max(half * (Vector.Min(Vector.Max(vA[b], minusOne), one) + one), zero), one) - half) * uSup;
            Vector<double> ub = (Vector.Min(Vector.Max(half * (Vector.Min(Vector.Max(vB[b], minusOne), one) + one), zero), one) - half) * uSup;
            Vector<double> uc = (Vector.Min(Vector.Max(half * (Vector.Min(Vector.Max(vC[b], minusOne), one) + one), zero), one) - half) * uSup;
            Vector<double> al = twoThirds * (ua - half * ub - half * uc);
            Vector<double> be = (ub - uc) * invSqrt3;
            Vector<double> s0 = vSin[b], c0 = vCos[b];
            Vector<double> ud = al * c0 + be * s0;
            Vector<double> uq = -al * s0 + be * c0;

            Vector<double> t0 = vK[b] * tau;
            Vector<double> h = ((t0 + tau) - t0) / substeps;
            Vector<double> hh = half * h, h6 = h / six;
            Vector<double> id = vId[b], iq = vIq[b], eps = vEps[b];
            for (int s = 0; s < m; s++)
            {
                Vector<double> k1d = (ud - rs * id + welLq * iq) * invLd;
                Vector<double> k1q = (uq - rs * iq - welLd * id - welPsi) * invLq;
                Vector<double> td = id + hh * k1d, tq = iq + hh * k1q;
                Vector<double> k2d = (ud - rs * td + welLq * tq) * invLd;
                Vector<double> k2q = (uq - rs * tq - welLd * td - welPsi) * invLq;
                td = id + hh * k2d; tq = iq + hh * k2q;
                Vector<double> k3d = (ud - rs * td + welLq * tq) * invLd;
                Vector<double> k3q = (uq - rs * tq - welLd * td - welPsi) * invLq;
                td = id + h * k3d; tq = iq + h * k3q;
                Vector<double> k4d = (ud - rs * td + welLq * tq) * invLd;
                Vector<double> k4q = (uq - rs * tq - welLd * td - welPsi) * invLq;
                id += h6 * (k1d + two * (k2d + k3d) + k4d);
                iq += h6 * (k1q + two * (k2q + k3q) + k4q);
                eps += h6 * (wel + two * (wel + wel) + wel);
            }
            vId[b] = id; vIq[b] = iq; vEps[b] = eps;

            // The twin's report: i_abc of the end-of-step i_dq at the start-of-step angle, GEM's wrapped ε.
            Vector<double> ial = id * c0 - iq * s0;
            Vector<double> ibe = id * s0 + iq * c0;
            sTorque[b] = torqueK * (psi + dL * id) * iq / l[1];
            sIa[b] = ial / l[2];
            sIb[b] = (minusHalf * ial + sqrt3Over2 * ibe) / l[3];
            sIc[b] = (minusHalf * ial - sqrt3Over2 * ibe) / l[4];
            sId[b] = id / l[5];
            sIq[b] = iq / l[6];
            sUa[b] = ua / l[7];
            sUb[b] = ub / l[8];
            sUc[b] = uc / l[9];
            sUd[b] = ud / l[10];
            sUq[b] = uq / l[11];
            sEps[b] = GemWrap(eps) / l[12];

            // sin/cos of the end-of-step angle (the next step's start angle), as the scalar twin takes them.
            for (int j = b * lanes, e = j + lanes; j < e; j++) (sinCol[j], cosCol[j]) = Math.SinCos(epsCol[j]);
        }
    }
}

using System.Runtime.CompilerServices;
using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Sim.Solvers;

namespace MotorRT.Sim.Motors;

/// <summary>
/// GEM's PermanentMagnetSynchronousMotor (and, with ψ_p = 0, SynchronousReluctanceMotor) in the rotor dq frame:
/// di_d/dt = (u_d − r_s·i_d + p·ω·l_q·i_q)/l_d; di_q/dt = (u_q − r_s·i_q − p·ω·l_d·i_d − p·ω·ψ_p)/l_q; dε/dt = p·ω;
/// T = 1.5·p·(ψ_p + (l_d − l_q)·i_d)·i_q. States: i_sd, i_sq, ε (unwrapped). Channels: phases a, b, c.
/// </summary>
public struct SynchronousModel : IMotorModel
{
    private readonly double _rs, _ld, _lq, _psi, _p, _invLd, _invLq;
    private double _cEps, _cSin, _cCos = 1.0;

    // sin/cos of the last angle asked for: a step needs the start angle twice and the end angle twice.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SinCos(double eps, out double s, out double c)
    {
        if (eps != _cEps) { (_cSin, _cCos) = Math.SinCos(eps); _cEps = eps; }
        s = _cSin; c = _cCos;
    }

    /// <summary>Builds the model from p, r_s (Ω), l_d, l_q (H), ψ_p (V·s; 0 for SynRM).</summary>
    public SynchronousModel(SynchronousParameters m)
    {
        ArgumentNullException.ThrowIfNull(m);
        _rs = m.StatorResistance; _ld = m.InductanceD; _lq = m.InductanceQ; _psi = m.MagnetFlux; _p = m.PolePairs;
        _invLd = 1.0 / _ld; _invLq = 1.0 / _lq;
    }

    private static readonly string[] Names =
        ["omega", "torque", "i_a", "i_b", "i_c", "i_sd", "i_sq", "u_a", "u_b", "u_c", "u_sd", "u_sq", "epsilon", "u_sup"];

    /// <inheritdoc/>
    public readonly int StateCount => 3;
    /// <inheritdoc/>
    public readonly int ChannelCount => 3;
    /// <inheritdoc/>
    public readonly string[] StateNames => Names;

    /// <inheritdoc/>
    public void ChannelCurrents(in Vec8 y, ref Vec6 iIn)
    {
        SinCos(y[4], out double s, out double c);
        SpaceVector.InversePark(y[2], y[3], s, c, out double al, out double be);
        SpaceVector.InverseClarke(al, be, out double a, out double b, out double cc);
        iIn[0] = a; iIn[1] = b; iIn[2] = cc;
    }

    /// <inheritdoc/>
    public double Inputs(in Vec8 y, in Vec6 uIn, ref Vec4 u)
    {
        double eps = y[4];
        SinCos(eps, out double s, out double c);
        SpaceVector.Clarke(uIn[0], uIn[1], uIn[2], out double al, out double be);
        SpaceVector.Park(al, be, s, c, out double d, out double q);
        u[0] = d; u[1] = q;
        return eps;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Derivatives(in Vec8 y, in Vec4 u, ref Vec8 dy)
    {
        double wel = _p * y[0];
        dy[2] = (u[0] - _rs * y[2] + wel * _lq * y[3]) * _invLd;
        dy[3] = (u[1] - _rs * y[3] - wel * _ld * y[2] - wel * _psi) * _invLq;
        dy[4] = wel;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Torque(in Vec8 y) => SynchronousEquations.Torque(_p, _psi, _ld, _lq, y[2], y[3]);

    /// <inheritdoc/>
    public readonly void ConstrainDerivatives(int openPhase, in Vec8 y, ref Vec8 dy)
    {
        if ((uint)openPhase > 2) return;
        double did = dy[2], diq = dy[3];
        AcHelpers.ConstrainDqDerivative(openPhase, y[4], _p * y[0], y[2], y[3], ref did, ref diq);
        dy[2] = did; dy[3] = diq;
    }

    /// <inheritdoc/>
    public readonly void ConstrainState(int openPhase, ref Vec8 y)
    {
        if ((uint)openPhase > 2) return;
        double id = y[2], iq = y[3];
        AcHelpers.ConstrainDqState(openPhase, y[4], ref id, ref iq);
        y[2] = id; y[3] = iq;
    }

    /// <inheritdoc/>
    public void Report(in Vec8 y, in Vec6 uIn, in Vec4 u, double frameAngle, double torque, double supplyVoltage, Span<double> s, ref PlantOutputs o)
    {
        // GEM quirk: i_abc are the end-of-step i_dq turned back with the start-of-step angle.
        SinCos(frameAngle, out double sn, out double cs);
        SpaceVector.InversePark(y[2], y[3], sn, cs, out double al, out double be);
        SpaceVector.InverseClarke(al, be, out double ia, out double ib, out double ic);
        double eps = AcHelpers.GemWrap(y[4]);
        s[0] = y[0]; s[1] = torque; s[2] = ia; s[3] = ib; s[4] = ic; s[5] = y[2]; s[6] = y[3];
        s[7] = uIn[0]; s[8] = uIn[1]; s[9] = uIn[2]; s[10] = u[0]; s[11] = u[1]; s[12] = eps; s[13] = supplyVoltage;
        // The typed outputs give the true phase currents (at the end-of-step angle).
        SinCos(y[4], out sn, out cs);
        SpaceVector.InversePark(y[2], y[3], sn, cs, out al, out be);
        SpaceVector.InverseClarke(al, be, out o.CurrentA, out o.CurrentB, out o.CurrentC);
        o.CurrentD = y[2]; o.CurrentQ = y[3];
        o.VoltageA = uIn[0]; o.VoltageB = uIn[1]; o.VoltageC = uIn[2]; o.VoltageD = u[0]; o.VoltageQ = u[1];
        o.Epsilon = eps >= Math.PI ? eps - 2 * Math.PI : eps;
    }

    /// <inheritdoc/>
    public void ReportReset(in Vec8 y, in Vec6 uIn, double supplyVoltage, Span<double> s, ref PlantOutputs o)
    {
        Vec4 u = default;
        double a = Inputs(y, uIn, ref u);
        Report(y, uIn, u, a, Torque(y), supplyVoltage, s, ref o);
    }
}

/// <summary>
/// GEM's ExternallyExcitedSynchronousMotor with its stator-referred excitation (k: transfer ratio):
/// r_E = 1.5·k²·r_e, l_M = 1.5·k·l_m, l_E = 1.5·k²·l_e, σ = 1 − l_M²/(l_d·l_E); coupled d/excitation equations as GEM
/// writes them. T = 1.5·p·(l_M·i_e·(2/(3k)) + (l_d − l_q)·i_d)·i_q. States: i_sd, i_sq, i_e, ε. Channels: a, b, c, excitation.
/// With GEM's defaults σ &lt; 0 and the model is unstable (a GEM 3.0.2 defect, reproduced; see sim/README.md).
/// </summary>
public struct EesmModel : IMotorModel
{
    private readonly double _p, _rs, _ld, _lq, _k, _rE, _lM, _lE, _iks, _sigma;

    /// <summary>Builds the model from p, r_s, r_e (Ω), l_d, l_q, l_m, l_e (H) and k (dimensionless).</summary>
    public EesmModel(EesmParameters m)
    {
        ArgumentNullException.ThrowIfNull(m);
        _p = m.PolePairs; _rs = m.StatorResistance; _ld = m.InductanceD; _lq = m.InductanceQ;
        _k = m.ExcitationTransferRatio;
        _rE = EesmEquations.ReferredExcitationResistance(_k, m.ExcitationResistance);
        _lM = EesmEquations.ReferredMainInductance(_k, m.MainInductance);
        _lE = EesmEquations.ReferredExcitationInductance(_k, m.ExcitationInductance);
        _iks = EesmEquations.ExcitationCurrentScale(_k);
        _sigma = 1 - _lM * _lM / (_ld * _lE);
    }

    /// <summary>σ = 1 − l_M²/(l_d·l_E) (dimensionless); negative for GEM's default parameters.</summary>
    public readonly double Sigma => _sigma;

    private static readonly string[] Names =
        ["omega", "torque", "i_a", "i_b", "i_c", "i_sd", "i_sq", "i_e", "u_a", "u_b", "u_c", "u_sd", "u_sq", "u_e", "epsilon", "u_sup"];

    /// <inheritdoc/>
    public readonly int StateCount => 4;
    /// <inheritdoc/>
    public readonly int ChannelCount => 4;
    /// <inheritdoc/>
    public readonly string[] StateNames => Names;

    /// <inheritdoc/>
    public readonly void ChannelCurrents(in Vec8 y, ref Vec6 iIn)
    {
        SpaceVector.DqToAbc(y[2], y[3], y[5], out double a, out double b, out double c);
        iIn[0] = a; iIn[1] = b; iIn[2] = c; iIn[3] = y[4];
    }

    /// <inheritdoc/>
    public readonly double Inputs(in Vec8 y, in Vec6 uIn, ref Vec4 u)
    {
        double eps = y[5];
        SpaceVector.AbcToDq(uIn[0], uIn[1], uIn[2], eps, out double d, out double q);
        u[0] = d; u[1] = q; u[2] = uIn[3];
        return eps;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Derivatives(in Vec8 y, in Vec4 u, ref Vec8 dy)
    {
        double w = y[0], id = y[2], iq = y[3], ie = y[4];
        double s = _sigma;
        dy[2] = (-_rs / s * id + _lM * _rE / (s * _lE) * _iks * ie + u[0] / s - _lM * _k / (s * _lE) * u[2] + _lq * _p / s * w * iq) / _ld;
        dy[3] = (-_rs * iq + u[1] - _ld * _p * w * id - _p * _lM * _iks * w * ie) / _lq;
        dy[4] = (_lM * _rs / (s * _ld) * id - _rE / s * _iks * ie - _lM / (s * _ld) * u[0] + _k / s * u[2] - _p * _lM * _lq / (s * _ld) * w * iq) / _lE / _iks;
        dy[5] = _p * w;
    }

    /// <inheritdoc/>
    public readonly double Torque(in Vec8 y) => EesmEquations.Torque(_p, _lM, y[4], _iks, _ld, _lq, y[2], y[3]);

    /// <inheritdoc/>
    public readonly void ConstrainDerivatives(int openPhase, in Vec8 y, ref Vec8 dy)
    {
        if (openPhase == 3) { dy[4] = 0; return; }
        if ((uint)openPhase > 2) return;
        double did = dy[2], diq = dy[3];
        AcHelpers.ConstrainDqDerivative(openPhase, y[5], _p * y[0], y[2], y[3], ref did, ref diq);
        dy[2] = did; dy[3] = diq;
    }

    /// <inheritdoc/>
    public readonly void ConstrainState(int openPhase, ref Vec8 y)
    {
        if (openPhase == 3) { y[4] = 0; return; }
        if ((uint)openPhase > 2) return;
        double id = y[2], iq = y[3];
        AcHelpers.ConstrainDqState(openPhase, y[5], ref id, ref iq);
        y[2] = id; y[3] = iq;
    }

    /// <inheritdoc/>
    public readonly void Report(in Vec8 y, in Vec6 uIn, in Vec4 u, double frameAngle, double torque, double supplyVoltage, Span<double> s, ref PlantOutputs o)
    {
        SpaceVector.DqToAbc(y[2], y[3], frameAngle, out double ia, out double ib, out double ic);
        s[0] = y[0]; s[1] = torque; s[2] = ia; s[3] = ib; s[4] = ic; s[5] = y[2]; s[6] = y[3]; s[7] = y[4];
        s[8] = uIn[0]; s[9] = uIn[1]; s[10] = uIn[2]; s[11] = u[0]; s[12] = u[1]; s[13] = u[2];
        s[14] = AcHelpers.GemWrap(y[5]); s[15] = supplyVoltage;
        SpaceVector.DqToAbc(y[2], y[3], y[5], out o.CurrentA, out o.CurrentB, out o.CurrentC);
        o.CurrentD = y[2]; o.CurrentQ = y[3]; o.CurrentExcitation = y[4];
        o.VoltageA = uIn[0]; o.VoltageB = uIn[1]; o.VoltageC = uIn[2]; o.VoltageD = u[0]; o.VoltageQ = u[1]; o.VoltageExcitation = u[2];
        o.Epsilon = SpaceVector.WrapToPi(y[5]);
    }

    /// <inheritdoc/>
    public readonly void ReportReset(in Vec8 y, in Vec6 uIn, double supplyVoltage, Span<double> s, ref PlantOutputs o)
    {
        Vec4 u = default;
        double a = Inputs(y, uIn, ref u);
        Report(y, uIn, u, a, Torque(y), supplyVoltage, s, ref o);
    }
}

/// <summary>
/// GEM's SquirrelCageInductionMotor in the stator (αβ) frame with states i_sα, i_sβ, ψ_rα, ψ_rβ, ε; l_s = l_m + l_σs,
/// l_r = l_m + l_σr, σ = (l_s·l_r − l_m²)/(l_s·l_r), τ_r = l_r/r_r, τ_σ = σ·l_s/(r_s + r_r·l_m²/l_r²);
/// T = 1.5·p·(l_m/l_r)·(ψ_rα·i_sβ − ψ_rβ·i_sα). Reported dq quantities use the rotor-flux angle at the start of the step.
/// </summary>
public struct ScimModel : IMotorModel
{
    private readonly InductionCoefficients _k;

    /// <summary>Builds the model from p, r_s, r_r (Ω), l_m, l_σs, l_σr (H).</summary>
    public ScimModel(InductionParameters m)
    {
        ArgumentNullException.ThrowIfNull(m);
        _k = new InductionCoefficients(m);
    }

    private static readonly string[] Names =
        ["omega", "torque", "i_sa", "i_sb", "i_sc", "i_sd", "i_sq", "u_sa", "u_sb", "u_sc", "u_sd", "u_sq", "epsilon", "u_sup"];

    /// <inheritdoc/>
    public readonly int StateCount => 5;
    /// <inheritdoc/>
    public readonly int ChannelCount => 3;
    /// <inheritdoc/>
    public readonly string[] StateNames => Names;

    /// <inheritdoc/>
    public readonly void ChannelCurrents(in Vec8 y, ref Vec6 iIn)
    {
        SpaceVector.InverseClarke(y[2], y[3], out double a, out double b, out double c);
        iIn[0] = a; iIn[1] = b; iIn[2] = c;
    }

    /// <inheritdoc/>
    public readonly double Inputs(in Vec8 y, in Vec6 uIn, ref Vec4 u)
    {
        SpaceVector.Clarke(uIn[0], uIn[1], uIn[2], out double a, out double b);
        u[0] = a; u[1] = b;
        return Math.Atan2(y[5], y[4]);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Derivatives(in Vec8 y, in Vec4 u, ref Vec8 dy)
    {
        double w = y[0], isa = y[2], isb = y[3], pra = y[4], prb = y[5];
        dy[2] = -_k.InvTauSig * isa + _k.A13 * pra + _k.A14 * w * prb + _k.B * u[0];
        dy[3] = -_k.InvTauSig * isb + _k.A13 * prb - _k.A14 * w * pra + _k.B * u[1];
        dy[4] = _k.LmOverTauR * isa - _k.InvTauR * pra - _k.P * w * prb;
        dy[5] = _k.LmOverTauR * isb - _k.InvTauR * prb + _k.P * w * pra;
        dy[6] = _k.P * w;
    }

    /// <inheritdoc/>
    public readonly double Torque(in Vec8 y) => InductionEquations.Torque(_k.TorqueK, y[4], y[5], y[2], y[3]);

    /// <inheritdoc/>
    public readonly void ConstrainDerivatives(int openPhase, in Vec8 y, ref Vec8 dy) => AcHelpers.RemoveStatorAxis(openPhase, ref dy);

    /// <inheritdoc/>
    public readonly void ConstrainState(int openPhase, ref Vec8 y) => AcHelpers.RemoveStatorAxis(openPhase, ref y);

    /// <inheritdoc/>
    public readonly void Report(in Vec8 y, in Vec6 uIn, in Vec4 u, double frameAngle, double torque, double supplyVoltage, Span<double> s, ref PlantOutputs o)
    {
        (double sn, double cs) = Math.SinCos(frameAngle);
        SpaceVector.Park(y[2], y[3], sn, cs, out double id, out double iq);
        SpaceVector.DqToAbc(id, iq, frameAngle, out double ia, out double ib, out double ic);
        SpaceVector.AbcToDq(uIn[0], uIn[1], uIn[2], frameAngle, out double ud, out double uq);
        s[0] = y[0]; s[1] = torque; s[2] = ia; s[3] = ib; s[4] = ic; s[5] = id; s[6] = iq;
        s[7] = uIn[0]; s[8] = uIn[1]; s[9] = uIn[2]; s[10] = ud; s[11] = uq; s[12] = AcHelpers.GemWrap(y[6]); s[13] = supplyVoltage;
        SpaceVector.InverseClarke(y[2], y[3], out o.CurrentA, out o.CurrentB, out o.CurrentC);
        o.CurrentD = id; o.CurrentQ = iq;
        o.VoltageA = uIn[0]; o.VoltageB = uIn[1]; o.VoltageC = uIn[2]; o.VoltageD = ud; o.VoltageQ = uq;
        o.Epsilon = SpaceVector.WrapToPi(y[6]);
    }

    /// <inheritdoc/>
    public readonly void ReportReset(in Vec8 y, in Vec6 uIn, double supplyVoltage, Span<double> s, ref PlantOutputs o)
    {
        Vec4 u = default;
        double a = Inputs(y, uIn, ref u);
        Report(y, uIn, u, a, Torque(y), supplyVoltage, s, ref o);
    }
}

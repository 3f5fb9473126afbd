using System.Runtime.CompilerServices;
using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Sim.Solvers;

namespace MotorRT.Sim.Motors;

/// <summary>
/// GEM 3.0.2's DoublyFedInductionMotor (DoublyFedInductionMotorSystem) in the stator (αβ) frame with states i_sα,
/// i_sβ, ψ_rα, ψ_rβ, ε: the SCIM's equations plus the rotor voltage, di_s/dt += −l_m/(σ·l_r·l_s)·u_r and
/// dψ_r/dt += u_r (u_r in the stator frame). Six converter channels: the stator bridge (a, b, c), then the rotor bridge
/// (the rotor-fixed phases GEM calls d, e, f).
/// </summary>
/// <remarks>
/// GEM's coordinate handling, reproduced: the rotor bridge's voltages are taken to the field (rotor-flux) frame with
/// ε_field − ε and from there to the stator frame with ε_field (net: rotated by ε), both angles from the start of the
/// interval; the rotor currents the rotor bridge sees (sign-dependent outputs and supply current) are the stator-frame
/// i_rαβ turned into three phases without rotation; the reported i_rd, i_rq are the end-of-step i_rαβ in the
/// start-of-step field frame and i_ra, i_rb, i_rc those back in the rotor frame with the start-of-step ε;
/// u_rd, u_rq are the rotor bridge's voltages at ε_field − ε. The model keeps the start-of-interval ε between
/// <see cref="Inputs"/> and <see cref="Report"/> (the one piece of state besides the coefficients).
/// </remarks>
public struct DfimModel : IMotorModel
{
    private readonly InductionCoefficients _k;
    private double _epsStart;

    /// <summary>Builds the model from p, r_s, r_r (Ω), l_m, l_σs, l_σr (H), as GEM's InductionMotor._update_model.</summary>
    public DfimModel(InductionParameters m)
    {
        ArgumentNullException.ThrowIfNull(m);
        _k = new InductionCoefficients(m);
        _epsStart = 0;
    }

    private static readonly string[] Names =
    [
        "omega", "torque", "i_sa", "i_sb", "i_sc", "i_sd", "i_sq", "i_ra", "i_rb", "i_rc", "i_rd", "i_rq",
        "u_sa", "u_sb", "u_sc", "u_sd", "u_sq", "u_ra", "u_rb", "u_rc", "u_rd", "u_rq", "epsilon", "u_sup",
    ];

    /// <inheritdoc/>
    public readonly int StateCount => 5;
    /// <inheritdoc/>
    public readonly int ChannelCount => 6;
    /// <inheritdoc/>
    public readonly string[] StateNames => Names;

    /// <summary>Rotor current i_rα, i_rβ (stator frame, A) of the state.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void RotorCurrent(in Vec8 y, out double ira, out double irb)
    {
        ira = InductionEquations.RotorCurrent(_k.Lm, _k.Lr, y[4], y[2]);
        irb = InductionEquations.RotorCurrent(_k.Lm, _k.Lr, y[5], y[3]);
    }

    /// <inheritdoc/>
    public readonly void ChannelCurrents(in Vec8 y, ref Vec6 iIn)
    {
        SpaceVector.InverseClarke(y[2], y[3], out double a, out double b, out double c);
        iIn[0] = a; iIn[1] = b; iIn[2] = c;
        RotorCurrent(in y, out double ira, out double irb);
        SpaceVector.InverseClarke(ira, irb, out a, out b, out c); // GEM: stator-frame i_rαβ to three phases, not rotated
        iIn[3] = a; iIn[4] = b; iIn[5] = c;
    }

    /// <inheritdoc/>
    /// <remarks>u[0..1] = u_sαβ, u[2..3] = u_rαβ (stator frame); returns the field angle atan2(ψ_rβ, ψ_rα).</remarks>
    public double Inputs(in Vec8 y, in Vec6 uIn, ref Vec4 u)
    {
        double field = Math.Atan2(y[5], y[4]);
        _epsStart = y[6];
        SpaceVector.Clarke(uIn[0], uIn[1], uIn[2], out double a, out double b);
        u[0] = a; u[1] = b;
        SpaceVector.AbcToDq(uIn[3], uIn[4], uIn[5], field - _epsStart, out double ud, out double uq);
        SpaceVector.InversePark(ud, uq, field, out a, out b);
        u[2] = a; u[3] = b;
        return field;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Derivatives(in Vec8 y, in Vec4 u, ref Vec8 dy)
    {
        double w = y[0], isa = y[2], isb = y[3], pra = y[4], prb = y[5];
        dy[2] = -_k.InvTauSig * isa + _k.A13 * pra + _k.A14 * w * prb + _k.B * u[0] - _k.C * u[2];
        dy[3] = -_k.InvTauSig * isb + _k.A13 * prb - _k.A14 * w * pra + _k.B * u[1] - _k.C * u[3];
        dy[4] = _k.LmOverTauR * isa - _k.InvTauR * pra - _k.P * w * prb + u[2];
        dy[5] = _k.LmOverTauR * isb - _k.InvTauR * prb + _k.P * w * pra + u[3];
        dy[6] = _k.P * w;
    }

    /// <inheritdoc/>
    public readonly double Torque(in Vec8 y) => InductionEquations.Torque(_k.TorqueK, y[4], y[5], y[2], y[3]);

    /// <inheritdoc/>
    /// <remarks>Stator phases 0..2 only (the rotor bridge's phases are not opened).</remarks>
    public readonly void ConstrainDerivatives(int openPhase, in Vec8 y, ref Vec8 dy) => AcHelpers.RemoveStatorAxis(openPhase, ref dy);

    /// <inheritdoc/>
    public readonly void ConstrainState(int openPhase, ref Vec8 y) => AcHelpers.RemoveStatorAxis(openPhase, ref y);

    /// <inheritdoc/>
    public readonly void Report(in Vec8 y, in Vec6 uIn, in Vec4 u, double frameAngle, double torque, double supplyVoltage, Span<double> s, ref PlantOutputs o) =>
        Write(in y, in uIn, frameAngle, frameAngle - _epsStart, frameAngle, torque, supplyVoltage, s, ref o);

    /// <inheritdoc/>
    /// <remarks>As GEM's reset: i_rd, i_rq in the rotor frame (ε_field − ε) rather than the field frame.</remarks>
    public readonly void ReportReset(in Vec8 y, in Vec6 uIn, double supplyVoltage, Span<double> s, ref PlantOutputs o)
    {
        double field = Math.Atan2(y[5], y[4]);
        double rotor = field - y[6];
        Write(in y, in uIn, field, rotor, rotor, Torque(y), supplyVoltage, s, ref o);
    }

    // field: the field angle; rotor: ε_field − ε (rotor-bridge frame); rotorDq: the angle of the reported i_rd, i_rq.
    private readonly void Write(in Vec8 y, in Vec6 uIn, double field, double rotor, double rotorDq, double torque, double supplyVoltage, Span<double> s, ref PlantOutputs o)
    {
        SpaceVector.Park(y[2], y[3], field, out double isd, out double isq);
        SpaceVector.DqToAbc(isd, isq, field, out double isa, out double isb, out double isc);
        RotorCurrent(in y, out double ira, out double irb);
        SpaceVector.Park(ira, irb, rotorDq, out double ird, out double irq);
        SpaceVector.DqToAbc(ird, irq, rotor, out double ir1, out double ir2, out double ir3);
        SpaceVector.AbcToDq(uIn[0], uIn[1], uIn[2], field, out double usd, out double usq);
        SpaceVector.AbcToDq(uIn[3], uIn[4], uIn[5], rotor, out double urd, out double urq);
        s[0] = y[0]; s[1] = torque;
        s[2] = isa; s[3] = isb; s[4] = isc; s[5] = isd; s[6] = isq;
        s[7] = ir1; s[8] = ir2; s[9] = ir3; s[10] = ird; s[11] = irq;
        s[12] = uIn[0]; s[13] = uIn[1]; s[14] = uIn[2]; s[15] = usd; s[16] = usq;
        s[17] = uIn[3]; s[18] = uIn[4]; s[19] = uIn[5]; s[20] = urd; s[21] = urq;
        s[22] = AcHelpers.GemWrap(y[6]); s[23] = supplyVoltage;
        SpaceVector.InverseClarke(y[2], y[3], out o.CurrentA, out o.CurrentB, out o.CurrentC);
        o.CurrentD = isd; o.CurrentQ = isq;
        o.VoltageA = uIn[0]; o.VoltageB = uIn[1]; o.VoltageC = uIn[2]; o.VoltageD = usd; o.VoltageQ = usq;
        o.Epsilon = SpaceVector.WrapToPi(y[6]);
    }
}

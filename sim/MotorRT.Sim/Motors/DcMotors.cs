using System.Runtime.CompilerServices;
using MotorRT.Contracts.Machines;
using MotorRT.Sim.Solvers;

namespace MotorRT.Sim.Motors;

/// <summary>
/// GEM's DcPermanentlyExcitedMotor: di/dt = (u − r_a·i − ψ_e·ω)/l_a; T = ψ_e·i. States: i. Channel: armature.
/// </summary>
public struct PermExDcModel : IMotorModel
{
    private readonly double _ra, _la, _psi, _invLa;

    /// <summary>Builds the model from r_a (Ω), l_a (H), ψ_e (V·s).</summary>
    public PermExDcModel(PermExDcParameters p)
    {
        ArgumentNullException.ThrowIfNull(p);
        _ra = p.ArmatureResistance; _la = p.ArmatureInductance; _psi = p.ExcitationFlux; _invLa = 1.0 / _la;
    }

    private static readonly string[] Names = ["omega", "torque", "i", "u", "u_sup"];

    /// <inheritdoc/>
    public readonly int StateCount => 1;
    /// <inheritdoc/>
    public readonly int ChannelCount => 1;
    /// <inheritdoc/>
    public readonly string[] StateNames => Names;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void ChannelCurrents(in Vec8 y, ref Vec6 iIn) => iIn[0] = y[2];

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Inputs(in Vec8 y, in Vec6 uIn, ref Vec4 u) { u[0] = uIn[0]; return 0; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Derivatives(in Vec8 y, in Vec4 u, ref Vec8 dy) =>
        dy[2] = PermExDcEquations.CurrentDerivative(u[0], _ra, y[2], _psi, y[0], _invLa);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Torque(in Vec8 y) => PermExDcEquations.Torque(_psi, y[2]);

    /// <inheritdoc/>
    public readonly void ConstrainDerivatives(int openPhase, in Vec8 y, ref Vec8 dy) { if (openPhase == 0) dy[2] = 0; }
    /// <inheritdoc/>
    public readonly void ConstrainState(int openPhase, ref Vec8 y) { if (openPhase == 0) y[2] = 0; }

    /// <inheritdoc/>
    public readonly void Report(in Vec8 y, in Vec6 uIn, in Vec4 u, double frameAngle, double torque, double supplyVoltage, Span<double> s, ref PlantOutputs o)
    {
        s[0] = y[0]; s[1] = torque; s[2] = y[2]; s[3] = uIn[0]; s[4] = supplyVoltage;
        o.CurrentA = y[2]; o.VoltageA = uIn[0];
    }

    /// <inheritdoc/>
    public readonly void ReportReset(in Vec8 y, in Vec6 uIn, double supplyVoltage, Span<double> s, ref PlantOutputs o)
    {
        Vec4 u = default;
        Inputs(y, uIn, ref u);
        Report(y, uIn, u, 0, Torque(y), supplyVoltage, s, ref o);
    }
}

/// <summary>
/// GEM's DcExternallyExcitedMotor: di_a/dt = (u_a − r_a·i_a − l_e'·ω·i_e)/l_a; di_e/dt = (u_e − r_e·i_e)/l_e;
/// T = l_e'·i_a·i_e. States: i_a, i_e. Channels: armature, excitation.
/// </summary>
public struct ExtExDcModel : IMotorModel
{
    private readonly double _ra, _re, _lep, _invLa, _invLe;

    /// <summary>Builds the model from r_a, r_e (Ω), l_a, l_e, l_e' (H) (also the shunt machine's two circuits).</summary>
    public ExtExDcModel(WoundDcParameters p)
    {
        ArgumentNullException.ThrowIfNull(p);
        _ra = p.ArmatureResistance; _re = p.ExcitationResistance; _lep = p.MutualInductance;
        _invLa = 1.0 / p.ArmatureInductance; _invLe = 1.0 / p.ExcitationInductance;
    }

    private static readonly string[] Names = ["omega", "torque", "i_a", "i_e", "u_a", "u_e", "u_sup"];

    /// <inheritdoc/>
    public readonly int StateCount => 2;
    /// <inheritdoc/>
    public readonly int ChannelCount => 2;
    /// <inheritdoc/>
    public readonly string[] StateNames => Names;

    /// <inheritdoc/>
    public readonly void ChannelCurrents(in Vec8 y, ref Vec6 iIn) { iIn[0] = y[2]; iIn[1] = y[3]; }

    /// <inheritdoc/>
    public readonly double Inputs(in Vec8 y, in Vec6 uIn, ref Vec4 u) { u[0] = uIn[0]; u[1] = uIn[1]; return 0; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Derivatives(in Vec8 y, in Vec4 u, ref Vec8 dy)
    {
        dy[2] = WoundDcEquations.ArmatureCurrentDerivative(u[0], _ra, y[2], _lep, y[0], y[3], _invLa);
        dy[3] = WoundDcEquations.ExcitationCurrentDerivative(u[1], _re, y[3], _invLe);
    }

    /// <inheritdoc/>
    public readonly double Torque(in Vec8 y) => WoundDcEquations.Torque(_lep, y[2], y[3]);

    /// <inheritdoc/>
    public readonly void ConstrainDerivatives(int openPhase, in Vec8 y, ref Vec8 dy) { if (openPhase is 0 or 1) dy[2 + openPhase] = 0; }
    /// <inheritdoc/>
    public readonly void ConstrainState(int openPhase, ref Vec8 y) { if (openPhase is 0 or 1) y[2 + openPhase] = 0; }

    /// <inheritdoc/>
    public readonly void Report(in Vec8 y, in Vec6 uIn, in Vec4 u, double frameAngle, double torque, double supplyVoltage, Span<double> s, ref PlantOutputs o)
    {
        s[0] = y[0]; s[1] = torque; s[2] = y[2]; s[3] = y[3]; s[4] = uIn[0]; s[5] = uIn[1]; s[6] = supplyVoltage;
        o.CurrentA = y[2]; o.CurrentExcitation = y[3]; o.VoltageA = uIn[0]; o.VoltageExcitation = uIn[1];
    }

    /// <inheritdoc/>
    public readonly void ReportReset(in Vec8 y, in Vec6 uIn, double supplyVoltage, Span<double> s, ref PlantOutputs o)
    {
        Vec4 u = default;
        Inputs(y, uIn, ref u);
        Report(y, uIn, u, 0, Torque(y), supplyVoltage, s, ref o);
    }
}

/// <summary>
/// GEM's DcSeriesMotor: di/dt = (u − (r_a + r_e)·i − l_e'·ω·i)/(l_a + l_e); T = l_e'·i². States: i. Channel: the series circuit.
/// </summary>
public struct SeriesDcModel : IMotorModel
{
    private readonly double _r, _lep, _invL;

    /// <summary>Builds the model from r_a, r_e (Ω), l_a, l_e, l_e' (H).</summary>
    public SeriesDcModel(SeriesDcParameters p)
    {
        ArgumentNullException.ThrowIfNull(p);
        _r = p.ArmatureResistance + p.ExcitationResistance; _lep = p.MutualInductance;
        _invL = 1.0 / (p.ArmatureInductance + p.ExcitationInductance);
    }

    private static readonly string[] Names = ["omega", "torque", "i", "u", "u_sup"];

    /// <inheritdoc/>
    public readonly int StateCount => 1;
    /// <inheritdoc/>
    public readonly int ChannelCount => 1;
    /// <inheritdoc/>
    public readonly string[] StateNames => Names;

    /// <inheritdoc/>
    public readonly void ChannelCurrents(in Vec8 y, ref Vec6 iIn) => iIn[0] = y[2];

    /// <inheritdoc/>
    public readonly double Inputs(in Vec8 y, in Vec6 uIn, ref Vec4 u) { u[0] = uIn[0]; return 0; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Derivatives(in Vec8 y, in Vec4 u, ref Vec8 dy) =>
        dy[2] = WoundDcEquations.ArmatureCurrentDerivative(u[0], _r, y[2], _lep, y[0], y[2], _invL);

    /// <inheritdoc/>
    public readonly double Torque(in Vec8 y) => WoundDcEquations.Torque(_lep, y[2], y[2]);

    /// <inheritdoc/>
    public readonly void ConstrainDerivatives(int openPhase, in Vec8 y, ref Vec8 dy) { if (openPhase is 0 or 1) dy[2] = 0; }
    /// <inheritdoc/>
    public readonly void ConstrainState(int openPhase, ref Vec8 y) { if (openPhase is 0 or 1) y[2] = 0; }

    /// <inheritdoc/>
    public readonly void Report(in Vec8 y, in Vec6 uIn, in Vec4 u, double frameAngle, double torque, double supplyVoltage, Span<double> s, ref PlantOutputs o)
    {
        s[0] = y[0]; s[1] = torque; s[2] = y[2]; s[3] = uIn[0]; s[4] = supplyVoltage;
        o.CurrentA = y[2]; o.CurrentExcitation = y[2]; o.VoltageA = uIn[0];
    }

    /// <inheritdoc/>
    public readonly void ReportReset(in Vec8 y, in Vec6 uIn, double supplyVoltage, Span<double> s, ref PlantOutputs o)
    {
        Vec4 u = default;
        Inputs(y, uIn, ref u);
        Report(y, uIn, u, 0, Torque(y), supplyVoltage, s, ref o);
    }
}

/// <summary>
/// GEM's DcShuntMotor: the externally excited equations with u_a = u_e = u; the converter carries i_a + i_e.
/// States: i_a, i_e. Channel: the common terminal voltage.
/// </summary>
public struct ShuntDcModel : IMotorModel
{
    // The two circuits are the externally excited machine's; Inputs feeds both with the one terminal voltage.
    private readonly ExtExDcModel _circuits;

    /// <summary>Builds the model from r_a, r_e (Ω), l_a, l_e, l_e' (H).</summary>
    public ShuntDcModel(ShuntDcParameters p) => _circuits = new ExtExDcModel(p);

    private static readonly string[] Names = ["omega", "torque", "i_a", "i_e", "u", "u_sup"];

    /// <inheritdoc/>
    public readonly int StateCount => 2;
    /// <inheritdoc/>
    public readonly int ChannelCount => 1;
    /// <inheritdoc/>
    public readonly string[] StateNames => Names;

    /// <inheritdoc/>
    public readonly void ChannelCurrents(in Vec8 y, ref Vec6 iIn) => iIn[0] = y[2] + y[3];

    /// <inheritdoc/>
    public readonly double Inputs(in Vec8 y, in Vec6 uIn, ref Vec4 u) { u[0] = uIn[0]; u[1] = uIn[0]; return 0; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Derivatives(in Vec8 y, in Vec4 u, ref Vec8 dy) => _circuits.Derivatives(y, u, ref dy);

    /// <inheritdoc/>
    public readonly double Torque(in Vec8 y) => _circuits.Torque(y);

    /// <inheritdoc/>
    public readonly void ConstrainDerivatives(int openPhase, in Vec8 y, ref Vec8 dy) => _circuits.ConstrainDerivatives(openPhase, y, ref dy);
    /// <inheritdoc/>
    public readonly void ConstrainState(int openPhase, ref Vec8 y) => _circuits.ConstrainState(openPhase, ref y);

    /// <inheritdoc/>
    public readonly void Report(in Vec8 y, in Vec6 uIn, in Vec4 u, double frameAngle, double torque, double supplyVoltage, Span<double> s, ref PlantOutputs o)
    {
        s[0] = y[0]; s[1] = torque; s[2] = y[2]; s[3] = y[3]; s[4] = uIn[0]; s[5] = supplyVoltage;
        o.CurrentA = y[2] + y[3]; o.CurrentExcitation = y[3]; o.VoltageA = uIn[0]; o.VoltageExcitation = uIn[0];
    }

    /// <inheritdoc/>
    public readonly void ReportReset(in Vec8 y, in Vec6 uIn, double supplyVoltage, Span<double> s, ref PlantOutputs o)
    {
        Vec4 u = default;
        Inputs(y, uIn, ref u);
        Report(y, uIn, u, 0, Torque(y), supplyVoltage, s, ref o);
    }
}

using MotorRT.Contracts;
using MotorRT.Contracts.Machines;

namespace MotorRT.HilTests;

/// <summary>
/// A re-implementation, from its source, of the controller design of GEM 3.0.2's <c>gem_controllers</c>
/// (<c>GemController.make(env, env_id)</c> with its defaults: PI base controllers, a = 4, decoupling on, current safety
/// margin 0.2) for the comparison in policies/README.md. It is not GEM's code and not a run of GEM: Python cannot run
/// here. What it reproduces, equation for equation:
/// <list type="bullet">
/// <item>Current PI: K_p = L/(a·τ), K_i = K_p/(a²·τ) (L: l_a; series l_a + l_e; PMSM l_d, l_q);
/// output K_p·e + K_i·∫e, the integrator advanced by τ·e after the output, only in periods whose voltage was not clipped.</item>
/// <item>EMF feed-forward (L_emf·i + ψ)·ω·p with GEM's per-motor tables: PermExDc/ExtExDc p = 0 (none), series
/// l_e'·i·ω, shunt l_e'·i_e·ω, PMSM u_d += −l_q·i_q·ω_el, u_q += (l_d·i_d + ψ_p)·ω_el.</item>
/// <item>Voltage clipping: DC absolute to ±u limit; PMSM "squared" clipping of (u_d, u_q) against the 150 V limits,
/// including GEM's division by the squared (not the plain) relative length; dq→abc at the angle advanced by
/// 0.5·τ·ω with ω the mechanical speed (as GEM's AbcTransformation reads state "omega"); action = u_abc/150 V.</item>
/// <item>Speed PI: K_p = J_total/(a·t_n), K_i = K_p/(a·t_n), t_n = a²·τ (the current loop's K_p/K_i), torque clipped to
/// GEM's torque range, integration stopped while clipped.</item>
/// <item>Torque → current: PermExDc min(T/ψ_e, u/(r_a + ψ_e·|ω|)) by the sign of ω; series √(T/l_e'); shunt
/// T/(l_e'·i_e) with |i_e| floored at 1e-4 A; then the current clipped to ±0.8 × the current limit.</item>
/// </list>
/// </summary>
public sealed class PiGemReplica : IController
{
    private const double A = 4.0;
    private readonly MotorParameters _m;
    private readonly double _tau;
    private readonly bool _speed;
    private readonly double _uLimit;
    private readonly double _kp, _ki, _kpQ, _kiQ, _kpS, _kiS;
    private readonly double _torqueMin, _torqueMax, _iLimit;
    private double _int, _intQ, _intS;

    /// <summary>Designs the replica for <paramref name="m"/> (PermExDc, SeriesDc, ShuntDc, PMSM current control).</summary>
    public PiGemReplica(MotorParameters m, double tau, bool speedControl, double jTotal, double voltageLimit)
    {
        _m = m;
        _tau = tau;
        _speed = speedControl;
        _uLimit = voltageLimit;
        double l = m.Type switch
        {
            MotorType.SeriesDc => m.ArmatureInductance + m.ExcitationInductance,
            MotorType.Pmsm or MotorType.SynRm => m.InductanceD,
            _ => m.ArmatureInductance,
        };
        _kp = l / (tau * A);
        _ki = _kp / (tau * A * A);
        if (!m.IsDc)
        {
            _kpQ = m.InductanceQ / (tau * A);
            _kiQ = _kpQ / (tau * A * A);
        }
        double tn = _kp / _ki;
        _kpS = jTotal / (A * tn);
        _kiS = _kpS / (A * tn);
        _torqueMax = m.Limits.Torque;
        _torqueMin = m.Type == MotorType.SeriesDc ? 0.0 : -m.Limits.Torque;
        _iLimit = 0.8 * m.Limits.Current;
    }

    /// <inheritdoc />
    public string Name => "gem-controllers-replica";

    /// <inheritdoc />
    public ControllerStatus Status => ControllerStatus.Ok;

    /// <summary>Speed-loop gains (K_p in N·m·s/rad, K_i in N·m/rad) for the report.</summary>
    public (double Kp, double Ki) SpeedGains => (_kpS, _kiS);

    /// <summary>Current-loop gains (V/A, V/(A·s)) for the report.</summary>
    public (double Kp, double Ki) CurrentGains => (_kp, _ki);

    /// <inheritdoc />
    public void Reset() => _int = _intQ = _intS = 0;

    /// <inheritdoc />
    public void Compute(in MotorObservation o, ref ConverterCommand command)
    {
        command.Mode = CommandMode.DutyCycle;
        command.BridgeEnable = true;
        double w = o.MechanicalSpeed;
        if (_m.IsDc)
        {
            double i = o.CurrentA;
            double ie = o.CurrentExcitation;
            if (_m.Type == MotorType.ShuntDc) i -= ie; // GEM's controller reads the state i_a
            double iRef = o.Reference.CurrentD;
            if (_speed)
            {
                double e = o.Reference.Speed - w;
                double t = _kpS * e + _kiS * _intS;
                double tc = Math.Clamp(t, _torqueMin, _torqueMax);
                if (tc == t) _intS += _tau * e;
                iRef = _m.Type switch
                {
                    MotorType.PermanentlyExcitedDc => w > 0
                        ? Math.Min(tc / _m.ExcitationFlux, _uLimit / (_m.ArmatureResistance + _m.ExcitationFlux * Math.Abs(w)))
                        : Math.Max(tc / _m.ExcitationFlux, -_uLimit / (_m.ArmatureResistance + _m.ExcitationFlux * Math.Abs(w))),
                    MotorType.SeriesDc => Math.Sqrt(Math.Max(tc, 0) / _m.MutualInductance),
                    _ => tc / _m.MutualInductance / (Math.Abs(ie) < 1e-4 ? Math.CopySign(1e-4, ie == 0 ? 1 : ie) : ie),
                };
                iRef = Math.Clamp(iRef, -_iLimit, _iLimit);
            }
            double err = iRef - i;
            double u = _kp * err + _ki * _int;
            u += _m.Type switch
            {
                MotorType.SeriesDc => _m.MutualInductance * i * w,
                MotorType.ShuntDc => _m.MutualInductance * ie * w,
                _ => 0.0, // GEM's p_reader is 0 for PermExDc and ExtExDc: no EMF feed-forward
            };
            double uc = Math.Clamp(u, -_uLimit, _uLimit);
            if (uc == u) _int += _tau * err;
            command.Duty[0] = uc / _uLimit;
            return;
        }
        // PMSM current control.
        double eps = o.ElectricalAngle;
        SpaceVector.AbcToDq(o.CurrentA, o.CurrentB, o.CurrentC, eps, out double id, out double iq);
        double ed = o.Reference.CurrentD - id, eq = o.Reference.CurrentQ - iq;
        double wel = o.ElectricalSpeed;
        double ud = _kp * ed + _ki * _int - _m.InductanceQ * iq * wel;
        double uq = _kpQ * eq + _kiQ * _intQ + (_m.InductanceD * id + _m.PermanentMagnetFlux) * wel;
        double rel = (ud / _uLimit) * (ud / _uLimit) + (uq / _uLimit) * (uq / _uLimit);
        double udc = ud, uqc = uq;
        if (!(rel < 1.0))
        {
            udc = ud / rel; // GEM divides by the squared relative length
            uqc = uq / rel;
        }
        if (udc == ud) _int += _tau * ed;
        if (uqc == uq) _intQ += _tau * eq;
        double advanced = eps + 0.5 * _tau * w; // GEM advances by the mechanical speed
        SpaceVector.DqToAbc(udc, uqc, advanced, out double ua, out double ub, out double uc3);
        command.Duty[0] = Math.Clamp(ua / _uLimit, -1, 1);
        command.Duty[1] = Math.Clamp(ub / _uLimit, -1, 1);
        command.Duty[2] = Math.Clamp(uc3 / _uLimit, -1, 1);
    }
}

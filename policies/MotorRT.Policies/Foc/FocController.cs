using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.PI;
using MotorRT.Policies.Tuning;

namespace MotorRT.Policies.Foc;

/// <summary>FOC-specific options (beyond <see cref="CascadeOptions"/>).</summary>
public sealed record FocOptions
{
    /// <summary>Maximum torque per ampere for salient machines (else i_d = <see cref="DCurrent"/>). Default true.</summary>
    public bool Mtpa { get; init; } = true;

    /// <summary>d current used when MTPA is off, in A (0 for a PMSM; a SynRM needs a magnetising current). Default 0.</summary>
    public double DCurrent { get; init; }

    /// <summary>Field weakening along the voltage ellipse above base speed. Default true.</summary>
    public bool FieldWeakening { get; init; } = true;

    /// <summary>Fraction of the available voltage the flux may use in field weakening (dimensionless). Default 0.9.</summary>
    public double VoltageMargin { get; init; } = 0.9;

    /// <summary>
    /// Voltage amplitude the current controllers may ask for, relative to the linear SVM limit u_dc/√3 (dimensionless,
    /// 1 … 2/√3). Above 1 the modulator over-modulates onto the hexagon, and in current-control mode the current PIs
    /// switch to q priority on the whole hexagon (i_q gets the hexagon's extent along q, i_d the chord left). Default 1.
    /// </summary>
    public double ModulationLimit { get; init; } = 1.0;

    /// <summary>Angle advance of the inverse Park transform, in periods of ω_el (compensates the delay). Default: the delay.</summary>
    public double? AngleAdvancePeriods { get; init; }

    /// <summary>The FOC options of a validated section record found at <paramref name="scope"/> (the d current is checked against the motor's current limit).</summary>
    public static FocOptions From(FocSection s, ConfigScope scope, MotorParameters motor)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(motor);
        return new FocOptions
        {
            Mtpa = s.Mtpa,
            DCurrent = SectionRange.Check(scope, "d_current", s.DCurrent, -motor.Limits.Current, motor.Limits.Current, "A"),
            FieldWeakening = s.FieldWeakening,
            VoltageMargin = s.VoltageMargin,
            ModulationLimit = s.ModulationLimit,
            AngleAdvancePeriods = s.AngleAdvancePeriods,
        };
    }
}

/// <summary>
/// Field-oriented control of synchronous machines (PMSM, SynRM, EESM) on a B6 bridge: Clarke/Park of the measured
/// phase currents, d/q current PIs with cross-coupling decoupling and EMF feed-forward, voltage limit on the circle
/// with d priority, angle-advanced inverse Park, space-vector modulation with hexagon over-modulation (the realised
/// voltage is fed back to the PIs' anti-windup); torque control through MTPA + field weakening; an optional speed PI
/// (symmetric optimum) on top; for the EESM an excitation-current PI on converter channel 3.
/// </summary>
public sealed class FocController : FocControllerBase
{
    private readonly MotorParameters _motor;
    private readonly double _period;
    private readonly double _advance;

    /// <summary>d current error, relative to the current limit, up to which current mode gives q the voltage priority.</summary>
    private const double QPriorityBand = 0.05;
    private readonly double _modulationLimit;
    private readonly double _nominalExcitation;
    private OperatingPoint _op;
    private PIController _excitation;
    private double _cachedPsi = double.NaN;
    private double _cachedMaxTorque;

    private FocController(MotorParameters motor, double period, ControlMode mode, CascadeOptions options, FocOptions foc)
        : base(Checked(motor), period, mode, options, foc)
    {
        _motor = motor;
        _period = period;
        _advance = foc.AngleAdvancePeriods ?? options.DelayPeriods;
        _modulationLimit = foc.ModulationLimit;
        _nominalExcitation = options.ExcitationCurrent ?? motor.Limits.ExcitationCurrent;
        if (Design.Excitation is not null)
        {
            PIGains eg = options.ExcitationGains ?? new PIGains(Design.Excitation.Kp, Design.Excitation.Ki);
            _excitation = new PIController(eg.Kp, eg.Ki, period, -1, 1, options.AntiWindup);
        }
        _op = new OperatingPoint
        {
            PolePairs = motor.PolePairs,
            Ld = motor.InductanceD,
            Lq = motor.InductanceQ,
            CurrentLimit = options.CurrentLimit > 0 ? options.CurrentLimit : motor.Limits.Current,
            Mtpa = foc.Mtpa,
            FixedD = foc.DCurrent,
            FieldWeakening = foc.FieldWeakening,
            VoltageMargin = foc.VoltageMargin,
        };
        double psiNominal = FluxOf(_nominalExcitation);
        double mtpaMax = _op.MaxMtpaTorque(psiNominal);
        SetTorqueLimit(options.TorqueLimit > 0 ? options.TorqueLimit : motor.Limits.Torque > 0 ? Math.Min(motor.Limits.Torque, mtpaMax) : mtpaMax, period);
    }

    private static MotorParameters Checked(MotorParameters motor) =>
        motor.Type is MotorType.Pmsm or MotorType.SynRm or MotorType.Eesm
            ? motor
            : throw new ArgumentException($"FOC here covers PMSM, SynRM and EESM, not {motor.Machine.Id}", nameof(motor));

    /// <summary>The torque → current mapping (MTPA, field weakening, current circle).</summary>
    public OperatingPoint OperatingPoint => _op;

    /// <summary>Torque reference of the last tick, in N·m.</summary>
    public double TorqueReference { get; private set; }

    /// <summary>d voltage produced in the last tick (after modulation), in V.</summary>
    public double VoltageD => _current.VoltageD;

    /// <summary>q voltage produced in the last tick (after modulation), in V.</summary>
    public double VoltageQ => _current.VoltageQ;

    /// <summary>Modulator shortening factor of the last tick (1 = linear range).</summary>
    public double ModulationScale => _current.ModulationScale;

    /// <summary>Creates the controller directly (tests, tools).</summary>
    public static FocController Create(MotorParameters motor, double period, ControlMode mode, CascadeOptions? options = null, FocOptions? foc = null) =>
        new(motor, period, mode, options ?? new CascadeOptions { CurrentLimit = motor.Limits.Current }, foc ?? new FocOptions());

    /// <summary>
    /// Creates the controller from its validated section record found at <paramref name="scope"/> (errors name the
    /// field): the shared <see cref="CascadeSection"/> keys and the FOC keys of <see cref="FocSection"/>.
    /// </summary>
    public static FocController FromConfig(FocSection section, ConfigScope scope, MotorParameters motor, double period, ControlMode mode)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(motor);
        if (motor.Type is not (MotorType.Pmsm or MotorType.SynRm or MotorType.Eesm))
        {
            throw scope.Error("type", $"FOC covers PMSM, SynRM and EESM; the plant is a {motor.Machine.Id}",
                motor.IsDc ? "use a pi-dc-* controller for DC machines" : "induction machines: use a SCIM (rotor-flux orientation); the DFIM is not covered");
        }
        if (section.RotorFlux is not null)
        {
            throw scope.Error("rotor_flux", $"the rotor-flux reference applies to induction machines only, the motor is a {motor.Machine.Id}", "remove it");
        }
        CascadeOptions options = CascadeOptions.From(section, scope, motor);
        FocOptions foc = FocOptions.From(section, scope, motor);
        if (motor.Type == MotorType.SynRm && !foc.Mtpa && foc.DCurrent <= 0 && mode != ControlMode.Current)
        {
            throw scope.Error("d_current", "a SynRM without MTPA needs a positive magnetising d current", "set \"mtpa\": true or \"d_current\" > 0 (A)");
        }
        if (motor.Type == MotorType.Eesm && motor.ExcitationTransferRatio > 0)
        {
            // GEM refers the excitation to the stator (l_M = 1.5·k·l_m, l_E = 1.5·k²·l_e): σ = 1 − 1.5·l_m²/(l_d·l_e).
            double sigma = 1.0 - 1.5 * motor.MainInductance * motor.MainInductance / (motor.InductanceD * motor.ExcitationInductance);
            if (!(sigma > 0))
            {
                throw scope.Error("type", $"the EESM parameters give σ = 1 − 1.5·l_m²/(l_d·l_e) = {sigma:G3} ≤ 0: the d/excitation model has a positive eigenvalue (GEM 3.0.2's default EESM), no controller setting makes it a physical machine",
                    "check l_m, l_d and l_e of the motor (e.g. a larger l_e)");
            }
        }
        if (motor.Type == MotorType.Eesm && options.ExcitationCurrent is null && motor.Limits.ExcitationCurrent <= 0)
        {
            throw scope.Error("excitation_current", "the EESM needs an excitation current reference", "add \"excitation_current\": <A>");
        }
        try
        {
            return new FocController(motor, period, mode, options, foc);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw scope.Error("type", $"cannot design the loops: {e.Message}", "check the motor parameters (R, L, J must be positive)");
        }
    }

    /// <inheritdoc />
    public override void Reset()
    {
        _current.Reset();
        _excitation.Reset();
        _speed.Reset();
        _started = false;
        Status = ControllerStatus.Ok;
        CurrentReferenceD = CurrentReferenceQ = TorqueReference = 0.0;
    }

    /// <inheritdoc />
    public override void Compute(in MotorObservation observation, ref ConverterCommand command)
    {
        double udc = observation.DcLinkVoltage;
        double epsilon = observation.ElectricalAngle;
        double omegaEl = observation.ElectricalSpeed;
        if (!(udc > 0) || !double.IsFinite(udc) || !double.IsFinite(epsilon) || !double.IsFinite(omegaEl)
            || !double.IsFinite(observation.CurrentD) || !double.IsFinite(observation.CurrentQ))
        {
            Status = ControllerStatus.OutOfDomain;
            return;
        }
        // The signal chain has already transformed the phase currents into the rotor frame (once per tick).
        double id = observation.CurrentD, iq = observation.CurrentQ;
        double ie = observation.CurrentExcitation;
        double psi = FluxOf(ie);
        double ld = _motor.InductanceD, lq = _motor.InductanceQ;
        bool limited = false;

        double uMax = udc * SpaceVectorModulator.LinearRadiusPerDcLink * _modulationLimit;
        double idRef, iqRef;
        if (Mode == ControlMode.Current)
        {
            idRef = observation.Reference.CurrentD;
            iqRef = observation.Reference.CurrentQ;
            limited = ClampToCurrentCircle(ref idRef, ref iqRef, _op.CurrentLimit);
        }
        else
        {
            double torque = TorqueDemand(observation, _op.Torque(id, iq, psi), ref limited);
            TorqueReference = torque;
            if (!(Math.Abs(psi - _cachedPsi) <= 1e-3 * Math.Abs(psi) + 1e-9)) // NaN at start: compute
            {
                _cachedPsi = psi;
                _cachedMaxTorque = _op.MaxMtpaTorque(psi);
            }
            if (_op.Select(torque, psi, _cachedMaxTorque, omegaEl, uMax, out idRef, out iqRef))
            {
                limited = true;
                if (Mode == ControlMode.Speed)
                {
                    _speed.ApplyExternalLimit(_op.Torque(idRef, iqRef, psi));
                }
            }
        }
        CurrentReferenceD = idRef;
        CurrentReferenceQ = iqRef;

        double ffD = 0.0, ffQ = 0.0;
        if (Options.Decoupling)
        {
            ffD = -omegaEl * lq * iq;
            ffQ = omegaEl * (ld * id + psi);
        }
        // EESM: the d axis and the excitation share the main flux (u_d = r_s·i_d + l_d·di_d/dt + l_m·di_e/dt − ω_el·l_q·i_q,
        // u_e = r_e·i_e + l_e·di_e/dt + 1.5·l_m·di_d/dt). Each PI is tuned on its own inductance, so with decoupling the
        // voltages are u = R·i + M·D⁻¹·(y − R·i) (M the inductance matrix, D its diagonal, y the PIs' outputs): each loop
        // then sees exactly the first-order plant it was designed for. The excitation PI runs first; its inductive part
        // enters the d voltage here, the d PI's inductive part enters the excitation voltage below.
        double ue = 0.0, crossD = 0.0;
        bool eesm = _motor.Type == MotorType.Eesm;
        if (eesm)
        {
            double ieRef = Options.ExcitationCurrent ?? observation.Reference.CurrentExcitation;
            _excitation.OutputMax = udc;
            _excitation.OutputMin = -udc;
            ue = _excitation.Update(ieRef, ie, Options.Decoupling ? _motor.ExcitationResistance * ieRef : 0.0);
            limited |= _excitation.Saturated;
            if (Options.Decoupling)
            {
                crossD = _motor.MainInductance / _motor.ExcitationInductance * (ue - _motor.ExcitationResistance * ie);
                ffD += crossD;
            }
        }
        if (!_started && Options.BumplessEnable && (observation.LastVoltageD != 0.0 || observation.LastVoltageQ != 0.0))
        {
            // Integrators from the state: the voltage applied last tick less the feed-forward. Taken at zero error, so
            // a reference that steps at the hand-over (a PWA fallback episode) gets the normal proportional response
            // instead of a proportional kick frozen into the integrator.
            _current.InitializeBumpless(observation.LastVoltageD, observation.LastVoltageQ, uMax, id, id, ffD, iq, iq, ffQ);
        }
        (double sinA, double cosA) = Math.SinCos(epsilon + omegaEl * _period * _advance);
        // Current set-points with over-modulation allowed: q priority on the hexagon for a reachable transient; once i_d
        // is QPriorityBand of the current limit off its reference d gets the priority back. Torque and speed modes keep
        // d priority on the circle: field weakening needs the d voltage.
        bool qPriority = Mode == ControlMode.Current && _modulationLimit > 1.0 && Math.Abs(idRef - id) < QPriorityBand * _op.CurrentLimit
            && ReachableInLinearRange(idRef, iqRef, omegaEl, psi, udc);
        limited |= _current.Compute(idRef, id, ffD, iqRef, iq, ffQ, uMax, sinA, cosA, udc, ref command.Duty, qPriority);
        if (Mode == ControlMode.Speed && _current.QHeldByVoltageLimit(iqRef, iq))
        {
            // Cascade anti-windup: the voltage limit keeps i_q from its reference; condition the speed PI on the torque
            // actually produced (measured currents) so it does not integrate a torque the drive cannot make.
            _speed.ApplyExternalLimit(_op.Torque(id, iq, psi));
        }
        command.VoltageD = _current.VoltageD;
        command.VoltageQ = _current.VoltageQ;

        if (eesm)
        {
            if (Options.Decoupling)
            {
                // The d PI's part of the applied d voltage (less back-EMF feed-forward and the cross term), through 1.5·l_m/l_d.
                double yd = _current.VoltageD - ffD;
                ue += 1.5 * _motor.MainInductance / ld * (yd - _motor.StatorResistance * id);
                if (ue > udc) { ue = udc; limited = true; }
                else if (ue < -udc) { ue = -udc; limited = true; }
            }
            command.Duty[3] = ue / udc;
        }
        _started = true;
        Status = DutyOutput.Finish(ref command, 4, limited);
    }

    /// <summary>
    /// True when the steady-state voltage of the current set-point (<paramref name="idRef"/>, <paramref name="iqRef"/>, A)
    /// at electrical speed <paramref name="omegaEl"/> (rad/s) and rotor flux <paramref name="psi"/> (V·s) lies inside the
    /// linear modulation range u_dc/√3 (<paramref name="udc"/> in V).
    /// </summary>
    private bool ReachableInLinearRange(double idRef, double iqRef, double omegaEl, double psi, double udc)
    {
        double r = _motor.StatorResistance;
        double ud = r * idRef - omegaEl * _motor.InductanceQ * iqRef;
        double uq = r * iqRef + omegaEl * (_motor.InductanceD * idRef + psi);
        double lim = udc * SpaceVectorModulator.LinearRadiusPerDcLink;
        return ud * ud + uq * uq <= lim * lim;
    }

    /// <summary>Rotor flux ψ, in V·s: the magnet's (PMSM), 0 (SynRM), l_m·i_e (EESM) for excitation current <paramref name="ie"/> (A).</summary>
    public double FluxOf(double ie) => _motor.Type switch
    {
        MotorType.Pmsm => _motor.PermanentMagnetFlux,
        MotorType.Eesm => _motor.MainInductance * ie,
        _ => 0.0,
    };
}

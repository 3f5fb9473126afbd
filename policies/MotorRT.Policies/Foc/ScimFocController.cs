using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.PI;
using MotorRT.Policies.Tuning;

namespace MotorRT.Policies.Foc;

/// <summary>
/// Indirect rotor-flux-oriented control of a squirrel-cage induction machine: a current-model flux observer in the
/// rotor-flux frame (<c>τ_r·dψ_r/dt = l_m·i_sd − ψ_r</c>, slip <c>ω_slip = l_m·i_sq/(τ_r·ψ_r)</c>, flux angle integrated
/// from ω_el + ω_slip), d/q current PIs on the transient inductance σ·l_s with decoupling
/// (<c>u_sd += −ω_s·σl_s·i_sq − l_m·r_r/l_r²·ψ_r</c>, <c>u_sq += ω_s·σl_s·i_sd + (l_m/l_r)·ω_el·ψ_r</c>), flux reference
/// reduced above base speed (field weakening: ψ_r* ≤ margin·u_max/|ω_s|), torque through
/// <c>T = 1.5·p·(l_m/l_r)·ψ_r·i_sq</c>, optional speed PI, SVM with hexagon over-modulation. Config types
/// <c>foc-current</c>/<c>foc-torque</c>/<c>foc-speed</c> on a SCIM; <c>Reference.CurrentD/Q</c> are rotor-flux-frame currents.
/// </summary>
public sealed class ScimFocController : FocControllerBase
{
    private readonly MotorParameters _m;
    private readonly double _period;
    private readonly double _lSigma, _lr, _tauR, _fluxFactor, _observerGain;
    private readonly double _fluxReference;
    private readonly double _currentLimit;
    private readonly double _advance;
    private readonly double _modulationLimit;
    private double _flux, _angle;

    private ScimFocController(MotorParameters motor, double period, ControlMode mode, CascadeOptions options, FocOptions foc, double? rotorFlux)
        : base(Checked(motor), period, mode, options, foc)
    {
        _m = motor;
        _period = period;
        MachineTuner.ScimConstants(motor, out _lSigma, out _);
        _lr = InductionEquations.RotorInductance(motor.MainInductance, motor.RotorLeakageInductance);
        _tauR = _lr / motor.RotorResistance;
        _fluxFactor = InductionEquations.TorqueFactor(motor.PolePairs, motor.MainInductance, _lr);
        _observerGain = 1.0 - Math.Exp(-period / _tauR);
        _currentLimit = options.CurrentLimit > 0 ? options.CurrentLimit : motor.Limits.Current;
        _fluxReference = rotorFlux ?? motor.MainInductance * 0.5 * _currentLimit;
        _advance = foc.AngleAdvancePeriods ?? options.DelayPeriods;
        _modulationLimit = foc.ModulationLimit;
        double idRated = _fluxReference / motor.MainInductance;
        double iqMax = Math.Sqrt(Math.Max(_currentLimit * _currentLimit - idRated * idRated, 0.0));
        SetTorqueLimit(options.TorqueLimit > 0 ? options.TorqueLimit : motor.Limits.Torque > 0 ? motor.Limits.Torque : _fluxFactor * _fluxReference * iqMax, period);
    }

    private static MotorParameters Checked(MotorParameters motor) =>
        motor.Type == MotorType.Scim ? motor : throw new ArgumentException("not a squirrel-cage induction machine", nameof(motor));

    /// <summary>Nominal rotor-flux reference, in V·s.</summary>
    public double RotorFluxReference => _fluxReference;

    /// <summary>Estimated rotor-flux magnitude, in V·s.</summary>
    public double EstimatedFlux => _flux;

    /// <summary>Estimated rotor-flux angle (electrical), in rad.</summary>
    public double EstimatedAngle => _angle;

    /// <summary>Creates the controller directly (tests, tools); <paramref name="rotorFlux"/> in V·s (default l_m·I_max/2).</summary>
    public static ScimFocController Create(MotorParameters motor, double period, ControlMode mode, CascadeOptions? options = null,
        FocOptions? foc = null, double? rotorFlux = null) =>
        new(motor, period, mode, options ?? new CascadeOptions { CurrentLimit = motor.Limits.Current }, foc ?? new FocOptions(), rotorFlux);

    /// <summary>Creates the controller from its validated section record found at <paramref name="scope"/>; extra key: <c>rotor_flux</c> (V·s).</summary>
    public static ScimFocController FromConfig(FocSection section, ConfigScope scope, MotorParameters motor, double period, ControlMode mode)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(motor);
        CascadeOptions options = CascadeOptions.From(section, scope, motor);
        FocOptions foc = FocOptions.From(section, scope, motor);
        double? flux = section.RotorFlux;
        if (flux is { } f && f / motor.MainInductance >= (options.CurrentLimit > 0 ? options.CurrentLimit : motor.Limits.Current))
        {
            throw scope.Error("rotor_flux", "the magnetising current ψ_r/l_m would exceed the current limit", "lower \"rotor_flux\"");
        }
        try
        {
            return new ScimFocController(motor, period, mode, options, foc, flux);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw scope.Error("type", $"cannot design the loops: {e.Message}", "check the motor parameters");
        }
    }

    /// <inheritdoc />
    public override void Reset()
    {
        _current.Reset();
        _speed.Reset();
        _flux = 0.0;
        _angle = 0.0;
        _started = false;
        Status = ControllerStatus.Ok;
    }

    /// <inheritdoc />
    public override void Compute(in MotorObservation observation, ref ConverterCommand command)
    {
        double udc = observation.DcLinkVoltage;
        double omegaEl = observation.ElectricalSpeed;
        if (!(udc > 0) || !double.IsFinite(udc) || !double.IsFinite(omegaEl)
            || !double.IsFinite(observation.CurrentAlpha) || !double.IsFinite(observation.CurrentBeta))
        {
            Status = ControllerStatus.OutOfDomain;
            return;
        }
        // αβ comes from the signal chain (Clarke once per tick); the rotor-flux frame is this controller's own.
        (double sin, double cos) = Math.SinCos(_angle);
        SpaceVector.Park(observation.CurrentAlpha, observation.CurrentBeta, sin, cos, out double id, out double iq);

        // Current-model observer (exact discretisation of the first-order flux lag), slip and flux angle.
        _flux += _observerGain * (_m.MainInductance * id - _flux);
        double fluxForSlip = Math.Max(_flux, 0.05 * _fluxReference);
        double omegaSlip = _m.MainInductance * iq / (_tauR * fluxForSlip);
        double omegaS = omegaEl + omegaSlip;

        bool limited = false;
        double uMax = udc * SpaceVectorModulator.LinearRadiusPerDcLink * _modulationLimit;
        double idRef, iqRef;
        if (Mode == ControlMode.Current)
        {
            idRef = observation.Reference.CurrentD;
            iqRef = observation.Reference.CurrentQ;
        }
        else
        {
            double fluxRef = _fluxReference;
            if (Foc.FieldWeakening && omegaS != 0.0)
            {
                double fluxMax = Foc.VoltageMargin * uMax / Math.Abs(omegaS);
                if (fluxRef > fluxMax) { fluxRef = fluxMax; limited = true; }
            }
            idRef = fluxRef / _m.MainInductance;
            double torque = TorqueDemand(observation, _fluxFactor * _flux * iq, ref limited);
            iqRef = torque / (_fluxFactor * fluxForSlip);
        }
        if (ClampToCurrentCircle(ref idRef, ref iqRef, _currentLimit))
        {
            limited = true;
            if (Mode == ControlMode.Speed) _speed.ApplyExternalLimit(_fluxFactor * fluxForSlip * iqRef);
        }
        CurrentReferenceD = idRef;
        CurrentReferenceQ = iqRef;

        double ffD = 0.0, ffQ = 0.0;
        if (Options.Decoupling)
        {
            ffD = -omegaS * _lSigma * iq - _m.MainInductance * _m.RotorResistance / (_lr * _lr) * _flux;
            ffQ = omegaS * _lSigma * id + _m.MainInductance / _lr * omegaEl * _flux;
        }
        double advanced = _angle + omegaS * _period * _advance;
        (double sinA, double cosA) = Math.SinCos(advanced);
        limited |= _current.Compute(idRef, id, ffD, iqRef, iq, ffQ, uMax, sinA, cosA, udc, ref command.Duty);
        // Report the applied voltage in the observation's rotor frame (encoder angle), not the flux frame.
        SpaceVector.InversePark(_current.VoltageD, _current.VoltageQ, sinA, cosA, out double ua, out double ub);
        SpaceVector.Park(ua, ub, observation.ElectricalAngle, out command.VoltageD, out command.VoltageQ);
        _angle = SpaceVector.WrapToPi(_angle + omegaS * _period);
        _started = true;
        Status = DutyOutput.Finish(ref command, 3, limited);
    }
}

using System.Runtime.CompilerServices;
using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.PI;
using MotorRT.Policies.Tuning;

namespace MotorRT.Policies.Cascades;

/// <summary>Which DC converter the armature channel drives (decides the duty range).</summary>
public enum DcConverterKind
{
    /// <summary>Four-quadrant: duty in [−1, 1], u = d·u_dc.</summary>
    FourQuadrant = 0,

    /// <summary>Two-quadrant (one half-bridge): duty in [0, 1], voltage only positive, current both ways.</summary>
    TwoQuadrant = 1,

    /// <summary>One-quadrant (buck): duty in [0, 1].</summary>
    OneQuadrant = 2,
}

/// <summary>
/// Cascaded PI control of the four DC machines (permanently excited, externally excited, series, shunt): an armature
/// current PI with EMF feed-forward; torque control through the machine's torque equation (including the series
/// machine's T = l_e'·i² and the shunt/externally excited machines' T = l_e'·i_e·i_a); an optional speed PI on top
/// (symmetric optimum, reference prefilter); for the externally excited machine an excitation current PI on the
/// second converter channel. Gains are designed from <see cref="MotorParameters"/> unless overridden.
/// </summary>
public sealed class DcCascadeController : IController, ICascadeController
{
    private const double MinimumFluxFraction = 0.05;

    private readonly MotorParameters _motor;
    private readonly double _dutyMin;
    private readonly bool _shuntLineCurrent;
    private readonly double _currentLimit;
    private readonly double _nominalExcitation;
    private PIController _current;
    private PIController _excitation;
    private PIController _speed;
    private ReferenceFilter _speedFilter;
    private bool _started;

    private DcCascadeController(MotorParameters motor, double period, ControlMode mode, CascadeOptions options, DcConverterKind converter,
        bool shuntLineCurrent, string name)
    {
        if (!motor.IsDc)
        {
            throw new ArgumentException($"{motor.Machine.Id} is not a DC machine", nameof(motor));
        }
        _motor = motor;
        Mode = mode;
        Options = options;
        Converter = converter;
        Name = name;
        _dutyMin = converter == DcConverterKind.FourQuadrant ? -1.0 : 0.0;
        _shuntLineCurrent = shuntLineCurrent;
        _currentLimit = options.CurrentLimit > 0 ? options.CurrentLimit : motor.Limits.Current;
        _nominalExcitation = options.ExcitationCurrent ?? (motor.Limits.ExcitationCurrent > 0 ? motor.Limits.ExcitationCurrent : 0.0);
        Design = MachineTuner.Design(motor, period, options, mode == ControlMode.Speed);

        PIGains cg = options.CurrentGains ?? new PIGains(Design.Current.Kp, Design.Current.Ki);
        _current = new PIController(cg.Kp, cg.Ki, period, -1.0, 1.0, options.AntiWindup);
        if (Design.Excitation is not null)
        {
            PIGains eg = options.ExcitationGains ?? new PIGains(Design.Excitation.Kp, Design.Excitation.Ki);
            _excitation = new PIController(eg.Kp, eg.Ki, period, -1.0, 1.0, options.AntiWindup);
        }
        TorqueLimit = options.TorqueLimit > 0 ? options.TorqueLimit : motor.Limits.Torque > 0 ? motor.Limits.Torque : DerivedTorqueLimit();
        if (Design.Speed is not null)
        {
            PIGains sg = options.SpeedGains ?? new PIGains(Design.Speed.Kp, Design.Speed.Ki);
            double torqueMin = motor.Type == MotorType.SeriesDc ? 0.0 : -TorqueLimit;
            _speed = new PIController(sg.Kp, sg.Ki, period, torqueMin, TorqueLimit, options.AntiWindup);
            _speedFilter = new ReferenceFilter(options.SpeedReferenceFilter ? sg.Kp / Math.Max(sg.Ki, 1e-300) : 0.0, period);
        }
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public ControllerStatus Status { get; private set; }

    /// <summary>What the controller follows.</summary>
    public ControlMode Mode { get; }

    /// <summary>The options it was built with.</summary>
    public CascadeOptions Options { get; }

    /// <summary>The armature converter kind.</summary>
    public DcConverterKind Converter { get; }

    /// <summary>The automatic design (gains, bandwidths, phase margins); overrides in <see cref="Options"/> take precedence.</summary>
    public CascadeDesign Design { get; }

    /// <summary>Torque limit applied to torque references and the speed loop's output, in N·m.</summary>
    public double TorqueLimit { get; }

    /// <summary>Armature current reference of the last tick, in A (telemetry/tests).</summary>
    public double CurrentReference { get; private set; }

    /// <summary>Torque reference of the last tick (torque and speed modes), in N·m.</summary>
    public double TorqueReference { get; private set; }

    /// <summary>Armature voltage requested in the last tick, in V.</summary>
    public double ArmatureVoltage { get; private set; }

    /// <summary>The armature current PI (read-only view for tests and telemetry).</summary>
    public PIController CurrentLoop => _current;

    /// <summary>The speed PI (read-only view).</summary>
    public PIController SpeedLoop => _speed;

    /// <summary>Creates the controller directly (tests, tools).</summary>
    public static DcCascadeController Create(MotorParameters motor, double period, ControlMode mode, CascadeOptions? options = null,
        DcConverterKind converter = DcConverterKind.FourQuadrant, bool shuntLineCurrent = true) =>
        new(motor, period, mode, options ?? new CascadeOptions { CurrentLimit = motor.Limits.Current }, converter, shuntLineCurrent,
            ControlModes.TypeName("pi-dc", mode));

    /// <summary>
    /// Creates the controller from its validated section record found at <paramref name="scope"/> (errors name the
    /// field): the shared <see cref="CascadeSection"/> keys plus <c>converter</c> and <c>shunt_current</c>.
    /// </summary>
    public static DcCascadeController FromConfig(DcCascadeSection section, ConfigScope scope, MotorParameters motor, double period, ControlMode mode)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(motor);
        if (!motor.IsDc)
        {
            throw scope.Error("type", $"a DC cascade cannot drive a {motor.Machine.Id}", "use a foc-* controller for three-phase machines");
        }
        CascadeOptions options = CascadeOptions.From(section, scope, motor);
        DcConverterKind kind = section.Converter switch
        {
            "2qc" => DcConverterKind.TwoQuadrant,
            "1qc" => DcConverterKind.OneQuadrant,
            _ => DcConverterKind.FourQuadrant,
        };
        if (motor.Type == MotorType.ExternallyExcitedDc && options.ExcitationCurrent is null && mode != ControlMode.Current && motor.Limits.ExcitationCurrent <= 0)
        {
            throw scope.Error("excitation_current", "the torque equation needs a nominal excitation current and the motor has no excitation limit",
                "add \"excitation_current\": <A>");
        }
        if (options.CurrentLimit <= 0)
        {
            throw scope.Error("current_limit", "the current limit must be positive", "set \"current_limit\" in A");
        }
        try
        {
            return new DcCascadeController(motor, period, mode, options, kind, section.ShuntCurrent == "line", ControlModes.TypeName("pi-dc", mode));
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw scope.Error("type", $"cannot design the loops: {e.Message}", "check the motor parameters (R, L, J must be positive)");
        }
    }

    /// <inheritdoc />
    public void Reset()
    {
        _current.Reset();
        _excitation.Reset();
        _speed.Reset();
        _speedFilter.Reset();
        _started = false;
        Status = ControllerStatus.Ok;
        CurrentReference = 0;
        TorqueReference = 0;
        ArmatureVoltage = 0;
    }

    /// <inheritdoc />
    public void Compute(in MotorObservation observation, ref ConverterCommand command)
    {
        double udc = observation.DcLinkVoltage;
        double omega = observation.MechanicalSpeed;
        double iLine = observation.CurrentA;
        double ie = observation.CurrentExcitation;
        if (!(udc > 0) || !double.IsFinite(udc) || !double.IsFinite(omega) || !double.IsFinite(iLine) || !double.IsFinite(ie))
        {
            Status = ControllerStatus.OutOfDomain;
            return;
        }
        MotorType type = _motor.Type;
        double ia = type == MotorType.ShuntDc && _shuntLineCurrent ? iLine - ie : iLine;
        bool limited = false;

        // Excitation reference (externally excited machine) and flux available for torque.
        double ieRef = Options.ExcitationCurrent ?? observation.Reference.CurrentExcitation;

        double iRef;
        if (Mode == ControlMode.Current)
        {
            iRef = observation.Reference.CurrentD;
        }
        else
        {
            double torque;
            if (Mode == ControlMode.Speed)
            {
                if (!_started)
                {
                    _speedFilter.Preset(omega);
                    if (Options.BumplessEnable)
                    {
                        _speed.InitializeBumpless(TorqueOf(ia, ie), omega, omega, 0.0);
                    }
                }
                double speedRef = _speedFilter.Update(observation.Reference.Speed);
                torque = _speed.Update(speedRef, omega);
                limited |= _speed.Saturated;
            }
            else
            {
                torque = Math.Clamp(observation.Reference.Torque, type == MotorType.SeriesDc ? 0.0 : -TorqueLimit, TorqueLimit);
                limited |= torque != observation.Reference.Torque;
            }
            if (type == MotorType.ShuntDc && torque * (1.0 - _motor.MutualInductance * omega / _motor.ExcitationResistance) < 0.0)
            {
                // A shunt machine feeds its field from the armature voltage: in steady state T ∝ u²·(1 − l_e'·ω/r_e), so
                // below ω = r_e/l_e' it cannot brake (nor drive above it). Asking for that torque sign only drives the
                // loop into a limit cycle that holds a wrong-signed torque; coast instead (i_a → 0 makes u → 0) and
                // hold the speed PI at the zero torque it gets.
                torque = 0.0;
                limited = true;
                if (Mode == ControlMode.Speed)
                {
                    _speed.ApplyExternalLimit(0.0);
                }
            }
            TorqueReference = torque;
            iRef = CurrentForTorque(torque, ie, ieRef);
        }
        double iMin = type == MotorType.SeriesDc && Mode != ControlMode.Current ? 0.0 : -_currentLimit;
        double iClamped = Math.Clamp(iRef, iMin, _currentLimit);
        if (iClamped != iRef)
        {
            limited = true;
            if (Mode == ControlMode.Speed)
            {
                _speed.ApplyExternalLimit(TorqueOf(iClamped, ie));
            }
        }
        iRef = iClamped;
        CurrentReference = iRef;

        double emf = 0.0;
        if (Options.Decoupling)
        {
            emf = type switch
            {
                MotorType.PermanentlyExcitedDc => PermExDcEquations.BackEmf(_motor.ExcitationFlux, omega),
                MotorType.SeriesDc => WoundDcEquations.BackEmf(_motor.MutualInductance, omega, ia),
                _ => WoundDcEquations.BackEmf(_motor.MutualInductance, omega, ie),
            };
        }
        _current.OutputMax = udc;
        _current.OutputMin = _dutyMin * udc;
        if (!_started && Options.BumplessEnable && observation.LastVoltageD != 0.0)
        {
            _current.InitializeBumpless(observation.LastVoltageD, ia, ia, emf); // integrator from the state (zero error), as FOC
        }
        double ua = _current.Update(iRef, ia, emf);
        limited |= _current.Saturated;
        if (Mode == ControlMode.Speed && _current.Saturated && (iRef - ia) * (ua - _current.UnlimitedOutput) < 0)
        {
            // Cascade anti-windup: the voltage limit keeps the current from following its reference, so the torque the
            // speed PI asked for is not being produced; condition the speed PI on the torque that is (measured current).
            _speed.ApplyExternalLimit(TorqueOf(ia, ie));
        }
        ArmatureVoltage = ua;
        command.Duty[0] = ua / udc;
        command.VoltageD = ua;

        if (type == MotorType.ExternallyExcitedDc)
        {
            _excitation.OutputMax = udc;
            _excitation.OutputMin = _dutyMin * udc;
            double ue = _excitation.Update(ieRef, ie, Options.Decoupling ? _motor.ExcitationResistance * ieRef : 0.0);
            limited |= _excitation.Saturated;
            command.Duty[1] = ue / udc;
        }
        _started = true;

        Status = DutyOutput.Finish(ref command, 2, limited);
    }

    /// <summary>Torque of the machine at armature current <paramref name="ia"/> and excitation current <paramref name="ie"/> (A), in N·m.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double TorqueOf(double ia, double ie) => _motor.Type switch
    {
        MotorType.PermanentlyExcitedDc => PermExDcEquations.Torque(_motor.ExcitationFlux, ia),
        MotorType.SeriesDc => WoundDcEquations.Torque(_motor.MutualInductance, ia, ia),
        _ => WoundDcEquations.Torque(_motor.MutualInductance, ia, ie),
    };

    /// <summary>
    /// Armature current for torque <paramref name="torque"/> (N·m) from the torque equation: ψ_e-machine i = T/ψ_e;
    /// series i = √(T/l_e') (T ≥ 0: the series machine cannot reverse torque by current); wound field
    /// i_a = T/(l_e'·i_e) with i_e the measured excitation current, floored at 5 % of the nominal excitation so a
    /// collapsing field cannot demand unbounded armature current.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double CurrentForTorque(double torque, double ie, double ieReference)
    {
        switch (_motor.Type)
        {
            case MotorType.PermanentlyExcitedDc:
                return torque / _motor.ExcitationFlux;
            case MotorType.SeriesDc:
                return torque > 0 ? Math.Sqrt(torque / _motor.MutualInductance) : 0.0;
            default:
                double nominal = _nominalExcitation > 0 ? _nominalExcitation : Math.Abs(ieReference);
                double floor = MinimumFluxFraction * nominal;
                double field = Math.Abs(ie) > floor ? ie : (floor > 0 ? floor : 1e-3);
                return torque / (_motor.MutualInductance * field);
        }
    }

    private double DerivedTorqueLimit() => _motor.Type switch
    {
        MotorType.PermanentlyExcitedDc => PermExDcEquations.Torque(_motor.ExcitationFlux, _currentLimit),
        MotorType.SeriesDc => WoundDcEquations.Torque(_motor.MutualInductance, _currentLimit, _currentLimit),
        _ => WoundDcEquations.Torque(_motor.MutualInductance, _currentLimit, Math.Max(_nominalExcitation, 1e-3)),
    };
}

using MotorRT.Contracts;
using MotorRT.Contracts.Machines;

namespace MotorRT.HilTests;

/// <summary>
/// Controller-design plant for the cascaded-PI closed-loop suites: GEM 3.0.2's motor equations (MODELS.md), continuous
/// 4QC / multi / B6 converters without interlocking (u = d·u_sup; B6 u_x = d_x·u_sup/2, u_dq from the start-of-step
/// angle, held over the step, as GEM does), constant-speed or polynomial static load (GEM's linear ramp near ω = 0),
/// classic RK4 with sub-steps. It stands in for <c>MotorRT.Sim.PhysicalSystem</c> until the twin lands on main; the
/// suites talk to it only through <see cref="IPiPlant"/>, so switching to the twin is one adapter.
/// </summary>
public sealed class PiPlantModel : IPiPlant
{
    private readonly MotorParameters _m;
    private readonly double[] _x = new double[6];  // DC: i_a(or i), i_e, ω ; sync AC: i_d, i_q, ε, ω, i_e ; SCIM: i_α, i_β, ψ_rα, ψ_rβ, ε, ω
    private readonly double[] _k1 = new double[6], _k2 = new double[6], _k3 = new double[6], _k4 = new double[6], _tmp = new double[6];
    private readonly int _w; // index of ω
    private readonly int _substeps;
    private double _ud, _uq, _ue;
    private double _mechanicalAngle;

    /// <summary>Creates the plant; <paramref name="constantSpeed"/> non-null holds ω there (GEM ConstantSpeedLoad).</summary>
    public PiPlantModel(MotorParameters motor, double supplyVoltage, double tau, double? constantSpeed, double loadA = 0, double loadB = 0,
        double loadC = 0, double loadInertia = 0, int substeps = 10)
    {
        _m = motor;
        SupplyVoltage = supplyVoltage;
        Tau = tau;
        ConstantSpeed = constantSpeed;
        LoadA = loadA;
        LoadB = loadB;
        LoadC = loadC;
        TotalInertia = motor.RotorInertia + loadInertia;
        _substeps = substeps;
        _w = motor.IsDc ? 2 : motor.Type == MotorType.Scim ? 5 : 3;
        Reset();
    }

    /// <inheritdoc />
    public MotorParameters Motor => _m;

    /// <inheritdoc />
    public double Tau { get; }

    /// <summary>Supply voltage, V.</summary>
    public double SupplyVoltage { get; }

    /// <summary>Fixed speed (rad/s) or null for the polynomial load.</summary>
    public double? ConstantSpeed { get; }

    /// <summary>Polynomial load coefficients (N·m, N·m·s/rad, N·m·s²/rad²).</summary>
    public double LoadA { get; }

    /// <summary>Linear coefficient b, N·m·s/rad.</summary>
    public double LoadB { get; }

    /// <summary>Quadratic coefficient c, N·m·s²/rad².</summary>
    public double LoadC { get; }

    /// <summary>Rotor + load inertia, kg·m².</summary>
    public double TotalInertia { get; }

    /// <inheritdoc />
    public double LoadScale { get; set; } = 1.0;

    /// <inheritdoc />
    public long StepCount { get; private set; }

    private bool IsAc => !_m.IsDc;

    /// <inheritdoc />
    public void Reset()
    {
        Array.Clear(_x);
        if (ConstantSpeed is { } w) _x[_w] = w;
        _ud = _uq = _ue = 0;
        _mechanicalAngle = 0;
        StepCount = 0;
        LoadScale = 1.0;
    }

    /// <inheritdoc />
    public double Omega => _x[_w];

    /// <inheritdoc />
    public double Torque => TorqueOf(_x);

    /// <inheritdoc />
    public void Step(in ConverterCommand command)
    {
        double u = SupplyVoltage;
        if (_m.IsDc)
        {
            _ud = Math.Clamp(command.Duty[0], -1, 1) * u;
            _ue = _m.Type == MotorType.ShuntDc ? _ud : Math.Clamp(command.Duty[1], -1, 1) * u;
        }
        else
        {
            double ua = Math.Clamp(command.Duty[0], -1, 1) * u / 2, ub = Math.Clamp(command.Duty[1], -1, 1) * u / 2, uc = Math.Clamp(command.Duty[2], -1, 1) * u / 2;
            if (_m.Type == MotorType.Scim)
            {
                SpaceVector.Clarke(ua, ub, uc, out _ud, out _uq); // α/β voltages for the stationary-frame model
            }
            else
            {
                SpaceVector.AbcToDq(ua, ub, uc, _x[2], out _ud, out _uq);
            }
            _ue = Math.Clamp(command.Duty[3], -1, 1) * u;
        }
        double h = Tau / _substeps;
        for (int s = 0; s < _substeps; s++)
        {
            Derivative(_x, _k1);
            Combine(_x, _k1, 0.5 * h, _tmp); Derivative(_tmp, _k2);
            Combine(_x, _k2, 0.5 * h, _tmp); Derivative(_tmp, _k3);
            Combine(_x, _k3, h, _tmp); Derivative(_tmp, _k4);
            for (int i = 0; i < 6; i++) _x[i] += h / 6 * (_k1[i] + 2 * _k2[i] + 2 * _k3[i] + _k4[i]);
            _mechanicalAngle += h * Omega;
        }
        StepCount++;
    }

    private static void Combine(double[] x, double[] k, double h, double[] into)
    {
        for (int i = 0; i < 6; i++) into[i] = x[i] + h * k[i];
    }

    private double TorqueOf(double[] x) => _m.Type switch
    {
        MotorType.PermanentlyExcitedDc => _m.ExcitationFlux * x[0],
        MotorType.SeriesDc => _m.MutualInductance * x[0] * x[0],
        MotorType.ExternallyExcitedDc or MotorType.ShuntDc => _m.MutualInductance * x[0] * x[1],
        MotorType.Scim => 1.5 * _m.PolePairs * _m.MainInductance / (_m.MainInductance + _m.RotorLeakageInductance) * (x[2] * x[1] - x[3] * x[0]),
        _ => 1.5 * _m.PolePairs * (Psi(x) + (_m.InductanceD - _m.InductanceQ) * x[0]) * x[1],
    };

    private double Psi(double[] x) => _m.Type switch
    {
        MotorType.Pmsm => _m.PermanentMagnetFlux,
        MotorType.Eesm => _m.MainInductance * x[4],
        _ => 0.0,
    };

    private void Derivative(double[] x, double[] dx)
    {
        Array.Clear(dx);
        double w;
        switch (_m.Type)
        {
            case MotorType.PermanentlyExcitedDc:
                w = x[2];
                dx[0] = (_ud - _m.ArmatureResistance * x[0] - _m.ExcitationFlux * w) / _m.ArmatureInductance;
                break;
            case MotorType.SeriesDc:
                w = x[2];
                dx[0] = (_ud - (_m.ArmatureResistance + _m.ExcitationResistance) * x[0] - _m.MutualInductance * w * x[0])
                        / (_m.ArmatureInductance + _m.ExcitationInductance);
                break;
            case MotorType.ExternallyExcitedDc:
            case MotorType.ShuntDc:
                w = x[2];
                dx[0] = (_ud - _m.ArmatureResistance * x[0] - _m.MutualInductance * w * x[1]) / _m.ArmatureInductance;
                dx[1] = (_ue - _m.ExcitationResistance * x[1]) / _m.ExcitationInductance;
                break;
            case MotorType.Scim:
            {
                w = x[5];
                double wel = _m.PolePairs * w;
                double lm = _m.MainInductance, ls = lm + _m.StatorLeakageInductance, lr = lm + _m.RotorLeakageInductance;
                double sigma = 1 - lm * lm / (ls * lr), tauR = lr / _m.RotorResistance;
                double rSig = _m.StatorResistance + _m.RotorResistance * lm * lm / (lr * lr);
                dx[0] = (_ud - rSig * x[0] + lm * _m.RotorResistance / (lr * lr) * x[2] + lm / lr * wel * x[3]) / (sigma * ls);
                dx[1] = (_uq - rSig * x[1] + lm * _m.RotorResistance / (lr * lr) * x[3] - lm / lr * wel * x[2]) / (sigma * ls);
                dx[2] = lm / tauR * x[0] - x[2] / tauR - wel * x[3];
                dx[3] = lm / tauR * x[1] - x[3] / tauR + wel * x[2];
                dx[4] = wel;
                break;
            }
            default:
                w = x[3];
                double we = _m.PolePairs * w;
                double psi = Psi(x);
                dx[0] = (_ud - _m.StatorResistance * x[0] + we * _m.InductanceQ * x[1]) / _m.InductanceD;
                dx[1] = (_uq - _m.StatorResistance * x[1] - we * _m.InductanceD * x[0] - we * psi) / _m.InductanceQ;
                dx[2] = we;
                if (_m.Type == MotorType.Eesm) dx[4] = (_ue - _m.ExcitationResistance * x[4]) / _m.ExcitationInductance;
                break;
        }
        if (ConstantSpeed is null)
        {
            const double tauD = 1e-3;
            double wLim = LoadA * tauD / TotalInertia;
            double a = Math.Abs(w) > wLim ? Math.Sign(w) * LoadA : TotalInertia / tauD * w;
            double load = LoadScale * (Math.Sign(w) * LoadC * w * w + LoadB * w + a);
            dx[_w] = (TorqueOf(x) - load) / TotalInertia;
        }
    }

    /// <inheritdoc />
    public void Observe(ref MotorObservation obs)
    {
        obs.Tick = StepCount;
        obs.Time = StepCount * Tau;
        obs.Period = Tau;
        obs.DcLinkVoltage = SupplyVoltage;
        obs.MechanicalSpeed = Omega;
        obs.MechanicalAngle = SpaceVector.WrapToTwoPi(_mechanicalAngle);
        if (_m.IsDc)
        {
            // The contract: CurrentA is the armature current, for series and shunt machines the line current.
            obs.CurrentA = _m.Type == MotorType.ShuntDc ? _x[0] + _x[1] : _x[0];
            obs.CurrentExcitation = _m.Type is MotorType.ExternallyExcitedDc or MotorType.ShuntDc ? _x[1] : 0.0;
            obs.LastVoltageD = _ud;
        }
        else if (_m.Type == MotorType.Scim)
        {
            obs.ElectricalAngle = SpaceVector.WrapToPi(_x[4]);
            obs.ElectricalSpeed = _m.PolePairs * Omega;
            SpaceVector.InverseClarke(_x[0], _x[1], out obs.CurrentA, out obs.CurrentB, out obs.CurrentC);
            obs.CurrentAlpha = _x[0];
            obs.CurrentBeta = _x[1];
            obs.LastVoltageD = 0; // stationary-frame voltages are not dq; no bumpless start from them
            obs.LastVoltageQ = 0;
        }
        else
        {
            double eps = _x[2];
            obs.ElectricalAngle = SpaceVector.WrapToPi(eps);
            obs.ElectricalSpeed = _m.PolePairs * Omega;
            SpaceVector.DqToAbc(_x[0], _x[1], eps, out obs.CurrentA, out obs.CurrentB, out obs.CurrentC);
            SpaceVector.Clarke(obs.CurrentA, obs.CurrentB, obs.CurrentC, out obs.CurrentAlpha, out obs.CurrentBeta);
            obs.CurrentD = _x[0];
            obs.CurrentQ = _x[1];
            obs.CurrentExcitation = _x[4];
            obs.LastVoltageD = _ud;
            obs.LastVoltageQ = _uq;
        }
    }

    /// <inheritdoc />
    public double ArmatureOrDCurrent => _m.Type == MotorType.Scim ? FluxFrame(true) : _x[0];

    /// <inheritdoc />
    public double QCurrent => _m.Type == MotorType.Scim ? FluxFrame(false) : IsAc ? _x[1] : 0.0;

    /// <inheritdoc />
    public double ExcitationCurrent => _m.Type == MotorType.Scim ? 0.0 : IsAc ? _x[4] : _x[1];

    /// <summary>Rotor-flux magnitude of a SCIM, V·s.</summary>
    public double RotorFlux => Math.Sqrt(_x[2] * _x[2] + _x[3] * _x[3]);

    private double FluxFrame(bool d)
    {
        double angle = Math.Atan2(_x[3], _x[2]);
        SpaceVector.Park(_x[0], _x[1], angle, out double id, out double iq);
        return d ? id : iq;
    }
}

/// <summary>What the cascaded-PI closed-loop suites need of a plant (the model above, later the sim's PhysicalSystem).</summary>
public interface IPiPlant
{
    /// <summary>Motor parameters.</summary>
    MotorParameters Motor { get; }

    /// <summary>Step time, s.</summary>
    double Tau { get; }

    /// <summary>Steps since reset.</summary>
    long StepCount { get; }

    /// <summary>Multiplies the load torque (load steps; 1 = nominal), as the twin's PlantDisturbances.LoadTorqueScale.</summary>
    double LoadScale { get; set; }

    /// <summary>Mechanical speed, rad/s.</summary>
    double Omega { get; }

    /// <summary>Air-gap torque, N·m.</summary>
    double Torque { get; }

    /// <summary>DC armature (series: the series) current or AC d current, A.</summary>
    double ArmatureOrDCurrent { get; }

    /// <summary>AC q current, A.</summary>
    double QCurrent { get; }

    /// <summary>Excitation current, A.</summary>
    double ExcitationCurrent { get; }

    /// <summary>Back to the initial state.</summary>
    void Reset();

    /// <summary>Applies the command over one step.</summary>
    void Step(in ConverterCommand command);

    /// <summary>Fills the measured part of an observation (exact sensors).</summary>
    void Observe(ref MotorObservation observation);
}

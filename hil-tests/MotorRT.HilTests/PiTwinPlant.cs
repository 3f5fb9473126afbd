using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Sim;
using MotorRT.Sim.Spec;

namespace MotorRT.HilTests;

/// <summary>
/// The sim's GEM-exact twin (<see cref="PhysicalSystem"/>) behind <see cref="IPiPlant"/>: the cascaded-PI suites run on
/// it unchanged. Observations are built from the typed <see cref="PlantOutputs"/> (exact sensors; phase currents and
/// ε at the end of the step, consistent with each other); the duty channels are copied into GEM's action layout
/// (DC: armature[, excitation]; B6: a, b, c[, EESM excitation]).
/// </summary>
public sealed class PiTwinPlant : IPiPlant
{
    private readonly PhysicalSystem _ps;
    private readonly double[] _action;

    /// <summary>Wraps a twin built from <paramref name="spec"/>.</summary>
    public PiTwinPlant(PlantSpec spec)
    {
        _ps = PhysicalSystem.Create(spec);
        _action = new double[_ps.ActionCount];
        Reset();
    }

    /// <summary>Builds a twin for <paramref name="m"/> with GEM's default converter for the machine, an ideal supply, RK4.</summary>
    public static PiTwinPlant For(MotorParameters m, double supply, LoadSpec load, double tau = 1e-4)
    {
        ConverterSpec converter = m.Type switch
        {
            MotorType.ExternallyExcitedDc => new ConverterSpec { Kind = ConverterKind.ContMulti, SubConverters = [ConverterKind.ContFourQuadrant, ConverterKind.ContFourQuadrant] },
            MotorType.Eesm => new ConverterSpec { Kind = ConverterKind.ContMulti, SubConverters = [ConverterKind.ContB6Bridge, ConverterKind.ContFourQuadrant] },
            _ when m.IsDc => new ConverterSpec { Kind = ConverterKind.ContFourQuadrant },
            _ => new ConverterSpec { Kind = ConverterKind.ContB6Bridge },
        };
        return new PiTwinPlant(new PlantSpec
        {
            Motor = m, Converter = converter, Supply = new SupplySpec { NominalVoltage = supply }, Load = load, Tau = tau, Solver = SolverSpec.Rk4,
        });
    }

    /// <summary>The wrapped twin.</summary>
    public PhysicalSystem System => _ps;

    /// <inheritdoc />
    public MotorParameters Motor => _ps.Motor;

    /// <inheritdoc />
    public double Tau => _ps.Tau;

    /// <inheritdoc />
    public long StepCount => _ps.StepCount;

    /// <inheritdoc />
    public double LoadScale
    {
        get => _ps.Disturbances.LoadTorqueScale;
        set => _ps.Disturbances.LoadTorqueScale = value;
    }

    /// <inheritdoc />
    public double Omega => _ps.Outputs.Omega;

    /// <inheritdoc />
    public double Torque => _ps.Outputs.Torque;

    /// <inheritdoc />
    public double ArmatureOrDCurrent => _ps.Motor.IsDc
        ? (_ps.Motor.Type == MotorType.ShuntDc ? _ps.Outputs.CurrentA - _ps.Outputs.CurrentExcitation : _ps.Outputs.CurrentA)
        : _ps.Outputs.CurrentD;

    /// <inheritdoc />
    public double QCurrent => _ps.Motor.IsDc ? 0.0 : _ps.Outputs.CurrentQ;

    /// <inheritdoc />
    public double ExcitationCurrent => _ps.Outputs.CurrentExcitation;

    /// <inheritdoc />
    public void Reset() => _ps.Reset();

    /// <inheritdoc />
    public void Step(in ConverterCommand command)
    {
        for (int i = 0; i < _action.Length; i++)
        {
            _action[i] = command.BridgeEnable ? Math.Clamp(command.Duty[i], -1.0, 1.0) : 0.0;
        }
        _ps.Step(_action);
    }

    /// <inheritdoc />
    public void Observe(ref MotorObservation obs)
    {
        ref readonly PlantOutputs o = ref _ps.Outputs;
        obs.Tick = _ps.StepCount;
        obs.Time = _ps.Time;
        obs.Period = _ps.Tau;
        obs.DcLinkVoltage = o.SupplyVoltage;
        obs.MechanicalSpeed = o.Omega;
        obs.MechanicalAngle = SpaceVector.WrapToTwoPi(o.MechanicalAngle);
        obs.CurrentA = o.CurrentA;
        obs.CurrentExcitation = o.CurrentExcitation;
        if (_ps.Motor.IsDc)
        {
            obs.LastVoltageD = o.VoltageA;
            return;
        }
        obs.CurrentB = o.CurrentB;
        obs.CurrentC = o.CurrentC;
        obs.ElectricalAngle = o.Epsilon;
        obs.ElectricalSpeed = _ps.Motor.PolePairs * o.Omega;
        SpaceVector.Clarke(o.CurrentA, o.CurrentB, o.CurrentC, out obs.CurrentAlpha, out obs.CurrentBeta);
        obs.CurrentD = o.CurrentD;
        obs.CurrentQ = o.CurrentQ;
        bool scim = _ps.Motor.Type == MotorType.Scim;
        obs.LastVoltageD = scim ? 0.0 : o.VoltageD;
        obs.LastVoltageQ = scim ? 0.0 : o.VoltageQ;
    }
}

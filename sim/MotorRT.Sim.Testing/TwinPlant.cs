using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Sim.Presets;
using MotorRT.Sim.Spec;

namespace MotorRT.Sim.Testing;

/// <summary>
/// The twin (<see cref="PhysicalSystem"/>) as a test plant: observations built from the typed <see cref="PlantOutputs"/>
/// (ideal sensors: phase currents and ε at the end of the step, consistent with each other), duty channels copied into
/// GEM's action layout (DC: armature[, excitation]; B6: a, b, c[, EESM excitation]) and clipped to [−1, 1] as GEM's
/// continuous converters do. The idealised plant of a test is this twin configured so (constant-speed load, no noise,
/// <see cref="ClosedLoop"/> with delay 0) — never a hand-written model.
/// </summary>
public sealed class TwinPlant
{
    private readonly PhysicalSystem _ps;
    private readonly double[] _action;

    /// <summary>Wraps a twin built from <paramref name="spec"/>.</summary>
    public TwinPlant(PlantSpec spec)
    {
        _ps = PhysicalSystem.Create(spec);
        _action = new double[_ps.ActionCount];
        Reset();
    }

    /// <summary>The twin of GEM preset <paramref name="preset"/> (e.g. Cont-CC-PMSM-v0), optionally with another load.</summary>
    public static TwinPlant FromPreset(string preset, LoadSpec? load = null)
    {
        PlantSpec spec = GemPresets.Get(preset);
        return new TwinPlant(load is null ? spec : spec with { Load = load });
    }

    /// <summary>Twin of <paramref name="m"/> with GEM's default converter for the machine, an ideal supply (V) and RK4.</summary>
    public static TwinPlant For(MotorParameters m, double supply, LoadSpec load, double tau = 1e-4) => new(SpecFor(m, supply, load, tau));

    /// <summary>
    /// The plant of <paramref name="m"/> with GEM's default converter for the machine (DC: 4QC, ExtEx: two 4QC, EESM:
    /// B6 + 4QC, else B6), an ideal supply of <paramref name="supply"/> V, <paramref name="load"/>, step τ in s and RK4.
    /// </summary>
    public static PlantSpec SpecFor(MotorParameters m, double supply, LoadSpec load, double tau = 1e-4)
    {
        ConverterSpec converter = m.Type switch
        {
            MotorType.ExternallyExcitedDc => new ConverterSpec { Kind = ConverterKind.ContMulti, SubConverters = [ConverterKind.ContFourQuadrant, ConverterKind.ContFourQuadrant] },
            MotorType.Eesm => new ConverterSpec { Kind = ConverterKind.ContMulti, SubConverters = [ConverterKind.ContB6Bridge, ConverterKind.ContFourQuadrant] },
            _ when m.IsDc => new ConverterSpec { Kind = ConverterKind.ContFourQuadrant },
            _ => new ConverterSpec { Kind = ConverterKind.ContB6Bridge },
        };
        return new PlantSpec
        {
            Motor = m, Converter = converter, Supply = new SupplySpec { NominalVoltage = supply }, Load = load, Tau = tau, Solver = SolverSpec.Rk4,
        };
    }

    /// <summary>Twin of <paramref name="m"/> on GEM's ConstantSpeedLoad at <paramref name="omega"/> (rad/s, mechanical); supply in V.</summary>
    public static TwinPlant ConstantSpeed(MotorParameters m, double supply, double omega) =>
        For(m, supply, new ConstantSpeedLoadSpec { Omega = omega });

    /// <summary>
    /// Twin of <paramref name="m"/> on GEM's PolynomialStaticLoad: a (N·m), b (N·m·s/rad), c (N·m·s²/rad²), load inertia
    /// <paramref name="j"/> (kg·m²); supply in V.
    /// </summary>
    public static TwinPlant PolyLoad(MotorParameters m, double supply, double a, double b, double c, double j) =>
        For(m, supply, new PolynomialLoadSpec { A = a, B = b, C = c, LoadInertia = j });

    /// <summary>The wrapped twin.</summary>
    public PhysicalSystem System => _ps;

    /// <summary>Motor parameters.</summary>
    public MotorParameters Motor => _ps.Motor;

    /// <summary>Step time, s.</summary>
    public double Tau => _ps.Tau;

    /// <summary>Steps since reset.</summary>
    public long StepCount => _ps.StepCount;

    /// <summary>Multiplies the load torque (load steps; 1 = nominal), dimensionless.</summary>
    public double LoadScale
    {
        get => _ps.Disturbances.LoadTorqueScale;
        set => _ps.Disturbances.LoadTorqueScale = value;
    }

    /// <summary>Mechanical speed, rad/s.</summary>
    public double Omega => _ps.Outputs.Omega;

    /// <summary>Air-gap torque, N·m.</summary>
    public double Torque => _ps.Outputs.Torque;

    /// <summary>DC: armature current (shunt: i_a, not the line current); AC: d current; in A.</summary>
    public double ArmatureOrDCurrent => _ps.Motor.IsDc
        ? (_ps.Motor.Type == MotorType.ShuntDc ? _ps.Outputs.CurrentA - _ps.Outputs.CurrentExcitation : _ps.Outputs.CurrentA)
        : _ps.Outputs.CurrentD;

    /// <summary>AC q current (0 for DC machines), A.</summary>
    public double QCurrent => _ps.Motor.IsDc ? 0.0 : _ps.Outputs.CurrentQ;

    /// <summary>Excitation current, A.</summary>
    public double ExcitationCurrent => _ps.Outputs.CurrentExcitation;

    /// <summary>Back to the initial state.</summary>
    public void Reset() => _ps.Reset();

    /// <summary>Applies <paramref name="command"/> (duty cycles, clipped to [−1, 1]; bridge off = 0) over one step.</summary>
    public void Step(in ConverterCommand command)
    {
        for (int i = 0; i < _action.Length; i++)
        {
            _action[i] = command.BridgeEnable ? Math.Clamp(command.Duty[i], -1.0, 1.0) : 0.0;
        }
        _ps.Step(_action);
    }

    /// <summary>Fills the measured part of <paramref name="obs"/> from the twin's state (ideal sensors; references untouched).</summary>
    public void Observe(ref MotorObservation obs) => _ps.Observe(ref obs);
}

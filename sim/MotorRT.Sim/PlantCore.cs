using System.Runtime.CompilerServices;
using MotorRT.Sim.Loads;
using MotorRT.Sim.Motors;
using MotorRT.Sim.Solvers;
using MotorRT.Sim.Spec;

namespace MotorRT.Sim;

/// <summary>The machine-and-load specific part of a plant; one virtual call per interval, none per RHS evaluation.</summary>
internal abstract class PlantCore
{
    public Vec8 Y;
    public Vec4 U;
    public double FrameAngle;
    public int OpenPhase = -1;
    public bool Locked;
    public double LoadScale = 1.0;

    public abstract string[] StateNames { get; }
    public abstract int ChannelCount { get; }
    public abstract bool ImposesSpeed { get; }
    public abstract void ResetState();
    public abstract void ChannelCurrents(ref Vec6 iIn);
    public abstract void SetInputs(in Vec6 uIn);
    public abstract void Integrate(double t0, double t1);
    public abstract double Torque();
    public abstract void ConstrainState();
    public abstract void Report(in Vec6 uIn, double supplyVoltage, Span<double> state, ref PlantOutputs o);
    public abstract void ReportReset(in Vec6 uIn, double supplyVoltage, Span<double> state, ref PlantOutputs o);
    public abstract int Evaluations { get; }
    public abstract void ReleaseLock();
}

/// <summary>The right-hand side of plant (motor + load) as one struct, so the solvers inline it.</summary>
internal struct PlantOde<TM, TL> : IOdeSystem where TM : struct, IMotorModel where TL : struct, ILoadModel
{
    public TM Motor;
    public TL Load;
    public Vec4 U;
    public int OpenPhase;
    public bool Locked;
    public double LoadScale;

    // A constant per motor type: the JIT folds it, so the solvers' per-state loops have a known trip count (unrolled, no bounds checks).
    public readonly int Dimension => 2 + Motor.StateCount;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Derivatives(double t, in Vec8 y, ref Vec8 dy)
    {
        Motor.Derivatives(in y, in U, ref dy);
        if (OpenPhase >= 0) Motor.ConstrainDerivatives(OpenPhase, in y, ref dy);
        // Speed-imposing loads ignore the torque: the JIT folds ImposesSpeed per load type and skips the torque.
        dy[0] = Locked ? 0.0 : Load.Derivative(t, y[0], Load.ImposesSpeed ? 0.0 : Motor.Torque(in y), LoadScale);
        dy[1] = y[0];
    }
}

internal sealed class Plant<TM, TL> : PlantCore where TM : struct, IMotorModel where TL : struct, ILoadModel
{
    private PlantOde<TM, TL> _ode;
    private readonly SolverKind _solver;
    private readonly int _substeps;
    private readonly double _rtol, _atol;
    private double _stepHint;
    private int _evals;

    public Plant(TM motor, TL load, SolverSpec solver)
    {
        _ode.Motor = motor;
        _ode.Load = load;
        _ode.LoadScale = 1.0;
        _ode.OpenPhase = -1;
        _solver = solver.Kind;
        _substeps = Math.Max(1, solver.Substeps);
        _rtol = solver.RelativeTolerance;
        _atol = solver.AbsoluteTolerance;
    }

    public override string[] StateNames => _ode.Motor.StateNames;
    public override int ChannelCount => _ode.Motor.ChannelCount;
    public override bool ImposesSpeed => _ode.Load.ImposesSpeed;
    public override int Evaluations => _evals;

    public override void ResetState()
    {
        Y = default;
        Y[0] = _ode.Load.InitialSpeed;
        _stepHint = 0;
        _evals = 0;
    }

    public override void ChannelCurrents(ref Vec6 iIn) => _ode.Motor.ChannelCurrents(in Y, ref iIn);

    public override void SetInputs(in Vec6 uIn) => FrameAngle = _ode.Motor.Inputs(in Y, in uIn, ref U);

    public override void Integrate(double t0, double t1)
    {
        _ode.U = U;
        _ode.OpenPhase = OpenPhase;
        _ode.Locked = Locked;
        _ode.LoadScale = LoadScale;
        switch (_solver)
        {
            case SolverKind.Rk4: OdeSolvers.Rk4(ref _ode, ref Y, t0, t1, _substeps); _evals += 4 * _substeps; break;
            case SolverKind.Euler: OdeSolvers.Euler(ref _ode, ref Y, t0, t1, _substeps); _evals += _substeps; break;
            default: _evals += OdeSolvers.DormandPrince(ref _ode, ref Y, t0, t1, _rtol, _atol, ref _stepHint); break;
        }
    }

    public override double Torque() => _ode.Motor.Torque(in Y);

    public override void ReleaseLock()
    {
        if (typeof(TL) == typeof(ConstantSpeedLoad)) Y[0] = _ode.Load.InitialSpeed;
    }

    public override void ConstrainState()
    {
        if (OpenPhase >= 0) _ode.Motor.ConstrainState(OpenPhase, ref Y);
    }

    public override void Report(in Vec6 uIn, double supplyVoltage, Span<double> state, ref PlantOutputs o) =>
        _ode.Motor.Report(in Y, in uIn, in U, FrameAngle, _ode.Motor.Torque(in Y), supplyVoltage, state, ref o);

    public override void ReportReset(in Vec6 uIn, double supplyVoltage, Span<double> state, ref PlantOutputs o) =>
        _ode.Motor.ReportReset(in Y, in uIn, supplyVoltage, state, ref o);
}

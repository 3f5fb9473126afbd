using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Sim.Converters;
using MotorRT.Sim.Loads;
using MotorRT.Sim.Motors;
using MotorRT.Sim.Noise;
using MotorRT.Sim.Solvers;
using MotorRT.Sim.Spec;

namespace MotorRT.Sim;

/// <summary>
/// The plant twin: converter + supply + motor + load + solver, composed like GEM 3.0.2's SCML system. Each
/// <see cref="Step"/> latches the converter input, computes the converter voltages from the currents at the start of the
/// step, holds them (synchronous machines: holds u_dq at the start-of-step angle) and integrates the motor and load ODE
/// over τ. Time comes only from the step counter; the step path does not allocate.
/// </summary>
public sealed class PhysicalSystem
{
    private readonly PlantCore _core;
    private readonly PowerConverter _converter;
    private readonly double _uNominal, _rSource, _interlock;
    private readonly double[] _state;
    private readonly double[] _noiseSigma;
    private readonly ulong _noiseSeed;
    private GaussianNoise _noise;
    private PlantOutputs _outputs;
    private PlantDisturbances _disturbances;
    private bool _wasLocked;
    private Vec6 _iIn, _uNorm, _uIn;

    private PhysicalSystem(PlantSpec spec, PlantCore core, PowerConverter converter)
    {
        Spec = spec;
        _core = core;
        _converter = converter;
        Tau = spec.Tau;
        _uNominal = spec.Supply.NominalVoltage;
        _rSource = spec.Supply.SourceResistance;
        _interlock = spec.Converter.InterlockingTime;
        StateNames = core.StateNames;
        _state = new double[StateNames.Count];
        _noiseSigma = new double[StateNames.Count];
        _noiseSeed = spec.Noise.Seed;
        if (spec.Noise.Level > 0)
        {
            for (int k = 0; k < _noiseSigma.Length; k++) _noiseSigma[k] = spec.Noise.Level * LimitOf(StateNames[k], spec);
        }
        Reset();
    }

    /// <summary>Builds the plant from a validated spec; throws <see cref="ArgumentException"/> naming the inconsistency.</summary>
    public static PhysicalSystem Create(PlantSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!(spec.Tau > 0) || !double.IsFinite(spec.Tau)) throw new ArgumentException($"tau must be a positive number of seconds, got {spec.Tau}");
        if (!(spec.Supply.NominalVoltage > 0)) throw new ArgumentException($"supply nominal voltage must be > 0 V, got {spec.Supply.NominalVoltage}");
        if (spec.Supply.SourceResistance < 0) throw new ArgumentException("supply source resistance must be ≥ 0 Ω");
        if (spec.Solver.Substeps < 1) throw new ArgumentException("solver sub-steps must be ≥ 1");
        if (spec.Solver.Kind == SolverKind.DormandPrince && !(spec.Solver.RelativeTolerance > 0 && spec.Solver.AbsoluteTolerance > 0))
            throw new ArgumentException("Dormand–Prince tolerances must be > 0");
        MotorParameters m = spec.Motor;
        ValidateMotor(m);
        double jTotal = m.RotorInertia + spec.Load.LoadInertia;
        if (!(jTotal > 0)) throw new ArgumentException("total inertia (rotor + load) must be > 0 kg·m²");
        var converter = new PowerConverter(spec.Converter, spec.Tau);
        PlantCore core = m.ToTyped() switch
        {
            PermExDcParameters p => WithLoad(new PermExDcModel(p), spec, jTotal),
            ExtExDcParameters p => WithLoad(new ExtExDcModel(p), spec, jTotal),
            SeriesDcParameters p => WithLoad(new SeriesDcModel(p), spec, jTotal),
            ShuntDcParameters p => WithLoad(new ShuntDcModel(p), spec, jTotal),
            SynchronousParameters p and (PmsmParameters or SynRmParameters) => WithLoad(new SynchronousModel(p), spec, jTotal),
            EesmParameters p => WithLoad(new EesmModel(p), spec, jTotal),
            ScimParameters p => WithLoad(new ScimModel(p), spec, jTotal),
            DfimParameters p => WithLoad(new DfimModel(p), spec, jTotal),
            var other => throw new ArgumentException($"motor type {other.Machine.Id} is not modelled by the twin (yet)"),
        };
        if (converter.ChannelCount != core.ChannelCount)
            throw new ArgumentException($"converter {spec.Converter.Kind} has {converter.ChannelCount} output channel(s) but {m.Machine.Id} needs {core.ChannelCount}");
        return new PhysicalSystem(spec, core, converter);
    }

    private static PlantCore WithLoad<TM>(TM motor, PlantSpec spec, double jTotal) where TM : struct, IMotorModel => spec.Load switch
    {
        PolynomialLoadSpec p => new Plant<TM, PolynomialLoad>(motor, new PolynomialLoad(p, jTotal), spec.Solver),
        ConstantSpeedLoadSpec c => new Plant<TM, ConstantSpeedLoad>(motor, new ConstantSpeedLoad(c.Omega), spec.Solver),
        ExternalSpeedLoadSpec e => new Plant<TM, ExternalSpeedLoad>(motor, new ExternalSpeedLoad(e), spec.Solver),
        _ => throw new ArgumentException($"load {spec.Load.GetType().Name} is not supported"),
    };

    private static void ValidateMotor(MotorParameters m)
    {
        static void Pos(double v, string name) { if (!(v > 0) || !double.IsFinite(v)) throw new ArgumentException($"motor parameter {name} must be > 0, got {v}"); }
        static void NonNeg(double v, string name) { if (!(v >= 0) || !double.IsFinite(v)) throw new ArgumentException($"motor parameter {name} must be ≥ 0, got {v}"); }
        Pos(m.RotorInertia, "j_rotor");
        switch (m.Type)
        {
            case MotorType.PermanentlyExcitedDc: NonNeg(m.ArmatureResistance, "r_a"); Pos(m.ArmatureInductance, "l_a"); break;
            case MotorType.ExternallyExcitedDc or MotorType.ShuntDc:
                NonNeg(m.ArmatureResistance, "r_a"); Pos(m.ArmatureInductance, "l_a"); NonNeg(m.ExcitationResistance, "r_e"); Pos(m.ExcitationInductance, "l_e"); break;
            case MotorType.SeriesDc: Pos(m.ArmatureInductance + m.ExcitationInductance, "l_a + l_e"); break;
            case MotorType.Pmsm or MotorType.SynRm: Pos(m.PolePairs, "p"); Pos(m.InductanceD, "l_d"); Pos(m.InductanceQ, "l_q"); NonNeg(m.StatorResistance, "r_s"); break;
            case MotorType.Eesm:
                Pos(m.PolePairs, "p"); Pos(m.InductanceD, "l_d"); Pos(m.InductanceQ, "l_q"); Pos(m.ExcitationInductance, "l_e");
                Pos(m.ExcitationTransferRatio, "k"); NonNeg(m.MainInductance, "l_m"); break;
            case MotorType.Scim or MotorType.Dfim:
                Pos(m.PolePairs, "p"); Pos(m.MainInductance, "l_m"); Pos(m.RotorResistance, "r_r"); NonNeg(m.StatorLeakageInductance, "l_sigs"); NonNeg(m.RotorLeakageInductance, "l_sigr"); break;
        }
    }

    /// <summary>The spec this plant was built from.</summary>
    public PlantSpec Spec { get; }

    /// <summary>Sampling time τ, in s.</summary>
    public double Tau { get; }

    /// <summary>Steps since <see cref="Reset()"/>.</summary>
    public long StepCount { get; private set; }

    /// <summary>Simulated time, in s: <see cref="StepCount"/> · <see cref="Tau"/> (from the counter only).</summary>
    public double Time => StepCount * Tau;

    /// <summary>GEM's state names, e.g. omega, torque, i_a, …, u_sup.</summary>
    public IReadOnlyList<string> StateNames { get; }

    /// <summary>GEM's state vector in SI units, <see cref="StateNames"/> order (with observation noise when enabled).</summary>
    public ReadOnlySpan<double> State => _state;

    /// <summary>Typed, noise-free view of the plant after the last step.</summary>
    public ref readonly PlantOutputs Outputs => ref _outputs;

    /// <summary>Fault injection, honoured by the next <see cref="Step"/>; reset to <see cref="PlantDisturbances.None"/> by <see cref="Reset()"/>.</summary>
    public ref PlantDisturbances Disturbances => ref _disturbances;

    /// <summary>The machine's parameters.</summary>
    public MotorParameters Motor => Spec.Motor;

    /// <summary>DC or three-phase.</summary>
    public MachineKind Machine => Spec.Motor.IsDc ? MachineKind.Dc : MachineKind.ThreePhase;

    /// <summary>True when the converter takes switching states (<see cref="StepSwitching"/>) instead of duty cycles.</summary>
    public bool IsFinite => _converter.IsFinite;

    /// <summary>Number of inputs a step takes: duty cycles (continuous) or switching states, one per sub-converter (finite).</summary>
    public int ActionCount => _converter.ActionCount;

    /// <summary>Right-hand-side evaluations since reset (for solver statistics).</summary>
    public int Evaluations => _core.Evaluations;

    /// <summary>Back to GEM's initial state: zero currents, ω as the load fixes it, converter reset, no disturbance.</summary>
    public void Reset() => Reset(double.NaN, default);

    /// <summary>
    /// <see cref="Reset()"/>, then starts from a given initial state (GEM's motor and load initializers): the speed
    /// <paramref name="initialSpeed"/> in rad/s (NaN, or a load that imposes its speed, keeps the load's initial speed)
    /// and the machine's ODE states <paramref name="machineStates"/> in the motor's ODE order and SI units (DC: i or
    /// i_a, i_e; synchronous: i_sd, i_sq, [i_e,] ε in rad; SCIM, DFIM: i_sα, i_sβ, ψ_rα, ψ_rβ, ε); missing trailing states
    /// stay 0.
    /// </summary>
    public void Reset(double initialSpeed, ReadOnlySpan<double> machineStates)
    {
        if (machineStates.Length > Vec8.Length - 2) throw new ArgumentException($"at most {Vec8.Length - 2} machine states, got {machineStates.Length}");
        StepCount = 0;
        _core.ResetState();
        if (!double.IsNaN(initialSpeed) && !_core.ImposesSpeed) _core.Y[0] = initialSpeed;
        for (int k = 0; k < machineStates.Length; k++) _core.Y[2 + k] = machineStates[k];
        _converter.Reset();
        _disturbances = PlantDisturbances.None;
        _wasLocked = false;
        _core.OpenPhase = -1;
        _core.Locked = false;
        _core.LoadScale = 1.0;
        _noise = new GaussianNoise(_noiseSeed);
        _iIn = default;
        _uNorm = default;
        _converter.ResetVoltages(ref _uNorm);
        double uSup = _uNominal;
        for (int k = 0; k < Vec6.Length; k++) _uIn[k] = _uNorm[k] * uSup;
        _outputs = default;
        _core.ReportReset(in _uIn, uSup, _state, ref _outputs);
        _outputs.Torque = _core.Torque();
        _outputs.Omega = _core.Y[0];
        _outputs.MechanicalAngle = 0;
        _outputs.SupplyVoltage = uSup;
        ApplyNoise();
    }

    /// <summary>
    /// Advances one τ with continuous duty cycles in GEM's layout (4QC: one in [−1, 1]; B6: a, b, c; multi: the
    /// sub-converters' duties in order). Values outside a converter's range are clipped, as GEM does. No allocation.
    /// </summary>
    public void Step(ReadOnlySpan<double> action)
    {
        if (_converter.IsFinite) ThrowWrongStep(true);
        if (action.Length < _converter.ActionCount) ThrowActionLength(action.Length);
        BeginStep();
        _converter.SetDuties(action);
        double t0 = StepCount * Tau;
        Interval(t0, t0 + Tau);
        EndStep();
    }

    /// <summary>Advances one τ with switching states (finite converters; one state per sub-converter). No allocation.</summary>
    public void StepSwitching(ReadOnlySpan<int> states)
    {
        if (!_converter.IsFinite) ThrowWrongStep(false);
        if (states.Length < _converter.ActionCount) ThrowActionLength(states.Length);
        BeginStep();
        bool split = _converter.SetSwitching(states);
        double t0 = StepCount * Tau;
        if (split)
        {
            Interval(t0, t0 + _interlock);
            _core.ChannelCurrents(ref _iIn);
        }
        Interval(split ? t0 + _interlock : t0, t0 + Tau);
        EndStep();
    }

    private void BeginStep()
    {
        ref PlantDisturbances d = ref _disturbances;
        _core.OpenPhase = d.OpenPhase is >= 0 and <= 3 ? d.OpenPhase : -1; // out-of-range values mean "none"; machines ignore phases they lack
        _core.LoadScale = d.LoadTorqueScale;
        _core.Locked = d.LockedRotor;
        if (d.LockedRotor) _core.Y[0] = 0;
        else if (_wasLocked) _core.ReleaseLock();
        _wasLocked = d.LockedRotor;
        _core.ConstrainState();
        _core.ChannelCurrents(ref _iIn);
    }

    private void Interval(double ta, double tb)
    {
        _converter.Convert(in _iIn, ref _uNorm);
        double iSup = _converter.SupplyCurrent(in _iIn);
        double scale = _disturbances.SupplyVoltageScale;
        if (_disturbances.SupplyRippleAmplitude != 0)
        {
            scale += _disturbances.SupplyRippleAmplitude * Math.Sin(2.0 * Math.PI * _disturbances.SupplyRippleFrequency * ta);
        }
        double uSup = _uNominal * scale - _rSource * iSup;
        if (uSup < 0) uSup = 0;
        for (int k = 0; k < Vec6.Length; k++) _uIn[k] = _uNorm[k] * uSup;
        _core.SetInputs(in _uIn);
        _core.Integrate(ta, tb);
        _outputs.SupplyVoltage = uSup;
        _outputs.SupplyCurrent = iSup;
    }

    private void EndStep()
    {
        StepCount++;
        double uSup = _outputs.SupplyVoltage;
        _core.Report(in _uIn, uSup, _state, ref _outputs);
        _outputs.Omega = _core.Y[0];
        _outputs.Torque = _state[1];
        _outputs.MechanicalAngle = _core.Y[1];
        ApplyNoise();
    }

    private void ApplyNoise()
    {
        if (_noiseSigma.Length == 0 || _noiseSigma[0] == 0) return;
        for (int k = 0; k < _state.Length; k++) _state[k] += _noiseSigma[k] * _noise.NextGaussian();
    }

    private static void ThrowWrongStep(bool finite) =>
        throw new InvalidOperationException(finite ? "this plant has a finite converter: call StepSwitching" : "this plant has a continuous converter: call Step");

    private void ThrowActionLength(int got) =>
        throw new ArgumentException($"the converter takes {_converter.ActionCount} inputs, got {got}");

    /// <summary>GEM's limit of the state <paramref name="name"/> (SI: A, V, rad/s, N·m, rad), by which GEM normalises it.</summary>
    public double LimitOf(string name) => LimitOf(name, Spec);

    /// <summary>The GEM limit (SI) of a state, used to scale observation noise.</summary>
    internal static double LimitOf(string name, PlantSpec spec)
    {
        MotorLimits l = spec.Motor.Limits;
        if (name == "omega") return l.Speed;
        if (name == "torque") return l.Torque;
        if (name == "epsilon") return Math.PI;
        if (name == "u_sup") return spec.Supply.NominalVoltage;
        if (name == "i_e") return l.ExcitationCurrent > 0 ? l.ExcitationCurrent : l.Current;
        if (name.StartsWith('i')) return l.Current;
        if (name.StartsWith('u')) return l.Voltage;
        return 1.0;
    }
}

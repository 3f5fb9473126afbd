using System.Numerics;
using System.Runtime.InteropServices;
using MotorRT.Contracts.Machines;
using MotorRT.Sim.Gym.Constraints;
using MotorRT.Sim.Gym.Initializers;
using MotorRT.Sim.Gym.References;
using MotorRT.Sim.Gym.Rewards;
using MotorRT.Sim.Spec;

namespace MotorRT.Sim.Gym.Batch;

/// <summary>
/// N permanently excited DC current-control environments (Cont-CC-PermExDc-v0 and variants) as structure-of-arrays,
/// the plant, normalisation, constraints and reward stepped with SIMD across environments (<see cref="Vector{T}"/>:
/// Vector256 on AVX2, Vector512 when the runtime's preferred width is 512). Per environment it does the scalar twin's
/// operations in the same order (4QC duty → voltage, one explicit Euler step with h = (kτ + τ) − kτ, GEM's
/// normalisation, WeightedSumOfErrors, LimitConstraint), so the results equal <see cref="GemEnv"/>'s; the references
/// come from one GEM reference generator per environment (scalar). Requires: ideal supply, no interlocking, no noise,
/// a constant-speed load, Euler with one sub-step, reward powers 1, limit constraints only.
/// </summary>
public sealed class PermExDcCurrentBatch : IVectorEnv, IDisposable
{
    private const int States = 5; // omega, torque, i, u, u_sup
    private readonly int _n, _padded, _obsSize;
    private readonly double[] _omega, _i, _k, _action, _refPrev, _rewardSoA, _violationSoA;
    private readonly double[][] _s = new double[States][];
    private readonly double[] _obs, _final, _rewards;
    private readonly bool[] _terminated, _truncated;
    private readonly ReferenceGenerator[] _refs;
    private readonly SubepisodedReferenceGenerator?[] _fastRefs;
    private readonly IStateInitializer?[] _init;
    private readonly double[] _machine = new double[6], _workerMachine = new double[6];
    private readonly Thread? _worker;
    // Both hand-over events spin before they block (2047, the most ManualResetEventSlim allows): half a 1024-environment
    // step is ~20 µs of work, about what a futex wake-up costs on this VM, so blocking made two threads slower than one
    // (A/B on the quiet VM, 3 runs each: two threads 13–19 M env-steps/s blocking, 22–34 M spinning).
    private readonly ManualResetEventSlim _go = new(false, 2047), _done = new(false, 2047);
    private readonly int _splitBlock;
    private volatile bool _stop;
    private Exception? _workerError;
    private readonly double _ra, _psi, _invLa, _tau, _uSup, _omegaFixed, _bias, _violationReward;
    private readonly double[] _w = new double[States], _len = new double[States], _limit = new double[States];
    private readonly bool[] _observed = new bool[States];
    private readonly int _refState;
    private readonly long _maxSteps;

    /// <summary>
    /// Builds <paramref name="count"/> environments from <paramref name="spec"/> (throws naming what the batch does not
    /// support). With <paramref name="twoThreads"/> a dedicated worker thread steps the second half of the batch
    /// while the caller steps the first (results are identical; <see cref="Dispose"/> stops the worker).
    /// </summary>
    public PermExDcCurrentBatch(GemEnvSpec spec, int count, bool twoThreads = false)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), "a vector env needs at least one environment");
        PlantSpec p = spec.Plant;
        MotorParameters m = p.Motor;
        if (m.Type != MotorType.PermanentlyExcitedDc) throw new ArgumentException($"PermExDcCurrentBatch needs a permanently excited DC motor, got {m.Type}");
        if (p.Converter.Kind != ConverterKind.ContFourQuadrant || p.Converter.InterlockingTime != 0) throw new ArgumentException("PermExDcCurrentBatch needs a continuous 4QC converter without interlocking");
        if (p.Supply.SourceResistance != 0 || p.Noise.Level != 0) throw new ArgumentException("PermExDcCurrentBatch needs an ideal supply and no observation noise");
        if (p.Load is not ConstantSpeedLoadSpec load) throw new ArgumentException("PermExDcCurrentBatch needs a constant-speed load (current control)");
        if (p.Solver.Kind != SolverKind.Euler || p.Solver.Substeps != 1) throw new ArgumentException("PermExDcCurrentBatch needs the Euler solver with one sub-step (spec.WithSolver(SolverSpec.Euler))");

        // One scalar environment binds the components and gives the layout, limits and reward constants.
        var probe = new GemEnv(spec);
        if (probe.Reward is not WeightedSumOfErrors wse) throw new ArgumentException("PermExDcCurrentBatch needs the WeightedSumOfErrors reward");
        foreach (double n in wse.Powers) if (n != 1.0) throw new ArgumentException("PermExDcCurrentBatch needs reward powers of 1");
        if (probe.References.ReferenceNames.Count != 1) throw new ArgumentException("PermExDcCurrentBatch needs exactly one referenced state");
        foreach (IConstraint c in probe.Constraints.Constraints)
        {
            if (c is not LimitConstraint lc) throw new ArgumentException($"PermExDcCurrentBatch supports limit constraints only, got {c.GetType().Name}");
            foreach (string s in lc.ObservedStates) _observed[probe.Layout.IndexOf(s)] = true;
        }
        _refState = probe.Layout.IndexOf(probe.References.ReferenceNames[0]);
        probe.Layout.Limits.CopyTo(_limit);
        wse.Weights.CopyTo(_w);
        wse.StateLengths.CopyTo(_len);
        _bias = wse.Bias;
        _violationReward = wse.ViolationReward;
        _ra = m.ArmatureResistance; _psi = m.ExcitationFlux; _invLa = 1.0 / m.ArmatureInductance;
        _tau = p.Tau;
        _uSup = p.Supply.NominalVoltage * 1.0 - 0.0 * 0.0; // the scalar twin's u_nom·scale − R·i_sup with R = 0
        _omegaFixed = load.Omega;
        _maxSteps = spec.MaxEpisodeSteps ?? long.MaxValue;

        _n = count;
        int w = Vector<double>.Count;
        _padded = (count + w - 1) / w * w;
        _omega = new double[_padded]; _i = new double[_padded]; _k = new double[_padded]; _action = new double[_padded];
        _refPrev = new double[_padded]; _rewardSoA = new double[_padded]; _violationSoA = new double[_padded];
        for (int x = 0; x < States; x++) _s[x] = new double[_padded];
        _obsSize = States + 1;
        _obs = new double[count * _obsSize];
        _final = new double[count * _obsSize];
        _rewards = new double[count];
        _terminated = new bool[count];
        _truncated = new bool[count];
        _refs = new ReferenceGenerator[count];
        _fastRefs = new SubepisodedReferenceGenerator?[count];
        _init = new IStateInitializer?[count];
        for (int j = 0; j < count; j++)
        {
            _refs[j] = spec.References();
            _refs[j].Bind(probe.Layout, _tau);
            _fastRefs[j] = _refs[j] as SubepisodedReferenceGenerator;
            _init[j] = spec.Initializer?.Invoke();
        }
        int blocks = _padded / w;
        _splitBlock = twoThreads && blocks > 1 ? blocks / 2 : blocks;
        if (_splitBlock < blocks)
        {
            // ManualResetEventSlim creates its lock object (24 B) the first time a Wait has to block: make that happen
            // here, on two unset events, rather than in some later Step.
            _go.Wait(50);
            _done.Wait(50);
            _worker = new Thread(WorkerLoop) { IsBackground = true, Name = "PermExDcCurrentBatch worker" };
            _worker.Start();
        }
    }

    private void WorkerLoop()
    {
        int blocks = _padded / Vector<double>.Count;
        while (true)
        {
            _go.Wait();
            _go.Reset();
            if (_stop) return;
            try { Run(_splitBlock, blocks, _workerMachine); }
            catch (Exception e) { _workerError = e; } // reported by Step on the caller's thread
            _done.Set();
        }
    }

    /// <summary>Stops the worker thread, if any.</summary>
    public void Dispose()
    {
        if (_worker is null || _stop) return;
        _stop = true;
        _go.Set();
        _worker.Join();
        _go.Dispose();
        _done.Dispose();
    }

    /// <inheritdoc/>
    public int Count => _n;

    /// <inheritdoc/>
    public int ObservationSize => _obsSize;

    /// <inheritdoc/>
    public int ActionSize => 1;

    /// <summary>Environments per SIMD vector (<see cref="Vector{T}.Count"/> of double).</summary>
    public static int Lanes => Vector<double>.Count;

    /// <inheritdoc/>
    public ReadOnlySpan<double> Observations => _obs;

    /// <inheritdoc/>
    public ReadOnlySpan<double> FinalObservations => _final;

    /// <inheritdoc/>
    public ReadOnlySpan<double> Rewards => _rewards;

    /// <inheritdoc/>
    public ReadOnlySpan<bool> Terminated => _terminated;

    /// <inheritdoc/>
    public ReadOnlySpan<bool> Truncated => _truncated;

    /// <inheritdoc/>
    public void Reset(ulong seed)
    {
        for (int j = 0; j < _n; j++)
        {
            ulong s = seed + (ulong)j;
            _refs[j].Seed(GymRandom.Derive(s, 1));
            _init[j]?.Seed(GymRandom.Derive(s, 2));
            ResetOne(j, _machine);
        }
        Array.Clear(_rewards);
        Array.Clear(_terminated);
        Array.Clear(_truncated);
    }

    private void ResetOne(int j, Span<double> machine)
    {
        double speed = double.NaN;
        machine.Clear();
        _init[j]?.Initial(ref speed, machine);
        _omega[j] = _omegaFixed; // a constant-speed load imposes its speed, as in the scalar twin
        _i[j] = machine[0];
        _k[j] = 0;
        Span<double> row = _obs.AsSpan(j * _obsSize, _obsSize);
        row[0] = _omega[j] / _limit[0];
        row[1] = _psi * _i[j] / _limit[1];
        row[2] = _i[j] / _limit[2];
        row[3] = 0.0 * _uSup / _limit[3]; // the 4QC resets to zero output
        row[4] = _uSup / _limit[4];
        _refs[j].Reset(row[..States], row[States..]);
        _refPrev[j] = row[States];
    }

    /// <inheritdoc/>
    public void Step(ReadOnlySpan<double> actions)
    {
        if (actions.Length < _n) throw new ArgumentException($"need {_n} actions, got {actions.Length}");
        actions[.._n].CopyTo(_action);
        if (_worker is null) Run(0, _splitBlock, _machine);
        else
        {
            if (_stop) throw new ObjectDisposedException(nameof(PermExDcCurrentBatch));
            _go.Set();
            Run(0, _splitBlock, _machine);
            _done.Wait();
            _done.Reset();
            if (_workerError is { } e) { _workerError = null; throw new InvalidOperationException("the batch's worker thread failed", e); }
        }
    }

    /// <summary>Steps the environments of vector blocks [<paramref name="b0"/>, <paramref name="b1"/>).</summary>
    private void Run(int b0, int b1, Span<double> machine)
    {
        Kernel(b0, b1);
        double[] s1 = _s[1], s2 = _s[2], s3 = _s[3];
        int j1 = Math.Min(_n, b1 * Vector<double>.Count);
        for (int j = b0 * Vector<double>.Count; j < j1; j++)
        {
            Span<double> row = _obs.AsSpan(j * _obsSize, _obsSize);
            // ω (imposed by the load) and u_sup are constant within an episode: ResetOne wrote them.
            row[1] = s1[j];
            row[2] = s2[j];
            row[3] = s3[j];
            bool term = _violationSoA[j] != 0;
            bool trunc = !term && _k[j] >= _maxSteps;
            _rewards[j] = _rewardSoA[j];
            _terminated[j] = term;
            _truncated[j] = trunc;
            if (_fastRefs[j] is { } fast) row[States] = fast.Next(); // non-virtual path of GEM's sub-episoded generators
            else _refs[j].NextObservation(row[..States], row[States..]);
            _refPrev[j] = row[States];
            if (term || trunc)
            {
                row.CopyTo(_final.AsSpan(j * _obsSize, _obsSize));
                ResetOne(j, machine);
            }
        }
    }

    /// <summary>Plant, normalisation, constraint and reward of vector blocks [b0, b1), <see cref="Lanes"/> environments at a time.</summary>
    private void Kernel(int b0, int b1)
    {
        var vOmega = MemoryMarshal.Cast<double, Vector<double>>(_omega.AsSpan());
        var vI = MemoryMarshal.Cast<double, Vector<double>>(_i.AsSpan());
        var vK = MemoryMarshal.Cast<double, Vector<double>>(_k.AsSpan());
        var vA = MemoryMarshal.Cast<double, Vector<double>>(_action.AsSpan());
        var vRef = MemoryMarshal.Cast<double, Vector<double>>(_refPrev.AsSpan());
        var vS0 = MemoryMarshal.Cast<double, Vector<double>>(_s[0].AsSpan());
        var vS1 = MemoryMarshal.Cast<double, Vector<double>>(_s[1].AsSpan());
        var vS2 = MemoryMarshal.Cast<double, Vector<double>>(_s[2].AsSpan());
        var vS3 = MemoryMarshal.Cast<double, Vector<double>>(_s[3].AsSpan());
        var vS4 = MemoryMarshal.Cast<double, Vector<double>>(_s[4].AsSpan());
        var vViolation = MemoryMarshal.Cast<double, Vector<double>>(_violationSoA.AsSpan());
        var vReward = MemoryMarshal.Cast<double, Vector<double>>(_rewardSoA.AsSpan());
        var one = new Vector<double>(1.0);
        var minusOne = new Vector<double>(-1.0);
        var zero = Vector<double>.Zero;
        var half = new Vector<double>(0.5);
        var tau = new Vector<double>(_tau);
        var uSup = new Vector<double>(_uSup);
        var ra = new Vector<double>(_ra);
        var psi = new Vector<double>(_psi);
        var invLa = new Vector<double>(_invLa);
        var bias = new Vector<double>(_bias);
        var violation = new Vector<double>(_violationReward);
        double refMask0 = _refState == 0 ? 1 : 0, refMask2 = _refState == 2 ? 1 : 0, refMask1 = _refState == 1 ? 1 : 0, refMask3 = _refState == 3 ? 1 : 0, refMask4 = _refState == 4 ? 1 : 0;
        var lim0 = new Vector<double>(_limit[0]);
        var lim1 = new Vector<double>(_limit[1]);
        var lim2 = new Vector<double>(_limit[2]);
        var lim3 = new Vector<double>(_limit[3]);
        var lim4 = new Vector<double>(_limit[4]);
        for (int b = b0; b < b1; b++)
        {
            Vector<double> a = Vector.Min(Vector.Max(vA[b], minusOne), one);
            Vector<double> un = Vector.Min(Vector.Max(half * (a + one), zero), one) - Vector.Min(Vector.Max(half * (one - a), zero), one);
            Vector<double> u = un * uSup;
            Vector<double> t0 = vK[b] * tau;
            Vector<double> h = (t0 + tau) - t0;
            Vector<double> omega = vOmega[b];
            Vector<double> i = vI[b];
            Vector<double> di = (u - ra * i - psi * omega) * invLa;
            i += di * h;
            vI[b] = i;
            vK[b] += one;

            // Normalised states and GEM's reward, term by term in state order (numpy's sum of five terms).
            Vector<double> r = vRef[b];
            Vector<double> s0 = omega / lim0;
            Vector<double> s1 = psi * i / lim1;
            Vector<double> s2 = i / lim2;
            Vector<double> s3 = u / lim3;
            Vector<double> s4 = uSup / lim4;
            vS0[b] = s0; vS1[b] = s1; vS2[b] = s2; vS3[b] = s3; vS4[b] = s4;
            // A zero-weight term is +0 for a finite state and adding +0 changes no sum, so those are skipped.
            Vector<double> sum = zero;
            if (_w[0] != 0) sum += Term(s0, r * new Vector<double>(refMask0), 0);
            if (_w[1] != 0) sum += Term(s1, r * new Vector<double>(refMask1), 1);
            if (_w[2] != 0) sum += Term(s2, r * new Vector<double>(refMask2), 2);
            if (_w[3] != 0) sum += Term(s3, r * new Vector<double>(refMask3), 3);
            if (_w[4] != 0) sum += Term(s4, r * new Vector<double>(refMask4), 4);
            Vector<double> wse = -sum + bias;

            Vector<double> over = zero;
            if (_observed[0]) over |= Vector.GreaterThan(Vector.Abs(s0), one).As<long, double>();
            if (_observed[1]) over |= Vector.GreaterThan(Vector.Abs(s1), one).As<long, double>();
            if (_observed[2]) over |= Vector.GreaterThan(Vector.Abs(s2), one).As<long, double>();
            if (_observed[3]) over |= Vector.GreaterThan(Vector.Abs(s3), one).As<long, double>();
            if (_observed[4]) over |= Vector.GreaterThan(Vector.Abs(s4), one).As<long, double>();
            vReward[b] = Vector.ConditionalSelect(over, violation, wse);
            vViolation[b] = over;
        }
    }

    private Vector<double> Term(Vector<double> s, Vector<double> reference, int state) =>
        new Vector<double>(_w[state]) * (Vector.Abs(s - reference) / new Vector<double>(_len[state]));
}

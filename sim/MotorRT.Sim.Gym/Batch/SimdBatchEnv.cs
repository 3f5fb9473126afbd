using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MotorRT.Sim.Gym.Constraints;
using MotorRT.Sim.Gym.Initializers;
using MotorRT.Sim.Gym.References;
using MotorRT.Sim.Gym.Rewards;

namespace MotorRT.Sim.Gym.Batch;

/// <summary>
/// The environment layer the SIMD batches share, structure-of-arrays throughout: observation columns (one array per
/// observation entry, 64-byte aligned), GEM's WeightedSumOfErrors (reward powers 1) and limit / squared constraints
/// evaluated with <see cref="Vector{T}"/> across environments, references laid out per step across environments in
/// blocks of <see cref="ReferenceRows"/> steps (filled from each environment's sub-episoded generator with
/// <see cref="SubepisodedReferenceGenerator.Take"/>; a new sub-episode is drawn exactly when the scalar twin draws
/// it, so seeded runs stay identical), and auto-reset through an event mask: a vector pass flags the blocks where an
/// environment ended or a reference sub-episode ran out, and only those environments are visited. The physics is the
/// subclass's <see cref="Kernel"/>. With two threads, each thread owns a contiguous range of environments whose
/// boundary falls on a 64-byte line, so the two never write the same cache line.
/// </summary>
public abstract class SimdBatchEnv : IVectorEnv, IDisposable
{
    /// <summary>Steps per reference block.</summary>
    public const int ReferenceRows = 32;

    private readonly int _n, _padded, _blocks, _obsSize, _actionSize, _states, _refCount;
    private readonly long _maxSteps;
    private readonly double[][] _obsArrays, _refBlockArrays, _refEndArrays, _actArrays;
    private readonly int[] _obsOff, _refBlockOff, _refEndOff, _actOff;
    private readonly double[] _kArr, _rewardArr, _violationArr;
    private readonly int _kOff, _rewardOff, _violationOff;
    private readonly double[] _obsRows, _final, _actionRows;
    private bool _rowsDirty;
    private readonly bool[] _terminated, _truncated;
    private readonly ReferenceGenerator[] _gen;
    private readonly SubepisodedReferenceGenerator[][]? _sub; // [channel][env]; null: generic (per-env) references
    private readonly IStateInitializer?[] _init;
    private int _row = ReferenceRows - 1;

    // Reward and constraints (GEM's WeightedSumOfErrors with powers 1, merge 'max' of limit / squared constraints).
    private readonly double[] _w, _len;
    private readonly Vector<double>[] _wV, _lenV;
    private readonly int[] _weighted; // states with a nonzero reward weight, in order
    private readonly nint[] _obsPtr, _refBlockPtr, _refEndPtr;
    private readonly nint _kPtr, _rewardPtr, _violationPtr;
    private readonly int[] _refStateOfChannel; // channel → state index
    private readonly int[] _channelOfState;    // state index → channel or −1
    private readonly double _bias, _violationReward;
    private readonly int[] _limitStates;
    private readonly int[][] _squaredStates;

    private readonly Part[] _parts;
    private readonly Thread? _worker;
    // Both hand-over events spin before they block (2047, the most ManualResetEventSlim allows): half a 1024-environment
    // step is ~20 µs of work, about what a futex wake-up costs on this VM, so blocking made two threads slower than one.
    private readonly ManualResetEventSlim _go = new(false, 2047), _done = new(false, 2047);
    private volatile bool _stop;
    private Exception? _workerError;

    /// <summary>A thread's share of the batch: a contiguous range of vector blocks and its own scratch.</summary>
    private sealed class Part(int b0, int b1, int states, int refs)
    {
        public readonly int B0 = b0, B1 = b1;
        public readonly int[] EventBlocks = new int[Math.Max(1, b1 - b0)];
        public int EventCount;
        public readonly int[] Ended = new int[Math.Max(1, (b1 - b0) * Vector<double>.Count)];
        public int EndedCount;
        public readonly double[] Machine = new double[6], Row = new double[states], RefOut = new double[Math.Max(1, refs)];
#pragma warning disable CS0169 // padding: keeps the two parts' hot counters off one cache line
        private readonly long _pad0, _pad1, _pad2, _pad3, _pad4, _pad5, _pad6, _pad7;
#pragma warning restore CS0169
    }

    /// <summary>
    /// Binds the environment layer of <paramref name="count"/> environments from <paramref name="spec"/>;
    /// <paramref name="probe"/> is one scalar environment of the same spec (layout, reward and constraint constants).
    /// Throws <see cref="ArgumentException"/> naming what the batch does not support.
    /// </summary>
    protected SimdBatchEnv(GemEnvSpec spec, GemEnv probe, int count, bool twoThreads)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(probe);
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), "a vector env needs at least one environment");
        string name = GetType().Name;
        if (probe.IsFinite) throw new ArgumentException($"{name} needs a continuous converter");
        if (probe.Reward is not WeightedSumOfErrors wse) throw new ArgumentException($"{name} needs the WeightedSumOfErrors reward");
        foreach (double p in wse.Powers) if (p != 1.0) throw new ArgumentException($"{name} needs reward powers of 1");
        StateLayout layout = probe.Layout;
        Layout = layout;
        _states = layout.Count;
        _refCount = probe.References.ReferenceNames.Count;
        _obsSize = _states + _refCount;
        _actionSize = probe.ActionCount;
        _w = wse.Weights.ToArray();
        _len = wse.StateLengths.ToArray();
        _wV = [.. _w.Select(x => new Vector<double>(x))];
        _lenV = [.. _len.Select(x => new Vector<double>(x))];
        _weighted = [.. Enumerable.Range(0, _w.Length).Where(x => _w[x] != 0)];
        _bias = wse.Bias;
        _violationReward = wse.ViolationReward;
        _refStateOfChannel = [.. probe.References.ReferenceNames.Select(layout.IndexOf)];
        _channelOfState = new int[_states];
        Array.Fill(_channelOfState, -1);
        for (int c = 0; c < _refCount; c++) _channelOfState[_refStateOfChannel[c]] = c;
        var limit = new List<int>();
        var squared = new List<int[]>();
        foreach (IConstraint c in probe.Constraints.Constraints)
        {
            if (c is LimitConstraint lc) limit.AddRange(lc.ObservedStates.Select(layout.IndexOf));
            else if (c is SquaredConstraint sc) squared.Add([.. sc.States.Select(layout.IndexOf)]);
            else throw new ArgumentException($"{name} supports limit and squared constraints only, got {c.GetType().Name}");
        }
        _limitStates = [.. limit.Distinct()];
        if (_states >= 16) throw new ArgumentException($"{name} sums the reward over at most 15 states (numpy's unrolled pairwise loop is not reproduced beyond), the layout has {_states}");
        _squaredStates = [.. squared];
        _maxSteps = spec.MaxEpisodeSteps ?? long.MaxValue;

        _n = count;
        int lanes = Vector<double>.Count;
        _padded = (count + lanes - 1) / lanes * lanes;
        _blocks = _padded / lanes;
        _obsArrays = new double[_obsSize][]; _obsOff = new int[_obsSize];
        for (int x = 0; x < _obsSize; x++) (_obsArrays[x], _obsOff[x]) = Aligned(_padded);
        _actArrays = new double[_actionSize][]; _actOff = new int[_actionSize];
        for (int a = 0; a < _actionSize; a++) (_actArrays[a], _actOff[a]) = Aligned(_padded);
        (_kArr, _kOff) = Aligned(_padded);
        (_rewardArr, _rewardOff) = Aligned(_padded);
        (_violationArr, _violationOff) = Aligned(_padded);
        _obsRows = new double[count * _obsSize];
        _final = new double[count * _obsSize];
        _actionRows = new double[count * _actionSize];
        _terminated = new bool[count];
        _truncated = new bool[count];
        _gen = new ReferenceGenerator[count];
        _init = new IStateInitializer?[count];
        var subs = new SubepisodedReferenceGenerator[_refCount][];
        for (int c = 0; c < _refCount; c++) subs[c] = new SubepisodedReferenceGenerator[count];
        bool fast = _refCount > 0;
        for (int j = 0; j < count; j++)
        {
            _gen[j] = spec.References();
            _gen[j].Bind(layout, probe.Plant.Tau);
            _init[j] = spec.Initializer?.Invoke();
            if (_gen[j] is SubepisodedReferenceGenerator one && _refCount == 1) subs[0][j] = one;
            else if (_gen[j] is MultipleReferenceGenerator multi && multi.SubGenerators.All(g => g is SubepisodedReferenceGenerator && g.ReferenceNames.Count == 1))
                for (int c = 0; c < _refCount; c++) subs[c][j] = (SubepisodedReferenceGenerator)multi.SubGenerators[c];
            else fast = false;
        }
        _sub = fast ? subs : null;
        _refBlockArrays = new double[fast ? _refCount : 0][]; _refBlockOff = new int[_refBlockArrays.Length];
        _refEndArrays = new double[fast ? _refCount : 0][]; _refEndOff = new int[_refEndArrays.Length];
        for (int c = 0; c < _refBlockArrays.Length; c++)
        {
            (_refBlockArrays[c], _refBlockOff[c]) = Aligned(ReferenceRows * _padded);
            (_refEndArrays[c], _refEndOff[c]) = Aligned(_padded);
        }
        _obsPtr = [.. Enumerable.Range(0, _obsSize).Select(x => Address(_obsArrays[x], _obsOff[x]))];
        _refBlockPtr = [.. Enumerable.Range(0, _refBlockArrays.Length).Select(c => Address(_refBlockArrays[c], _refBlockOff[c]))];
        _refEndPtr = [.. Enumerable.Range(0, _refEndArrays.Length).Select(c => Address(_refEndArrays[c], _refEndOff[c]))];
        _kPtr = Address(_kArr, _kOff);
        _rewardPtr = Address(_rewardArr, _rewardOff);
        _violationPtr = Address(_violationArr, _violationOff);
        // Padded lanes never step: an infinite negative step count keeps them out of the truncation test.
        for (int j = count; j < _padded; j++) _kArr[_kOff + j] = double.NegativeInfinity;

        // Two threads: split at a multiple of 8 doubles (64 B) so no cache line is written by both.
        int lineBlocks = Math.Max(1, 8 / lanes);
        int split = twoThreads ? _blocks / 2 / lineBlocks * lineBlocks : 0;
        if (split > 0 && split < _blocks)
        {
            _parts = [new Part(0, split, _states, _refCount), new Part(split, _blocks, _states, _refCount)];
            // ManualResetEventSlim creates its lock object (24 B) the first time a Wait has to block: make that happen
            // here, on two unset events, rather than in some later Step.
            _go.Wait(50);
            _done.Wait(50);
            _worker = new Thread(WorkerLoop) { IsBackground = true, Name = name + " worker" };
            _worker.Start();
        }
        else _parts = [new Part(0, _blocks, _states, _refCount)];
    }

    /// <summary>A pinned array with an offset at which the data starts on a 64-byte boundary.</summary>
    protected static (double[] Array, int Offset) Aligned(int length)
    {
        double[] a = GC.AllocateArray<double>(length + 8, pinned: true);
        long address = Marshal.UnsafeAddrOfPinnedArrayElement(a, 0).ToInt64();
        return (a, (int)((64 - (address & 63)) & 63) / sizeof(double));
    }

    private static nint Address(double[] pinned, int offset) => Marshal.UnsafeAddrOfPinnedArrayElement(pinned, offset);

    private void WorkerLoop()
    {
        while (true)
        {
            _go.Wait();
            _go.Reset();
            if (_stop) return;
            try { Run(_parts[1]); }
            catch (Exception e) { _workerError = e; } // reported by Step on the caller's thread
            _done.Set();
        }
    }

    /// <summary>Stops the worker thread, if any.</summary>
    public void Dispose()
    {
        GC.SuppressFinalize(this);
        if (_worker is null || _stop) return;
        _stop = true;
        _go.Set();
        _worker.Join();
        _go.Dispose();
        _done.Dispose();
    }

    /// <inheritdoc/>
    public int Count => _n;

    /// <summary>GEM's state layout of the environments (names, limits in SI units, bounds).</summary>
    public StateLayout Layout { get; }

    /// <summary>Environments padded to a whole number of vectors (length of the column spans).</summary>
    protected int PaddedCount => _padded;

    /// <summary>Number of normalised states in the observation (before the references).</summary>
    public int StateCount => _states;

    /// <inheritdoc/>
    public int ObservationSize => _obsSize;

    /// <inheritdoc/>
    public int ActionSize => _actionSize;

    /// <summary>Environments per SIMD vector (<see cref="Vector{T}.Count"/> of double).</summary>
    public static int Lanes => Vector<double>.Count;

    /// <summary>True when the references come in SoA blocks (sub-episoded generators); false: one generator call per environment and step.</summary>
    public bool BlockReferences => _sub is not null;

    /// <summary>
    /// Observations, N rows of <see cref="ObservationSize"/> (row-major). The batch keeps its observations in columns
    /// (<see cref="ObservationColumn"/>); the rows are transposed from them on the first read after a step or reset.
    /// </summary>
    public ReadOnlySpan<double> Observations
    {
        get
        {
            if (_rowsDirty) WriteRows();
            return _obsRows;
        }
    }

    /// <summary>Observation entry <paramref name="index"/> (a normalised state, then the references) of every environment: the SoA view, N values, no copy.</summary>
    public ReadOnlySpan<double> ObservationColumn(int index) => _obsArrays[index].AsSpan(_obsOff[index], _n);

    /// <inheritdoc/>
    public ReadOnlySpan<double> FinalObservations => _final;

    /// <inheritdoc/>
    public ReadOnlySpan<double> Rewards => _rewardArr.AsSpan(_rewardOff, _n);

    /// <inheritdoc/>
    public ReadOnlySpan<bool> Terminated => _terminated;

    /// <inheritdoc/>
    public ReadOnlySpan<bool> Truncated => _truncated;

    /// <summary>Column <paramref name="index"/> of the observation (normalised state <paramref name="index"/>), padded length, for the kernel.</summary>
    protected Span<double> StateColumn(int index) => _obsArrays[index].AsSpan(_obsOff[index], _padded);

    /// <summary>Column of action entry <paramref name="index"/> (padded length).</summary>
    protected Span<double> ActionColumn(int index) => _actArrays[index].AsSpan(_actOff[index], _padded);

    /// <summary>Steps since each environment's reset, before the current step (padded length; padded lanes −∞).</summary>
    protected Span<double> StepColumn => _kArr.AsSpan(_kOff, _padded);

    /// <summary>Vector view of a column.</summary>
    protected static Span<Vector<double>> V(Span<double> column) => MemoryMarshal.Cast<double, Vector<double>>(column);

    /// <summary>
    /// The physics of vector blocks [<paramref name="b0"/>, <paramref name="b1"/>): reads the action columns and the
    /// step column (steps before this one), advances the plant by τ and writes the normalised state columns.
    /// </summary>
    protected abstract void Kernel(int b0, int b1);

    /// <summary>
    /// Resets environment <paramref name="env"/>'s plant from the initializer's <paramref name="speed"/> (rad/s, NaN:
    /// the load's) and <paramref name="machine"/> states, and writes its normalised state columns.
    /// </summary>
    protected abstract void ResetPlant(int env, double speed, ReadOnlySpan<double> machine);

    /// <inheritdoc/>
    public void Reset(ulong seed)
    {
        Part p = _parts[0];
        for (int j = 0; j < _n; j++)
        {
            ulong s = seed + (ulong)j;
            _gen[j].Seed(GymRandom.Derive(s, 1));
            _init[j]?.Seed(GymRandom.Derive(s, 2));
            ResetOne(j, ReferenceRows - 1, p);
        }
        _row = ReferenceRows - 1; // the next step starts a new reference block
        Array.Clear(_rewardArr);
        Array.Clear(_terminated);
        Array.Clear(_truncated);
        foreach (Part q in _parts) q.EndedCount = 0;
        _rowsDirty = true;
    }

    /// <inheritdoc/>
    public void Step(ReadOnlySpan<double> actions)
    {
        if (actions.Length < _n * _actionSize) throw new ArgumentException($"need {_n} × {_actionSize} actions, got {actions.Length}");
        if (_actionSize == 1) actions[.._n].CopyTo(ActionColumn(0));
        else actions[..(_n * _actionSize)].CopyTo(_actionRows);
        _row = _row + 1 == ReferenceRows ? 0 : _row + 1;
        _rowsDirty = true;
        if (_worker is null) Run(_parts[0]);
        else
        {
            if (_stop) throw new ObjectDisposedException(GetType().Name);
            _go.Set();
            Run(_parts[0]);
            _done.Wait();
            _done.Reset();
            if (_workerError is { } e) { _workerError = null; throw new InvalidOperationException("the batch's worker thread failed", e); }
        }
    }

    private void Run(Part p)
    {
        for (int e = 0; e < p.EndedCount; e++) _terminated[p.Ended[e]] = _truncated[p.Ended[e]] = false;
        p.EndedCount = 0;
        int lanes = Vector<double>.Count;
        int j0 = p.B0 * lanes, j1 = Math.Min(_n, p.B1 * lanes);
        if (_actionSize > 1)
        {
            for (int a = 0; a < _actionSize; a++)
            {
                Span<double> col = ActionColumn(a);
                for (int j = j0; j < j1; j++) col[j] = _actionRows[j * _actionSize + a];
            }
        }
        int row = _row;
        if (_sub is not null && row == 0) Refill(j0, j1);
        Kernel(p.B0, p.B1);
        Finish(p, row);
        if (_sub is null) GenericReferences(p, j0, j1);
        for (int e = 0; e < p.EventCount; e++)
        {
            int b = p.EventBlocks[e];
            int end = Math.Min(_n, (b + 1) * lanes);
            for (int j = b * lanes; j < end; j++) Event(j, row, p);
        }
    }

    /// <summary>A new reference block: each environment's next <see cref="ReferenceRows"/> samples of its current sub-episode.</summary>
    private void Refill(int j0, int j1)
    {
        for (int c = 0; c < _refCount; c++)
        {
            SubepisodedReferenceGenerator[] sub = _sub![c];
            Span<double> block = _refBlockArrays[c].AsSpan(_refBlockOff[c], ReferenceRows * _padded);
            Span<double> end = _refEndArrays[c].AsSpan(_refEndOff[c], _padded);
            const int Ahead = 8;
            for (int j = j0; j < Math.Min(j1, j0 + Ahead); j++) sub[j].Prefetch(ReferenceRows);
            for (int j = j0; j < j1; j++)
            {
                if (j + Ahead < j1) sub[j + Ahead].Prefetch(ReferenceRows);
                int m = sub[j].Take(block[j..], _padded, ReferenceRows);
                end[j] = m < ReferenceRows ? m : ReferenceRows;
            }
        }
    }

    /// <summary>Reward, constraints, step count, references and the event mask of the part's blocks (vector pass).</summary>
    private unsafe void Finish(Part p, int row)
    {
        p.EventCount = 0;
        // The columns are pinned: their vector addresses are taken once (no span per block and column).
        var k = (Vector<double>*)_kPtr;
        var reward = (Vector<double>*)_rewardPtr;
        var violationCol = (Vector<double>*)_violationPtr;
        nint[] obs = _obsPtr;
        var one = Vector<double>.One;
        var zero = Vector<double>.Zero;
        var bias = new Vector<double>(_bias);
        var violationReward = new Vector<double>(_violationReward);
        var max = new Vector<double>(_maxSteps);
        var rowV = new Vector<double>(row);
        Span<Vector<double>> terms = stackalloc Vector<double>[_states];
        long rowOffset = (long)row * _padded * sizeof(double);
        for (int b = p.B0; b < p.B1; b++)
        {
            // GEM's WeightedSumOfErrors, numpy's sum over the states; zero-weight terms are +0 and left out.
            foreach (int x in _weighted)
            {
                Vector<double> s = ((Vector<double>*)obs[x])[b];
                int c = _channelOfState[x];
                Vector<double> r = c >= 0 ? ((Vector<double>*)obs[_states + c])[b] : zero;
                terms[x] = _wV[x] * (Vector.Abs(s - r) / _lenV[x]);
            }
            Vector<double> wse = -NumpySum(terms) + bias;

            Vector<double> over = zero;
            foreach (int x in _limitStates) over |= Vector.GreaterThan(Vector.Abs(((Vector<double>*)obs[x])[b]), one).As<long, double>();
            foreach (int[] sq in _squaredStates)
            {
                Vector<double> sum = zero;
                foreach (int x in sq) { Vector<double> s = ((Vector<double>*)obs[x])[b]; sum += s * s; }
                over |= Vector.GreaterThan(sum, one).As<long, double>();
            }
            reward[b] = Vector.ConditionalSelect(over, violationReward, wse);
            violationCol[b] = over;
            Vector<double> kb = k[b] + one;
            k[b] = kb;
            Vector<long> ev = over.As<double, long>() | Vector.GreaterThanOrEqual(kb, max);
            if (_sub is not null)
            {
                for (int c = 0; c < _refCount; c++)
                {
                    ((Vector<double>*)obs[_states + c])[b] = ((Vector<double>*)(_refBlockPtr[c] + (nint)rowOffset))[b];
                    ev |= Vector.Equals(((Vector<double>*)_refEndPtr[c])[b], rowV);
                }
            }
            if (!Vector.EqualsAll(ev, Vector<long>.Zero)) p.EventBlocks[p.EventCount++] = b;
        }
    }

    /// <summary>numpy's sum (pairwise above 8 terms) over the nonzero-weight terms, as <see cref="WeightedSumOfErrors.NumpySum"/> adds them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector<double> NumpySum(ReadOnlySpan<Vector<double>> t)
    {
        int n = t.Length;
        // Adding a +0 term changes no sum of non-negative terms, so absent terms are skipped in the same tree.
        Vector<double> acc = Vector<double>.Zero;
        bool has = false;
        if (n < 8)
        {
            for (int i = 0; i < n; i++) if (_w[i] != 0) Add(ref acc, ref has, t[i]);
            return acc;
        }
        Vector<double> r01 = default, r23 = default, r45 = default, r67 = default;
        bool h01 = false, h23 = false, h45 = false, h67 = false;
        Pair(t, 0, ref r01, ref h01); Pair(t, 2, ref r23, ref h23); Pair(t, 4, ref r45, ref h45); Pair(t, 6, ref r67, ref h67);
        Vector<double> a = default, b = default;
        bool ha = false, hb = false;
        if (h01) Add(ref a, ref ha, r01);
        if (h23) Add(ref a, ref ha, r23);
        if (h45) Add(ref b, ref hb, r45);
        if (h67) Add(ref b, ref hb, r67);
        if (ha) Add(ref acc, ref has, a);
        if (hb) Add(ref acc, ref has, b);
        for (int i = 8; i < n; i++) if (_w[i] != 0) Add(ref acc, ref has, t[i]);
        return acc;
    }

    private void Pair(ReadOnlySpan<Vector<double>> t, int i, ref Vector<double> r, ref bool has)
    {
        if (_w[i] != 0) Add(ref r, ref has, t[i]);
        if (_w[i + 1] != 0) Add(ref r, ref has, t[i + 1]);
    }

    private static void Add(ref Vector<double> acc, ref bool has, Vector<double> v)
    {
        acc = has ? acc + v : v;
        has = true;
    }

    private Span<double> RefColumn(int c) => _obsArrays[_states + c].AsSpan(_obsOff[_states + c], _padded);

    /// <summary>Environment <paramref name="j"/>'s normalised state, gathered from the columns into <paramref name="row"/>.</summary>
    private void GatherState(int j, Span<double> row)
    {
        for (int x = 0; x < _states; x++) row[x] = _obsArrays[x][_obsOff[x] + j];
    }

    /// <summary>References of generators that are not sub-episoded: one call per environment (no SoA block).</summary>
    private void GenericReferences(Part p, int j0, int j1)
    {
        for (int j = j0; j < j1; j++)
        {
            GatherState(j, p.Row);
            _gen[j].NextObservation(p.Row, p.RefOut);
            for (int c = 0; c < _refCount; c++) RefColumn(c)[j] = p.RefOut[c];
        }
    }

    /// <summary>Environment <paramref name="j"/> of a flagged block: a sub-episode that ran out, and the end of its episode (then the auto-reset).</summary>
    private void Event(int j, int row, Part p)
    {
        if (_sub is not null)
        {
            for (int c = 0; c < _refCount; c++)
            {
                Span<double> end = _refEndArrays[c].AsSpan(_refEndOff[c], _padded);
                if (end[j] != row) continue;
                SubepisodedReferenceGenerator g = _sub[c][j];
                RefColumn(c)[j] = g.Next(); // draws the next sub-episode, as the scalar twin does at this step
                end[j] = TakeRest(c, j, row);
            }
        }
        bool term = _violationArr[_violationOff + j] != 0;
        bool trunc = !term && _kArr[_kOff + j] >= _maxSteps;
        if (!term && !trunc) return;
        _terminated[j] = term;
        _truncated[j] = trunc;
        p.Ended[p.EndedCount++] = j;
        for (int x = 0; x < _obsSize; x++) _final[j * _obsSize + x] = _obsArrays[x][_obsOff[x] + j];
        ResetOne(j, row, p);
    }

    /// <summary>Fills reference rows (<paramref name="row"/>, end) of channel <paramref name="c"/> for environment <paramref name="j"/>; returns the row of the next sub-episode boundary (or <see cref="ReferenceRows"/>).</summary>
    private double TakeRest(int c, int j, int row)
    {
        int want = ReferenceRows - row - 1;
        if (want == 0) return ReferenceRows;
        Span<double> block = _refBlockArrays[c].AsSpan(_refBlockOff[c], ReferenceRows * _padded);
        int m = _sub![c][j].Take(block[((row + 1) * _padded + j)..], _padded, want);
        return m < want ? row + 1 + m : ReferenceRows;
    }

    /// <summary>Resets environment <paramref name="j"/> during block row <paramref name="row"/> (its references for the later rows are taken anew).</summary>
    private void ResetOne(int j, int row, Part p)
    {
        double speed = double.NaN;
        Span<double> machine = p.Machine;
        machine.Clear();
        _init[j]?.Initial(ref speed, machine);
        ResetPlant(j, speed, machine);
        _kArr[_kOff + j] = 0;
        GatherState(j, p.Row);
        _gen[j].Reset(p.Row, p.RefOut);
        for (int c = 0; c < _refCount; c++) RefColumn(c)[j] = p.RefOut[c];
        if (_sub is not null)
            for (int c = 0; c < _refCount; c++) _refEndArrays[c][_refEndOff[c] + j] = TakeRest(c, j, row);
    }

    private void WriteRows()
    {
        int size = _obsSize;
        for (int x = 0; x < size; x++)
        {
            ReadOnlySpan<double> col = ObservationColumn(x);
            for (int j = 0; j < col.Length; j++) _obsRows[j * size + x] = col[j];
        }
        _rowsDirty = false;
    }
}

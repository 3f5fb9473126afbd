using System.Runtime.CompilerServices;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Policies.Pwa;

/// <summary>
/// A piecewise-affine control law u = clip(F_r·θ + g_r, u_min, u_max) for θ ∈ P_r = {θ : H_r·θ ≤ k_r}, with its
/// parameter definition and output meaning, flattened into contiguous arrays for an allocation-free evaluation.
/// Facet rows are normalised to unit Euclidean length at construction, so <see cref="Tolerance"/> is a distance in θ.
/// <para>
/// Tie rule: θ belongs to region r when every row satisfies H_r,i·θ − k_r,i ≤ <see cref="Tolerance"/>. The sequential
/// search returns the lowest-index region that contains θ; the search tree returns a region that contains θ (the
/// lowest-index candidate of its leaf, and the sequential answer if no candidate does), so both agree wherever θ lies
/// in exactly one region, and on shared facets both return a region containing θ — for a law validated as continuous
/// the outputs then agree to the tolerance. The law is defined on its declared parameter box: a point outside the box
/// (by more than the tolerance), in no region, or with a NaN element gives −1, never an exception.
/// </para>
/// </summary>
public sealed class PwaLaw
{
    private readonly double[] _h;       // all facet rows, n values each, unit length
    private readonly double[] _k;       // offsets, one per row
    private readonly int[] _rowStart;   // region r owns rows [_rowStart[r], _rowStart[r + 1])
    private readonly double[] _f;       // region r: m·n values at r·m·n
    private readonly double[] _g;       // region r: m values at r·m
    private readonly double[] _outMin;
    private readonly double[] _outMax;
    private readonly PwaRegion[] _regions;
    private readonly double[] _boxMin;
    private readonly double[] _boxMax;

    /// <summary>Builds a law; checks dimensions (errors name <paramref name="source"/> and the region).</summary>
    /// <param name="source">File name (or description) used in every error message.</param>
    /// <param name="parameters">θ definition, in order, with the declared box.</param>
    /// <param name="meaning">What the outputs mean.</param>
    /// <param name="outputMin">Lower clip per output (SI unit of the meaning); −∞ allowed.</param>
    /// <param name="outputMax">Upper clip per output; +∞ allowed.</param>
    /// <param name="regions">The regions, in the order that defines the tie rule.</param>
    /// <param name="continuous">True when the law claims continuity across shared facets (validated at load).</param>
    /// <param name="tolerance">Membership tolerance, a distance in θ (SI units of the parameters); ≥ 0.</param>
    public PwaLaw(string source, IReadOnlyList<PwaParameter> parameters, PwaOutputMeaning meaning, double[] outputMin, double[] outputMax,
        IReadOnlyList<PwaRegion> regions, bool continuous, double tolerance)
    {
        Source = source;
        Parameters = parameters.ToArray();
        Meaning = meaning;
        Continuous = continuous;
        Tolerance = tolerance;
        int n = Parameters.Count;
        if (n == 0)
        {
            throw new ConfigException(source, "parameters", "the parameter vector is empty", "list at least one parameter");
        }
        for (int j = 0; j < n; j++)
        {
            PwaParameter p = Parameters[j];
            if (!(p.Min < p.Max) || !double.IsFinite(p.Min) || !double.IsFinite(p.Max))
            {
                throw new ConfigException(source, $"parameters[{j}]", $"box [{p.Min}, {p.Max}] is empty or not finite", "give finite min < max");
            }
        }
        if (regions.Count == 0)
        {
            throw new ConfigException(source, "regions", "the law has no regions", "add at least one region");
        }
        if (!(tolerance >= 0) || !double.IsFinite(tolerance))
        {
            throw new ConfigException(source, "tolerance", $"tolerance {tolerance} is negative or not finite", "use a small non-negative distance such as 1e-9");
        }
        int m = outputMin.Length;
        if (m == 0 || outputMax.Length != m)
        {
            throw new ConfigException(source, "output", $"output bounds have {outputMin.Length} and {outputMax.Length} elements", "give min and max with one value per output");
        }
        int expected = ExpectedOutputs(meaning, m);
        if (expected != m)
        {
            throw new ConfigException(source, "output.meaning", $"{meaning} takes {expected} outputs, the law has {m}", "match the output count to the meaning");
        }
        for (int i = 0; i < m; i++)
        {
            if (!(outputMin[i] <= outputMax[i]))
            {
                throw new ConfigException(source, $"output.min[{i}]", $"min {outputMin[i]} exceeds max {outputMax[i]}", "give min ≤ max");
            }
        }
        OutputCount = m;
        ParameterCount = n;
        _boxMin = Parameters.Select(p => p.Min).ToArray();
        _boxMax = Parameters.Select(p => p.Max).ToArray();
        _outMin = (double[])outputMin.Clone();
        _outMax = (double[])outputMax.Clone();
        _regions = regions.ToArray();
        int rows = 0;
        for (int r = 0; r < _regions.Length; r++)
        {
            PwaRegion reg = _regions[r];
            string at = $"regions[{r}]";
            if (reg.H.Length == 0)
            {
                throw new ConfigException(source, $"{at}.H", $"region {r} has no inequalities", "give H with at least one row (or remove the region)");
            }
            if (reg.K.Length != reg.H.Length)
            {
                throw new ConfigException(source, $"{at}.k", $"region {r}: H has {reg.H.Length} rows but k has {reg.K.Length} values", "give one k per row of H");
            }
            for (int i = 0; i < reg.H.Length; i++)
            {
                if (reg.H[i].Length != n)
                {
                    throw new ConfigException(source, $"{at}.H[{i}]", $"region {r}: row {i} has {reg.H[i].Length} columns, the parameter vector has {n}", $"give {n} values per row (one per parameter)");
                }
                CheckFinite(source, $"{at}.H[{i}]", r, reg.H[i]);
                double norm = Norm(reg.H[i]);
                if (norm == 0)
                {
                    throw new ConfigException(source, $"{at}.H[{i}]", $"region {r}: row {i} is all zeros", "remove the row");
                }
            }
            CheckFinite(source, $"{at}.k", r, reg.K);
            if (reg.F.Length != m || reg.G.Length != m)
            {
                throw new ConfigException(source, $"{at}.F", $"region {r}: F has {reg.F.Length} rows and g {reg.G.Length} values, the law has {m} outputs", $"give {m} rows in F and {m} values in g");
            }
            for (int i = 0; i < m; i++)
            {
                if (reg.F[i].Length != n)
                {
                    throw new ConfigException(source, $"{at}.F[{i}]", $"region {r}: row {i} of F has {reg.F[i].Length} columns, the parameter vector has {n}", $"give {n} values per row");
                }
                CheckFinite(source, $"{at}.F[{i}]", r, reg.F[i]);
            }
            CheckFinite(source, $"{at}.g", r, reg.G);
            rows += reg.H.Length;
        }
        _h = new double[rows * n];
        _k = new double[rows];
        _rowStart = new int[_regions.Length + 1];
        _f = new double[_regions.Length * m * n];
        _g = new double[_regions.Length * m];
        int row = 0;
        for (int r = 0; r < _regions.Length; r++)
        {
            PwaRegion reg = _regions[r];
            _rowStart[r] = row;
            for (int i = 0; i < reg.H.Length; i++, row++)
            {
                double norm = Norm(reg.H[i]);
                for (int j = 0; j < n; j++) _h[row * n + j] = reg.H[i][j] / norm;
                _k[row] = reg.K[i] / norm;
            }
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++) _f[(r * m + i) * n + j] = reg.F[i][j];
                _g[r * m + i] = reg.G[i];
            }
        }
        _rowStart[_regions.Length] = row;
    }

    /// <summary>The file (or description) the law came from; every error names it.</summary>
    public string Source { get; }

    /// <summary>θ definition in order, with the declared parameter box (SI units of each quantity).</summary>
    public IReadOnlyList<PwaParameter> Parameters { get; }

    /// <summary>Number of parameters n (length of θ).</summary>
    public int ParameterCount { get; }

    /// <summary>Number of outputs m.</summary>
    public int OutputCount { get; }

    /// <summary>Number of regions.</summary>
    public int RegionCount => _regions.Length;

    /// <summary>What the outputs mean.</summary>
    public PwaOutputMeaning Meaning { get; }

    /// <summary>True when the law claims continuity across shared facets.</summary>
    public bool Continuous { get; }

    /// <summary>Membership tolerance: a distance in θ (SI units of the parameters).</summary>
    public double Tolerance { get; }

    /// <summary>Lower output clip per output (SI unit of <see cref="Meaning"/>).</summary>
    public ReadOnlySpan<double> OutputMin => _outMin;

    /// <summary>Upper output clip per output (SI unit of <see cref="Meaning"/>).</summary>
    public ReadOnlySpan<double> OutputMax => _outMax;

    /// <summary>The regions as given (rows not normalised).</summary>
    public IReadOnlyList<PwaRegion> Regions => _regions;

    /// <summary>
    /// The declared feasible parameter set beyond the box (null: the whole box). Validation checks coverage of the
    /// domain only; a θ outside it is out of domain like a θ in no region.
    /// </summary>
    public PwaDomain? Domain { get; init; }

    /// <summary>The same law with <paramref name="domain"/> as its declared feasible set (no search tree yet).</summary>
    public PwaLaw WithDomain(PwaDomain? domain) =>
        new(Source, Parameters, Meaning, _outMin, _outMax, _regions, Continuous, Tolerance) { Domain = domain };

    /// <summary>The binary search tree, when one was built or loaded.</summary>
    public PwaSearchTree? Tree { get; private set; }

    /// <summary>Lower corner of the declared parameter box.</summary>
    public double[] BoxMin() => (double[])_boxMin.Clone();

    /// <summary>Upper corner of the declared parameter box.</summary>
    public double[] BoxMax() => (double[])_boxMax.Clone();

    /// <summary>Largest half-width of the parameter box (a length scale for tolerances), SI units of θ.</summary>
    public double BoxScale() => Parameters.Max(p => 0.5 * (p.Max - p.Min));

    /// <summary>Builds the binary search tree (load time; seconds at most for laws of a few hundred regions).</summary>
    public PwaSearchTree BuildTree()
    {
        Tree = PwaSearchTree.Build(this);
        return Tree;
    }

    /// <summary>Number of outputs each meaning takes (for m-flexible meanings, <paramref name="m"/> if allowed).</summary>
    internal static int ExpectedOutputs(PwaOutputMeaning meaning, int m) => meaning switch
    {
        PwaOutputMeaning.DutyDc => m is 1 or 2 ? m : 1,
        PwaOutputMeaning.DutyAbc => 3,
        PwaOutputMeaning.VoltageDc => 1,
        PwaOutputMeaning.VoltageDq => 2,
        PwaOutputMeaning.TorqueSetpoint => 1,
        _ => -1,
    };

    /// <summary>Normalised facet rows of region <paramref name="r"/> as (a, b) pairs (load-time helper).</summary>
    internal void NormalisedRows(int r, out double[,] a, out double[] b)
    {
        int n = ParameterCount;
        int first = _rowStart[r];
        int count = _rowStart[r + 1] - first;
        a = new double[count, n];
        b = new double[count];
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < n; j++) a[i, j] = _h[(first + i) * n + j];
            b[i] = _k[first + i];
        }
    }

    /// <summary>
    /// True when θ lies in region <paramref name="r"/> within <see cref="Tolerance"/> (false for NaN elements).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(int r, ReadOnlySpan<double> theta)
    {
        int n = ParameterCount;
        double tol = Tolerance;
        int end = _rowStart[r + 1];
        ref double h = ref _h[0];
        for (int row = _rowStart[r]; row < end; row++)
        {
            double s = -_k[row];
            int o = row * n;
            for (int j = 0; j < theta.Length; j++) s += Unsafe.Add(ref h, o + j) * theta[j];
            if (!(s <= tol)) return false;
        }
        return true;
    }

    /// <summary>Signed violation max_i (H_r,i·θ − k_r,i) of region <paramref name="r"/> (≤ 0 inside), distance in θ.</summary>
    public double Violation(int r, ReadOnlySpan<double> theta)
    {
        int n = ParameterCount;
        double worst = double.NegativeInfinity;
        for (int row = _rowStart[r]; row < _rowStart[r + 1]; row++)
        {
            double s = -_k[row];
            for (int j = 0; j < n; j++) s += _h[row * n + j] * theta[j];
            worst = Math.Max(worst, s);
        }
        return worst;
    }

    /// <summary>
    /// Sequential search: the lowest-index region containing θ, or −1. θ must have <see cref="ParameterCount"/>
    /// elements. Allocation-free.
    /// </summary>
    public int FindRegionSequential(ReadOnlySpan<double> theta)
    {
        if (!InBox(theta)) return -1;
        for (int r = 0; r < _regions.Length; r++)
        {
            if (Contains(r, theta)) return r;
        }
        return -1;
    }

    /// <summary>Region search through the tree when one exists, else sequential; −1 when θ is in no region.</summary>
    public int FindRegion(ReadOnlySpan<double> theta) => Tree is { } t ? t.Find(this, theta) : FindRegionSequential(theta);

    /// <summary>
    /// True when θ has <see cref="ParameterCount"/> elements inside the declared box (within <see cref="Tolerance"/>);
    /// false for NaN. The law is defined on the box only: a point outside it is out of domain whatever the regions say.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool InBox(ReadOnlySpan<double> theta)
    {
        if (theta.Length != ParameterCount) return false;
        double tol = Tolerance;
        for (int j = 0; j < theta.Length; j++)
        {
            if (!(theta[j] >= _boxMin[j] - tol && theta[j] <= _boxMax[j] + tol)) return false;
        }
        return true;
    }

    /// <summary>
    /// Writes u = clip(F_r·θ + g_r, min, max) into <paramref name="u"/> (at least <see cref="OutputCount"/> long);
    /// returns true when any output was clipped. Allocation-free.
    /// </summary>
    public bool EvaluateRegion(int r, ReadOnlySpan<double> theta, Span<double> u)
    {
        int n = ParameterCount;
        int m = OutputCount;
        bool clipped = false;
        for (int i = 0; i < m; i++)
        {
            int o = (r * m + i) * n;
            double s = _g[r * m + i];
            for (int j = 0; j < n; j++) s += _f[o + j] * theta[j];
            if (s > _outMax[i]) { s = _outMax[i]; clipped = true; }
            else if (s < _outMin[i]) { s = _outMin[i]; clipped = true; }
            u[i] = s;
        }
        return clipped;
    }

    /// <summary>The unclipped affine value F_r·θ + g_r of output <paramref name="i"/> (load-time checks).</summary>
    public double AffineValue(int r, int i, ReadOnlySpan<double> theta)
    {
        int n = ParameterCount;
        int o = (r * OutputCount + i) * n;
        double s = _g[r * OutputCount + i];
        for (int j = 0; j < n; j++) s += _f[o + j] * theta[j];
        return s;
    }

    /// <summary>
    /// Finds the region (tree if built, unless <paramref name="sequential"/>) and evaluates it. Returns the region or −1
    /// (then <paramref name="u"/> is untouched). Allocation-free.
    /// </summary>
    public int Evaluate(ReadOnlySpan<double> theta, Span<double> u, bool sequential, out bool clipped)
    {
        int r = sequential ? FindRegionSequential(theta) : FindRegion(theta);
        clipped = r >= 0 && EvaluateRegion(r, theta, u);
        return r;
    }

    private static double Norm(double[] v)
    {
        double s = 0;
        foreach (double x in v) s += x * x;
        return Math.Sqrt(s);
    }

    private static void CheckFinite(string source, string field, int r, double[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ConfigException(source, $"{field}[{i}]", $"region {r}: value is not finite", "write a finite number");
            }
        }
    }
}

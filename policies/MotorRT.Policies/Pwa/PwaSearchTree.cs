using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MotorRT.Policies.Pwa;

/// <summary>
/// Binary search tree over a PWA law's regions in the style of Tøndel, Johansen and Bemporad (2003): the candidate
/// hyperplanes are the regions' facets; each node splits its cell by the hyperplane that minimises the larger of the
/// two child region sets; a leaf keeps the regions whose intersection with its cell has an interior. Built offline
/// (load time, LPs), then flattened into arrays so that a lookup is log₂(regions) dot products plus a few region checks,
/// without allocation.
/// <para>
/// Lookup: descend (a·θ ≤ b goes left), then test the leaf's candidates in ascending region index; if none contains
/// θ (a point within the tolerance band of a facet, or outside every region), fall back to the sequential search, so
/// the tree never reports "no region" where the sequential search finds one.
/// </para>
/// </summary>
public sealed class PwaSearchTree
{
    private readonly double[] _planes;   // node i: n normal components then b, at i·(n+1)
    private readonly int[] _children;    // node i: left at 2i, right at 2i+1; ≥ 0 node, < 0 leaf ~index
    private readonly int[] _leafStart;   // leaf l owns _leafRegions[_leafStart[l] .. _leafStart[l+1])
    private readonly int[] _leafRegions;
    private readonly int _root;          // ≥ 0 node, < 0 leaf
    private readonly int _n;

    private PwaSearchTree(int n, double[] planes, int[] children, int[] leafStart, int[] leafRegions, int root, int depth)
    {
        _n = n;
        _planes = planes;
        _children = children;
        _leafStart = leafStart;
        _leafRegions = leafRegions;
        _root = root;
        Depth = depth;
    }

    /// <summary>Number of internal nodes.</summary>
    public int NodeCount => _children.Length / 2;

    /// <summary>Number of leaves.</summary>
    public int LeafCount => _leafStart.Length - 1;

    /// <summary>Largest number of hyperplane tests on any root-to-leaf path.</summary>
    public int Depth { get; }

    /// <summary>Largest number of candidate regions in one leaf.</summary>
    public int MaxLeafSize
    {
        get
        {
            int max = 0;
            for (int l = 0; l < LeafCount; l++) max = Math.Max(max, _leafStart[l + 1] - _leafStart[l]);
            return max;
        }
    }

    /// <summary>The region containing θ (see the type's remarks), or −1. Allocation-free.</summary>
    public int Find(PwaLaw law, ReadOnlySpan<double> theta)
    {
        int n = _n;
        if (!law.InBox(theta)) return -1;
        int node = _root;
        ref double planes = ref MemoryMarshal.GetArrayDataReference(_planes); // a one-leaf tree has no planes
        while (node >= 0)
        {
            int o = node * (n + 1);
            double s = -Unsafe.Add(ref planes, o + n);
            for (int j = 0; j < n; j++) s += Unsafe.Add(ref planes, o + j) * theta[j];
            node = _children[2 * node + (s <= 0.0 ? 0 : 1)];
        }
        int leaf = ~node;
        int end = _leafStart[leaf + 1];
        for (int i = _leafStart[leaf]; i < end; i++)
        {
            int r = _leafRegions[i];
            if (law.Contains(r, theta)) return r;
        }
        return law.FindRegionSequential(theta);
    }

    /// <summary>Builds the tree for <paramref name="law"/> (load time).</summary>
    public static PwaSearchTree Build(PwaLaw law)
    {
        var builder = new Builder(law);
        return builder.Run();
    }

    private sealed class Builder
    {
        private readonly PwaLaw _law;
        private readonly int _n;
        private readonly double[] _boxMin;
        private readonly double[] _boxMax;
        private readonly double _eps;
        private readonly List<(double[] A, double B)> _hyperplanes = new();
        private readonly double[][] _regionMin;
        private readonly double[][] _regionMax;
        private readonly List<double> _planes = new();
        private readonly List<int> _children = new();
        private readonly List<int> _leafStart = new() { 0 };
        private readonly List<int> _leafRegions = new();
        private int _depth;

        public Builder(PwaLaw law)
        {
            _law = law;
            _n = law.ParameterCount;
            _boxMin = law.BoxMin();
            _boxMax = law.BoxMax();
            _eps = 1e-9 * law.BoxScale() + law.Tolerance;
            int regions = law.RegionCount;
            _regionMin = new double[regions][];
            _regionMax = new double[regions][];
            for (int r = 0; r < regions; r++)
            {
                law.NormalisedRows(r, out double[,] a, out double[] b);
                for (int i = 0; i < b.Length; i++)
                {
                    var normal = new double[_n];
                    for (int j = 0; j < _n; j++) normal[j] = a[i, j];
                    AddHyperplane(normal, b[i]);
                }
                // Bounding box of the region inside the parameter box: a cheap pre-filter for the side tests.
                _regionMin[r] = new double[_n];
                _regionMax[r] = new double[_n];
                for (int j = 0; j < _n; j++)
                {
                    var e = new double[_n];
                    e[j] = 1.0;
                    _regionMin[r][j] = Extreme(r, [], e, +1, out bool okMin) ?? _boxMin[j];
                    _regionMax[r][j] = Extreme(r, [], e, -1, out bool okMax) ?? _boxMax[j];
                    if (!okMin || !okMax) { _regionMin[r][j] = _boxMin[j]; _regionMax[r][j] = _boxMax[j]; }
                }
            }
        }

        public PwaSearchTree Run()
        {
            var all = new List<int>();
            for (int r = 0; r < _law.RegionCount; r++) all.Add(r);
            int root = Grow(all, new List<(double[] A, double B)>(), 0);
            return new PwaSearchTree(_n, _planes.ToArray(), _children.ToArray(), _leafStart.ToArray(), _leafRegions.ToArray(), root, _depth);
        }

        private void AddHyperplane(double[] a, double b)
        {
            // Canonical sign: first non-zero component positive; duplicates (to 1e-9) are dropped.
            int first = Array.FindIndex(a, v => Math.Abs(v) > 1e-12);
            if (first >= 0 && a[first] < 0)
            {
                for (int j = 0; j < a.Length; j++) a[j] = -a[j];
                b = -b;
            }
            double bScale = 1e-9 * Math.Max(1.0, _law.BoxScale());
            foreach ((double[] A, double B) h in _hyperplanes)
            {
                bool same = Math.Abs(h.B - b) <= bScale;
                for (int j = 0; same && j < a.Length; j++) same = Math.Abs(h.A[j] - a[j]) <= 1e-9;
                if (same) return;
            }
            _hyperplanes.Add((a, b));
        }

        private int Grow(List<int> regions, List<(double[] A, double B)> cell, int depth)
        {
            _depth = Math.Max(_depth, depth);
            if (regions.Count > 1 && depth < 64)
            {
                int bestPlane = -1;
                int bestMax = regions.Count;
                int bestSum = int.MaxValue;
                List<int>? bestLeft = null, bestRight = null;
                for (int h = 0; h < _hyperplanes.Count; h++)
                {
                    (double[] a, double b) = _hyperplanes[h];
                    var left = new List<int>();
                    var right = new List<int>();
                    foreach (int r in regions)
                    {
                        Side(r, cell, a, b, out bool l, out bool rt);
                        if (l) left.Add(r);
                        if (rt) right.Add(r);
                        if (left.Count >= bestMax && right.Count >= bestMax) break;
                    }
                    int max = Math.Max(left.Count, right.Count);
                    int sum = left.Count + right.Count;
                    if (left.Count == 0 || right.Count == 0) continue;
                    if (max < bestMax || (max == bestMax && sum < bestSum))
                    {
                        bestPlane = h;
                        bestMax = max;
                        bestSum = sum;
                        bestLeft = left;
                        bestRight = right;
                    }
                }
                if (bestPlane >= 0 && bestMax < regions.Count)
                {
                    (double[] a, double b) = _hyperplanes[bestPlane];
                    int node = _children.Count / 2;
                    _children.Add(0);
                    _children.Add(0);
                    _planes.AddRange(a);
                    _planes.Add(b);
                    var leftCell = new List<(double[] A, double B)>(cell) { (a, b) };
                    var neg = new double[_n];
                    for (int j = 0; j < _n; j++) neg[j] = -a[j];
                    var rightCell = new List<(double[] A, double B)>(cell) { (neg, -b) };
                    int l = Grow(bestLeft!, leftCell, depth + 1);
                    int rt = Grow(bestRight!, rightCell, depth + 1);
                    _children[2 * node] = l;
                    _children[2 * node + 1] = rt;
                    return node;
                }
            }
            int leaf = _leafStart.Count - 1;
            _leafRegions.AddRange(regions);
            _leafStart.Add(_leafRegions.Count);
            return ~leaf;
        }

        /// <summary>Whether region r ∩ cell has an interior on the left (a·θ &lt; b) and/or right side.</summary>
        private void Side(int r, List<(double[] A, double B)> cell, double[] a, double b, out bool left, out bool right)
        {
            double lo = 0, hi = 0;
            for (int j = 0; j < _n; j++)
            {
                double p = a[j] * _regionMin[r][j], q = a[j] * _regionMax[r][j];
                lo += Math.Min(p, q);
                hi += Math.Max(p, q);
            }
            if (hi <= b + _eps) { left = true; right = false; return; }
            if (lo >= b - _eps) { left = false; right = true; return; }
            double? min = Extreme(r, cell, a, +1, out bool ok1);
            double? max = Extreme(r, cell, a, -1, out bool ok2);
            if (!ok1 || !ok2 || min is null || max is null)
            {
                // Region has no interior in this cell any more (numerically): keep it on both sides, harmless.
                left = right = true;
                return;
            }
            left = min.Value < b - _eps;
            right = max.Value > b + _eps;
            if (!left && !right)
            {
                left = true; // degenerate sliver: keep it somewhere
            }
        }

        /// <summary>min (sign=+1) or max (sign=−1) of a·θ over region r ∩ cell ∩ box.</summary>
        private double? Extreme(int r, List<(double[] A, double B)> cell, double[] a, int sign, out bool ok)
        {
            _law.NormalisedRows(r, out double[,] ra, out double[] rb);
            int rows = rb.Length + cell.Count + 2 * _n;
            var A = new double[rows, _n];
            var B = new double[rows];
            int i = 0;
            for (int k = 0; k < rb.Length; k++, i++)
            {
                for (int j = 0; j < _n; j++) A[i, j] = ra[k, j];
                B[i] = rb[k];
            }
            foreach ((double[] ca, double cb) in cell)
            {
                for (int j = 0; j < _n; j++) A[i, j] = ca[j];
                B[i] = cb;
                i++;
            }
            for (int j = 0; j < _n; j++)
            {
                A[i, j] = 1.0; B[i] = _boxMax[j]; i++;
                A[i, j] = -1.0; B[i] = -_boxMin[j]; i++;
            }
            var c = new double[_n];
            for (int j = 0; j < _n; j++) c[j] = sign * a[j];
            LpStatus status = LinearProgram.Minimize(A, B, c, out _, out double value);
            ok = status == LpStatus.Optimal;
            return ok ? sign * value : null;
        }
    }
}

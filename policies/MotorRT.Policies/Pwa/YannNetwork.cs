using MotorRT.Contracts.Configuration;

namespace MotorRT.Policies.Pwa;

/// <summary>One dense layer y = act(W·x + b) of a <see cref="YannNetwork"/>, W row-major [outputs, inputs].</summary>
/// <param name="Inputs">Input width.</param>
/// <param name="Outputs">Output width.</param>
/// <param name="Weights">Weights, row-major [Outputs, Inputs].</param>
/// <param name="Bias">Biases [Outputs].</param>
/// <param name="Relu">True: ReLU after the affine map; false: linear (the last layer).</param>
public sealed record YannLayer(int Inputs, int Outputs, double[] Weights, double[] Bias, bool Relu);

/// <summary>
/// A continuous PWA law as an exact ReLU network, after the YANN construction (constraint, region and selection
/// layers). Input x = θ ⊘ s (each parameter divided by its scale s_j, as an ONNX sidecar's observation limits do).
/// <list type="number">
/// <item><b>Constraint layer</b>: one ReLU per region facet, c_{r,i} = max(0, h_{r,i}·θ − k_{r,i}) (unit-length rows, so
/// a distance in θ), plus max(0, ±x_j) to carry θ forward.</item>
/// <item><b>Region layer</b>: per region r and output o the candidate v_{r,o} = F_{r,o}·θ + g_{r,o} − M_{r,o}·Σ_i c_{r,i}:
/// the region's own affine law where θ ∈ P_r (every c_{r,i} = 0), pushed down elsewhere.</item>
/// <item><b>Selection layers</b>: u_o = max_r v_{r,o} by a tournament of ReLU pairs, max(a, b) = max(0, a − b) + max(0, b)
/// − max(0, −b), ⌈log₂ R⌉ layers; then the output clip lo + max(0, u − lo) − max(0, u − hi).</item>
/// </list>
/// Exactness: u* = max_r v_r needs y_r(θ) − u*(θ) ≤ M_r·V_r(θ) for every θ in the domain (V_r = Σ_i c_{r,i}); the
/// smallest such M_r is computed, never assumed: for each other region q, sup over θ ∈ P_q ∩ domain of
/// (y_r − y_q)(θ) / V_r(θ) is a linear-fractional program, an LP after the Charnes–Cooper substitution θ = y/s
/// (maximise (F_r − F_q)·y + (g_r − g_q)·s subject to P_q, box and domain scaled by s, t_i ≥ h_{r,i}·y − k_{r,i}·s, t ≥ 0,
/// Σ t_i ≤ 1). It is finite because the law is continuous; M_{r,o} is the largest over q (times 1 + 1e-6).
/// Offline code.
/// </summary>
public sealed class YannNetwork
{
    private YannNetwork(IReadOnlyList<YannLayer> layers, double[,] bigM, double[] scale, int lps)
    {
        Layers = layers;
        BigM = bigM;
        InputScale = scale;
        LinearPrograms = lps;
    }

    /// <summary>Layers from input to output.</summary>
    public IReadOnlyList<YannLayer> Layers { get; }

    /// <summary>The computed big-M per region and output, in the output's SI unit per unit of θ-distance.</summary>
    public double[,] BigM { get; }

    /// <summary>Scale s_j of each input: x_j = θ_j / s_j (SI unit of parameter j).</summary>
    public double[] InputScale { get; }

    /// <summary>Number of LPs solved for the big-M values.</summary>
    public int LinearPrograms { get; }

    /// <summary>Builds the network of a continuous law; <paramref name="scale"/> per parameter (default: max |box bound|).</summary>
    public static YannNetwork Build(PwaLaw law, double[]? scale = null)
    {
        if (!law.Continuous)
        {
            throw new ConfigException(law.Source, "continuous", "the law is not declared continuous; an exact max-selection ReLU network needs a continuous law", "use a continuous law (an explicit MPC is)");
        }
        int n = law.ParameterCount, m = law.OutputCount, nr = law.RegionCount;
        double[] s = scale ?? law.Parameters.Select(p => Math.Max(Math.Abs(p.Min), Math.Abs(p.Max))).ToArray();
        var rows = new (double[,] A, double[] B)[nr];
        for (int r = 0; r < nr; r++)
        {
            law.NormalisedRows(r, out double[,] a, out double[] b);
            rows[r] = (a, b);
        }
        // Big-M by LP per (region, other region, output).
        var bigM = new double[nr, m];
        int lps = 0;
        double[] boxMin = law.BoxMin(), boxMax = law.BoxMax();
        for (int r = 0; r < nr; r++)
        {
            for (int q = 0; q < nr; q++)
            {
                if (q == r) continue;
                for (int o = 0; o < m; o++)
                {
                    lps++;
                    double ratio = MaxRatio(law, rows[r], rows[q], r, q, o, boxMin, boxMax);
                    if (double.IsPositiveInfinity(ratio))
                    {
                        throw new ConfigException(law.Source, $"regions[{r}]",
                            $"no finite big-M: the law of region {r} exceeds that of region {q} where region {r}'s facets are met (output {o}); the law is not continuous there",
                            "check continuity with `motorrt pwa check`");
                    }
                    bigM[r, o] = Math.Max(bigM[r, o], ratio);
                }
            }
            for (int o = 0; o < m; o++) bigM[r, o] = bigM[r, o] * 1.05 + 1e-9;
        }
        var layers = new List<YannLayer>();
        // Layer 1: facets, then ±x.
        int facets = rows.Sum(x => x.B.Length);
        int w1 = facets + 2 * n;
        var wt1 = new double[w1 * n];
        var b1 = new double[w1];
        int row = 0;
        for (int r = 0; r < nr; r++)
        {
            for (int i = 0; i < rows[r].B.Length; i++, row++)
            {
                for (int j = 0; j < n; j++) wt1[row * n + j] = rows[r].A[i, j] * s[j];
                b1[row] = -rows[r].B[i];
            }
        }
        for (int j = 0; j < n; j++)
        {
            wt1[(facets + 2 * j) * n + j] = 1;
            wt1[(facets + 2 * j + 1) * n + j] = -1;
        }
        layers.Add(new YannLayer(n, w1, wt1, b1, true));
        // Layer 2: candidates v_{r,o} as ± pairs; θ_j = s_j·(x⁺_j − x⁻_j).
        var values = new List<(double[] W, double B)>(); // linear functionals of the current layer's outputs
        for (int o = 0; o < m; o++)
        {
            for (int r = 0; r < nr; r++)
            {
                var w = new double[w1];
                PwaRegion reg = law.Regions[r];
                for (int j = 0; j < n; j++)
                {
                    w[facets + 2 * j] = reg.F[o][j] * s[j];
                    w[facets + 2 * j + 1] = -reg.F[o][j] * s[j];
                }
                int first = rows.Take(r).Sum(x => x.B.Length);
                for (int i = 0; i < rows[r].B.Length; i++) w[first + i] = -bigM[r, o];
                values.Add((w, reg.G[o]));
            }
        }
        // Selection: per output a tournament over its nr candidates.
        var groups = Enumerable.Range(0, m).Select(o => Enumerable.Range(o * nr, nr).ToList()).ToList();
        int width = w1;
        while (groups.Any(g => g.Count > 1))
        {
            (YannLayer layer, List<(double[] W, double B)> next, List<List<int>> nextGroups) = Tournament(values, groups, width);
            layers.Add(layer);
            values = next;
            groups = nextGroups;
            width = layer.Outputs;
        }
        // Clip: lo + max(0, u − lo) − max(0, u − hi), then the linear output layer.
        var wc = new double[2 * m * width];
        var bc = new double[2 * m];
        for (int o = 0; o < m; o++)
        {
            (double[] w, double b) = values[groups[o][0]];
            double lo = Finite(law.OutputMin[o], -1e6), hi = Finite(law.OutputMax[o], 1e6);
            Array.Copy(w, 0, wc, 2 * o * width, width);
            Array.Copy(w, 0, wc, (2 * o + 1) * width, width);
            bc[2 * o] = b - lo;
            bc[2 * o + 1] = b - hi;
        }
        layers.Add(new YannLayer(width, 2 * m, wc, bc, true));
        var wo = new double[m * 2 * m];
        var bo = new double[m];
        for (int o = 0; o < m; o++)
        {
            wo[o * 2 * m + 2 * o] = 1;
            wo[o * 2 * m + 2 * o + 1] = -1;
            bo[o] = Finite(law.OutputMin[o], -1e6);
        }
        layers.Add(new YannLayer(2 * m, m, wo, bo, false));
        return new YannNetwork(layers, bigM, s, lps);
    }

    /// <summary>Runs the network in double precision on θ (SI units); allocates (checking only).</summary>
    public double[] Evaluate(ReadOnlySpan<double> theta)
    {
        double[] x = new double[theta.Length];
        for (int j = 0; j < x.Length; j++) x[j] = theta[j] / InputScale[j];
        return Forward(Layers, x);
    }

    /// <summary>Runs <paramref name="layers"/> in double precision on <paramref name="input"/> (the first layer's input units); allocates (checking only).</summary>
    public static double[] Forward(IReadOnlyList<YannLayer> layers, ReadOnlySpan<double> input)
    {
        ArgumentNullException.ThrowIfNull(layers);
        double[] x = input.ToArray();
        foreach (YannLayer l in layers)
        {
            var y = new double[l.Outputs];
            for (int o = 0; o < l.Outputs; o++)
            {
                double acc = l.Bias[o];
                for (int i = 0; i < l.Inputs; i++) acc += l.Weights[o * l.Inputs + i] * x[i];
                y[o] = l.Relu ? Math.Max(0, acc) : acc;
            }
            x = y;
        }
        return x;
    }

    private static (YannLayer, List<(double[] W, double B)>, List<List<int>>) Tournament(List<(double[] W, double B)> values, List<List<int>> groups, int width)
    {
        var neurons = new List<(double[] W, double B)>();
        var next = new List<(double[] W, double B)>();
        var nextGroups = new List<List<int>>();
        foreach (List<int> g in groups)
        {
            var ng = new List<int>();
            for (int k = 0; k < g.Count; k += 2)
            {
                (double[] wa, double ba) = values[g[k]];
                int at = neurons.Count;
                if (k + 1 < g.Count)
                {
                    (double[] wb, double bb) = values[g[k + 1]];
                    neurons.Add((wa.Zip(wb, (x, y) => x - y).ToArray(), ba - bb)); // max(0, a − b)
                    neurons.Add((wb, bb));                                          // max(0, b)
                    neurons.Add((wb.Select(v => -v).ToArray(), -bb));               // max(0, −b)
                    next.Add((Selector(at, [1, 1, -1]), 0));
                }
                else
                {
                    neurons.Add((wa, ba));
                    neurons.Add((wa.Select(v => -v).ToArray(), -ba));
                    next.Add((Selector(at, [1, -1]), 0));
                }
                ng.Add(next.Count - 1);
            }
            nextGroups.Add(ng);
        }
        int outs = neurons.Count;
        var w = new double[outs * width];
        var b = new double[outs];
        for (int i = 0; i < outs; i++)
        {
            Array.Copy(neurons[i].W, 0, w, i * width, width);
            b[i] = neurons[i].B;
        }
        // The selectors address this layer's outputs; widen them now that the width is known.
        for (int i = 0; i < next.Count; i++)
        {
            var full = new double[outs];
            double[] sel = next[i].W;
            Array.Copy(sel, full, sel.Length);
            next[i] = (full, 0);
        }
        return (new YannLayer(width, outs, w, b, true), next, nextGroups);
    }

    private static double[] Selector(int at, double[] coefficients)
    {
        var v = new double[at + coefficients.Length];
        for (int i = 0; i < coefficients.Length; i++) v[at + i] = coefficients[i];
        return v;
    }

    private static double Finite(double v, double fallback) => double.IsFinite(v) ? v : fallback;

    /// <summary>sup over θ ∈ P_q ∩ box ∩ domain of (y_r − y_q)(θ) / V_r(θ), by the Charnes–Cooper LP (0 if never positive).</summary>
    private static double MaxRatio(PwaLaw law, (double[,] A, double[] B) pr, (double[,] A, double[] B) pq, int r, int q, int o,
        double[] boxMin, double[] boxMax)
    {
        int n = law.ParameterCount;
        int fr = pr.B.Length, fq = pq.B.Length;
        PwaDomain? d = law.Domain;
        int fd = d?.K.Length ?? 0;
        // Variables: y (n), s, t (fr).
        int vars = n + 1 + fr;
        int cons = fq + 2 * n + fd + fr + fr + 1 + 2;
        var a = new double[cons, vars];
        var b = new double[cons];
        int c = 0;
        for (int i = 0; i < fq; i++, c++)
        {
            for (int j = 0; j < n; j++) a[c, j] = pq.A[i, j];
            a[c, n] = -pq.B[i];
        }
        for (int j = 0; j < n; j++)
        {
            a[c, j] = 1; a[c, n] = -boxMax[j]; c++;
            a[c, j] = -1; a[c, n] = boxMin[j]; c++;
        }
        for (int i = 0; i < fd; i++, c++)
        {
            double norm = Math.Sqrt(d!.H[i].Sum(v => v * v));
            for (int j = 0; j < n; j++) a[c, j] = d.H[i][j] / norm;
            a[c, n] = -d.K[i] / norm;
        }
        for (int i = 0; i < fr; i++, c++)
        {
            // h·y − k·s − t_i ≤ 0
            for (int j = 0; j < n; j++) a[c, j] = pr.A[i, j];
            a[c, n] = -pr.B[i];
            a[c, n + 1 + i] = -1;
        }
        for (int i = 0; i < fr; i++, c++) a[c, n + 1 + i] = -1; // t ≥ 0
        for (int i = 0; i < fr; i++) a[c, n + 1 + i] = 1;       // Σ t ≤ 1
        b[c++] = 1;
        a[c++, n] = -1;                                          // s ≥ 0
        a[c, n] = 1;                                             // s ≤ cap: keeps the LP bounded at rounding-level discontinuities
        b[c] = 1e9 / law.BoxScale();
        var cost = new double[vars];
        PwaRegion rr = law.Regions[r], rq = law.Regions[q];
        for (int j = 0; j < n; j++) cost[j] = -(rr.F[o][j] - rq.F[o][j]);
        cost[n] = -(rr.G[o] - rq.G[o]);
        LpStatus status = LinearProgram.Minimize(a, b, cost, out _, out double value);
        if (status == LpStatus.Infeasible) return 0;
        if (status == LpStatus.Unbounded) return double.PositiveInfinity;
        return Math.Max(0, -value);
    }
}

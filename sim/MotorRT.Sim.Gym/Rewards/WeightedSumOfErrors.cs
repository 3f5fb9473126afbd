namespace MotorRT.Sim.Gym.Rewards;

/// <summary>A GEM reward function: bound to the state layout once, then evaluated per step without allocating.</summary>
public interface IRewardFunction
{
    /// <summary>GEM's set_modules: binds to the layout and the states the reference generator references.</summary>
    void Bind(StateLayout layout, IReadOnlyList<string> referencedStates);

    /// <summary>
    /// The reward of step <paramref name="k"/> for the normalised state and GEM's reference array (one entry per
    /// state, 0 for unreferenced ones), with the constraints' violation degree in [0, 1].
    /// </summary>
    double Reward(ReadOnlySpan<double> state, ReadOnlySpan<double> reference, long k, double violationDegree);
}

/// <summary>
/// GEM's WeightedSumOfErrors: r = (1 − d)·r_wse + d·r_violation with r_wse = −Σ_j w_j·(|s_j − s*_j| / l_j)^n_j + b,
/// l_j = state space high − low (2 for states that can be negative, 1 for [0, 1] states), over the full normalised
/// state. r_violation = min(r_min / (1 − γ), 0) unless given (r_min = reward range low: −Σw + b, or −1 + b normed).
/// The terms are summed in numpy's pairwise order (eight accumulators from eight elements); with GEM's default
/// weights (at most two non-zero terms) every order gives the same sum.
/// </summary>
public sealed class WeightedSumOfErrors : IRewardFunction
{
    private readonly IReadOnlyDictionary<string, double>? _weightsByName;
    private readonly IReadOnlyDictionary<string, double>? _powersByName;
    private readonly double _power, _gamma;
    private readonly double? _violationArg;
    private readonly bool _normed, _positiveBias;
    private double _bias;
    private double[] _w = [], _n = [], _len = [], _terms = [];

    /// <summary>Creates the reward function (GEM defaults: weights 1/n on the referenced states, power 1, γ 0.9, bias 0).</summary>
    /// <param name="rewardWeights">Weight per state name (others 0); null = equal weights summing to 1 on the referenced states.</param>
    /// <param name="rewardPower">Power n for every state (dimensionless).</param>
    /// <param name="rewardPowers">Power per state name (overrides <paramref name="rewardPower"/> for those states).</param>
    /// <param name="gamma">Discount factor γ from which the violation reward is derived.</param>
    /// <param name="violationReward">Reward at a full violation; null = min(r_min / (1 − γ), 0).</param>
    /// <param name="bias">Bias b added to r_wse; NaN = GEM's 'positive' (b = Σw, or 1 normed).</param>
    /// <param name="normedRewardWeights">Divide the weights by their sum.</param>
    public WeightedSumOfErrors(IReadOnlyDictionary<string, double>? rewardWeights = null, double rewardPower = 1.0, IReadOnlyDictionary<string, double>? rewardPowers = null,
        double gamma = 0.9, double? violationReward = null, double bias = 0.0, bool normedRewardWeights = false)
    {
        _weightsByName = rewardWeights;
        _power = rewardPower;
        _powersByName = rewardPowers;
        _gamma = gamma;
        _violationArg = violationReward;
        _positiveBias = double.IsNaN(bias);
        _bias = _positiveBias ? 0 : bias;
        _normed = normedRewardWeights;
    }

    /// <summary>Weight per state after <see cref="Bind"/>.</summary>
    public ReadOnlySpan<double> Weights => _w;

    /// <summary>Reward power n_j per state after <see cref="Bind"/>.</summary>
    public ReadOnlySpan<double> Powers => _n;

    /// <summary>State length l_j per state after <see cref="Bind"/>.</summary>
    public ReadOnlySpan<double> StateLengths => _len;

    /// <summary>Lowest and highest r_wse (GEM's reward_range).</summary>
    public (double Low, double High) RewardRange { get; private set; }

    /// <summary>The reward of a full constraint violation.</summary>
    public double ViolationReward { get; private set; }

    /// <summary>The bias b after <see cref="Bind"/>.</summary>
    public double Bias => _bias;

    /// <inheritdoc/>
    public void Bind(StateLayout layout, IReadOnlyList<string> referencedStates)
    {
        int n = layout.Count;
        _w = new double[n];
        _n = new double[n];
        _len = new double[n];
        _terms = new double[n];
        for (int j = 0; j < n; j++) _len[j] = layout.High[j] - layout.Low[j];
        Array.Fill(_n, _power);
        if (_powersByName is not null) foreach (var (name, p) in _powersByName) _n[layout.IndexOf(name)] = p;
        if (_weightsByName is not null) foreach (var (name, w) in _weightsByName) _w[layout.IndexOf(name)] = w;
        else if (referencedStates.Count > 0) foreach (string name in referencedStates) _w[layout.IndexOf(name)] = 1.0 / referencedStates.Count;
        else Array.Fill(_w, 1.0 / n);
        double sum = 0;
        foreach (double w in _w) sum += w; // GEM: Python's sum(), left to right
        if (_normed)
        {
            if (_positiveBias) _bias = 1;
            for (int j = 0; j < n; j++) _w[j] /= sum;
            RewardRange = (-1 + _bias, _bias);
        }
        else
        {
            if (_positiveBias) _bias = sum;
            RewardRange = (-sum + _bias, _bias);
        }
        ViolationReward = _violationArg ?? Math.Min(RewardRange.Low / (1.0 - _gamma), 0);
    }

    /// <inheritdoc/>
    public double Reward(ReadOnlySpan<double> state, ReadOnlySpan<double> reference, long k, double violationDegree) =>
        (1.0 - violationDegree) * WseReward(state, reference) + violationDegree * ViolationReward;

    /// <summary>r_wse of a normalised state against GEM's reference array.</summary>
    public double WseReward(ReadOnlySpan<double> state, ReadOnlySpan<double> reference)
    {
        for (int j = 0; j < _terms.Length; j++) _terms[j] = _w[j] * Math.Pow(Math.Abs(state[j] - reference[j]) / _len[j], _n[j]);
        return -NumpySum(_terms) + _bias;
    }

    /// <summary>numpy's pairwise summation of a float64 array (as np.sum adds up to 128 elements).</summary>
    public static double NumpySum(ReadOnlySpan<double> a)
    {
        int n = a.Length;
        if (n < 8)
        {
            double res = 0.0;
            for (int i = 0; i < n; i++) res += a[i];
            return res;
        }
        if (n > 128) throw new ArgumentException("numpy's pairwise sum splits above 128 elements; not needed for GEM's state vectors");
        double r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3], r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7];
        int k;
        for (k = 8; k < n - n % 8; k += 8)
        {
            r0 += a[k]; r1 += a[k + 1]; r2 += a[k + 2]; r3 += a[k + 3];
            r4 += a[k + 4]; r5 += a[k + 5]; r6 += a[k + 6]; r7 += a[k + 7];
        }
        double s = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
        for (; k < n; k++) s += a[k];
        return s;
    }
}

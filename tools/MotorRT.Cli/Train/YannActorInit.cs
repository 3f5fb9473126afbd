using System.Globalization;
using MotorRT.Cli.Errors;
using MotorRT.Contracts;
using MotorRT.Policies.Pwa;
using MotorRT.Policies.Training.Export;
using MotorRT.Policies.Training.Rl;
using MotorRT.Sim.Gym;

namespace MotorRT.Cli.Train;

/// <summary>
/// YANN-RL's initial actor: the exact ReLU network of an explicit MPC law (<see cref="YannNetwork"/>) rewritten for a
/// GEM environment's observation and action. First layer: the law's input x_j = θ_j / s_j with θ_j = o_k · limit_k
/// (o_k the GEM observation element of the law's parameter j, limit_k its GEM limit), so W′[:, k] = W[:, j] · limit_k /
/// s_j and the columns of observation elements the law does not read are zero. Last layer: the law's voltage u (V)
/// as GEM's duty d = u / u_sup (the supply's nominal voltage, the 4QC's u = d·u_sup), output Clip to [−1, 1] (the
/// network already clips u to the law's output box). Also the law itself as a policy, for the "law alone" row.
/// </summary>
internal sealed class YannActorInit
{
    private readonly PwaLaw _law;
    private readonly YannNetwork _net;
    private readonly int[] _obsIndex;
    private readonly double[] _obsLimit;
    private readonly double _supply;

    private YannActorInit(PwaLaw law, YannNetwork net, int[] obsIndex, double[] obsLimit, double supply, DenseNetwork actor)
    {
        _law = law;
        _net = net;
        _obsIndex = obsIndex;
        _obsLimit = obsLimit;
        _supply = supply;
        Actor = actor;
    }

    /// <summary>The initial actor (float32, ReLU hidden layers, Clip output).</summary>
    public DenseNetwork Actor { get; }

    /// <summary>The law.</summary>
    public PwaLaw Law => _law;

    /// <summary>The YANN network's widths, input to output (the law's parameters in, one voltage out).</summary>
    public IReadOnlyList<int> YannSizes => [_net.Layers[0].Inputs, .. _net.Layers.Select(l => l.Outputs)];

    /// <summary>GEM's supply voltage by which the law's voltage becomes a duty, V.</summary>
    public double SupplyVoltage => _supply;

    /// <summary>For each law parameter, the GEM observation name it reads.</summary>
    public IReadOnlyList<string> ObservationOf { get; private init; } = [];

    /// <summary>
    /// Loads the law <paramref name="lawPath"/> and builds the actor for <paramref name="env"/>; errors name
    /// <c>actor_init.yann_law</c> (the law's parameter the environment does not observe, a non-voltage law, an AC
    /// environment).
    /// </summary>
    public static YannActorInit Build(string lawPath, string configPath, GemEnv env)
    {
        string field = $"{configPath}: actor_init.yann_law";
        PwaLaw law = PwaLawFile.Load(lawPath);
        if (law.Meaning != PwaOutputMeaning.VoltageDc || law.OutputCount != 1)
        {
            throw CliException.Input($"{field}: {Path.GetFileName(lawPath)} outputs {PwaLawFile.MeaningNames[(int)law.Meaning]} ({law.OutputCount} values); YANN-RL initialises a DC duty actor from a voltage_dc law",
                "build a DC current or speed law with `motorrt mpc build <config> --loop dc-current` (or dc-speed)");
        }
        if (!env.Plant.Motor.IsDc || env.ActionCount != 1)
        {
            throw CliException.Input($"{field}: {env.Spec.Id} has {env.ActionCount} actions; a voltage_dc law drives one DC duty", "use a DC environment such as Cont-CC-PermExDc-v0");
        }
        IReadOnlyList<string> names = env.ObservationNames;
        int states = env.Layout.Count;
        int n = law.ParameterCount;
        var index = new int[n];
        var limit = new double[n];
        var reads = new string[n];
        for (int j = 0; j < n; j++)
        {
            ObservationQuantity q = law.Parameters[j].Quantity;
            int k = -1;
            for (int i = 0; i < names.Count && k < 0; i++)
            {
                if (GemPolicyContract.QuantityOf(names[i]) == q) k = i;
            }
            if (k < 0)
            {
                throw CliException.Input($"{field}: the law's parameter {j} ({q}) is not in {env.Spec.Id}'s observation ({string.Join(", ", names)})",
                    "build the law for the environment's loop (a current law reads i, ref_i and omega) or train on an environment that observes it");
            }
            string state = k < states ? names[k] : names[k]["ref_".Length..];
            index[j] = k;
            limit[j] = env.Layout.Limits[env.Layout.IndexOf(state)];
            reads[j] = names[k];
        }
        double supply = env.Plant.Spec.Supply.NominalVoltage;
        YannNetwork net = YannNetwork.Build(law);
        DenseNetwork actor = DenseNetwork.FromMlp(ToActorMlp(net, index, limit, names.Count, supply));
        return new YannActorInit(law, net, index, limit, supply, actor) { ObservationOf = reads };
    }

    private static Mlp ToActorMlp(YannNetwork net, int[] index, double[] limit, int observations, double supply)
    {
        var layers = new List<MlpLayer>();
        int last = net.Layers.Count - 1;
        for (int l = 0; l <= last; l++)
        {
            YannLayer y = net.Layers[l];
            double k = l == last ? 1.0 / supply : 1.0; // volts → duty
            double[] w = y.Weights;
            int inputs = y.Inputs;
            if (l == 0)
            {
                // x_j = θ_j / s_j = o_k · limit_k / s_j: the law's input columns moved onto the observation's.
                inputs = observations;
                w = new double[y.Outputs * observations];
                for (int r = 0; r < y.Outputs; r++)
                {
                    for (int j = 0; j < y.Inputs; j++) w[r * observations + index[j]] += y.Weights[r * y.Inputs + j] * limit[j] / net.InputScale[j];
                }
            }
            layers.Add(new MlpLayer(inputs, y.Outputs, [.. w.Select(v => (float)(v * k))], [.. y.Bias.Select(v => (float)(v * k))],
                l == last ? MlpActivation.Clip : y.Relu ? MlpActivation.Relu : MlpActivation.Identity));
        }
        return new Mlp(layers);
    }

    /// <summary>The law's parameters θ (SI) read from a GEM observation.</summary>
    private void Theta(ReadOnlySpan<float> observation, Span<double> theta)
    {
        for (int j = 0; j < theta.Length; j++) theta[j] = observation[_obsIndex[j]] * _obsLimit[j];
    }

    /// <summary>
    /// The law's duty at <paramref name="observation"/>: u(θ)/u_sup clamped to [−1, 1]; false outside the law's domain
    /// (then <paramref name="duty"/> is the YANN network's continuous extension, in double precision).
    /// </summary>
    public bool LawDuty(ReadOnlySpan<float> observation, out double duty)
    {
        Span<double> theta = stackalloc double[_law.ParameterCount];
        Span<double> u = stackalloc double[1];
        Theta(observation, theta);
        bool inside = _law.Evaluate(theta, u, false, out _) >= 0;
        double v = inside ? u[0] : _net.Evaluate(theta)[0];
        duty = Math.Clamp(v / _supply, -1.0, 1.0);
        return inside;
    }

    /// <summary>
    /// Largest |d_actor − d_law| over <paramref name="samples"/> seeded uniform points θ of the law's domain (the other
    /// observation elements uniform in [−1, 1], to show they do not matter): the check that the actor is the law.
    /// </summary>
    public (int Points, double MaxDeltaDuty) Verify(DenseNetwork actor, int samples, ulong seed)
    {
        int n = _law.ParameterCount, no = actor.InputSize;
        var rng = new SplitMix64Rng(seed);
        double[] lo = _law.BoxMin(), hi = _law.BoxMax();
        var theta = new double[n];
        var u = new double[1];
        var obs = new float[no];
        int points = 0;
        double worst = 0;
        for (int s = 0; s < samples; s++)
        {
            for (int j = 0; j < n; j++) theta[j] = lo[j] + (hi[j] - lo[j]) * rng.NextDouble();
            if (_law.Evaluate(theta, u, false, out _) < 0) continue;
            for (int k = 0; k < no; k++) obs[k] = (float)(2 * rng.NextDouble() - 1);
            for (int j = 0; j < n; j++) obs[_obsIndex[j]] = (float)(theta[j] / _obsLimit[j]);
            Theta(obs, theta); // θ as the float32 observation carries it
            if (_law.Evaluate(theta, u, false, out _) < 0) continue;
            float d = actor.Forward(obs, 1)[0];
            worst = Math.Max(worst, Math.Abs(d - Math.Clamp(u[0] / _supply, -1.0, 1.0)));
            points++;
        }
        return (points, worst);
    }

    /// <summary>The law alone as a policy (double precision; outside its domain the YANN extension), counting the steps outside.</summary>
    public LawPolicy AsPolicy() => new(this);

    /// <summary>One-line description for the log.</summary>
    public string Describe(string lawPath) => string.Create(CultureInfo.InvariantCulture,
        $"{Path.GetFileName(lawPath)} ({_law.RegionCount} regions; θ = {string.Join(", ", _law.Parameters.Select((p, j) => $"{p.Quantity} ← {ObservationOf[j]}×{_obsLimit[j]:G6}"))}; duty = u/{_supply:G6} V) → YANN layers {string.Join("-", YannSizes)}, actor {string.Join("-", Actor.Sizes.ToArray())}");

    /// <summary>The PWA law as an <see cref="IRlPolicy"/>.</summary>
    internal sealed class LawPolicy(YannActorInit init) : IRlPolicy
    {
        /// <summary>Steps at which θ was outside the law's domain.</summary>
        public long OutsideSteps { get; private set; }

        /// <inheritdoc />
        public void Act(ReadOnlySpan<float> observation, Span<float> action)
        {
            if (!init.LawDuty(observation, out double d)) OutsideSteps++;
            action[0] = (float)d;
        }
    }
}

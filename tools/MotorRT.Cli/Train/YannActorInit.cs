using System.Globalization;
using MotorRT.Cli.Errors;
using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.Pwa;
using MotorRT.Policies.Training.Export;
using MotorRT.Policies.Training.Rl;
using MotorRT.Sim.Gym;
using MotorRT.Sim.Presets;
using MotorRT.Sim.Spec;

namespace MotorRT.Cli.Train;

/// <summary>
/// YANN-RL's initial actor: the exact ReLU network of an explicit MPC law (<see cref="YannNetwork"/>) rewritten for a
/// GEM environment's observation and action. The law's parameters are affine in GEM's observation o, θ = A·o + c: a
/// measured quantity is θ_j = o_k · limit_k (o_k the observation element of the runtime quantity, limit_k its GEM
/// limit); a dq law's coupling voltages −ω_el·l_q·i_q and ω_el·(l_d·i_d + ψ_p) are bilinear in the observation, so they
/// are folded exactly only at the held speed of a constant-speed load (ω_el = p·ω₀, the model's l_d, l_q, ψ_p: GEM's
/// defaults of the preset, the machine the law was built for — not the env's motor_parameter overrides). First layer:
/// W′ = W·diag(1/s)·A, b′ = b + W·diag(1/s)·c. Last layer: a <c>voltage_dc</c> law's u (V) as GEM's duty u/u_sup (4QC:
/// u = d·u_sup); a <c>voltage_dq</c> law's u_d, u_q as GEM's dq actions u/(u_sup/2) (B6: u_x = d_x·u_sup/2; the env's
/// <c>action_space</c> must be dq). Output Clip to [−1, 1]. A dq law whose d and q parts are separate (box inputs: each
/// region is a d region × a q region, as <c>motorrt mpc build --loop dq-current</c> makes) becomes two per-axis YANN
/// networks side by side (block-diagonal layers): 2 × 9 regions instead of 81, and big-M values of a few V per unit
/// θ-distance instead of 3.6e10 (which float32 cannot carry). Also the law itself as a policy, for the "law alone" row.
/// </summary>
internal sealed class YannActorInit
{
    private readonly PwaLaw _law;
    private readonly List<YannLayer> _layers; // θ in SI in, the law's u (SI) out
    private readonly double[,] _a;
    private readonly double[] _c, _outScale;
    private readonly (int Parameter, int Observation, double Limit)[] _sampled;
    private readonly (int Index, double Value)? _heldSpeed;

    private YannActorInit(PwaLaw law, List<YannLayer> layers, double[,] a, double[] c, double[] outScale, (int, int, double)[] sampled, (int, double)? heldSpeed, DenseNetwork actor)
    {
        _law = law;
        _layers = layers;
        _a = a;
        _c = c;
        _outScale = outScale;
        _sampled = sampled;
        _heldSpeed = heldSpeed;
        Actor = actor;
    }

    /// <summary>The initial actor (float32, ReLU hidden layers, Clip output).</summary>
    public DenseNetwork Actor { get; }

    /// <summary>The law.</summary>
    public PwaLaw Law => _law;

    /// <summary>The YANN network's widths, input to output (the law's parameters in, its outputs out).</summary>
    public IReadOnlyList<int> YannSizes => [_layers[0].Inputs, .. _layers.Select(l => l.Outputs)];

    /// <summary>Per output, the action per volt of the law's output, 1/V (1/u_sup for a DC duty, 2/u_sup for a dq action).</summary>
    public IReadOnlyList<double> ActionPerVolt => _outScale;

    /// <summary>True when the network is two per-axis YANN networks side by side (a separable dq law).</summary>
    public bool PerAxis { get; private init; }

    /// <summary>For each law parameter, how it is read from the observation (e.g. "i×210", "−p·ω₀·l_q·i_sq").</summary>
    public IReadOnlyList<string> ObservationOf { get; private init; } = [];

    /// <summary>
    /// Loads the law <paramref name="lawPath"/> and builds the actor for <paramref name="rlEnv"/>; errors name
    /// <c>actor_init.yann_law</c> (a law parameter the environment does not observe, an output the action space
    /// cannot carry, coupling voltages without a held speed).
    /// </summary>
    public static YannActorInit Build(string lawPath, string configPath, GemRlEnvironment rlEnv)
    {
        GemEnv env = rlEnv.Env;
        string field = $"{configPath}: actor_init.yann_law";
        string file = Path.GetFileName(lawPath);
        PwaLaw law = PwaLawFile.Load(lawPath);
        string meaning = PwaLawFile.MeaningNames[(int)law.Meaning];
        bool dc = env.Plant.Motor.IsDc;
        double supply = env.Plant.Spec.Supply.NominalVoltage;
        double perVolt;
        if (law.Meaning == PwaOutputMeaning.VoltageDc && law.OutputCount == 1)
        {
            if (!dc || env.ActionCount != 1) throw CliException.Input($"{field}: {env.Spec.Id} has {env.ActionCount} actions; a voltage_dc law drives one DC duty", "use a DC environment such as Cont-CC-PermExDc-v0");
            perVolt = 1.0 / supply;
        }
        else if (law.Meaning == PwaOutputMeaning.VoltageDq && law.OutputCount == 2 && !dc)
        {
            if (!rlEnv.DqActions)
            {
                throw CliException.Input($"{field}: {file} outputs voltage_dq (u_d, u_q) but the actor acts in {env.Spec.Id}'s {env.ActionCount} phase duties",
                    "add \"action_space\": \"dq\" (GEM's dq actions: the inverse Park is the environment's, so the actor can be the law's network)");
            }
            perVolt = 2.0 / supply;
        }
        else
        {
            throw CliException.Input($"{field}: {file} outputs {meaning} ({law.OutputCount} values); YANN-RL initialises a DC duty actor from a voltage_dc law and a dq actor from a voltage_dq law, and {env.Spec.Id} is a {(dc ? "DC" : "three-phase")} environment",
                "build the law for the environment's machine with `motorrt mpc build <config>` (--loop dc-current or dc-speed for a DC machine, dq-current for a PMSM)");
        }

        IReadOnlyList<string> names = env.ObservationNames;
        int n = law.ParameterCount, no = names.Count, states = env.Layout.Count;
        double Limit(int k) => env.Layout.Limits[env.Layout.IndexOf(k < states ? names[k] : names[k]["ref_".Length..])];
        int Find(string name) => names.ToList().IndexOf(name);
        var a = new double[n, no];
        var c = new double[n];
        var reads = new string[n];
        var sampled = new List<(int, int, double)>();
        (int, double)? held = null;
        var inv = CultureInfo.InvariantCulture;
        for (int j = 0; j < n; j++)
        {
            ObservationQuantity q = law.Parameters[j].Quantity;
            int k = -1;
            for (int i = 0; i < no && k < 0; i++)
            {
                if (GemPolicyContract.QuantityOf(names[i]) == q) k = i;
            }
            if (k >= 0)
            {
                a[j, k] = Limit(k);
                reads[j] = string.Create(inv, $"{names[k]}×{Limit(k):G6}");
                sampled.Add((j, k, Limit(k)));
                continue;
            }
            if (q is ObservationQuantity.CouplingVoltageD or ObservationQuantity.CouplingVoltageQ && !dc)
            {
                if (env.Plant.Spec.Load is not ConstantSpeedLoadSpec load)
                {
                    throw CliException.Input($"{field}: the law's parameter {j} ({q}) is ω_el times a current, a product of two observations that a ReLU network cannot carry exactly, and {env.Spec.Id}'s shaft is not held at a constant speed",
                        "train on a current-control environment (constant-speed load, load_speed sets the speed), or build the law without coupling voltages");
                }
                int kd = Find("i_sd"), kq = Find("i_sq"), kw = Find("omega");
                MotorParameters preset = GemPresets.Get(env.Spec.Id).Motor;
                MachineParameters model = preset.ToTyped();
                double pw = preset.PolePairs * load.Omega;
                double F(double id, double iq)
                {
                    var o = new MotorObservation { MechanicalSpeed = load.Omega, ElectricalSpeed = pw, CurrentD = id, CurrentQ = iq };
                    return ObservationQuantities.Read(q, in o, model);
                }
                double f0 = F(0, 0), fd = F(1, 0) - f0, fq = F(0, 1) - f0;
                if (Math.Abs(F(1, 1) - (f0 + fd + fq)) > 1e-9 * (1 + Math.Abs(f0) + Math.Abs(fd) + Math.Abs(fq)))
                {
                    throw CliException.Input($"{field}: the law's parameter {j} ({q}) is not affine in i_d, i_q at the held speed", "use a law whose parameters are measured quantities or PMSM/SynRM coupling voltages");
                }
                c[j] = f0;
                a[j, kd] += fd * Limit(kd);
                a[j, kq] += fq * Limit(kq);
                if (kw >= 0) held = (kw, load.Omega / Limit(kw));
                reads[j] = string.Create(inv, $"{f0:G4} + {fd:G4}·i_sd + {fq:G4}·i_sq (ω₀ = {load.Omega:G6} rad/s)");
                continue;
            }
            throw CliException.Input($"{field}: the law's parameter {j} ({q}) is not in {env.Spec.Id}'s observation ({string.Join(", ", names)})",
                "build the law for the environment's loop (a current law reads i, ref_i and omega) or train on an environment that observes it");
        }

        List<YannLayer>? split = PerAxisLayers(law);
        List<YannLayer> layers = split ?? ThetaLayers(YannNetwork.Build(law));
        double[] outScale = [.. Enumerable.Repeat(perVolt, law.OutputCount)];
        DenseNetwork actor = DenseNetwork.FromMlp(ToActorMlp(layers, a, c, outScale));
        return new YannActorInit(law, layers, a, c, outScale, [.. sampled], held, actor) { ObservationOf = reads, PerAxis = split is not null };
    }

    /// <summary>The network's layers with the input scale folded into the first layer (θ in SI).</summary>
    private static List<YannLayer> ThetaLayers(YannNetwork net)
    {
        var layers = net.Layers.ToList();
        YannLayer f = layers[0];
        var w = new double[f.Weights.Length];
        for (int r = 0; r < f.Outputs; r++)
        {
            for (int j = 0; j < f.Inputs; j++) w[r * f.Inputs + j] = f.Weights[r * f.Inputs + j] / net.InputScale[j];
        }
        layers[0] = f with { Weights = w };
        return layers;
    }

    /// <summary>
    /// A two-output law whose regions are products of d and q regions (every facet and every output row reads the
    /// parameters of one output only) as two per-axis networks side by side; null when it is not separable, has a
    /// domain, or the two networks differ in depth.
    /// </summary>
    private static List<YannLayer>? PerAxisLayers(PwaLaw law)
    {
        if (law.OutputCount != 2 || law.Domain is not null) return null;
        int n = law.ParameterCount;
        var owner = new int[n];
        Array.Fill(owner, -1);
        foreach (PwaRegion r in law.Regions)
        {
            for (int o = 0; o < 2; o++)
            {
                for (int j = 0; j < n; j++)
                {
                    if (r.F[o][j] == 0) continue;
                    if (owner[j] >= 0 && owner[j] != o) return null;
                    owner[j] = o;
                }
            }
        }
        if (owner.Any(x => x < 0)) return null;
        var nets = new List<YannLayer>[2];
        var columns = new int[2][];
        for (int o = 0; o < 2; o++)
        {
            int[] cols = [.. Enumerable.Range(0, n).Where(j => owner[j] == o)];
            columns[o] = cols;
            var regions = new List<PwaRegion>();
            var seen = new HashSet<string>();
            foreach (PwaRegion r in law.Regions)
            {
                var h = new List<double[]>();
                var k = new List<double>();
                for (int i = 0; i < r.H.Length; i++)
                {
                    bool mine = cols.Any(j => r.H[i][j] != 0), other = Enumerable.Range(0, n).Any(j => owner[j] != o && r.H[i][j] != 0);
                    if (mine && other) return null;
                    if (!mine) continue;
                    h.Add([.. cols.Select(j => r.H[i][j])]);
                    k.Add(r.K[i]);
                }
                string key = string.Join(";", h.Select((row, i) => string.Join(",", row.Select(v => v.ToString("G12", CultureInfo.InvariantCulture))) + "|" + k[i].ToString("G12", CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal));
                if (!seen.Add(key)) continue;
                regions.Add(new PwaRegion([.. h], [.. k], [[.. cols.Select(j => r.F[o][j])]], [r.G[o]]));
            }
            var sub = new PwaLaw($"{law.Source} (output {o})", [.. cols.Select(j => law.Parameters[j])], PwaOutputMeaning.VoltageDc,
                [law.OutputMin[o]], [law.OutputMax[o]], regions, law.Continuous, law.Tolerance);
            nets[o] = ThetaLayers(YannNetwork.Build(sub));
        }
        if (nets[0].Count != nets[1].Count) return null;
        var layers = new List<YannLayer>();
        for (int l = 0; l < nets[0].Count; l++)
        {
            YannLayer x = nets[0][l], y = nets[1][l];
            if (x.Relu != y.Relu) return null;
            int inputs = l == 0 ? n : x.Inputs + y.Inputs, outputs = x.Outputs + y.Outputs;
            var w = new double[outputs * inputs];
            for (int r = 0; r < x.Outputs; r++)
            {
                for (int i = 0; i < x.Inputs; i++) w[r * inputs + (l == 0 ? columns[0][i] : i)] = x.Weights[r * x.Inputs + i];
            }
            for (int r = 0; r < y.Outputs; r++)
            {
                for (int i = 0; i < y.Inputs; i++) w[(x.Outputs + r) * inputs + (l == 0 ? columns[1][i] : x.Inputs + i)] = y.Weights[r * y.Inputs + i];
            }
            layers.Add(new YannLayer(inputs, outputs, w, [.. x.Bias, .. y.Bias], x.Relu));
        }
        return layers;
    }

    private static Mlp ToActorMlp(List<YannLayer> net, double[,] a, double[] c, double[] outScale)
    {
        var layers = new List<MlpLayer>();
        int last = net.Count - 1, observations = a.GetLength(1), n = a.GetLength(0);
        for (int l = 0; l <= last; l++)
        {
            YannLayer y = net[l];
            double[] w = y.Weights, b = y.Bias;
            int inputs = y.Inputs;
            if (l == 0)
            {
                // θ = A·o + c folded in: W′ = W·A, b′ = b + W·c.
                inputs = observations;
                w = new double[y.Outputs * observations];
                b = (double[])y.Bias.Clone();
                for (int r = 0; r < y.Outputs; r++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        double wj = y.Weights[r * n + j];
                        b[r] += wj * c[j];
                        for (int k = 0; k < observations; k++) w[r * observations + k] += wj * a[j, k];
                    }
                }
            }
            float[] wf = new float[w.Length], bf = new float[b.Length];
            for (int r = 0; r < y.Outputs; r++)
            {
                double k = l == last ? outScale[r] : 1.0; // volts → action
                for (int i = 0; i < inputs; i++) wf[r * inputs + i] = (float)(w[r * inputs + i] * k);
                bf[r] = (float)(b[r] * k);
            }
            layers.Add(new MlpLayer(inputs, y.Outputs, wf, bf, l == last ? MlpActivation.Clip : y.Relu ? MlpActivation.Relu : MlpActivation.Identity));
        }
        return new Mlp(layers);
    }

    /// <summary>The law's parameters θ (SI) read from a GEM observation.</summary>
    private void Theta(ReadOnlySpan<float> observation, Span<double> theta)
    {
        for (int j = 0; j < theta.Length; j++)
        {
            double v = _c[j];
            for (int k = 0; k < observation.Length; k++) v += _a[j, k] * observation[k];
            theta[j] = v;
        }
    }

    /// <summary>
    /// The law's action at <paramref name="observation"/>: u(θ) times <see cref="ActionPerVolt"/>, clamped to [−1, 1];
    /// false outside the law's domain (then the action is the YANN network's continuous extension, in double precision).
    /// </summary>
    public bool LawAction(ReadOnlySpan<float> observation, Span<double> action)
    {
        Span<double> theta = stackalloc double[_law.ParameterCount];
        Span<double> u = stackalloc double[_law.OutputCount];
        Theta(observation, theta);
        bool inside = _law.Evaluate(theta, u, false, out _) >= 0;
        if (!inside) YannNetwork.Forward(_layers, theta).CopyTo(u);
        for (int o = 0; o < u.Length; o++) action[o] = Math.Clamp(u[o] * _outScale[o], -1.0, 1.0);
        return inside;
    }

    /// <summary>
    /// Largest |a_actor − a_law| over <paramref name="samples"/> seeded points: each measured law parameter uniform in
    /// its box, the held speed where the coupling voltages were folded at it, the other observation elements uniform
    /// in [−1, 1] (to show they do not matter); points outside the law's domain are skipped. The check that the actor
    /// is the law.
    /// </summary>
    public (int Points, double MaxDeltaAction) Verify(DenseNetwork actor, int samples, ulong seed)
    {
        int n = _law.ParameterCount, no = actor.InputSize, m = _law.OutputCount;
        var rng = new SplitMix64Rng(seed);
        double[] lo = _law.BoxMin(), hi = _law.BoxMax();
        var theta = new double[n];
        var u = new double[m];
        var obs = new float[no];
        int points = 0;
        double worst = 0;
        for (int s = 0; s < samples; s++)
        {
            for (int k = 0; k < no; k++) obs[k] = (float)(2 * rng.NextDouble() - 1);
            foreach ((int j, int k, double limit) in _sampled) obs[k] = (float)((lo[j] + (hi[j] - lo[j]) * rng.NextDouble()) / limit);
            if (_heldSpeed is { } w) obs[w.Index] = (float)w.Value;
            Theta(obs, theta); // θ as the float32 observation carries it
            if (_law.Evaluate(theta, u, false, out _) < 0) continue;
            ReadOnlySpan<float> d = actor.Forward(obs, 1);
            for (int o = 0; o < m; o++) worst = Math.Max(worst, Math.Abs(d[o] - Math.Clamp(u[o] * _outScale[o], -1.0, 1.0)));
            points++;
        }
        return (points, worst);
    }

    /// <summary>The law alone as a policy (double precision; outside its domain the YANN extension), counting the steps outside.</summary>
    public LawPolicy AsPolicy() => new(this);

    /// <summary>One-line description for the log.</summary>
    public string Describe(string lawPath) => string.Create(CultureInfo.InvariantCulture,
        $"{Path.GetFileName(lawPath)} ({_law.RegionCount} regions; θ = {string.Join(", ", _law.Parameters.Select((p, j) => $"{p.Quantity} ← {ObservationOf[j]}"))}; action = u × {string.Join("/", _outScale.Select(v => v.ToString("G6", CultureInfo.InvariantCulture)))} per V) → YANN layers {string.Join("-", YannSizes)}{(PerAxis ? " (two per-axis networks side by side)" : "")}, actor {string.Join("-", Actor.Sizes.ToArray())}");

    /// <summary>The PWA law as an <see cref="IRlPolicy"/>.</summary>
    internal sealed class LawPolicy(YannActorInit init) : IRlPolicy
    {
        private readonly double[] _u = new double[init._law.OutputCount];

        /// <summary>Steps at which θ was outside the law's domain.</summary>
        public long OutsideSteps { get; private set; }

        /// <inheritdoc />
        public void Act(ReadOnlySpan<float> observation, Span<float> action)
        {
            if (!init.LawAction(observation, _u)) OutsideSteps++;
            for (int o = 0; o < _u.Length; o++) action[o] = (float)_u[o];
        }
    }
}

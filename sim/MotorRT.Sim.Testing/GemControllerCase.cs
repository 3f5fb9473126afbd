using System.Text.Json;
using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Sim.Presets;
using MotorRT.Sim.Spec;

namespace MotorRT.Sim.Testing;

/// <summary>GEM's tracking figures of one controlled quantity (metrics.json), SI units (A or rad/s).</summary>
/// <param name="NextRmseWhole">e_next RMSE over the whole run.</param>
/// <param name="NextMaxWhole">e_next max |e| over the whole run.</param>
/// <param name="NextRmseExcluded">e_next RMSE excluding 10 ms after every step.</param>
/// <param name="SameRmseWhole">e_same RMSE over the whole run.</param>
public readonly record struct TrackingFigures(double NextRmseWhole, double NextMaxWhole, double NextRmseExcluded, double SameRmseWhole);

/// <summary>
/// One closed-loop reference run of GEM 3.0.2's own <c>gem_controllers</c> (shared/gem-controllers/&lt;env id&gt;:
/// case.json, metrics.json): the plant rebuilt on the twin from case.json, the reference profile, GEM's metrics, and the
/// metric definitions of its README (e_next = ref_k − y_{k+1}, e_same = ref_k − y_k; whole run and excluding
/// s ≤ k &lt; s + 10 ms for every step start s).
/// </summary>
public sealed class GemControllerCase
{
    /// <summary>Folder name of the data set beside the repository.</summary>
    public const string FolderName = "gem-controllers";

    private GemControllerCase(string dir)
    {
        Directory = dir;
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "case.json")));
        JsonElement root = doc.RootElement;
        EnvId = root.GetProperty("gem_env_id").GetString()!;
        Tau = root.GetProperty("tau_s").GetDouble();
        Steps = root.GetProperty("steps").GetInt32();
        string[] parts = EnvId.Split('-');
        Task = parts[1];
        MotorName = parts[2];
        Spec = BuildSpec(root);
        foreach (JsonProperty q in root.GetProperty("reference_profile").EnumerateObject())
        {
            var entries = new List<(int, double)>();
            foreach (JsonElement e in q.Value.EnumerateArray()) entries.Add((e[0].GetInt32(), e[1].GetDouble()));
            Profile[q.Name] = [.. entries];
        }
        Quantities = [.. root.GetProperty("reference_names").EnumerateArray().Select(e => e.GetString()!)];
        if (root.GetProperty("motor").GetProperty("nominal_values").TryGetProperty("i_e", out JsonElement ie)) NominalExcitationCurrent = ie.GetDouble();

        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")));
        JsonElement m = metrics.RootElement.GetProperty("metrics");
        foreach (JsonProperty q in m.GetProperty("e_next").EnumerateObject())
        {
            JsonElement same = m.GetProperty("e_same").GetProperty(q.Name);
            Gem[q.Name] = new TrackingFigures(
                q.Value.GetProperty("whole_run").GetProperty("rmse").GetDouble(),
                q.Value.GetProperty("whole_run").GetProperty("max_abs").GetDouble(),
                q.Value.GetProperty("excluding_10ms_after_steps").GetProperty("rmse").GetDouble(),
                same.GetProperty("whole_run").GetProperty("rmse").GetDouble());
        }
        var starts = new SortedSet<int> { 0 };
        foreach (var p in Profile.Values) foreach (var (s, _) in p) starts.Add(s);
        StepStarts = [.. starts];
    }

    /// <summary>The case folder.</summary>
    public string Directory { get; }

    /// <summary>GEM environment id, e.g. Cont-CC-PMSM-v0.</summary>
    public string EnvId { get; }

    /// <summary>"CC" (current control) or "SC" (speed control).</summary>
    public string Task { get; }

    /// <summary>GEM's motor short name of the env id (PermExDc, ExtExDc, SeriesDc, ShuntDc, PMSM).</summary>
    public string MotorName { get; }

    /// <summary>Control period, s.</summary>
    public double Tau { get; }

    /// <summary>Control ticks of the run.</summary>
    public int Steps { get; }

    /// <summary>The plant rebuilt on the twin from case.json (motor, converter, supply, load; tight Dormand–Prince).</summary>
    public PlantSpec Spec { get; }

    /// <summary>The motor's nominal excitation current (A) where it has one, else 0.</summary>
    public double NominalExcitationCurrent { get; }

    /// <summary>Controlled quantities in GEM's names (i, i_a, i_e, i_sd, i_sq, omega).</summary>
    public IReadOnlyList<string> Quantities { get; }

    /// <summary>Reference profile per quantity: (start step, value in SI), ref_k = value of the last start ≤ k.</summary>
    public Dictionary<string, (int Start, double Value)[]> Profile { get; } = [];

    /// <summary>Every step start of the union of the profiles (k = 0 included).</summary>
    public IReadOnlyList<int> StepStarts { get; }

    /// <summary>GEM's figures per quantity (and "vector" for the PMSM dq currents).</summary>
    public Dictionary<string, TrackingFigures> Gem { get; } = [];

    /// <summary>
    /// The data set: shared/gem-controllers found by walking up from the test assembly's folder (each ancestor d is
    /// tried as d/shared/gem-controllers, i.e. ../shared/gem-controllers of a repository in d), or null when absent.
    /// </summary>
    public static string? Locate()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "shared", FolderName);
            if (System.IO.Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>The env ids in <paramref name="dataDir"/> (folders holding case.json and metrics.json), sorted.</summary>
    public static IReadOnlyList<string> Names(string dataDir) =>
        [.. System.IO.Directory.GetDirectories(dataDir)
            .Where(d => File.Exists(Path.Combine(d, "case.json")) && File.Exists(Path.Combine(d, "metrics.json")))
            .Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    /// <summary>Loads the case <paramref name="envId"/> from <paramref name="dataDir"/>.</summary>
    public static GemControllerCase Load(string dataDir, string envId) => new(Path.Combine(dataDir, envId));

    /// <summary>Reference of <paramref name="quantity"/> at tick <paramref name="k"/>, SI.</summary>
    public double Reference(string quantity, long k)
    {
        double v = 0;
        foreach (var (s, value) in Profile[quantity]) if (s <= k) v = value;
        return v;
    }

    /// <summary>Writes the references of tick <paramref name="k"/> into MotorRT's reference fields.</summary>
    public void WriteReferences(long k, ref References r)
    {
        foreach (string q in Quantities)
        {
            double v = Reference(q, k);
            switch (q)
            {
                case "i" or "i_a" or "i_sd": r.CurrentD = v; break;
                case "i_sq": r.CurrentQ = v; break;
                case "i_e": r.CurrentExcitation = v; break;
                case "omega": r.Speed = v; break;
                default: throw new InvalidOperationException($"{EnvId}: unknown reference quantity {q}");
            }
        }
    }

    /// <summary>The twin's value of GEM state <paramref name="quantity"/>, SI.</summary>
    public static double Measure(TwinPlant plant, string quantity) => quantity switch
    {
        "i" or "i_a" or "i_sd" => plant.ArmatureOrDCurrent,
        "i_sq" => plant.QCurrent,
        "i_e" => plant.ExcitationCurrent,
        "omega" => plant.Omega,
        _ => throw new InvalidOperationException($"unknown quantity {quantity}"),
    };

    /// <summary>
    /// Runs <paramref name="controller"/> on the case's twin with GEM's loop timing (the action from y_k applied over
    /// [t_k, t_k + τ), no extra delay) and returns the trajectory of each controlled quantity, y_0 … y_steps.
    /// </summary>
    public Dictionary<string, double[]> Run(IController controller)
    {
        var plant = new TwinPlant(Spec);
        controller.Reset();
        var y = Quantities.ToDictionary(q => q, _ => new double[Steps + 1]);
        var obs = new MotorObservation();
        var cmd = new ConverterCommand();
        for (int k = 0; k <= Steps; k++)
        {
            foreach (string q in Quantities) y[q][k] = Measure(plant, q);
            if (k == Steps) break;
            plant.Observe(ref obs);
            WriteReferences(k, ref obs.Reference);
            cmd.SetSafe();
            controller.Compute(obs, ref cmd);
            plant.Step(in cmd);
        }
        return y;
    }

    /// <summary>Our figures of a run (<see cref="Run"/>), by GEM's definitions; "vector" added for two dq currents.</summary>
    public Dictionary<string, TrackingFigures> Figures(Dictionary<string, double[]> y)
    {
        var result = new Dictionary<string, TrackingFigures>();
        var next = new Dictionary<string, double[]>();
        var same = new Dictionary<string, double[]>();
        foreach (string q in Quantities)
        {
            var en = new double[Steps];
            var es = new double[Steps];
            for (int k = 0; k < Steps; k++)
            {
                double r = Reference(q, k);
                en[k] = r - y[q][k + 1];
                es[k] = r - y[q][k];
            }
            next[q] = en;
            same[q] = es;
            result[q] = FiguresOf(en, es);
        }
        if (Quantities.Contains("i_sd") && Quantities.Contains("i_sq"))
        {
            var en = new double[Steps];
            var es = new double[Steps];
            for (int k = 0; k < Steps; k++)
            {
                en[k] = Math.Sqrt(next["i_sd"][k] * next["i_sd"][k] + next["i_sq"][k] * next["i_sq"][k]);
                es[k] = Math.Sqrt(same["i_sd"][k] * same["i_sd"][k] + same["i_sq"][k] * same["i_sq"][k]);
            }
            result["vector"] = FiguresOf(en, es);
        }
        return result;
    }

    private TrackingFigures FiguresOf(double[] next, double[] same)
    {
        double sn = 0, ss = 0, sx = 0, max = 0;
        int nx = 0;
        for (int k = 0; k < Steps; k++)
        {
            sn += next[k] * next[k];
            ss += same[k] * same[k];
            max = Math.Max(max, Math.Abs(next[k]));
            if (!Excluded(k))
            {
                sx += next[k] * next[k];
                nx++;
            }
        }
        return new TrackingFigures(Math.Sqrt(sn / Steps), max, nx > 0 ? Math.Sqrt(sx / nx) : 0.0, Math.Sqrt(ss / Steps));
    }

    private bool Excluded(int k)
    {
        int window = (int)Math.Round(0.01 / Tau);
        foreach (int s in StepStarts) if (k >= s && k < s + window) return true;
        return false;
    }

    private PlantSpec BuildSpec(JsonElement root)
    {
        JsonElement motor = root.GetProperty("motor");
        MotorParameters defaults = GemPresets.DefaultMotor(MotorName);
        MachineType machine = defaults.Machine;
        MachineParameters typed = defaults.ToTyped();
        foreach (JsonProperty p in motor.GetProperty("motor_parameter").EnumerateObject())
        {
            MachineParameterField field = machine.Field(p.Name)
                ?? throw new InvalidOperationException($"{EnvId}: motor_parameter {p.Name} is not a parameter of {machine.Id} (use one of: {machine.ParameterNames})");
            typed = field.With(typed, p.Value.GetDouble());
        }
        MotorParameters m = typed.ToMotorParameters();

        JsonElement conv = root.GetProperty("converter");
        ConverterKind Kind(JsonElement c) => PlantSpecReader.ConverterFromGemName(c.GetProperty("class").GetString()!)
            ?? throw new InvalidOperationException($"{EnvId}: converter {c.GetProperty("class").GetString()} is not modelled");
        ConverterKind kind = Kind(conv);
        var converter = new ConverterSpec
        {
            Kind = kind,
            SubConverters = kind == ConverterKind.ContMulti ? [.. conv.GetProperty("subconverters").EnumerateArray().Select(Kind)] : [],
            InterlockingTime = conv.GetProperty("interlocking_time_s").GetDouble(),
        };

        JsonElement load = root.GetProperty("load");
        LoadSpec loadSpec = load.GetProperty("class").GetString() switch
        {
            "ConstantSpeedLoad" => new ConstantSpeedLoadSpec { Omega = load.GetProperty("omega_fixed_rad_s").GetDouble() },
            "PolynomialStaticLoad" => new PolynomialLoadSpec
            {
                A = load.GetProperty("load_parameter").GetProperty("a").GetDouble(),
                B = load.GetProperty("load_parameter").GetProperty("b").GetDouble(),
                C = load.GetProperty("load_parameter").GetProperty("c").GetDouble(),
                LoadInertia = load.GetProperty("j_load").GetDouble(),
            },
            var other => throw new InvalidOperationException($"{EnvId}: load {other} is not mapped to the twin"),
        };

        return new PlantSpec
        {
            Name = EnvId,
            Motor = m,
            Converter = converter,
            Supply = new SupplySpec { NominalVoltage = root.GetProperty("supply").GetProperty("u_nominal_V").GetDouble() },
            Load = loadSpec,
            Tau = Tau,
            Solver = SolverSpec.DormandPrinceTight,
        };
    }
}

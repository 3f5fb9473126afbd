using System.Globalization;
using System.Text.RegularExpressions;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Sim.Presets;

namespace MotorRT.Sim.Spec;

/// <summary>
/// Reads plant specs: GEM reference cases (<c>case.json</c> of shared/reference) and MotorRT's own <c>plant</c> config
/// section (a GEM environment preset plus overrides). Strict: unknown keys, missing fields and out-of-range values throw
/// <see cref="ConfigException"/> naming the file, field and fix.
/// </summary>
public static partial class PlantSpecReader
{
    /// <summary>A reference case: the plant spec plus the case's bookkeeping fields.</summary>
    public sealed record CaseInfo(PlantSpec Spec, string Name, int Steps, IReadOnlyList<string> StateNames);

    /// <summary>Builds the plant of a GEM reference case from its <c>case.json</c>.</summary>
    public static PlantSpec FromCase(string caseJsonPath) => ReadCase(caseJsonPath).Spec;

    /// <summary>Reads a reference case's <c>case.json</c> completely.</summary>
    public static CaseInfo ReadCase(string caseJsonPath)
    {
        JsonSection root = JsonSection.Load(caseJsonPath);
        root.Ignore("gem_version", "gem_env_id", "notes", "action_kind", "action_gain", "action_offset", "columns", "physical_system");
        string name = root.OptionalString("case") ?? Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(caseJsonPath))) ?? "case";
        double tau = root.Number("tau", 1e-9, 1.0, "s");
        int steps = root.Integer("steps", 1, int.MaxValue);

        JsonSection limits = root.Section("limits");
        MotorLimits motorLimits = ReadCaseLimits(limits); // GEM's normalisation limits: informative, any state name allowed

        JsonSection motor = root.Section("motor");
        MotorParameters parameters = ReadCaseMotor(motor, motorLimits);
        motor.EnsureNoUnknownKeys();

        JsonSection conv = root.Section("converter");
        ConverterSpec converter = ReadCaseConverter(conv);
        conv.EnsureNoUnknownKeys();

        JsonSection sup = root.Section("supply");
        string supplyType = sup.OneOf("type", "IdealVoltageSupply");
        var supply = new SupplySpec { NominalVoltage = sup.Number("u_nominal", 1e-9, 1e6, "V") };
        _ = supplyType;
        sup.EnsureNoUnknownKeys();

        JsonSection load = root.Section("load");
        LoadSpec loadSpec = ReadCaseLoad(load, parameters.RotorInertia);
        load.EnsureNoUnknownKeys();

        JsonSection solver = root.Section("solver");
        SolverSpec solverSpec = ReadCaseSolver(solver);
        solver.EnsureNoUnknownKeys();

        string[] stateNames = ReadStrings(root, "state_names");
        JsonSection init = root.Section("initial_state");
        foreach (string s in stateNames)
        {
            double v = init.Number(s, 0.0, double.NegativeInfinity, double.PositiveInfinity);
            bool allowed = s is "omega" or "u_sup" || s.StartsWith("u_", StringComparison.Ordinal) || s == "u" || v == 0.0;
            if (!allowed)
                throw init.Error(s, $"non-zero initial value {v.ToString(CultureInfo.InvariantCulture)}", "the twin starts GEM plants from zero currents and angle; set it to 0");
            if (s == "omega" && v != 0.0 && loadSpec is not ConstantSpeedLoadSpec)
                throw init.Error(s, "a non-zero initial speed needs a speed-imposing load", "set omega to 0 or use a ConstantSpeedLoad");
        }
        init.EnsureNoUnknownKeys();
        root.EnsureNoUnknownKeys();

        var spec = new PlantSpec
        {
            Motor = parameters,
            Converter = converter,
            Supply = supply,
            Load = loadSpec,
            Solver = solverSpec,
            Tau = tau,
            Name = name,
        };
        PhysicalSystem probe;
        try { probe = PhysicalSystem.Create(spec); }
        catch (ArgumentException e) { throw new ConfigException(caseJsonPath, "", e.Message, "make motor, converter and load consistent"); }
        for (int k = 0; k < stateNames.Length; k++)
        {
            if (k >= probe.StateNames.Count || probe.StateNames[k] != stateNames[k])
                throw root.Error("state_names", $"state '{stateNames[k]}' at position {k} differs from the twin's ({string.Join(", ", probe.StateNames)})",
                    "use GEM's state names of this physical system");
        }
        return new CaseInfo(spec, name, steps, stateNames);
    }

    private static string[] ReadStrings(JsonSection s, string key)
    {
        var raw = s.Raw(key) ?? throw s.Error(key, "required field is missing", $"add \"{key}\": [\"...\"]");
        if (raw.ValueKind != System.Text.Json.JsonValueKind.Array) throw s.Error(key, "expected an array of strings", "write [\"omega\", ...]");
        var list = new List<string>();
        foreach (var e in raw.EnumerateArray())
        {
            if (e.ValueKind != System.Text.Json.JsonValueKind.String) throw s.Error(key, "expected strings", "quote every name");
            list.Add(e.GetString()!);
        }
        return [.. list];
    }

    private static MotorLimits ReadCaseLimits(JsonSection l)
    {
        double Get(params string[] keys)
        {
            foreach (string k in keys) if (l.Has(k)) return l.Number(k, 0, double.PositiveInfinity);
            return 0;
        }
        double speed = Get("omega"), torque = Get("torque");
        double current = Get("i", "i_a", "i_sa", "i_sd");
        double voltage = Get("u", "u_a", "u_sa", "u_sd");
        double ie = Get("i_e");
        return new MotorLimits { Speed = speed, Torque = torque, Current = current, Voltage = voltage, ExcitationCurrent = ie };
    }

    private static MotorParameters ReadCaseMotor(JsonSection motor, MotorLimits limits)
    {
        string type = motor.String("type");
        if (!MachineTypes.TryResolve(type, out MachineType machine) || machine.Legacy is null)
            throw motor.Error("type", $"unknown motor type \"{type}\"", $"use one of: {string.Join(", ", MachineTypes.All.Select(t => t.GemClassName))}");
        JsonSection mp = motor.Section("motor_parameter");
        MachineParameters parameters = machine.Defaults with { Limits = limits };
        foreach (MachineParameterField field in machine.Parameters)
        {
            // GEM's default (the EESM's k) applies when a case omits an optional parameter.
            if (!field.Required && !mp.Has(field.GemName)) continue;
            parameters = field.With(parameters, mp.Number(field.GemName, 0, double.PositiveInfinity));
        }
        mp.EnsureNoUnknownKeys();
        return parameters.ToMotorParameters()!;
    }

    private static readonly Dictionary<string, ConverterKind> CaseConverters = new()
    {
        ["ContOneQuadrantConverter"] = ConverterKind.ContOneQuadrant,
        ["ContTwoQuadrantConverter"] = ConverterKind.ContTwoQuadrant,
        ["ContFourQuadrantConverter"] = ConverterKind.ContFourQuadrant,
        ["ContB6BridgeConverter"] = ConverterKind.ContB6Bridge,
        ["ContMultiConverter"] = ConverterKind.ContMulti,
        ["FiniteOneQuadrantConverter"] = ConverterKind.FiniteOneQuadrant,
        ["FiniteTwoQuadrantConverter"] = ConverterKind.FiniteTwoQuadrant,
        ["FiniteFourQuadrantConverter"] = ConverterKind.FiniteFourQuadrant,
        ["FiniteB6BridgeConverter"] = ConverterKind.FiniteB6Bridge,
        ["FiniteMultiConverter"] = ConverterKind.FiniteMulti,
    };

    /// <summary>Maps a GEM converter class name (e.g. ContFourQuadrantConverter) to its kind, or null.</summary>
    public static ConverterKind? ConverterFromGemName(string name) => CaseConverters.TryGetValue(name, out var k) ? k : null;

    private static ConverterSpec ReadCaseConverter(JsonSection c)
    {
        string type = c.String("type");
        if (!CaseConverters.TryGetValue(type, out ConverterKind kind))
            throw c.Error("type", $"unknown converter type \"{type}\"", $"use one of: {string.Join(", ", CaseConverters.Keys)}");
        var subs = new List<ConverterKind>();
        if (c.Has("sub_converters"))
        {
            string[] names = ReadStrings(c, "sub_converters");
            for (int i = 0; i < names.Length; i++)
            {
                if (!CaseConverters.TryGetValue(names[i], out ConverterKind sk))
                    throw c.Error($"sub_converters[{i}]", $"unknown converter type \"{names[i]}\"", $"use one of: {string.Join(", ", CaseConverters.Keys)}");
                subs.Add(sk);
            }
        }
        bool multi = kind is ConverterKind.ContMulti or ConverterKind.FiniteMulti;
        if (multi && subs.Count == 0) throw c.Error("sub_converters", "a multi converter needs its sub-converters", "list them, e.g. [\"ContFourQuadrantConverter\", \"ContFourQuadrantConverter\"]");
        if (!multi && subs.Count != 0) throw c.Error("sub_converters", "only a multi converter has sub-converters", "use []");
        return new ConverterSpec { Kind = kind, SubConverters = subs, InterlockingTime = c.Number("interlocking_time", 0.0, 0.0, 1.0, "s") };
    }

    private static LoadSpec ReadCaseLoad(JsonSection l, double jRotor)
    {
        string type = l.OneOf("type", "PolynomialStaticLoad", "ConstantSpeedLoad");
        double jLoad = l.Number("j_load", 0, double.PositiveInfinity, "kg·m²");
        if (l.Has("j_total"))
        {
            double jTotal = l.Number("j_total", 0, double.PositiveInfinity, "kg·m²");
            if (Math.Abs(jTotal - (jRotor + jLoad)) > 1e-9 * Math.Max(1e-12, jTotal))
                throw l.Error("j_total", $"j_total {jTotal} differs from j_rotor + j_load = {jRotor + jLoad}", "make j_total = j_rotor + j_load");
        }
        if (type == "ConstantSpeedLoad")
            return new ConstantSpeedLoadSpec { Omega = l.Number("omega_fixed"), LoadInertia = jLoad };
        JsonSection p = l.Section("load_parameter");
        var spec = new PolynomialLoadSpec
        {
            A = p.Number("a", 0.0, 0, double.PositiveInfinity),
            B = p.Number("b", 0.0, 0, double.PositiveInfinity),
            C = p.Number("c", 0.0, 0, double.PositiveInfinity),
            LoadInertia = jLoad,
        };
        if (p.Has("j_load") && Math.Abs(p.Number("j_load", 0, double.PositiveInfinity) - jLoad) > 1e-15)
            throw p.Error("j_load", "differs from load.j_load", "give the same inertia in both places");
        p.EnsureNoUnknownKeys();
        return spec;
    }

    [GeneratedRegex(@"(rtol|atol|nsteps)\s*=\s*([0-9.eE+-]+)")]
    private static partial Regex SettingPattern();

    private static SolverSpec ReadCaseSolver(JsonSection s)
    {
        string name = s.String("name");
        string detail = s.OptionalString("detail") ?? "";
        var settings = new Dictionary<string, double>();
        foreach (Match m in SettingPattern().Matches(detail))
            settings[m.Groups[1].Value] = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        foreach (string key in new[] { "rtol", "atol", "nsteps" })
            if (s.Has(key)) settings[key] = s.Number(key, 0, double.PositiveInfinity);
        int nsteps = settings.TryGetValue("nsteps", out double n) ? (int)n : 1;
        string lower = name.ToLowerInvariant();
        if (lower.StartsWith("euler", StringComparison.Ordinal)) return new SolverSpec { Kind = SolverKind.Euler, Substeps = Math.Max(1, nsteps) };
        if (lower.StartsWith("rk4", StringComparison.Ordinal)) return new SolverSpec { Kind = SolverKind.Rk4, Substeps = Math.Max(1, nsteps) };
        if (lower.StartsWith("dopri", StringComparison.Ordinal) || lower.StartsWith("rk45", StringComparison.Ordinal))
        {
            // The twin integrates at least as tightly as the reference asks, so it reproduces the exact ODE solution.
            double rtol = Math.Min(settings.GetValueOrDefault("rtol", 1e-10), 1e-10);
            double atol = Math.Min(settings.GetValueOrDefault("atol", 1e-12), 1e-12);
            return new SolverSpec { Kind = SolverKind.DormandPrince, RelativeTolerance = rtol, AbsoluteTolerance = atol };
        }
        throw s.Error("name", $"unknown solver \"{name}\"", "use euler (optionally nsteps=N), rk4 or dopri5 (rtol/atol)");
    }
}

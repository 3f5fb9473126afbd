using System.Globalization;
using System.Text.RegularExpressions;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Sim.Presets;

namespace MotorRT.Sim.Spec;

/// <summary>
/// Reads plant specs: GEM reference cases (<c>case.json</c> of shared/reference) and MotorRT's own <c>plant</c> config
/// section (a GEM environment preset plus overrides). Strict: unknown keys, missing fields and out-of-range values throw
/// <see cref="ConfigException"/> naming the file, field and fix. Case files are read as <see cref="ReferenceCaseDocument"/>.
/// </summary>
public static partial class PlantSpecReader
{
    /// <summary>A reference case: the plant spec plus the case's bookkeeping fields.</summary>
    public sealed record CaseInfo(PlantSpec Spec, string Name, int Steps, IReadOnlyList<string> StateNames);

    /// <summary>Builds the plant of a GEM reference case from its <c>case.json</c>.</summary>
    public static PlantSpec FromCase(string caseJsonPath) => ReadCase(caseJsonPath).Spec;

    /// <summary>Largest case file accepted, in bytes (a case.json is a few kB).</summary>
    public const long MaxCaseFileBytes = 1L << 20;

    /// <summary>Reads a reference case's <c>case.json</c> completely (strict: unknown and duplicate keys name their JSON path).</summary>
    public static CaseInfo ReadCase(string caseJsonPath)
    {
        ReferenceCaseDocument doc = ConfigFile.Load(caseJsonPath, ReferenceCaseJson.Document, MaxCaseFileBytes);
        var root = new ConfigScope(caseJsonPath, "");
        string name = doc.Case ?? Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(caseJsonPath))) ?? "case";

        MotorLimits motorLimits = ReadCaseLimits(root.Child("limits"), doc.Limits); // GEM's normalisation limits: informative, any state name allowed
        MotorParameters parameters = ReadCaseMotor(root.Child("motor"), doc.Motor, motorLimits);
        ConverterSpec converter = ReadCaseConverter(root.Child("converter"), doc.Converter);
        var supply = new SupplySpec { NominalVoltage = doc.Supply.UNominal };
        LoadSpec loadSpec = ReadCaseLoad(root.Child("load"), doc.Load, parameters.RotorInertia);
        SolverSpec solverSpec = ReadCaseSolver(root.Child("solver"), doc.Solver);

        string[] stateNames = doc.StateNames;
        ConfigScope init = root.Child("initial_state");
        foreach (string key in doc.InitialState.Keys)
        {
            if (Array.IndexOf(stateNames, key) < 0)
                throw init.Error(key, "unknown key", $"remove it or correct its spelling; known keys here: {string.Join(", ", stateNames.Order(StringComparer.Ordinal))}");
        }
        foreach (string s in stateNames)
        {
            double v = doc.InitialState.GetValueOrDefault(s);
            if (!double.IsFinite(v)) throw init.Error(s, "expected a finite number, found a number beyond ±1.8e308", "write a plain number such as 0.5");
            bool allowed = s is "omega" or "u_sup" || s.StartsWith("u_", StringComparison.Ordinal) || s == "u" || v == 0.0;
            if (!allowed)
                throw init.Error(s, $"non-zero initial value {v.ToString(CultureInfo.InvariantCulture)}", "the twin starts GEM plants from zero currents and angle; set it to 0");
            if (s == "omega" && v != 0.0 && loadSpec is not ConstantSpeedLoadSpec)
                throw init.Error(s, "a non-zero initial speed needs a speed-imposing load", "set omega to 0 or use a ConstantSpeedLoad");
        }

        var spec = new PlantSpec
        {
            Motor = parameters,
            Converter = converter,
            Supply = supply,
            Load = loadSpec,
            Solver = solverSpec,
            Tau = doc.Tau,
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
        return new CaseInfo(spec, name, doc.Steps, stateNames);
    }

    private static MotorLimits ReadCaseLimits(ConfigScope l, Dictionary<string, double> limits)
    {
        foreach ((string key, double v) in limits)
        {
            CheckMapValue(l, key, v);
        }
        double Get(params string[] keys)
        {
            foreach (string k in keys) if (limits.TryGetValue(k, out double v)) return v;
            return 0;
        }
        double speed = Get("omega"), torque = Get("torque");
        double current = Get("i", "i_a", "i_sa", "i_sd");
        double voltage = Get("u", "u_a", "u_sa", "u_sd");
        double ie = Get("i_e");
        return new MotorLimits { Speed = speed, Torque = torque, Current = current, Voltage = voltage, ExcitationCurrent = ie };
    }

    /// <summary>A value of a map keyed by GEM's names (limits, motor_parameter): finite and ≥ 0.</summary>
    private static void CheckMapValue(ConfigScope scope, string key, double v)
    {
        if (!double.IsFinite(v)) throw scope.Error(key, "expected a finite number, found a number beyond ±1.8e308", "write a plain number such as 0.5");
        if (v < 0) throw scope.Error(key, $"value {v.ToString("R", CultureInfo.InvariantCulture)} is out of range", "use a value in [0, +inf]");
    }

    private static MotorParameters ReadCaseMotor(ConfigScope motor, ReferenceCaseMotor section, MotorLimits limits)
    {
        if (!MachineTypes.TryResolve(section.Type, out MachineType machine) || machine.Legacy is null)
            throw motor.Error("type", $"unknown motor type \"{section.Type}\"", $"use one of: {string.Join(", ", MachineTypes.All.Select(t => t.GemClassName))}");
        ConfigScope mp = motor.Child("motor_parameter");
        Dictionary<string, double> given = section.MotorParameter;
        foreach (string key in given.Keys)
        {
            if (!machine.Parameters.Any(f => f.GemName == key))
                throw mp.Error(key, "unknown key", $"remove it or correct its spelling; known keys here: {string.Join(", ", machine.Parameters.Select(f => f.GemName).Order(StringComparer.Ordinal))}");
        }
        MachineParameters parameters = machine.Defaults with { Limits = limits };
        foreach (MachineParameterField field in machine.Parameters)
        {
            if (!given.TryGetValue(field.GemName, out double v))
            {
                // GEM's default (the EESM's k) applies when a case omits an optional parameter.
                if (!field.Required) continue;
                throw mp.Error(field.GemName, "required field is missing", $"add \"{field.GemName}\": a number");
            }
            CheckMapValue(mp, field.GemName, v);
            parameters = field.With(parameters, v);
        }
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

    private static ConverterSpec ReadCaseConverter(ConfigScope c, ReferenceCaseConverter section)
    {
        if (!CaseConverters.TryGetValue(section.Type, out ConverterKind kind))
            throw c.Error("type", $"unknown converter type \"{section.Type}\"", $"use one of: {string.Join(", ", CaseConverters.Keys)}");
        var subs = new List<ConverterKind>();
        string[] names = section.SubConverters ?? [];
        for (int i = 0; i < names.Length; i++)
        {
            if (names[i] is null || !CaseConverters.TryGetValue(names[i], out ConverterKind sk))
                throw c.Error($"sub_converters[{i}]", $"unknown converter type \"{names[i]}\"", $"use one of: {string.Join(", ", CaseConverters.Keys)}");
            subs.Add(sk);
        }
        bool multi = kind is ConverterKind.ContMulti or ConverterKind.FiniteMulti;
        if (multi && subs.Count == 0) throw c.Error("sub_converters", "a multi converter needs its sub-converters", "list them, e.g. [\"ContFourQuadrantConverter\", \"ContFourQuadrantConverter\"]");
        if (!multi && subs.Count != 0) throw c.Error("sub_converters", "only a multi converter has sub-converters", "use []");
        return new ConverterSpec { Kind = kind, SubConverters = subs, InterlockingTime = section.InterlockingTime };
    }

    private static LoadSpec ReadCaseLoad(ConfigScope l, ReferenceCaseLoad section, double jRotor)
    {
        double jLoad = section.JLoad;
        if (section.JTotal is { } jTotal && Math.Abs(jTotal - (jRotor + jLoad)) > 1e-9 * Math.Max(1e-12, jTotal))
            throw l.Error("j_total", $"j_total {jTotal} differs from j_rotor + j_load = {jRotor + jLoad}", "make j_total = j_rotor + j_load");
        if (section.Type == "ConstantSpeedLoad")
        {
            if (section.LoadParameter is not null) throw l.Error("load_parameter", "a ConstantSpeedLoad has no load_parameter", "remove it, or use a PolynomialStaticLoad");
            double omega = section.OmegaFixed ?? throw l.Error("omega_fixed", "required field is missing", "add \"omega_fixed\": a number rad/s");
            return new ConstantSpeedLoadSpec { Omega = omega, LoadInertia = jLoad };
        }
        if (section.OmegaFixed is not null) throw l.Error("omega_fixed", "only a ConstantSpeedLoad has a fixed speed", "remove it, or use a ConstantSpeedLoad");
        ReferenceCaseLoadParameter p = section.LoadParameter ?? throw l.Error("load_parameter", "required field is missing", "add \"load_parameter\": an object { ... }");
        if (p.JLoad is { } j && Math.Abs(j - jLoad) > 1e-15)
            throw l.Child("load_parameter").Error("j_load", "differs from load.j_load", "give the same inertia in both places");
        return new PolynomialLoadSpec { A = p.A, B = p.B, C = p.C, LoadInertia = jLoad };
    }

    [GeneratedRegex(@"(rtol|atol|nsteps)\s*=\s*([0-9.eE+-]+)")]
    private static partial Regex SettingPattern();

    private static SolverSpec ReadCaseSolver(ConfigScope s, ReferenceCaseSolver section)
    {
        string name = section.Name;
        var settings = new Dictionary<string, double>();
        foreach (Match m in SettingPattern().Matches(section.Detail ?? ""))
            settings[m.Groups[1].Value] = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        if (section.Rtol is { } rtolSet) settings["rtol"] = rtolSet;
        if (section.Atol is { } atolSet) settings["atol"] = atolSet;
        if (section.Nsteps is { } nstepsSet) settings["nsteps"] = nstepsSet;
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

using MotorRT.Contracts.Machines;
using MotorRT.Sim.Spec;

namespace MotorRT.Sim.Presets;

/// <summary>
/// Plants named after GEM 3.0.2 environments (<c>{Cont|Finite}-{CC|SC|TC}-{Motor}-v0</c>) with GEM's default motor
/// parameters and limits, converter, supply voltage, load and sampling time (1e-4 s continuous, 1e-5 s finite). The
/// solver is classic RK4 with one step per τ (GEM's default is scipy's dopri5; override with the <c>solver</c> option).
/// The doubly-fed induction machine (DFIM) runs on a multi converter of two B6 bridges (stator, then rotor), as GEM's.
/// </summary>
public static class GemPresets
{
    // The machine types the twin models, by GEM's environment motor name (PermExDc, …, SCIM, DFIM).
    private static readonly string[] Motors =
    [
        PermExDcParameters.Type.GemEnvironmentName, ExtExDcParameters.Type.GemEnvironmentName, SeriesDcParameters.Type.GemEnvironmentName,
        ShuntDcParameters.Type.GemEnvironmentName, PmsmParameters.Type.GemEnvironmentName, SynRmParameters.Type.GemEnvironmentName,
        EesmParameters.Type.GemEnvironmentName, ScimParameters.Type.GemEnvironmentName, DfimParameters.Type.GemEnvironmentName,
    ];

    /// <summary>Every preset name, e.g. Cont-CC-PermExDc-v0.</summary>
    public static IReadOnlyList<string> Names { get; } = BuildNames();

    private static string[] BuildNames()
    {
        var list = new List<string>();
        foreach (string kind in new[] { "Cont", "Finite" })
            foreach (string task in new[] { "CC", "SC", "TC" })
                foreach (string m in Motors)
                    list.Add($"{kind}-{task}-{m}-v0");
        return [.. list];
    }

    /// <summary>True when <paramref name="name"/> is a known preset.</summary>
    public static bool Exists(string name) => Array.IndexOf((string[])Names, name) >= 0;

    /// <summary>The preset's plant spec; throws <see cref="ArgumentException"/> listing the names when unknown.</summary>
    public static PlantSpec Get(string name)
    {
        string[] parts = name.Split('-');
        if (parts.Length != 4 || parts[3] != "v0" || !Exists(name))
            throw new ArgumentException($"unknown preset \"{name}\"; known presets: {string.Join(", ", Names)}");
        bool finite = parts[0] == "Finite";
        string task = parts[1];
        string motor = parts[2];
        MotorParameters mp = DefaultMotor(motor);
        ConverterSpec conv = DefaultConverter(motor, finite);
        double u = SupplyVoltage(motor, task, finite);
        LoadSpec load = DefaultLoad(motor, task, finite);
        return new PlantSpec
        {
            Name = name,
            Motor = mp,
            Converter = conv,
            Supply = new SupplySpec { NominalVoltage = u },
            Load = load,
            Tau = finite ? 1e-5 : 1e-4,
            Solver = SolverSpec.Rk4,
        };
    }

    /// <summary>
    /// GEM's default parameters and limits of a motor, by any name of its machine type ("PermExDc", "PMSM",
    /// "permex-dc", "DcPermanentlyExcitedMotor", …): the defaults the machine type's parameter record owns.
    /// </summary>
    public static MotorParameters DefaultMotor(string motor)
    {
        MachineType t = MachineTypes.Resolve(motor);
        return t.Defaults.ToMotorParameters() ?? throw new ArgumentException($"machine type {t.Id} has no flat parameter record");
    }

    private static ConverterSpec DefaultConverter(string motor, bool finite) => motor switch
    {
        "ExtExDc" => new ConverterSpec
        {
            Kind = finite ? ConverterKind.FiniteMulti : ConverterKind.ContMulti,
            SubConverters = finite ? [ConverterKind.FiniteFourQuadrant, ConverterKind.FiniteFourQuadrant] : [ConverterKind.ContFourQuadrant, ConverterKind.ContFourQuadrant],
        },
        "EESM" => new ConverterSpec
        {
            Kind = finite ? ConverterKind.FiniteMulti : ConverterKind.ContMulti,
            SubConverters = finite ? [ConverterKind.FiniteB6Bridge, ConverterKind.FiniteFourQuadrant] : [ConverterKind.ContB6Bridge, ConverterKind.ContFourQuadrant],
        },
        "DFIM" => new ConverterSpec
        {
            Kind = finite ? ConverterKind.FiniteMulti : ConverterKind.ContMulti,
            SubConverters = finite ? [ConverterKind.FiniteB6Bridge, ConverterKind.FiniteB6Bridge] : [ConverterKind.ContB6Bridge, ConverterKind.ContB6Bridge],
        },
        "PermExDc" or "SeriesDc" or "ShuntDc" => new ConverterSpec { Kind = finite ? ConverterKind.FiniteFourQuadrant : ConverterKind.ContFourQuadrant },
        _ => new ConverterSpec { Kind = finite ? ConverterKind.FiniteB6Bridge : ConverterKind.ContB6Bridge },
    };

    private static double SupplyVoltage(string motor, string task, bool finite) => motor switch
    {
        "PermExDc" or "ExtExDc" or "ShuntDc" => 60,
        "SeriesDc" => finite && task != "SC" ? 420 : 60,
        "PMSM" or "EESM" => !finite && task == "CC" ? 300 : 420,
        _ => 420,
    };

    private static LoadSpec DefaultLoad(string motor, string task, bool finite)
    {
        if (task == "TC" && motor == "ShuntDc" && !finite) return new ConstantSpeedLoadSpec { Omega = 230 };
        if (task != "SC") return new ConstantSpeedLoadSpec { Omega = 100 };
        return motor switch
        {
            "PermExDc" => new PolynomialLoadSpec { LoadInertia = finite ? 0.001 : 1e-4 },
            "ExtExDc" => new PolynomialLoadSpec { LoadInertia = 1e-4 },
            "SeriesDc" => new PolynomialLoadSpec { A = finite ? 0.15 : 0.01, B = 0.05, LoadInertia = 1e-4 },
            "ShuntDc" => new PolynomialLoadSpec { A = 0.05, B = 0.01, LoadInertia = 1e-4 },
            "EESM" when finite => new PolynomialLoadSpec { LoadInertia = 1e-5 },
            _ => new PolynomialLoadSpec { A = 0.01, B = 0.01, LoadInertia = 1e-5 },
        };
    }
}

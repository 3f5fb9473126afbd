using MotorRT.Contracts.Machines;
using MotorRT.Sim.Spec;

namespace MotorRT.Sim.Presets;

/// <summary>
/// Plants named after GEM 3.0.2 environments (<c>{Cont|Finite}-{CC|SC|TC}-{Motor}-v0</c>) with GEM's default motor
/// parameters and limits, converter, supply voltage, load and sampling time (1e-4 s continuous, 1e-5 s finite). The
/// solver is classic RK4 with one step per τ (GEM's default is scipy's dopri5; override with the <c>solver</c> option).
/// The doubly-fed induction machine (DFIM) environments are not modelled.
/// </summary>
public static class GemPresets
{
    private static readonly string[] Motors = ["PermExDc", "ExtExDc", "SeriesDc", "ShuntDc", "PMSM", "SynRM", "EESM", "SCIM"];

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

    /// <summary>GEM's default parameters and limits of a motor ("PermExDc", "ExtExDc", "SeriesDc", "ShuntDc", "PMSM", "SynRM", "EESM", "SCIM").</summary>
    public static MotorParameters DefaultMotor(string motor) => motor switch
    {
        "PermExDc" => new MotorParameters
        {
            Type = MotorType.PermanentlyExcitedDc, ArmatureResistance = 0.016, ArmatureInductance = 1.9e-5, ExcitationFlux = 0.165, RotorInertia = 0.025,
            Limits = new MotorLimits { Speed = 400, Torque = 38, Current = 210, Voltage = 60 },
        },
        "ExtExDc" => WoundDc(MotorType.ExternallyExcitedDc, 0.16),
        "SeriesDc" => WoundDc(MotorType.SeriesDc, 0.048),
        "ShuntDc" => WoundDc(MotorType.ShuntDc, 0.4),
        "PMSM" => WithTorqueLimit(new MotorParameters
        {
            Type = MotorType.Pmsm, PolePairs = 3, InductanceD = 3.7e-4, InductanceQ = 1.2e-3, RotorInertia = 0.03883, StatorResistance = 0.018, PermanentMagnetFlux = 0.066,
            Limits = new MotorLimits { Speed = 4000.0 * Math.PI / 30, Torque = 0, Current = 400, Voltage = 150 },
        }, nominalCurrent: 240),
        "SynRM" => WithTorqueLimit(new MotorParameters
        {
            Type = MotorType.SynRm, PolePairs = 4, InductanceD = 0.0101, InductanceQ = 0.0041, RotorInertia = 8e-4, StatorResistance = 0.57,
            Limits = new MotorLimits { Speed = 4300.0 * Math.PI / 30, Torque = 0, Current = 18, Voltage = 40 },
        }, nominalCurrent: 10),
        "EESM" => WithTorqueLimit(new MotorParameters
        {
            Type = MotorType.Eesm, PolePairs = 3, InductanceD = 0.00166, InductanceQ = 0.00035, MainInductance = 0.001589, ExcitationInductance = 0.00174,
            RotorInertia = 0.3883, StatorResistance = 0.01555, ExcitationResistance = 0.0072, ExcitationTransferRatio = 65.21,
            Limits = new MotorLimits { Speed = 12000.0 * Math.PI / 30, Torque = 0, Current = 150, Voltage = 160, ExcitationCurrent = 150 },
        }, nominalCurrent: 120),
        "SCIM" => WithTorqueLimit(new MotorParameters
        {
            Type = MotorType.Scim, PolePairs = 2, MainInductance = 0.14375, StatorLeakageInductance = 0.00587, RotorLeakageInductance = 0.00587,
            RotorInertia = 0.0011, StatorResistance = 2.9338, RotorResistance = 1.355,
            Limits = new MotorLimits { Speed = 4000.0 * Math.PI / 30, Torque = 0, Current = 5.5, Voltage = 280 },
        }, nominalCurrent: 3.9),
        _ => throw new ArgumentException($"unknown motor \"{motor}\""),
    };

    private static MotorParameters WoundDc(MotorType type, double re) => new()
    {
        Type = type, ArmatureResistance = 0.016, ExcitationResistance = re, ArmatureInductance = 1.9e-5, MutualInductance = 0.0017,
        ExcitationInductance = 0.0054, RotorInertia = 0.0025,
        Limits = new MotorLimits { Speed = 400, Torque = 38, Current = 210, Voltage = 60, ExcitationCurrent = type == MotorType.SeriesDc ? 0 : 210 },
    };

    /// <summary>GEM's torque limit of the AC machines (from the current limit, MTPA-like for salient machines).</summary>
    private static MotorParameters WithTorqueLimit(MotorParameters m, double nominalCurrent)
    {
        double i = m.Limits.Current, t;
        switch (m.Type)
        {
            case MotorType.Pmsm:
                if (m.InductanceD == m.InductanceQ) t = 1.5 * m.PolePairs * m.PermanentMagnetFlux * i;
                else
                {
                    double p = m.PermanentMagnetFlux / (2 * (m.InductanceD - m.InductanceQ));
                    double q = -nominalCurrent * nominalCurrent / 2;
                    double id = -p / 2 - Math.Sqrt(p * p / 4 - q);
                    double iq = Math.Sqrt(nominalCurrent * nominalCurrent - id * id);
                    t = 1.5 * m.PolePairs * (m.PermanentMagnetFlux + (m.InductanceD - m.InductanceQ) * id) * iq;
                }
                break;
            case MotorType.SynRm:
                t = 1.5 * m.PolePairs * (m.InductanceD - m.InductanceQ) * (i / Math.Sqrt(2)) * (i / Math.Sqrt(2));
                break;
            case MotorType.Eesm:
            {
                double k = m.ExcitationTransferRatio, lM = 1.5 * k * m.MainInductance, iks = 2.0 / 3.0 / k, ie = m.Limits.ExcitationCurrent;
                double p = lM * nominalCurrent / (2 * (m.InductanceD - m.InductanceQ));
                double q = -nominalCurrent * nominalCurrent / 2;
                double id = m.InductanceD < m.InductanceQ ? -p / 2 - Math.Sqrt(p * p / 4 - q) : -p / 2 + Math.Sqrt(p * p / 4 - q);
                double iq = Math.Sqrt(nominalCurrent * nominalCurrent - id * id);
                t = 1.5 * m.PolePairs * (lM * ie * iks + (m.InductanceD - m.InductanceQ) * id) * iq;
                break;
            }
            default:
            {
                double lr = m.MainInductance + m.RotorLeakageInductance;
                t = 1.5 * m.PolePairs * m.MainInductance * m.MainInductance / lr * i * i / 2;
                break;
            }
        }
        return m with { Limits = m.Limits with { Torque = t } };
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

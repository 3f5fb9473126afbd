using MotorRT.Contracts.Machines;

namespace MotorRT.HilTests;

/// <summary>GEM 3.0.2 environment defaults (MODELS.md) for the cascaded-PI suites: machine, supply, load.</summary>
public static class PiPresets
{
    /// <summary>Cont-*-PermExDc: r_a 0.016, l_a 1.9e-5, ψ_e 0.165, J 0.025; limits i 210 A, u 60 V, T 38 N·m.</summary>
    public static MotorParameters PermExDc => new()
    {
        Type = MotorType.PermanentlyExcitedDc, ArmatureResistance = 0.016, ArmatureInductance = 1.9e-5, ExcitationFlux = 0.165,
        RotorInertia = 0.025, Limits = new MotorLimits { Current = 210, Voltage = 60, Speed = 400, Torque = 38 },
    };

    /// <summary>Cont-*-ExtExDc.</summary>
    public static MotorParameters ExtExDc => new()
    {
        Type = MotorType.ExternallyExcitedDc, ArmatureResistance = 0.016, ArmatureInductance = 1.9e-5, ExcitationResistance = 0.16,
        ExcitationInductance = 0.0054, MutualInductance = 0.0017, RotorInertia = 0.0025,
        Limits = new MotorLimits { Current = 210, Voltage = 60, Speed = 400, Torque = 38, ExcitationCurrent = 210 },
    };

    /// <summary>Cont-*-SeriesDc.</summary>
    public static MotorParameters SeriesDc => new()
    {
        Type = MotorType.SeriesDc, ArmatureResistance = 0.016, ExcitationResistance = 0.048, ArmatureInductance = 1.9e-5,
        ExcitationInductance = 0.0054, MutualInductance = 0.0017, RotorInertia = 0.0025,
        Limits = new MotorLimits { Current = 210, Voltage = 60, Speed = 400, Torque = 38 },
    };

    /// <summary>Cont-*-ShuntDc.</summary>
    public static MotorParameters ShuntDc => new()
    {
        Type = MotorType.ShuntDc, ArmatureResistance = 0.016, ExcitationResistance = 0.4, ArmatureInductance = 1.9e-5,
        ExcitationInductance = 0.0054, MutualInductance = 0.0017, RotorInertia = 0.0025,
        Limits = new MotorLimits { Current = 210, Voltage = 60, Speed = 400, Torque = 38 },
    };

    /// <summary>Cont-*-PMSM (limits: i 400 A, u 300 V, ω 4000 rpm).</summary>
    public static MotorParameters Pmsm => new()
    {
        Type = MotorType.Pmsm, PolePairs = 3, InductanceD = 3.7e-4, InductanceQ = 1.2e-3, PermanentMagnetFlux = 0.066, StatorResistance = 0.018,
        RotorInertia = 0.03883, Limits = new MotorLimits { Current = 400, Voltage = 300, Speed = 4000 * Math.PI / 30, Torque = 0 },
    };

    /// <summary>Cont-SC-SynRM (GEM limits: i 18 A, u 80 V, ω 4300 rpm).</summary>
    public static MotorParameters SynRm => new()
    {
        Type = MotorType.SynRm, PolePairs = 4, InductanceD = 0.0101, InductanceQ = 0.0041, StatorResistance = 0.57, RotorInertia = 8e-4,
        Limits = new MotorLimits { Current = 18, Voltage = 80, Speed = 4300 * Math.PI / 30, Torque = 0 },
    };

    /// <summary>Cont-*-SCIM (GEM limits: i 5.5 A, u 560 V, ω 4000 rpm).</summary>
    public static MotorParameters Scim => new()
    {
        Type = MotorType.Scim, PolePairs = 2, MainInductance = 0.14375, StatorLeakageInductance = 0.00587, RotorLeakageInductance = 0.00587,
        StatorResistance = 2.9338, RotorResistance = 1.355, RotorInertia = 0.0011,
        Limits = new MotorLimits { Current = 5.5, Voltage = 560, Speed = 4000 * Math.PI / 30, Torque = 0 },
    };

    /// <summary>The plants the suites run on: the GEM-equation stand-in and the sim's twin.</summary>
    public static readonly string[] Plants = ["stand-in", "twin"];

    /// <summary>Plant for a current-control env: constant speed (rad/s); <paramref name="plant"/> "stand-in" or "twin".</summary>
    public static IPiPlant ConstantSpeed(MotorParameters m, double supply, double omega, string plant = "stand-in") => plant == "twin"
        ? PiTwinPlant.For(m, supply, new MotorRT.Sim.Spec.ConstantSpeedLoadSpec { Omega = omega })
        : new PiPlantModel(m, supply, 1e-4, omega);

    /// <summary>Plant for a speed-control env: polynomial load (a N·m, b N·m·s/rad, c N·m·s²/rad², load inertia j kg·m²).</summary>
    public static IPiPlant PolyLoad(MotorParameters m, double supply, double a, double b, double c, double j, string plant = "stand-in") => plant == "twin"
        ? PiTwinPlant.For(m, supply, new MotorRT.Sim.Spec.PolynomialLoadSpec { A = a, B = b, C = c, LoadInertia = j })
        : new PiPlantModel(m, supply, 1e-4, null, a, b, c, j);
}

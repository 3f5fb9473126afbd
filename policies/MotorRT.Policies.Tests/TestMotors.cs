using MotorRT.Contracts.Machines;

namespace MotorRT.Policies.Tests;

/// <summary>GEM 3.0.2 default machines (MODELS.md), SI; limits as GEM's defaults.</summary>
internal static class TestMotors
{
    public static MotorParameters PermExDc => new()
    {
        Type = MotorType.PermanentlyExcitedDc, ArmatureResistance = 0.016, ArmatureInductance = 1.9e-5, ExcitationFlux = 0.165,
        RotorInertia = 0.025, Limits = new MotorLimits { Current = 210, Voltage = 60, Speed = 400, Torque = 38 },
    };

    public static MotorParameters ExtExDc => new()
    {
        Type = MotorType.ExternallyExcitedDc, ArmatureResistance = 0.016, ArmatureInductance = 1.9e-5, ExcitationResistance = 0.16,
        ExcitationInductance = 0.0054, MutualInductance = 0.0017, RotorInertia = 0.0025,
        Limits = new MotorLimits { Current = 210, Voltage = 60, Speed = 400, Torque = 38, ExcitationCurrent = 210 },
    };

    public static MotorParameters SeriesDc => new()
    {
        Type = MotorType.SeriesDc, ArmatureResistance = 0.016, ExcitationResistance = 0.048, ArmatureInductance = 1.9e-5,
        ExcitationInductance = 0.0054, MutualInductance = 0.0017, RotorInertia = 0.0025,
        Limits = new MotorLimits { Current = 210, Voltage = 60, Speed = 400, Torque = 38 },
    };

    public static MotorParameters ShuntDc => new()
    {
        Type = MotorType.ShuntDc, ArmatureResistance = 0.016, ExcitationResistance = 0.4, ArmatureInductance = 1.9e-5,
        ExcitationInductance = 0.0054, MutualInductance = 0.0017, RotorInertia = 0.0025,
        Limits = new MotorLimits { Current = 210, Voltage = 60, Speed = 400, Torque = 38 },
    };

    public static MotorParameters Pmsm => new()
    {
        Type = MotorType.Pmsm, PolePairs = 3, InductanceD = 3.7e-4, InductanceQ = 1.2e-3, PermanentMagnetFlux = 0.066, StatorResistance = 0.018,
        RotorInertia = 0.03883, Limits = new MotorLimits { Current = 400, Voltage = 300, Speed = 4000 * Math.PI / 30, Torque = 0 },
    };

    public static MotorParameters SynRm => new()
    {
        Type = MotorType.SynRm, PolePairs = 4, InductanceD = 0.0101, InductanceQ = 0.0041, StatorResistance = 0.57, RotorInertia = 8e-4,
        Limits = new MotorLimits { Current = 30, Voltage = 420, Speed = 4000 * Math.PI / 30, Torque = 0 },
    };

    public static MotorParameters Eesm => new()
    {
        Type = MotorType.Eesm, PolePairs = 3, InductanceD = 0.00166, InductanceQ = 3.5e-4, MainInductance = 0.001589, ExcitationInductance = 0.00174,
        StatorResistance = 0.01555, ExcitationResistance = 0.0072, RotorInertia = 0.3883,
        Limits = new MotorLimits { Current = 500, Voltage = 300, Speed = 4000 * Math.PI / 30, Torque = 0, ExcitationCurrent = 150 },
    };

    public static MotorParameters Scim => new()
    {
        Type = MotorType.Scim, PolePairs = 2, MainInductance = 0.14375, StatorLeakageInductance = 0.00587, RotorLeakageInductance = 0.00587,
        StatorResistance = 2.9338, RotorResistance = 1.355, RotorInertia = 0.0011,
        Limits = new MotorLimits { Current = 5.5, Voltage = 560, Speed = 4000 * Math.PI / 30, Torque = 0 },
    };
}

using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Sim.Rig;
using MotorRT.Sim.Spec;

namespace MotorRT.Sim.Testing;

/// <summary>
/// The rig suites' plant, as the twin configured to be simple: per channel an R-L circuit (R = 1 Ω, L = 1 mH, 100 V
/// link), the shaft held at a constant speed by GEM's ConstantSpeedLoad. DC: a permanently excited machine on a 4QC
/// with ψ_e set for a given back-EMF; three-phase: a non-salient machine without magnet (L_d = L_q = L, ψ_p = 0, one
/// pole pair) on a B6 — three star-connected R-L legs. Tight Dormand–Prince, so analytic R-L responses hold.
/// </summary>
public static class RlTwin
{
    /// <summary>Resistance per channel, Ω.</summary>
    public const double R = 1.0;

    /// <summary>Inductance per channel, H.</summary>
    public const double L = 1e-3;

    /// <summary>DC link, V.</summary>
    public const double Udc = 100.0;

    /// <summary>
    /// The plant: shaft at <paramref name="omega"/> (rad/s); DC with a non-zero <paramref name="backEmf"/> (V) turns at
    /// 100 rad/s unless <paramref name="omega"/> is given, with ψ_e = back-EMF / speed. Step τ in s.
    /// </summary>
    public static PhysicalSystemPlant Plant(MachineKind machine, double tau = 1e-4, double omega = 0.0, double backEmf = 0.0)
    {
        bool dc = machine == MachineKind.Dc;
        double speed = dc && backEmf != 0.0 && omega == 0.0 ? 100.0 : omega;
        var motor = new MotorParameters
        {
            Type = dc ? MotorType.PermanentlyExcitedDc : MotorType.Pmsm,
            ArmatureResistance = R, ArmatureInductance = L, ExcitationFlux = dc && backEmf != 0.0 ? backEmf / speed : 0.0,
            StatorResistance = R, InductanceD = L, InductanceQ = L, PermanentMagnetFlux = 0.0, PolePairs = 1, RotorInertia = 1e-3,
            Limits = new MotorLimits { Current = 50, Voltage = Udc, Speed = 1000, Torque = 10 },
        };
        var spec = new PlantSpec
        {
            Motor = motor,
            Converter = new ConverterSpec { Kind = dc ? ConverterKind.ContFourQuadrant : ConverterKind.ContB6Bridge },
            Supply = new SupplySpec { NominalVoltage = Udc },
            Load = new ConstantSpeedLoadSpec { Omega = speed },
            Tau = tau,
            Solver = SolverSpec.DormandPrinceTight,
        };
        return new PhysicalSystemPlant(PhysicalSystem.Create(spec));
    }

    /// <summary>Duty of channel a the plant last ran with (u_a / u_dc of the twin's applied voltage).</summary>
    public static double LastDuty0(this PhysicalSystemPlant p) => p.System.Outputs.VoltageA / p.System.Outputs.SupplyVoltage;

    /// <summary>Phase / armature current of channel 0, A.</summary>
    public static double Current0(this PhysicalSystemPlant p) => p.System.Outputs.CurrentA;
}

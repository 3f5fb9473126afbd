using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Sim.Rig;
using MotorRT.Sim.Presets;
using MotorRT.Sim.Spec;

namespace MotorRT.Sim.Tests;

internal static class TestPlants
{
    public static PlantSpec Preset(string name) => GemPresets.Get(name);

    public static PlantSpec WithConstantSpeed(PlantSpec s, double omega) => s with { Load = new ConstantSpeedLoadSpec { Omega = omega } };

    public static PlantSpec Accurate(PlantSpec s) => s with { Solver = SolverSpec.DormandPrinceTight };

    public static void Run(PhysicalSystem sys, int steps, params double[] action)
    {
        for (int k = 0; k < steps; k++) sys.Step(action);
    }

    public static double State(PhysicalSystem sys, string name)
    {
        for (int i = 0; i < sys.StateNames.Count; i++) if (sys.StateNames[i] == name) return sys.State[i];
        throw new ArgumentException(name);
    }

    public static MotorParameters Motor(string preset) => GemPresets.Get(preset).Motor;

    /// <summary>R of the rig tests' R-L plant, Ω.</summary>
    public const double R = 1.0;

    /// <summary>L of the rig tests' R-L plant, H.</summary>
    public const double L = 1e-3;

    /// <summary>DC link of the rig tests' plant, V.</summary>
    public const double Udc = 100.0;

    /// <summary>
    /// The rig tests' plant, as the twin: per channel an R-L circuit (R = 1 Ω, L = 1 mH, 100 V link) with a back-EMF,
    /// shaft at constant speed <paramref name="omega"/> (rad/s). DC: a permanently excited machine on a 4QC, ψ_e set
    /// so that the back-EMF is <paramref name="backEmf"/> (V; the shaft then turns at 100 rad/s); three-phase: a
    /// non-salient machine without magnet (L_d = L_q = L, ψ_p = 0, one pole pair) on a B6 — three star-connected R-L legs.
    /// </summary>
    public static PhysicalSystemPlant RlRig(MachineKind machine, double tau = 1e-4, double omega = 0.0, double backEmf = 0.0)
    {
        bool dc = machine == MachineKind.Dc;
        double speed = dc && backEmf != 0.0 ? 100.0 : omega;
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

    /// <summary>Duty of channel a the plant last ran with (DC: u_a/u_dc of the twin's applied voltage).</summary>
    public static double LastDuty0(this PhysicalSystemPlant p) => p.System.Outputs.VoltageA / p.System.Outputs.SupplyVoltage;

    /// <summary>Phase / armature current of channel 0, A.</summary>
    public static double Current0(this PhysicalSystemPlant p) => p.System.Outputs.CurrentA;
}

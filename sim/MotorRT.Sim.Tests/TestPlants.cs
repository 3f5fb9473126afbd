using MotorRT.Contracts.Machines;
using MotorRT.Sim.Presets;
using MotorRT.Sim.Spec;

namespace MotorRT.Sim.Tests;

/// <summary>Twin configurations of the physics tests (presets, a constant-speed shaft, the tight solver) and state look-ups.</summary>
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
}

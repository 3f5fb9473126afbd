using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Sim.Sensors;

namespace MotorRT.Sim.Rig;

/// <summary>
/// What <see cref="SimulatedRig"/> needs from a plant: step it with duty cycles or switching states and read the
/// quantities its sensors look at. <see cref="PhysicalSystemPlant"/> adapts the twin's <c>PhysicalSystem</c>; tests
/// may supply small analytic plants. Implementations must not allocate in <see cref="Step"/>,
/// <see cref="StepSwitching"/> or <see cref="ReadSensorInputs"/>.
/// </summary>
public interface IRigPlant
{
    /// <summary>Plant step, in s.</summary>
    double Tau { get; }

    /// <summary>Steps since <see cref="Reset"/> (dimensionless).</summary>
    long StepCount { get; }

    /// <summary>Machine family.</summary>
    MachineKind Machine { get; }

    /// <summary>Machine parameters (for the open-bridge model's inductances).</summary>
    MotorParameters Motor { get; }

    /// <summary>Number of continuous converter channels (duty cycles) the plant takes in <see cref="Step"/>.</summary>
    int ConverterChannels { get; }

    /// <summary>True when the converter is a finite (switching-state) converter: use <see cref="StepSwitching"/>.</summary>
    bool IsFiniteConverter { get; }

    /// <summary>Number of switching states the finite converter expects per step (1, or 2 for a multi converter).</summary>
    int SwitchingInputs { get; }

    /// <summary>Restores the initial state.</summary>
    void Reset();

    /// <summary>Advances one step with duty cycles in [−1, 1] (GEM layout, one per channel).</summary>
    void Step(ReadOnlySpan<double> duty);

    /// <summary>Advances one step with discrete switching states (finite converters).</summary>
    void StepSwitching(ReadOnlySpan<int> states);

    /// <summary>Copies the quantities sensors observe (currents, DC-link voltage, angles) from the current state.</summary>
    void ReadSensorInputs(ref SensorInputs inputs);
}

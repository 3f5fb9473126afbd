using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Sim.Sensors;

namespace MotorRT.Sim.Rig;

/// <summary>Adapts the twin's <see cref="PhysicalSystem"/> to <see cref="IRigPlant"/> (no allocation per call).</summary>
public sealed class PhysicalSystemPlant : IRigPlant
{
    /// <summary>Wraps <paramref name="system"/>.</summary>
    public PhysicalSystemPlant(PhysicalSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        System = system;
    }

    /// <summary>The twin (for plant fault injection through <see cref="PhysicalSystem.Disturbances"/>).</summary>
    public PhysicalSystem System { get; }

    /// <inheritdoc />
    public double Tau => System.Tau;

    /// <inheritdoc />
    public long StepCount => System.StepCount;

    /// <inheritdoc />
    public MachineKind Machine => System.Machine;

    /// <inheritdoc />
    public MotorParameters Motor => System.Motor;

    /// <inheritdoc />
    public int ConverterChannels => System.IsFinite ? 0 : System.ActionCount;

    /// <inheritdoc />
    public bool IsFiniteConverter => System.IsFinite;

    /// <inheritdoc />
    public int SwitchingInputs => System.IsFinite ? System.ActionCount : 0;

    /// <inheritdoc />
    public void Reset() => System.Reset();

    /// <inheritdoc />
    public void Step(ReadOnlySpan<double> duty) => System.Step(duty);

    /// <inheritdoc />
    public void StepSwitching(ReadOnlySpan<int> states) => System.StepSwitching(states);

    /// <inheritdoc />
    public void ReadSensorInputs(ref SensorInputs inputs)
    {
        ref readonly PlantOutputs o = ref System.Outputs;
        inputs.CurrentA = o.CurrentA;
        inputs.CurrentB = o.CurrentB;
        inputs.CurrentC = o.CurrentC;
        inputs.CurrentExcitation = o.CurrentExcitation;
        inputs.DcLinkVoltage = o.SupplyVoltage;
        inputs.MechanicalAngle = o.MechanicalAngle;
        inputs.ElectricalAngle = o.Epsilon;
    }
}

using MotorRT.Contracts.Composition;

namespace MotorRT.Sim.Rig;

/// <summary>Rig kind <c>"sim"</c>: the twin behind emulated sensors and bridge (<see cref="SimulatedRigFactory"/>).</summary>
public sealed class SimRigKind : IRigKind
{
    /// <inheritdoc />
    public string Type => "sim";

    /// <inheritdoc />
    public string Summary => "The simulation twin (GEM 3.0.2 physics) behind emulated sensors, PWM delay and bridge; lock-step.";

    /// <inheritdoc />
    public System.Text.Json.Serialization.Metadata.JsonTypeInfo Section => SimulatedRigFactory.SectionInfo;

    /// <inheritdoc />
    public System.Text.Json.Serialization.Metadata.JsonTypeInfo Plant => Spec.PlantSpecReader.PlantSectionInfo;

    /// <inheritdoc />
    public RigBuild Create(RigRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        SimulatedRig rig = SimulatedRigFactory.FromConfig(request.Section, request.Sensors, request.Seed, request.Plant);
        return new RigBuild(rig, rig.Twin?.Motor);
    }
}

using System.Text.Json.Serialization;
using MotorRT.Contracts;
using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Configuration;
using MotorRT.Policies.PI;

namespace MotorRT.Policies.Cascades;

/// <summary>Controller family <c>pi-dc-current</c>, <c>pi-dc-torque</c>, <c>pi-dc-speed</c> (the four DC machines): <see cref="DcCascadeController"/>.</summary>
public sealed class DcCascadeFamily() : CascadeFamily<DcCascadeSection>("pi-dc")
{
    /// <inheritdoc />
    public override string Summary => "Cascaded PI for DC machines (armature current; torque; speed over current), auto-tuned from the motor.";

    /// <inheritdoc />
    protected override IController Create(ControllerRequest request, DcCascadeSection section, ControlMode mode) =>
        DcCascadeController.FromConfig(section, request.Scope, request.Motor, request.Period, mode);
}

/// <summary>The <c>controller</c> section of <c>"type": "pi-dc-*"</c>: the shared cascade keys plus the converter layout.</summary>
public sealed record DcCascadeSection : CascadeSection
{
    /// <summary>Converter quadrants.</summary>
    [ConfigField("Converter: four-, two- or one-quadrant chopper.", Choices = "4qc,2qc,1qc")]
    [JsonInclude]
    public string Converter { get; internal set; } = "4qc";

    /// <summary>What the current shunt measures.</summary>
    [ConfigField("What CurrentA measures: \"line\" (i_a + i_e) or \"armature\" (i_a).", Choices = "line,armature")]
    [JsonInclude]
    public string ShuntCurrent { get; internal set; } = "line";
}

using System.Text.Json.Serialization;
using MotorRT.Contracts;
using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Policies.OpenLoop;

/// <summary>Controller family <c>open-loop-voltage</c> (diagnostic): <see cref="OpenLoopVoltageController"/>.</summary>
public sealed class OpenLoopVoltageFamily() : ControllerFamily<OpenLoopVoltageSection>(ControllerSections.Info<OpenLoopVoltageSection>())
{
    /// <inheritdoc />
    public override IReadOnlyList<string> Types { get; } = ["open-loop-voltage"];

    /// <inheritdoc />
    public override string Summary => "Diagnostic: fixed dq (DC: armature) voltages, optionally ramped in.";

    /// <inheritdoc />
    protected override IController Create(ControllerRequest request, OpenLoopVoltageSection section) =>
        OpenLoopVoltageController.FromConfig(section, request.Scope, request.Motor, request.Period);
}

/// <summary>The <c>controller</c> section of <c>"type": "open-loop-voltage"</c>. Voltages are also bounded by the motor's voltage limit.</summary>
public sealed record OpenLoopVoltageSection : ControllerSection
{
    /// <summary>DC armature voltage, or d-axis voltage of an AC machine, in V.</summary>
    [ConfigField("DC armature voltage, or the d-axis voltage of an AC machine; within ± the motor's voltage limit.", Unit = "V")]
    public required double Voltage { get; init; }

    /// <summary>q-axis voltage of an AC machine, in V; absent = 0.</summary>
    [ConfigField("q-axis voltage of an AC machine (not for DC machines); absent = 0.", Unit = "V")]
    [JsonInclude]
    public double? VoltageQ { get; internal set; }

    /// <summary>Excitation voltage (wound-field machines), in V.</summary>
    [ConfigField("Excitation voltage (wound-field machines).", Unit = "V")]
    [JsonInclude]
    public double VoltageExcitation { get; internal set; }

    /// <summary>Ramp-in time after reset, in s (0 = step).</summary>
    [ConfigField("Time to ramp from zero to the full voltage after reset (0 = step).", Min = 0, Max = 3600, Unit = "s")]
    [JsonInclude]
    public double RampTime { get; internal set; }
}

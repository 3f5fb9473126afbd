using MotorRT.Contracts;
using MotorRT.Contracts.Composition;

namespace MotorRT.Policies.OpenLoop;

/// <summary>Controller family <c>open-loop-voltage</c> (diagnostic): <see cref="OpenLoopVoltageController"/>.</summary>
public sealed class OpenLoopVoltageFamily : IControllerFamily
{
    /// <inheritdoc />
    public IReadOnlyList<string> Types { get; } = ["open-loop-voltage"];

    /// <inheritdoc />
    public string Summary => "Diagnostic: fixed dq (DC: armature) voltages, optionally ramped in.";

    /// <inheritdoc />
    public IController Create(ControllerRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return OpenLoopVoltageController.FromConfig(request.Section, request.Motor, request.Period);
    }
}

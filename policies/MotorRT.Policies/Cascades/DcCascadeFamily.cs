using MotorRT.Contracts;
using MotorRT.Contracts.Composition;
using MotorRT.Policies.PI;

namespace MotorRT.Policies.Cascades;

/// <summary>Controller family <c>pi-dc-current</c>, <c>pi-dc-torque</c>, <c>pi-dc-speed</c> (the four DC machines): <see cref="DcCascadeController"/>.</summary>
public sealed class DcCascadeFamily : IControllerFamily
{
    /// <inheritdoc />
    public IReadOnlyList<string> Types { get; } = ["pi-dc-current", "pi-dc-torque", "pi-dc-speed"];

    /// <inheritdoc />
    public string Summary => "Cascaded PI for DC machines (armature current; torque; speed over current), auto-tuned from the motor.";

    /// <inheritdoc />
    public IController Create(ControllerRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ControlMode mode = request.Type switch
        {
            "pi-dc-current" => ControlMode.Current,
            "pi-dc-torque" => ControlMode.Torque,
            _ => ControlMode.Speed,
        };
        return DcCascadeController.FromConfig(request.Section, request.Motor, request.Period, mode);
    }
}

using MotorRT.Contracts;
using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.PI;

namespace MotorRT.Policies.Foc;

/// <summary>
/// Controller family <c>foc-current</c>, <c>foc-torque</c>, <c>foc-speed</c>: <see cref="FocController"/> for PMSM,
/// SynRM and EESM, <see cref="ScimFocController"/> for the squirrel-cage induction machine.
/// </summary>
public sealed class FocFamily : IControllerFamily
{
    /// <inheritdoc />
    public IReadOnlyList<string> Types { get; } = ["foc-current", "foc-torque", "foc-speed"];

    /// <inheritdoc />
    public string Summary => "Field-oriented control: dq current PIs (torque: MTPA references; speed: a speed PI over them) and SVM.";

    /// <inheritdoc />
    public IController Create(ControllerRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ControlMode mode = request.Type switch
        {
            "foc-current" => ControlMode.Current,
            "foc-torque" => ControlMode.Torque,
            _ => ControlMode.Speed,
        };
        return request.Motor.Type == MotorType.Scim
            ? ScimFocController.FromConfig(request.Section, request.Motor, request.Period, mode)
            : FocController.FromConfig(request.Section, request.Motor, request.Period, mode);
    }
}

using MotorRT.Contracts;
using MotorRT.Contracts.Composition;

namespace MotorRT.Policies.PI;

/// <summary>
/// A family of cascaded controllers: the three types <c>PREFIX-current</c>, <c>PREFIX-torque</c> and <c>PREFIX-speed</c>
/// (<see cref="ControlModes"/>), each building the family's controller in that <see cref="ControlMode"/>.
/// </summary>
/// <param name="prefix">The family's type prefix, e.g. <c>foc</c>.</param>
public abstract class CascadeFamily<TSection>(string prefix) : ControllerFamily<TSection>(ControllerSections.Info<TSection>())
    where TSection : CascadeSection
{
    /// <inheritdoc />
    public sealed override IReadOnlyList<string> Types { get; } = ControlModes.TypeNames(prefix);

    /// <inheritdoc />
    protected sealed override IController Create(ControllerRequest request, TSection section) =>
        Create(request, section, ControlModes.FromType(request.Type));

    /// <summary>Builds the controller of <paramref name="section"/> following <paramref name="mode"/>.</summary>
    protected abstract IController Create(ControllerRequest request, TSection section, ControlMode mode);
}

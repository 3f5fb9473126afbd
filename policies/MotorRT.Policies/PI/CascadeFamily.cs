using MotorRT.Contracts;
using MotorRT.Contracts.Composition;
using MotorRT.Policies.Position;

namespace MotorRT.Policies.PI;

/// <summary>
/// A family of cascaded controllers: the types <c>PREFIX-current</c>, <c>PREFIX-torque</c> and <c>PREFIX-speed</c>
/// (<see cref="ControlModes"/>), each building the family's controller in that <see cref="ControlMode"/>, and
/// <c>PREFIX-position</c>: the speed-mode controller under a position P loop (<see cref="PositionCascade"/>).
/// </summary>
/// <param name="prefix">The family's type prefix, e.g. <c>foc</c>.</param>
public abstract class CascadeFamily<TSection>(string prefix) : ControllerFamily<TSection>(ControllerSections.Info<TSection>())
    where TSection : CascadeSection
{
    /// <inheritdoc />
    public sealed override IReadOnlyList<string> Types { get; } = [.. ControlModes.TypeNames(prefix), prefix + PositionCascade.Suffix];

    /// <inheritdoc />
    protected sealed override IController Create(ControllerRequest request, TSection section)
    {
        bool position = PositionCascade.IsPositionType(request.Type);
        PositionCascade.RefuseWithoutPositionLoop(request, section.Position, prefix + PositionCascade.Suffix);
        IController c = Create(request, section, position ? ControlMode.Speed : ControlModes.FromType(request.Type));
        return position ? PositionCascade.Wrap(request, c, PositionCascade.SpeedLoopOf((ICascadeController)c), section.Position) : c;
    }

    /// <summary>Builds the controller of <paramref name="section"/> following <paramref name="mode"/>.</summary>
    protected abstract IController Create(ControllerRequest request, TSection section, ControlMode mode);
}

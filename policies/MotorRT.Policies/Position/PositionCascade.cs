using MotorRT.Contracts;
using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.PI;
using MotorRT.Policies.Tuning;

namespace MotorRT.Policies.Position;

/// <summary>
/// Builds the <c>*-position</c> controllers of the cascade families: the family's speed-mode controller wrapped in a
/// <see cref="PositionController"/> whose P gain is designed from the speed loop in use (<see cref="PositionLoopDesign"/>).
/// </summary>
public static class PositionCascade
{
    /// <summary>The <c>controller.type</c> suffix of a position cascade.</summary>
    public const string Suffix = "-position";

    /// <summary>True when <paramref name="type"/> names a position cascade.</summary>
    public static bool IsPositionType(string type) => type.EndsWith(Suffix, StringComparison.Ordinal);

    /// <summary>
    /// Refuses a <c>position</c> object in the section of <paramref name="request"/> when its type has no position loop
    /// (<paramref name="section"/> given but <paramref name="request"/>'s type is not <paramref name="positionType"/>).
    /// </summary>
    public static void RefuseWithoutPositionLoop(ControllerRequest request, PositionLoopSection? section, string positionType)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (section is not null && request.Type != positionType)
        {
            throw request.Scope.Error("position", $"\"{request.Type}\" has no position loop", $"remove \"position\", or use \"{positionType}\"");
        }
    }

    /// <summary>The speed loop in use of a cascaded PI speed controller (its gains, inertia, T_Σ, prefilter and torque limit).</summary>
    public static SpeedLoopInfo SpeedLoopOf(ICascadeController cascade)
    {
        ArgumentNullException.ThrowIfNull(cascade);
        SpeedLoopDesign d = cascade.Design.Speed ?? throw new ArgumentException("the cascade has no speed loop", nameof(cascade));
        PIGains g = cascade.Options.SpeedGains ?? new PIGains(d.Kp, d.Ki);
        return new SpeedLoopInfo(g.Kp, g.Ki, d.Inertia, d.SumTimeConstant, cascade.Options.SpeedReferenceFilter, cascade.TorqueLimit);
    }

    /// <summary>
    /// Wraps the speed-mode controller <paramref name="inner"/> whose speed loop is <paramref name="speed"/> into the
    /// position controller <paramref name="request"/> asks for, with the <c>position</c> object <paramref name="section"/>
    /// (null: defaults). Errors name the field.
    /// </summary>
    public static PositionController Wrap(ControllerRequest request, IController inner, SpeedLoopInfo speed, PositionLoopSection? section)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(inner);
        PositionOptions options = PositionLoopSection.ToOptions(section);
        MotorParameters motor = request.Motor;
        double speedLimit = options.SpeedLimit > 0 ? options.SpeedLimit : motor.Limits.Speed;
        if (!(speedLimit > 0) || !double.IsFinite(speedLimit))
        {
            (inner as IDisposable)?.Dispose();
            throw request.Scope.Child("position").Error("speed_limit", "the motor gives no speed limit", "set position.speed_limit (rad/s)");
        }
        if (!(speed.TorqueLimit > 0) || !(speed.Inertia > 0))
        {
            (inner as IDisposable)?.Dispose();
            throw request.Scope.Child("position").Error("deceleration_limit", "no torque limit or inertia to derive the braking deceleration from", "set position.deceleration_limit (rad/s²)");
        }
        PositionLoopDesign design = PositionLoopDesign.Design(speed, options, speedLimit);
        return new PositionController(request.Type, inner, design, request.Period);
    }
}

using MotorRT.Contracts;
using MotorRT.Policies.Tuning;

namespace MotorRT.Policies.Position;

/// <summary>
/// A position cascade: <see cref="PositionStage"/> (P on the unwrapped position <see cref="MotorObservation.MechanicalPosition"/>
/// against <see cref="References.Position"/>, speed limit, braking curve, optional speed feed-forward) writes the speed
/// reference of an inner speed-mode controller of the same family — cascaded PI speed → current → duties on a duty-cycle
/// rig (<c>pi-dc-position</c>, <c>foc-position</c>), speed PI → torque set-point on a smart drive
/// (<c>pi-position-torque</c>). The inner controller sees a copy of the observation whose speed reference is the
/// stage's output; its command mode, status and limits are the cascade's. No allocation per tick.
/// </summary>
public sealed class PositionController : IController, IPositionController, IDisposable
{
    private readonly IController _inner;
    private PositionStage _stage;
    private MotorObservation _innerObservation;

    /// <summary>Wraps <paramref name="inner"/> (a speed-mode controller) under the loop <paramref name="design"/>.</summary>
    /// <param name="name">Controller name (the config type, e.g. <c>foc-position</c>).</param>
    /// <param name="inner">The speed-mode controller that follows the speed reference.</param>
    /// <param name="design">The position loop design.</param>
    /// <param name="period">Control period, in s.</param>
    public PositionController(string name, IController inner, PositionLoopDesign design, double period)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(design);
        Name = name;
        _inner = inner;
        Design = design;
        _stage = design.Stage(period);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public ControllerStatus Status { get; private set; }

    /// <inheritdoc />
    public CommandMode CommandMode => _inner.CommandMode;

    /// <summary>The inner speed-mode controller.</summary>
    public IController Inner => _inner;

    /// <summary>The position loop design in use.</summary>
    public PositionLoopDesign Design { get; }

    /// <summary>Position gain in use, in 1/s.</summary>
    public double Kp => _stage.Kp;

    /// <summary>The speed reference handed to the inner loop in the last tick, in rad/s.</summary>
    public double SpeedReference { get; private set; }

    /// <inheritdoc />
    public void EnforceWallClockBudget(bool enforced) => _inner.EnforceWallClockBudget(enforced);

    /// <inheritdoc />
    public void Reset()
    {
        _stage.Reset();
        _inner.Reset();
        SpeedReference = 0;
        Status = ControllerStatus.Ok;
    }

    /// <inheritdoc />
    public void Compute(in MotorObservation observation, ref ConverterCommand command)
    {
        double w = _stage.Update(observation.Reference.Position, observation.MechanicalPosition);
        SpeedReference = w;
        _innerObservation = observation;
        _innerObservation.Reference.Speed = w;
        _inner.Compute(in _innerObservation, ref command);
        ControllerStatus s = _inner.Status;
        Status = !double.IsFinite(w) ? ControllerStatus.OutputInvalid
            : s == ControllerStatus.Ok && _stage.Limited ? ControllerStatus.Saturated : s;
    }

    /// <summary>Disposes the inner controller when it is disposable.</summary>
    public void Dispose() => (_inner as IDisposable)?.Dispose();
}

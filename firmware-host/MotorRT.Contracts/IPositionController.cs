namespace MotorRT.Contracts;

/// <summary>
/// A controller that follows the position reference <see cref="References.Position"/> (rad, unwrapped) with the
/// measured <see cref="MotorObservation.MechanicalPosition"/>: the drive refuses to build one without a
/// <c>reference.position</c> profile (a run without it would hold position 0).
/// </summary>
public interface IPositionController
{
}

using MotorRT.Contracts;
using MotorRT.Contracts.Composition;

namespace MotorRT.Policies.Pwa;

/// <summary>Controller family <c>pwa</c>: an explicit-MPC piecewise-affine law (<see cref="PwaController"/>), its fallback built through the registry.</summary>
public sealed class PwaFamily : IControllerFamily
{
    /// <inheritdoc />
    public IReadOnlyList<string> Types { get; } = ["pwa"];

    /// <inheritdoc />
    public string Summary => "Piecewise-affine law from a motorrt-pwa-law/1 file (explicit MPC), with an optional fallback controller.";

    /// <inheritdoc />
    public IController Create(ControllerRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return PwaController.FromConfig(request.Section, request.Motor, request.Period, request.CreateNested);
    }
}

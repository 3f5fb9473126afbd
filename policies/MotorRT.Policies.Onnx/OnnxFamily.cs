using MotorRT.Contracts;
using MotorRT.Contracts.Composition;

namespace MotorRT.Policies.Onnx;

/// <summary>Controller family <c>onnx</c>: a learned policy (<see cref="OnnxPolicy"/>), its inner current loop built through the registry.</summary>
public sealed class OnnxFamily : IControllerFamily
{
    /// <inheritdoc />
    public IReadOnlyList<string> Types { get; } = ["onnx"];

    /// <inheritdoc />
    public string Summary => "ONNX policy with a JSON sidecar (observation/action contract), a fallback and an optional inner controller.";

    /// <inheritdoc />
    public IController Create(ControllerRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return OnnxPolicy.Create(request.Section, request.Motor, request.Period, request.CreateNested);
    }
}

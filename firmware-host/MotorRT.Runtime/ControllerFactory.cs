using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Policies;
using MotorRT.Policies.Onnx;
using MotorRT.Policies.OpenLoop;
using MotorRT.Policies.Pwa;

namespace MotorRT.Runtime;

/// <summary>
/// Maps a controller section's <c>"type"</c> to its family's creation method (COMMON interface 3). Each family reads
/// its own options strictly. Types: <c>open-loop-voltage</c> (diagnostic), the cascaded PI types
/// (<c>pi-dc-current</c>, <c>pi-dc-torque</c>, <c>pi-dc-speed</c>, <c>foc-current</c>, <c>foc-torque</c>,
/// <c>foc-speed</c>), <c>onnx</c> and <c>pwa</c> (explicit-MPC piecewise-affine laws). Controller owners add one case each.
/// </summary>
public static class ControllerFactory
{
    /// <summary>Every type string the factory knows.</summary>
    public static IReadOnlyList<string> Types => ["open-loop-voltage", .. PiControllerCatalog.Types, "onnx", "pwa"];

    /// <summary>Creates the controller described by <paramref name="controller"/>; errors name the file and field.</summary>
    /// <param name="controller">The <c>controller</c> section.</param>
    /// <param name="motor">The machine.</param>
    /// <param name="period">Control period, in s.</param>
    public static IController Create(JsonSection controller, MotorParameters motor, double period)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(motor);
        string type = controller.String("type");
        if (PiControllerCatalog.Handles(type)) return PiControllerCatalog.Create(type, controller, motor, period);
        return type switch
        {
            "open-loop-voltage" => OpenLoopVoltageController.FromConfig(controller, motor, period),
            "onnx" => OnnxPolicy.Create(controller, motor, period, inner => Create(inner, motor, period)),
            "pwa" => PwaController.FromConfig(controller, motor, period, fallback => Create(fallback, motor, period)),
            _ => throw controller.Error("type", $"unknown controller type \"{type}\"", $"use one of: {string.Join(", ", Types)}"),
        };
    }
}

using MotorRT.Contracts;
using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.Cascades;
using MotorRT.Policies.Foc;
using MotorRT.Policies.Onnx;
using MotorRT.Policies.OpenLoop;
using MotorRT.Policies.Pwa;
using MotorRT.Policies.Setpoint;

namespace MotorRT.Runtime;

/// <summary>
/// The controller families every drive knows, one registration line each (the family lives in its own folder under
/// policies/ and implements <see cref="IControllerFamily"/>). Adding a family: write its folder, add one line here.
/// </summary>
public static class ControllerFactory
{
    /// <summary>The standard registry.</summary>
    public static ControllerFamilies Families { get; } = new(
        new OpenLoopVoltageFamily(),
        new DcCascadeFamily(),
        new FocFamily(),
        new OnnxFamily(),
        new PwaFamily(),
        new SpeedTorqueFamily());

    /// <summary>Every type string the registry knows.</summary>
    public static IReadOnlyList<string> Types => Families.Types;

    /// <summary>Creates the controller described by <paramref name="controller"/>; errors name the file and field.</summary>
    /// <param name="controller">The <c>controller</c> section.</param>
    /// <param name="motor">The machine.</param>
    /// <param name="period">Control period, in s.</param>
    public static IController Create(RawSection controller, MotorParameters motor, double period) => Families.Create(controller, motor, period);
}

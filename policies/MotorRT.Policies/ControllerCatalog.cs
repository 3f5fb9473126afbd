using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.Cascades;
using MotorRT.Policies.Foc;
using MotorRT.Policies.Pi;

namespace MotorRT.Policies;

/// <summary>
/// The cascaded-PI controller types by their config <c>"type"</c> string, for the runtime's ControllerFactory:
/// <c>pi-dc-current</c>, <c>pi-dc-torque</c>, <c>pi-dc-speed</c> (the four DC machines) and <c>foc-current</c>,
/// <c>foc-torque</c>, <c>foc-speed</c> (PMSM, SynRM, EESM: <see cref="FocController"/>; SCIM: <see cref="ScimFocController"/>).
/// </summary>
public static class PiControllerCatalog
{
    /// <summary>Every type string this family handles.</summary>
    public static readonly string[] Types = ["pi-dc-current", "pi-dc-torque", "pi-dc-speed", "foc-current", "foc-torque", "foc-speed"];

    /// <summary>True when <paramref name="type"/> is one of <see cref="Types"/>.</summary>
    public static bool Handles(string type) => Array.IndexOf(Types, type) >= 0;

    /// <summary>Creates the controller named by <paramref name="type"/> from its section (strict; errors name the field).</summary>
    /// <param name="type">One of <see cref="Types"/>.</param>
    /// <param name="section">The controller's config section.</param>
    /// <param name="motor">The machine.</param>
    /// <param name="period">Control period, in s.</param>
    public static IController Create(string type, JsonSection section, MotorParameters motor, double period) => type switch
    {
        "pi-dc-current" => DcCascadeController.FromConfig(section, motor, period, ControlMode.Current),
        "pi-dc-torque" => DcCascadeController.FromConfig(section, motor, period, ControlMode.Torque),
        "pi-dc-speed" => DcCascadeController.FromConfig(section, motor, period, ControlMode.Speed),
        "foc-current" or "foc-torque" or "foc-speed" when motor.Type == MotorType.Scim =>
            ScimFocController.FromConfig(section, motor, period, FocMode(type)),
        "foc-current" or "foc-torque" or "foc-speed" => FocController.FromConfig(section, motor, period, FocMode(type)),
        _ => throw section.Error("type", $"\"{type}\" is not a cascaded PI controller type", $"use one of: {string.Join(", ", Types)}"),
    };

    private static ControlMode FocMode(string type) => type switch
    {
        "foc-current" => ControlMode.Current,
        "foc-torque" => ControlMode.Torque,
        _ => ControlMode.Speed,
    };
}

using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;

namespace MotorRT.Contracts.Composition;

/// <summary>
/// One controller family a config's <c>controller.type</c> can name (cascaded PI, FOC, PWA law, ONNX policy, …). Each
/// family lives in its own folder next to its controller and is registered once in a <see cref="ControllerFamilies"/>.
/// </summary>
public interface IControllerFamily
{
    /// <summary>The <c>controller.type</c> strings this family builds (e.g. <c>foc-current</c>, <c>foc-speed</c>).</summary>
    IReadOnlyList<string> Types { get; }

    /// <summary>One sentence for the schema and the docs.</summary>
    string Summary { get; }

    /// <summary>Builds the controller (strict: unknown keys are errors naming the field).</summary>
    IController Create(ControllerRequest request);
}

/// <summary>What a controller family gets to build its controller.</summary>
/// <param name="Type">The <c>type</c> string, one of the family's.</param>
/// <param name="Section">The controller section (or a nested one: a fallback, an inner loop).</param>
/// <param name="Motor">The machine.</param>
/// <param name="Period">Control period, in s.</param>
/// <param name="Families">The registry, for families that build a controller inside (fallbacks, inner loops).</param>
public sealed record ControllerRequest(string Type, JsonSection Section, MotorParameters Motor, double Period, ControllerFamilies Families)
{
    /// <summary>Builds a nested controller from <paramref name="section"/> through the same registry.</summary>
    public IController CreateNested(JsonSection section) => Families.Create(section, Motor, Period);
}

using System.Text.Json.Serialization.Metadata;
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

    /// <summary>
    /// Metadata of the family's typed section record (a <see cref="ControllerSection"/>), under strict config options
    /// (<see cref="ConfigFile.Options"/>): the family reads its section with it, and its JSON Schema goes into the
    /// config schema for the family's types.
    /// </summary>
    JsonTypeInfo Section { get; }

    /// <summary>Builds the controller (strict: unknown keys are errors naming the field).</summary>
    IController Create(ControllerRequest request);
}

/// <summary>
/// A family with a typed section record <typeparamref name="TSection"/>: reads the request's section into it, then
/// builds the controller from the record.
/// </summary>
/// <typeparam name="TSection">The section record.</typeparam>
/// <param name="section">Metadata of the record under strict config options.</param>
public abstract class ControllerFamily<TSection>(JsonTypeInfo<TSection> section) : IControllerFamily
    where TSection : ControllerSection
{
    /// <inheritdoc />
    public abstract IReadOnlyList<string> Types { get; }

    /// <inheritdoc />
    public abstract string Summary { get; }

    /// <inheritdoc cref="IControllerFamily.Section" />
    public JsonTypeInfo<TSection> Section { get; } = section ?? throw new ArgumentNullException(nameof(section));

    JsonTypeInfo IControllerFamily.Section => Section;

    /// <inheritdoc />
    public IController Create(ControllerRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Create(request, request.Section.Read(Section));
    }

    /// <summary>Builds the controller from the validated record <paramref name="section"/>.</summary>
    protected abstract IController Create(ControllerRequest request, TSection section);
}

/// <summary>What a controller family gets to build its controller.</summary>
/// <param name="Type">The <c>type</c> string, one of the family's.</param>
/// <param name="Section">The controller section as written, with its file and JSON path (or a nested one: a fallback, an inner loop).</param>
/// <param name="Motor">The machine.</param>
/// <param name="Period">Control period, in s.</param>
/// <param name="Families">The registry, for families that build a controller inside (fallbacks, inner loops).</param>
public sealed record ControllerRequest(string Type, RawSection Section, MotorParameters Motor, double Period, ControllerFamilies Families)
{
    /// <summary>File and JSON path of the section (for cross-field errors).</summary>
    public ConfigScope Scope => Section.Scope;

    /// <summary>Builds a nested controller from <paramref name="section"/> through the same registry.</summary>
    public IController CreateNested(RawSection section) => Families.Create(section, Motor, Period);
}

using MotorRT.Contracts.Configuration;

namespace MotorRT.Contracts.Composition;

/// <summary>
/// Base of every controller family's typed section record (read through <see cref="ConfigFile.ReadSection{T}"/>):
/// the <c>type</c> key that chose the family. The family's own keys are the derived record's properties. Optional keys
/// with a default are written <c>[JsonInclude] public T Key { get; internal set; } = default</c>: System.Text.Json's
/// source generator would overwrite the initializer of an absent init-only property with default(T); read-only outside
/// the family's assembly, and the schema takes the defaults from the initializers.
/// </summary>
public abstract record ControllerSection
{
    /// <summary>The controller type (one of the family's <see cref="IControllerFamily.Types"/>).</summary>
    [ConfigField("The controller type; chooses the family and its keys.")]
    public required string Type { get; init; }
}

/// <summary>
/// Marks a property of a section record that holds a nested controller section (a fallback, an inner loop), built
/// through the registry; the config schema describes it as the controller section itself.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class NestedControllerAttribute : Attribute;

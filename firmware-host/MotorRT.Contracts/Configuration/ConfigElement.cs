using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace MotorRT.Contracts.Configuration;

/// <summary>
/// A section of a configuration file that its reader has not turned into a record yet (the <c>rig</c> and
/// <c>plant</c> sections, read by the rig kind the file names): the JSON element and where it sits, so the reader's
/// <see cref="ConfigFile.ReadSection{T}"/> errors name the file and the full JSON path.
/// </summary>
/// <param name="Scope">File and JSON path of the section.</param>
/// <param name="Element">The section's JSON value (comments skipped, duplicate keys already rejected).</param>
public sealed record ConfigElement(ConfigScope Scope, JsonElement Element)
{
    /// <summary>The file the section came from.</summary>
    public string File => Scope.File;

    /// <summary>JSON path of the section ("" for a whole file).</summary>
    public string Path => Scope.Path;

    /// <summary>A section given as JSON text attributed to <paramref name="file"/> (path ""; tests, tools).</summary>
    public static ConfigElement Parse(string file, string json) => new(new ConfigScope(file, ""), ConfigFile.ParseDocument(file, json));

    /// <summary>Reads the section into its record (strict; ranges and cross-field checks of <paramref name="typeInfo"/>).</summary>
    public T Read<T>(JsonTypeInfo<T> typeInfo) => ConfigFile.ReadSection(File, Path, Element, typeInfo);

    /// <summary>The object member <paramref name="key"/> as a section, or null when absent.</summary>
    public ConfigElement? Child(string key) =>
        Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(key, out JsonElement v) ? new ConfigElement(Scope.Child(key), v) : null;

    /// <summary>Builds an error about a field of this section.</summary>
    public ConfigException Error(string key, string problem, string fix) => Scope.Error(key, problem, fix);
}

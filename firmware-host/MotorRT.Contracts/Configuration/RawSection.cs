using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace MotorRT.Contracts.Configuration;

/// <summary>
/// A section of a configuration file as written (its JSON element) and where it sits (file and JSON path), handed to
/// the code that knows its shape; <see cref="Read{T}"/> turns it into that code's typed record through
/// <see cref="ConfigFile.ReadSection{T}"/> (strict, ranges checked, errors naming file, path, value and fix).
/// </summary>
/// <param name="Scope">File and JSON path of the section.</param>
/// <param name="Element">The section's JSON value.</param>
public readonly record struct RawSection(ConfigScope Scope, JsonElement Element)
{
    /// <summary>The section <paramref name="element"/> found at <paramref name="path"/> of <paramref name="file"/>.</summary>
    public RawSection(string file, string path, JsonElement element) : this(new ConfigScope(file, path), element)
    {
    }

    /// <summary>The file the section came from.</summary>
    public string File => Scope.File;

    /// <summary>JSON path of the section ("" for the root).</summary>
    public string Path => Scope.Path;

    /// <summary>Parses JSON text attributed to <paramref name="file"/> into its root section (syntax and duplicate keys checked).</summary>
    public static RawSection Parse(string file, string json) => new(file, "", ConfigFile.ParseDocument(file, json));

    /// <summary>Reads a whole file into its root section (syntax and duplicate keys checked).</summary>
    public static RawSection Load(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!System.IO.File.Exists(file)) throw new ConfigException(file, "", "file not found", "check the path");
        return Parse(file, System.IO.File.ReadAllText(file));
    }

    /// <summary>The child object <paramref name="key"/>, or null when absent or null.</summary>
    public RawSection? Optional(string key) =>
        Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(key, out JsonElement v) && v.ValueKind != JsonValueKind.Null
            ? new RawSection(Scope.Child(key), v)
            : null;

    /// <summary>The child <paramref name="key"/>; missing is an error naming it.</summary>
    public RawSection Section(string key) =>
        Optional(key) ?? throw Scope.Error(key, "required field is missing", $"add \"{key}\": {{ ... }}");

    /// <summary>Reads the section into its record with the checks and messages of a whole file.</summary>
    public T Read<T>(JsonTypeInfo<T> typeInfo) => ConfigFile.ReadSection(File, Path, Element, typeInfo);

    /// <summary>
    /// The <c>type</c> of a section chosen by it (rig, controller), checked: an object with a string <c>type</c> that is
    /// one of <paramref name="known"/>; else an error naming the field and the known types (a null type is missing).
    /// </summary>
    /// <param name="what">What the type chooses, in the message: "rig" gives <c>unknown rig type "x"</c>.</param>
    /// <param name="known">The registered types, in the order the messages list them.</param>
    public string KnownType(string what, IReadOnlyList<string> known)
    {
        ArgumentNullException.ThrowIfNull(known);
        string list = string.Join(", ", known);
        if (Element.ValueKind != JsonValueKind.Object)
        {
            throw new ConfigException(File, Path, $"expected a JSON object, found {Element.ValueKind.ToString().ToLowerInvariant()}",
                "write this field as { \"type\": ..., ... }");
        }
        if (!Element.TryGetProperty("type", out JsonElement t) || t.ValueKind == JsonValueKind.Null)
        {
            throw Error("type", "required field is missing", $"add \"type\": one of {list}");
        }
        if (t.ValueKind != JsonValueKind.String)
        {
            throw Error("type", $"expected a string, found {t.GetRawText()}", $"use one of: {list}");
        }
        string type = t.GetString()!;
        if (!known.Contains(type)) throw Error("type", $"unknown {what} type \"{type}\"", $"use one of: {list}");
        return type;
    }

    /// <summary>Builds an error about a field of this section.</summary>
    public ConfigException Error(string key, string problem, string fix) => Scope.Error(key, problem, fix);
}

using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace MotorRT.Contracts.Configuration;

/// <summary>
/// Reads a JSON file into a typed, immutable record through System.Text.Json source-generated metadata: comments and
/// trailing commas are allowed; unknown members, duplicate keys and values out of their <see cref="ConfigFieldAttribute"/>
/// range are errors that name the file, the JSON path, the value and the fix (<see cref="ConfigException"/>).
/// </summary>
public static class ConfigFile
{
    /// <summary>Largest file accepted by default, in bytes: configs are a few kB; a PWA law a few hundred kB.</summary>
    public const long DefaultMaxBytes = 8L << 20;

    /// <summary>Serializer options for configuration files over <paramref name="resolver"/> (strict, comments allowed).</summary>
    public static JsonSerializerOptions Options(IJsonTypeInfoResolver resolver)
    {
        var options = new JsonSerializerOptions
        {
            TypeInfoResolver = resolver,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            AllowDuplicateProperties = false,
            AllowOutOfOrderMetadataProperties = true,
            RespectRequiredConstructorParameters = true,
            RespectNullableAnnotations = true,
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            WriteIndented = true,
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Reads, parses and validates <paramref name="path"/>; the file must be at most <paramref name="maxBytes"/> long.</summary>
    public static T Load<T>(string path, JsonTypeInfo<T> typeInfo, long maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new ConfigException(path, "", "file not found", "check the path");
        }
        long length = new FileInfo(path).Length;
        if (length > maxBytes)
        {
            throw new ConfigException(path, "", $"the file is {length} bytes long, more than the {maxBytes} bytes a configuration may have",
                "give the right file (a configuration is a few kB; put large data in the files it references)");
        }
        return Parse(path, File.ReadAllText(path), typeInfo);
    }

    /// <summary>Parses and validates JSON text attributed to <paramref name="file"/>.</summary>
    public static T Parse<T>(string file, string json, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(typeInfo);
        JsonElement root = ParseDocument(file, json);
        T value;
        try
        {
            value = root.Deserialize(typeInfo)
                ?? throw new ConfigException(file, "", "the document is null", "write the configuration as { ... }");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw ConfigErrors.Translate(file, e, root, typeInfo);
        }
        ConfigValidator.Validate(value, typeInfo.Options, new ConfigScope(file, ""));
        return value;
    }

    /// <summary>
    /// Reads one section <paramref name="element"/> found at <paramref name="path"/> of <paramref name="file"/> into its
    /// record, with the same checks and messages as a whole file.
    /// </summary>
    public static T ReadSection<T>(string file, string path, JsonElement element, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        T value;
        try
        {
            value = element.Deserialize(typeInfo)
                ?? throw new ConfigException(file, path, "the section is null", "write it as { ... }");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            ConfigException inner = ConfigErrors.Translate(file, e, element, typeInfo);
            string field = inner.Field.Length == 0 ? path : path.Length == 0 ? inner.Field : inner.Field.StartsWith('[') ? path + inner.Field : $"{path}.{inner.Field}";
            throw new ConfigException(file, field, inner.Problem, inner.Fix, e);
        }
        ConfigValidator.Validate(value, typeInfo.Options, new ConfigScope(file, path));
        return value;
    }

    /// <summary>Parses the text into a document (syntax and duplicate keys checked); errors name line and position.</summary>
    public static JsonElement ParseDocument(string file, string json)
    {
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ConfigException(file, "", $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", "correct the JSON syntax", e);
        }
        RejectDuplicates(file, root, "");
        return root;
    }

    private static void RejectDuplicates(string file, JsonElement e, string path)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty p in e.EnumerateObject())
            {
                string child = path.Length == 0 ? p.Name : $"{path}.{p.Name}";
                if (!seen.Add(p.Name))
                {
                    throw new ConfigException(file, child, $"duplicate key \"{p.Name}\"", "keep one of the two entries (a later one would silently override the earlier)");
                }
                RejectDuplicates(file, p.Value, child);
            }
        }
        else if (e.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (JsonElement item in e.EnumerateArray()) RejectDuplicates(file, item, $"{path}[{i++}]");
        }
    }
}

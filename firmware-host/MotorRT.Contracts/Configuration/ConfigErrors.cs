using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace MotorRT.Contracts.Configuration;

/// <summary>
/// Turns System.Text.Json's deserialization errors into <see cref="ConfigException"/>s that name the field, the value
/// found and the fix, by walking the document and the type metadata along the error's JSON path.
/// </summary>
internal static class ConfigErrors
{
    public static ConfigException Translate(string file, Exception e, JsonElement root, JsonTypeInfo rootInfo)
    {
        string? jsonPath = e is JsonException je ? je.Path : PathFromMessage(e.Message);
        string field = ToField(jsonPath, null);
        Located at = Locate(root, rootInfo, field);
        string message = e.Message;

        if (Between(message, "The JSON property '", "'") is { } unknown && message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            // The reported path is the object holding the unknown member, or the member itself.
            string objField = field.EndsWith(unknown, StringComparison.Ordinal) ? field[..^unknown.Length].TrimEnd('.') : field;
            Located obj = Locate(root, rootInfo, objField);
            string known = obj.Info is { Kind: JsonTypeInfoKind.Object } oi ? string.Join(", ", oi.Properties.Select(p => p.Name).Order(StringComparer.Ordinal)) : "none";
            return new ConfigException(file, Join(objField, unknown), "unknown key", $"remove it or correct its spelling; known keys here: {known}", e);
        }
        if (message.Contains("missing required properties", StringComparison.Ordinal) && at.Info is { Kind: JsonTypeInfoKind.Object } ri)
        {
            JsonPropertyInfo? missing = ri.Properties.FirstOrDefault(p => p.IsRequired && !(at.Element is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(p.Name, out _)));
            string name = missing?.Name ?? Between(message, "including: '", "'") ?? "?";
            return new ConfigException(file, Join(field, name), "required field is missing", $"add \"{name}\": {What(missing?.PropertyType)}", e);
        }
        if (message.Contains("type discriminator", StringComparison.Ordinal) || message.Contains("abstract types", StringComparison.Ordinal))
        {
            string objField = field.EndsWith("type", StringComparison.Ordinal) && message.Contains("unrecognized", StringComparison.Ordinal) ? field[..^4].TrimEnd('.') : field;
            Located obj = Locate(root, rootInfo, objField);
            string ids = obj.Info?.PolymorphismOptions is { } po ? string.Join(", ", po.DerivedTypes.Select(d => d.TypeDiscriminator?.ToString())) : "?";
            if (obj.Element is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("type", out JsonElement t))
            {
                return new ConfigException(file, Join(objField, "type"), $"unknown value {Describe(t)}", $"use one of: {ids}", e);
            }
            return new ConfigException(file, Join(objField, "type"), "required field is missing", $"add \"type\": one of {ids}", e);
        }
        if (at.Element is { } value)
        {
            Type? target = at.Type is null ? null : Nullable.GetUnderlyingType(at.Type) ?? at.Type;
            if (target is not null && target.IsEnum)
            {
                string[] names = EnumNames(target);
                return new ConfigException(file, field, $"unknown value {Describe(value)}", $"use one of: {string.Join(", ", names)}", e);
            }
            if (target is not null && IsInteger(target))
            {
                if (value.ValueKind == JsonValueKind.Number)
                {
                    ConfigFieldAttribute? f = at.Field;
                    string range = f is null ? "a whole number within range" : $"an integer in [{Fmt(f.Min)}, {Fmt(f.Max)}]";
                    return new ConfigException(file, field, $"value {value.GetRawText()} is out of range or not a whole number", $"use {range}", e);
                }
                return new ConfigException(file, field, $"expected an integer, found {Describe(value)}", "write a whole number such as 4", e);
            }
            if (target == typeof(double) || target == typeof(float))
            {
                return new ConfigException(file, field, $"expected a finite number{Unit(at.Field)}, found {Describe(value)}", "write a plain number such as 0.5", e);
            }
            if (target == typeof(bool))
            {
                return new ConfigException(file, field, $"expected true or false, found {Describe(value)}", "write true or false (no quotes)", e);
            }
            if (target == typeof(string))
            {
                return new ConfigException(file, field, $"expected a string, found {Describe(value)}", "put the value in double quotes", e);
            }
            if (target is not null && target.IsArray)
            {
                return new ConfigException(file, field, $"expected an array, found {Describe(value)}", "write it as [1.0, 2.0, ...]", e);
            }
            if (value.ValueKind != JsonValueKind.Object && at.Info is { Kind: JsonTypeInfoKind.Object })
            {
                return new ConfigException(file, field, $"expected a JSON object, found {Describe(value)}", "write this field as { ... }", e);
            }
        }
        return new ConfigException(file, field, FirstSentence(message), "correct the value (see docs/config-reference.md)", e);
    }

    /// <summary>"$.a.b[0]['$schema']" → "a.b[0].$schema", then the optional <paramref name="child"/> appended.</summary>
    public static string ToField(string? jsonPath, string? child)
    {
        string p = jsonPath ?? "$";
        if (p.StartsWith('$')) p = p[1..];
        var sb = new System.Text.StringBuilder();
        int i = 0;
        while (i < p.Length)
        {
            if (p[i] == '.') { i++; continue; }
            if (p.AsSpan(i).StartsWith("['"))
            {
                int end = p.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0) break;
                if (sb.Length > 0) sb.Append('.');
                sb.Append(p, i + 2, end - i - 2);
                i = end + 2;
                continue;
            }
            if (p[i] == '[')
            {
                int end = p.IndexOf(']', i);
                if (end < 0) break;
                sb.Append(p, i, end - i + 1);
                i = end + 1;
                continue;
            }
            int next = p.IndexOfAny(['.', '['], i);
            if (next < 0) next = p.Length;
            if (sb.Length > 0) sb.Append('.');
            sb.Append(p, i, next - i);
            i = next;
        }
        string field = sb.ToString();
        return child is null ? field : Join(field, child);
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private readonly record struct Located(JsonElement? Element, JsonTypeInfo? Info, Type? Type, ConfigFieldAttribute? Field);

    /// <summary>Walks document and metadata along a field path ("a.b[0].c").</summary>
    private static Located Locate(JsonElement root, JsonTypeInfo rootInfo, string field)
    {
        JsonElement? element = root;
        JsonTypeInfo? info = rootInfo;
        Type? type = rootInfo.Type;
        ConfigFieldAttribute? attr = null;
        foreach (string segment in Segments(field))
        {
            if (info is null) return new Located(null, null, null, null);
            info = Concrete(info, element);
            if (segment.StartsWith('['))
            {
                int index = int.Parse(segment[1..^1], CultureInfo.InvariantCulture);
                element = element is { ValueKind: JsonValueKind.Array } a && index < a.GetArrayLength() ? a[index] : null;
                type = info.ElementType;
                info = type is null ? null : TryInfo(info.Options, type);
                continue;
            }
            if (info.Kind == JsonTypeInfoKind.Dictionary)
            {
                // A map keyed by name (e.g. GEM's motor_parameter): the segment is a key, the value has the element type.
                element = element is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty(segment, out JsonElement dv) ? dv : null;
                type = info.ElementType;
                attr = null;
                info = type is null ? null : TryInfo(info.Options, type);
                continue;
            }
            JsonPropertyInfo? prop = info.Kind == JsonTypeInfoKind.Object ? info.Properties.FirstOrDefault(p => p.Name == segment) : null;
            element = element is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(segment, out JsonElement v) ? v : null;
            if (prop is null) return new Located(element, null, null, null);
            type = prop.PropertyType;
            attr = prop.AttributeProvider?.GetCustomAttributes(typeof(ConfigFieldAttribute), false).OfType<ConfigFieldAttribute>().FirstOrDefault();
            info = TryInfo(info.Options, type);
        }
        if (info is not null) info = Concrete(info, element);
        return new Located(element, info, type, attr);
    }

    private static JsonTypeInfo Concrete(JsonTypeInfo info, JsonElement? element)
    {
        if (info.PolymorphismOptions is { } po && element is { ValueKind: JsonValueKind.Object } o
            && o.TryGetProperty(po.TypeDiscriminatorPropertyName, out JsonElement d) && d.ValueKind == JsonValueKind.String)
        {
            string id = d.GetString()!;
            foreach (JsonDerivedType t in po.DerivedTypes)
            {
                if (t.TypeDiscriminator?.ToString() == id) return TryInfo(info.Options, t.DerivedType) ?? info;
            }
        }
        return info;
    }

    private static JsonTypeInfo? TryInfo(JsonSerializerOptions options, Type type)
    {
        Type t = Nullable.GetUnderlyingType(type) ?? type;
        return options.TryGetTypeInfo(t, out JsonTypeInfo? info) ? info : null;
    }

    private static IEnumerable<string> Segments(string field)
    {
        int i = 0;
        while (i < field.Length)
        {
            if (field[i] == '.') { i++; continue; }
            if (field[i] == '[')
            {
                int end = field.IndexOf(']', i);
                yield return field[i..(end + 1)];
                i = end + 1;
                continue;
            }
            int next = field.IndexOfAny(['.', '['], i);
            if (next < 0) next = field.Length;
            yield return field[i..next];
            i = next;
        }
    }

    private static string? PathFromMessage(string message)
    {
        int i = message.IndexOf("Path: ", StringComparison.Ordinal);
        if (i < 0) return null;
        int end = message.IndexOfAny([' ', '|', '\n'], i + 6);
        return (end < 0 ? message[(i + 6)..] : message[(i + 6)..end]).TrimEnd('.');
    }

    private static string? Between(string s, string start, string end)
    {
        int i = s.IndexOf(start, StringComparison.Ordinal);
        if (i < 0) return null;
        int j = s.IndexOf(end, i + start.Length, StringComparison.Ordinal);
        return j < 0 ? null : s[(i + start.Length)..j];
    }

    private static string FirstSentence(string message)
    {
        int i = message.IndexOf(". ", StringComparison.Ordinal);
        return i < 0 ? message.TrimEnd('.') : message[..i];
    }

    private static bool IsInteger(Type t) => t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(byte) || t == typeof(uint) || t == typeof(ulong);

    private static string What(Type? t)
    {
        Type? u = t is null ? null : Nullable.GetUnderlyingType(t) ?? t;
        if (u is null) return "a value";
        if (u == typeof(double) || u == typeof(float)) return "a number";
        if (IsInteger(u)) return "an integer";
        if (u == typeof(bool)) return "true or false";
        if (u == typeof(string)) return "a string";
        if (u.IsArray) return "an array [ ... ]";
        return "an object { ... }";
    }

    /// <summary>The JSON names of an enum's members (JsonStringEnumMemberName, else the C# name).</summary>
    internal static string[] EnumNames(Type enumType) =>
        enumType.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name)
            .ToArray();

    private static string Unit(ConfigFieldAttribute? f) => f is null || f.Unit.Length == 0 ? "" : " " + f.Unit;

    internal static string Fmt(double d) => double.IsNegativeInfinity(d) ? "-inf" : double.IsPositiveInfinity(d) ? "+inf" : d.ToString("R", CultureInfo.InvariantCulture);

    internal static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"\"{v.GetString()}\"",
        JsonValueKind.Number => $"the number {v.GetRawText()}",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {v.GetRawText()}",
        _ => "null",
    };
}

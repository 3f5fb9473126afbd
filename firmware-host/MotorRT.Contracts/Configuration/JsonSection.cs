using System.Globalization;
using System.Text.Json;

namespace MotorRT.Contracts.Configuration;

/// <summary>
/// A strict reader over one JSON object: every getter records the key as known, and <see cref="EnsureNoUnknownKeys"/>
/// rejects anything left over, so a typo (<c>"kp "</c>, <c>"perod"</c>) is an error naming the field instead of a
/// silently ignored setting. Range checks name the field, the allowed range and the value found. Load-time only.
/// </summary>
public sealed class JsonSection
{
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    /// <summary>Wraps <paramref name="element"/> (must be a JSON object) found at <paramref name="path"/> in <paramref name="file"/>.</summary>
    public JsonSection(string file, string path, JsonElement element)
    {
        File = file;
        Path = path;
        Element = element;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ConfigException(file, path, $"expected a JSON object, found {Describe(element)}", "write this field as { ... }");
        }
    }

    /// <summary>The file being read (for messages).</summary>
    public string File { get; }

    /// <summary>JSON path of this object ("" for the root).</summary>
    public string Path { get; }

    /// <summary>The underlying element.</summary>
    public JsonElement Element { get; }

    /// <summary>Parses a whole file into its root section; syntax errors name the file, line and position.</summary>
    public static JsonSection Load(string file)
    {
        if (!System.IO.File.Exists(file))
        {
            throw new ConfigException(file, "", "file not found", "check the path");
        }
        return Parse(file, System.IO.File.ReadAllText(file));
    }

    /// <summary>Parses JSON text attributed to <paramref name="file"/>; comments and trailing commas are allowed.</summary>
    public static JsonSection Parse(string file, string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return new JsonSection(file, "", doc.RootElement.Clone());
        }
        catch (JsonException e)
        {
            throw new ConfigException(file, "", $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", "correct the JSON syntax", e);
        }
    }

    /// <summary>JSON path of a child key.</summary>
    public string PathOf(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    /// <summary>True when the key is present (and marks it known).</summary>
    public bool Has(string key)
    {
        _known.Add(key);
        return Element.TryGetProperty(key, out _);
    }

    /// <summary>The raw element of a key, or null when absent (marks it known).</summary>
    public JsonElement? Raw(string key)
    {
        _known.Add(key);
        return Element.TryGetProperty(key, out JsonElement v) && v.ValueKind != JsonValueKind.Null ? v : null;
    }

    /// <summary>A required nested object.</summary>
    public JsonSection Section(string key) =>
        new(File, PathOf(key), Raw(key) ?? throw Missing(key, "an object { ... }"));

    /// <summary>An optional nested object, or null when absent.</summary>
    public JsonSection? OptionalSection(string key) => Raw(key) is { } v ? new JsonSection(File, PathOf(key), v) : null;

    /// <summary>A required number within [<paramref name="min"/>, <paramref name="max"/>] (unit named in <paramref name="unit"/> for messages).</summary>
    public double Number(string key, double min = double.NegativeInfinity, double max = double.PositiveInfinity, string unit = "")
    {
        JsonElement v = Raw(key) ?? throw Missing(key, $"a number{UnitText(unit)}");
        return CheckNumber(key, v, min, max, unit);
    }

    /// <summary>An optional number within range, or <paramref name="fallback"/> when absent.</summary>
    public double Number(string key, double fallback, double min, double max, string unit = "") =>
        Raw(key) is { } v ? CheckNumber(key, v, min, max, unit) : fallback;

    /// <summary>A required integer within range.</summary>
    public int Integer(string key, int min = int.MinValue, int max = int.MaxValue)
    {
        JsonElement v = Raw(key) ?? throw Missing(key, "an integer");
        return CheckInteger(key, v, min, max);
    }

    /// <summary>An optional integer within range, or <paramref name="fallback"/> when absent.</summary>
    public int Integer(string key, int fallback, int min, int max) =>
        Raw(key) is { } v ? CheckInteger(key, v, min, max) : fallback;

    /// <summary>A required boolean.</summary>
    public bool Boolean(string key) =>
        Raw(key) is { } v ? CheckBool(key, v) : throw Missing(key, "true or false");

    /// <summary>An optional boolean.</summary>
    public bool Boolean(string key, bool fallback) => Raw(key) is { } v ? CheckBool(key, v) : fallback;

    /// <summary>A required string.</summary>
    public string String(string key) =>
        Raw(key) is { } v ? CheckString(key, v) : throw Missing(key, "a string");

    /// <summary>An optional string.</summary>
    public string? OptionalString(string key) => Raw(key) is { } v ? CheckString(key, v) : null;

    /// <summary>A required string that must be one of <paramref name="allowed"/> (case-sensitive).</summary>
    public string OneOf(string key, params string[] allowed)
    {
        string s = String(key);
        if (Array.IndexOf(allowed, s) < 0)
        {
            throw new ConfigException(File, PathOf(key), $"unknown value \"{s}\"", $"use one of: {string.Join(", ", allowed)}");
        }
        return s;
    }

    /// <summary>A required array of numbers, each within range; <paramref name="length"/> &gt; 0 enforces the length.</summary>
    public double[] Numbers(string key, int length = -1, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        JsonElement v = Raw(key) ?? throw Missing(key, "an array of numbers");
        if (v.ValueKind != JsonValueKind.Array)
        {
            throw new ConfigException(File, PathOf(key), $"expected an array of numbers, found {Describe(v)}", "write it as [1.0, 2.0, ...]");
        }
        if (length >= 0 && v.GetArrayLength() != length)
        {
            throw new ConfigException(File, PathOf(key), $"expected {length} numbers, found {v.GetArrayLength()}", $"give exactly {length} values");
        }
        var result = new double[v.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in v.EnumerateArray())
        {
            result[i] = CheckNumber($"{key}[{i}]", item, min, max, "");
            i++;
        }
        return result;
    }

    /// <summary>The objects of a required array, each as a section.</summary>
    public IReadOnlyList<JsonSection> Sections(string key)
    {
        JsonElement v = Raw(key) ?? throw Missing(key, "an array of objects");
        if (v.ValueKind != JsonValueKind.Array)
        {
            throw new ConfigException(File, PathOf(key), $"expected an array, found {Describe(v)}", "write it as [ { ... }, ... ]");
        }
        var list = new List<JsonSection>();
        int i = 0;
        foreach (JsonElement item in v.EnumerateArray())
        {
            list.Add(new JsonSection(File, $"{PathOf(key)}[{i++}]", item));
        }
        return list;
    }

    /// <summary>Marks keys as known without reading them (e.g. documentation fields such as "notes").</summary>
    public void Ignore(params string[] keys)
    {
        foreach (string k in keys) _known.Add(k);
    }

    /// <summary>Throws naming the first key that no getter asked for. Call after reading every field.</summary>
    public void EnsureNoUnknownKeys()
    {
        foreach (JsonProperty p in Element.EnumerateObject())
        {
            if (!_known.Contains(p.Name))
            {
                string known = _known.Count == 0 ? "none" : string.Join(", ", _known.Order(StringComparer.Ordinal));
                throw new ConfigException(File, PathOf(p.Name), "unknown key", $"remove it or correct its spelling; known keys here: {known}");
            }
        }
    }

    /// <summary>Builds an error about a field of this section.</summary>
    public ConfigException Error(string key, string problem, string fix) => new(File, PathOf(key), problem, fix);

    private ConfigException Missing(string key, string what) =>
        new(File, PathOf(key), "required field is missing", $"add \"{key}\": {what}");

    private double CheckNumber(string key, JsonElement v, double min, double max, string unit)
    {
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double d) || !double.IsFinite(d))
        {
            throw new ConfigException(File, PathOf(key), $"expected a finite number{UnitText(unit)}, found {Describe(v)}", "write a plain number such as 0.5");
        }
        if (d < min || d > max)
        {
            throw new ConfigException(File, PathOf(key), $"value {d.ToString("R", CultureInfo.InvariantCulture)}{UnitText(unit)} is out of range",
                $"use a value in [{Fmt(min)}, {Fmt(max)}]{UnitText(unit)}");
        }
        return d;
    }

    private int CheckInteger(string key, JsonElement v, int min, int max)
    {
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int i))
        {
            throw new ConfigException(File, PathOf(key), $"expected an integer, found {Describe(v)}", "write a whole number such as 4");
        }
        if (i < min || i > max)
        {
            throw new ConfigException(File, PathOf(key), $"value {i} is out of range", $"use an integer in [{min}, {max}]");
        }
        return i;
    }

    private bool CheckBool(string key, JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new ConfigException(File, PathOf(key), $"expected true or false, found {Describe(v)}", "write true or false (no quotes)"),
    };

    private string CheckString(string key, JsonElement v) => v.ValueKind == JsonValueKind.String
        ? v.GetString()!
        : throw new ConfigException(File, PathOf(key), $"expected a string, found {Describe(v)}", "put the value in double quotes");

    private static string UnitText(string unit) => unit.Length == 0 ? "" : $" {unit}";

    private static string Fmt(double d) => double.IsNegativeInfinity(d) ? "-inf" : double.IsPositiveInfinity(d) ? "+inf" : d.ToString("R", CultureInfo.InvariantCulture);

    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{v.GetString()}\"",
        JsonValueKind.Number => $"the number {v.GetRawText()}",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {v.GetRawText()}",
        _ => "null",
    };
}

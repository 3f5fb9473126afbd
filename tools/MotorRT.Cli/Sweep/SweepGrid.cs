using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MotorRT.Cli.Errors;

namespace MotorRT.Cli.Sweep;

/// <summary>One <c>--grid key=v1,v2,…</c>: a dotted JSON path into the runtime config and the values it takes.</summary>
internal sealed record GridAxis(string Key, IReadOnlyList<GridPath.Segment> Path, IReadOnlyList<JsonNode> Values)
{
    /// <summary>The value as written in the grid (compact JSON; strings unquoted), for tables and messages.</summary>
    public static string Text(JsonNode value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value.ToJsonString();
}

/// <summary>
/// The cartesian product of the grid axes in a fixed order: combination <c>index</c> is row-major over the axes as
/// given (the first axis varies slowest), so the same command line numbers the runs the same on every machine.
/// </summary>
internal sealed class SweepGrid
{
    /// <summary>The axes, in command-line order.</summary>
    public IReadOnlyList<GridAxis> Axes { get; }

    /// <summary>Number of combinations (product of the axis lengths).</summary>
    public int Count { get; }

    private SweepGrid(IReadOnlyList<GridAxis> axes)
    {
        Axes = axes;
        long count = 1;
        foreach (GridAxis a in axes)
        {
            count *= a.Values.Count;
            if (count > 1_000_000)
            {
                throw CliException.Input($"--grid: more than 1000000 combinations", "split the campaign into several sweeps");
            }
        }
        Count = (int)count;
    }

    /// <summary>Parses the <c>--grid</c> arguments; a malformed one is an input error naming it.</summary>
    public static SweepGrid Parse(IReadOnlyList<string> specs)
    {
        if (specs.Count == 0) throw CliException.Input("--grid: no axis given", "add at least one --grid key=v1,v2 (e.g. --grid seed=1,2,3)");
        var axes = new List<GridAxis>();
        foreach (string spec in specs)
        {
            int eq = spec.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == spec.Length - 1)
            {
                throw CliException.Input($"--grid {spec}: expected key=v1,v2,…", "write e.g. --grid seed=1,2,3 or --grid controller.current_bandwidth=500,1000");
            }
            string key = spec[..eq].Trim();
            if (axes.Any(a => a.Key == key))
            {
                throw CliException.Input($"--grid {key}: given twice", "list all its values in one --grid key=v1,v2");
            }
            IReadOnlyList<GridPath.Segment> path = GridPath.Parse(key);
            List<JsonNode> values = SplitValues(spec[(eq + 1)..]).Select(v => ParseValue(key, v)).ToList();
            axes.Add(new GridAxis(key, path, values));
        }
        return new SweepGrid(axes);
    }

    /// <summary>The value index of every axis for combination <paramref name="index"/> (row-major, first axis slowest).</summary>
    public int[] Digits(int index)
    {
        var digits = new int[Axes.Count];
        for (int a = Axes.Count - 1; a >= 0; a--)
        {
            int n = Axes[a].Values.Count;
            digits[a] = index % n;
            index /= n;
        }
        return digits;
    }

    /// <summary>The grid values of combination <paramref name="index"/>, key → value, in axis order.</summary>
    public IReadOnlyList<KeyValuePair<string, JsonNode>> Values(int index)
    {
        int[] d = Digits(index);
        return Axes.Select((a, i) => new KeyValuePair<string, JsonNode>(a.Key, a.Values[d[i]])).ToList();
    }

    /// <summary>A copy of <paramref name="baseConfig"/> with combination <paramref name="index"/> applied.</summary>
    public JsonNode Apply(JsonNode baseConfig, int index)
    {
        JsonNode doc = baseConfig.DeepClone();
        int[] d = Digits(index);
        for (int a = 0; a < Axes.Count; a++) GridPath.Set(doc, Axes[a], Axes[a].Values[d[a]]);
        return doc;
    }

    private static JsonNode ParseValue(string key, string text)
    {
        text = text.Trim();
        if (text.Length == 0) throw CliException.Input($"--grid {key}: an empty value", "remove the stray comma");
        try
        {
            return JsonNode.Parse(text) ?? JsonValue.Create((string?)null)!;
        }
        catch (JsonException)
        {
            // Not a JSON literal: a bare string such as a controller type.
            return JsonValue.Create(text);
        }
    }

    /// <summary>Splits on commas outside brackets, braces and quotes (so a value may be a JSON array).</summary>
    private static List<string> SplitValues(string s)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        bool quoted = false;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (quoted)
            {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c is '[' or '{') depth++;
            else if (c is ']' or '}') depth--;
            else if (c == ',' && depth == 0)
            {
                parts.Add(s[start..i]);
                start = i + 1;
            }
        }
        parts.Add(s[start..]);
        return parts;
    }
}

/// <summary>Dotted JSON paths with array indices: <c>reference.current.values[1]</c>.</summary>
internal static class GridPath
{
    /// <summary>A property name, or an array index (<see cref="Name"/> null).</summary>
    internal readonly record struct Segment(string? Name, int Index);

    /// <summary>Parses <paramref name="key"/>; a malformed path is an input error naming it.</summary>
    public static IReadOnlyList<Segment> Parse(string key)
    {
        var segments = new List<Segment>();
        foreach (string part in key.Split('.'))
        {
            string rest = part;
            int bracket = rest.IndexOf('[', StringComparison.Ordinal);
            string name = bracket < 0 ? rest : rest[..bracket];
            if (name.Length == 0) throw Malformed(key);
            segments.Add(new Segment(name, -1));
            rest = bracket < 0 ? "" : rest[bracket..];
            while (rest.Length > 0)
            {
                int close = rest.IndexOf(']', StringComparison.Ordinal);
                if (rest[0] != '[' || close < 2 || !int.TryParse(rest[1..close], NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                {
                    throw Malformed(key);
                }
                segments.Add(new Segment(null, index));
                rest = rest[(close + 1)..];
            }
        }
        return segments;
    }

    /// <summary>
    /// Sets <paramref name="value"/> at the axis' path in <paramref name="doc"/>. Every object and array on the way must
    /// exist in the config and indices be in range; the last property may be new (the strict config reader rejects it if
    /// the section has no such field).
    /// </summary>
    public static void Set(JsonNode doc, GridAxis axis, JsonNode value)
    {
        JsonNode node = doc;
        string at = "";
        for (int i = 0; i < axis.Path.Count; i++)
        {
            Segment s = axis.Path[i];
            bool last = i == axis.Path.Count - 1;
            if (s.Name is { } name)
            {
                if (node is not JsonObject obj)
                {
                    throw Missing(axis.Key, at, $"is not an object, so it has no \"{name}\"");
                }
                if (last)
                {
                    obj[name] = value.DeepClone();
                    return;
                }
                node = obj[name] ?? throw Missing(axis.Key, at.Length == 0 ? name : $"{at}.{name}", "does not exist in the config");
                at = at.Length == 0 ? name : $"{at}.{name}";
            }
            else
            {
                if (node is not JsonArray arr)
                {
                    throw Missing(axis.Key, at, "is not an array");
                }
                if (s.Index >= arr.Count)
                {
                    throw Missing(axis.Key, $"{at}[{s.Index}]", $"does not exist in the config (the array has {arr.Count} elements)");
                }
                if (last)
                {
                    arr[s.Index] = value.DeepClone();
                    return;
                }
                node = arr[s.Index] ?? throw Missing(axis.Key, $"{at}[{s.Index}]", "is null in the config");
                at = $"{at}[{s.Index}]";
            }
        }
    }

    private static CliException Malformed(string key) =>
        CliException.Input($"--grid {key}: not a dotted JSON path", "write e.g. seed, controller.current_bandwidth or reference.current.values[1]");

    private static CliException Missing(string key, string at, string what) =>
        CliException.Input($"--grid {key}: {(at.Length == 0 ? "the config" : at)} {what}", "name a field of the runtime config (see docs/config-reference.md)");
}

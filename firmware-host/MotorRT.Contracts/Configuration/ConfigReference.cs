using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace MotorRT.Contracts.Configuration;

/// <summary>Writes the markdown reference of a configuration file from its JSON Schema (<see cref="ConfigSchema"/>).</summary>
public static class ConfigReference
{
    /// <summary>The markdown text: one table per object, its fields with type, requiredness, range and meaning.</summary>
    /// <param name="schema">The exported schema.</param>
    /// <param name="title">Heading of the document.</param>
    /// <param name="intro">Paragraph under the heading (how the doc is made, where the schema is).</param>
    public static string ToMarkdown(JsonObject schema, string title, string intro)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var sb = new StringBuilder();
        sb.Append("# ").Append(title).Append("\n\n").Append(intro).Append("\n\n");
        Object(sb, schema, "(root)", "");
        // Variants sharing a nested object (e.g. the gain overrides of several controller types) list it once.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string[] blocks = sb.ToString().Split("\n## ");
        var result = new StringBuilder(blocks[0]);
        foreach (string block in blocks.Skip(1))
        {
            if (seen.Add(block)) result.Append("\n## ").Append(block);
        }
        return result.ToString();
    }

    private static void Object(StringBuilder sb, JsonObject node, string heading, string path)
    {
        if (node["anyOf"] is JsonArray variants && node["properties"] is null)
        {
            foreach (JsonNode? v in variants)
            {
                if (v is JsonObject vo && vo["properties"] is JsonObject vp)
                {
                    string id = vp["type"]?["const"]?.ToString() ?? "?";
                    Object(sb, vo, $"{heading} — \"type\": \"{id}\"", path);
                }
            }
            return;
        }
        if (node["properties"] is not JsonObject props) return;
        sb.Append("## `").Append(heading).Append("`\n\n");
        if (node["description"] is JsonNode d) sb.Append(d).Append("\n\n");
        var required = new HashSet<string>(StringComparer.Ordinal);
        if (node["required"] is JsonArray req) foreach (JsonNode? r in req) required.Add(r!.ToString());
        sb.Append("| key | type | required | default | range | meaning |\n|---|---|---|---|---|---|\n");
        var nested = new List<(string Key, JsonObject Node)>();
        foreach (KeyValuePair<string, JsonNode?> kv in props)
        {
            if (kv.Value is not JsonObject p) continue;
            sb.Append("| `").Append(kv.Key).Append("` | ").Append(TypeOf(p)).Append(" | ").Append(required.Contains(kv.Key) ? "yes" : "no")
              .Append(" | ").Append(p["default"] is JsonNode def ? $"`{def.ToJsonString()}`" : "").Append(" | ").Append(Range(p)).Append(" | ").Append(Escape(p["description"]?.ToString() ?? "")).Append(" |\n");
            JsonObject? child = p["properties"] is not null || p["anyOf"] is not null ? p : p["items"] is JsonObject it && (it["properties"] is not null || it["anyOf"] is not null) ? it : null;
            if (child is not null && kv.Key != "type") nested.Add((kv.Key, child));
        }
        sb.Append('\n');
        if (node["allOf"] is JsonArray conditional)
        {
            foreach (JsonNode? c in conditional)
            {
                if (c?["then"] is JsonObject then && c["if"]?["properties"]?["type"]?["const"] is JsonNode id)
                {
                    Object(sb, then, $"{heading}` with `\"type\": \"{id}\"", path);
                }
            }
        }
        if (node["oneOf"] is JsonArray branches)
        {
            foreach (JsonNode? b in branches)
            {
                if (b is JsonObject bo && bo["properties"]?["type"]?["enum"] is JsonArray ids)
                {
                    Object(sb, bo, $"{heading}` with `\"type\": {string.Join(" | ", ids.Select(i => $"\"{i}\""))}", path);
                }
            }
        }
        foreach ((string key, JsonObject child) in nested)
        {
            string childPath = path.Length == 0 ? key : $"{path}.{key}";
            Object(sb, child, childPath, childPath);
        }
    }

    private static string TypeOf(JsonObject p)
    {
        if (p["const"] is JsonNode c) return $"\"{c}\"";
        if (p["$ref"] is JsonNode r) return $"see `{r}`";
        if (p["anyOf"] is JsonArray) return "object (by `type`)";
        string t = p["type"] switch
        {
            JsonArray a => string.Join(" or ", a.Select(x => x!.ToString()).Where(x => x != "null")),
            JsonNode n => n.ToString(),
            _ => "any",
        };
        if (t == "array" && p["items"] is JsonObject items) t = $"array of {TypeOf(items)}";
        return t;
    }

    private static string Range(JsonObject p)
    {
        JsonObject target = p["items"] is JsonObject items ? items : p;
        if (target["enum"] is JsonArray e) return string.Join(", ", e.Select(x => $"`{x}`"));
        string unit = p["x-unit"] is JsonNode u ? " " + u : "";
        bool hasMin = target["minimum"] is not null, hasMax = target["maximum"] is not null;
        if (!hasMin && !hasMax) return "";
        string min = hasMin ? Num(target["minimum"]!) : "−∞";
        string max = hasMax ? Num(target["maximum"]!) : "+∞";
        return $"[{min}, {max}]{unit}";
    }

    private static string Num(JsonNode n)
    {
        double d = double.Parse(n.ToString(), CultureInfo.InvariantCulture);
        return d == Math.Floor(d) && Math.Abs(d) < 1e15 ? d.ToString("F0", CultureInfo.InvariantCulture) : d.ToString("G6", CultureInfo.InvariantCulture);
    }

    private static string Escape(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}

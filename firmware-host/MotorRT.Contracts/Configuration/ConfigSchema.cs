using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;

namespace MotorRT.Contracts.Configuration;

/// <summary>
/// Exports the JSON Schema of a configuration record from its source-generated metadata
/// (<see cref="JsonSchemaExporter"/>), adding each field's <see cref="ConfigFieldAttribute"/>: description, unit,
/// minimum, maximum and choices. Editors complete and validate configs that name it in <c>"$schema"</c>.
/// </summary>
public static class ConfigSchema
{
    /// <summary>Schema of <paramref name="root"/> under <paramref name="options"/>.</summary>
    /// <param name="options">The loader's options (<see cref="ConfigFile.Options"/>).</param>
    /// <param name="root">The record of the whole file.</param>
    /// <param name="title">Title of the schema.</param>
    /// <param name="transform">Optional extra edit of each node (e.g. the kinds a registry knows).</param>
    public static JsonObject Export(JsonSerializerOptions options, Type root, string title, Action<JsonSchemaExporterContext, JsonObject>? transform = null)
    {
        var exporterOptions = new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (ctx, node) =>
            {
                ConfigFieldAttribute? f = ctx.PropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(ConfigFieldAttribute), false) is [ConfigFieldAttribute a, ..] ? a : null;
                // "Any value" comes as the boolean schema true; an annotated field needs an object to carry its description.
                JsonObject? o = node as JsonObject ?? (f is not null && node is JsonValue v && v.GetValueKind() == JsonValueKind.True ? new JsonObject() : null);
                if (o is null) return node;
                if (f is not null) Annotate(o, f);
                transform?.Invoke(ctx, o);
                return o;
            },
        };
        // Defaults such as NaN ("absent: derive it") cannot be written as JSON numbers: export with named literals
        // allowed, then drop those defaults and the literal alternatives again (the loader accepts plain numbers only).
        var exportOptions = new JsonSerializerOptions(options) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
        var schema = (JsonObject)exportOptions.GetJsonSchemaAsNode(root, exporterOptions);
        Clean(schema);
        var result = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = title,
        };
        foreach (KeyValuePair<string, JsonNode?> kv in schema.ToList())
        {
            schema.Remove(kv.Key);
            result[kv.Key] = kv.Value;
        }
        return result;
    }

    /// <summary>The schema as indented text with a final newline (the form shipped in docs/).</summary>
    public static string ToText(JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static void Clean(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["default"] is JsonValue d && d.GetValueKind() == JsonValueKind.String && !(o["type"] is JsonValue t && t.ToString() == "string"))
                {
                    o.Remove("default");
                }
                if (o["type"] is JsonArray types && types.Any(x => x?.ToString() == "number") && types.Any(x => x?.ToString() == "string"))
                {
                    bool nullable = types.Any(x => x?.ToString() == "null");
                    o["type"] = nullable ? new JsonArray("number", "null") : JsonValue.Create("number");
                    o.Remove("pattern");
                }
                if (o["type"] is JsonArray itypes && itypes.Any(x => x?.ToString() == "integer") && itypes.Any(x => x?.ToString() == "string"))
                {
                    bool nullable = itypes.Any(x => x?.ToString() == "null");
                    o["type"] = nullable ? new JsonArray("integer", "null") : JsonValue.Create("integer");
                    o.Remove("pattern");
                }
                if (o["anyOf"] is JsonArray any && any.Count == 2 && any[1] is JsonObject literals && literals["enum"] is JsonArray e && e.Any(x => x?.ToString() == "NaN"))
                {
                    JsonNode numberType = any[0]!["type"]!.DeepClone();
                    o.Remove("anyOf");
                    o["type"] = numberType;
                }
                foreach (KeyValuePair<string, JsonNode?> kv in o.ToList()) Clean(kv.Value);
                break;
            case JsonArray a:
                foreach (JsonNode? item in a) Clean(item);
                break;
        }
    }

    private static void Annotate(JsonObject o, ConfigFieldAttribute f)
    {
        o["description"] = f.Unit.Length == 0 ? f.Description : $"{f.Description} Unit: {f.Unit}.";
        if (f.Unit.Length > 0) o["x-unit"] = f.Unit;
        // Number arrays carry the range per element.
        JsonObject target = o["items"] is JsonObject items ? items : o;
        if (!double.IsNegativeInfinity(f.Min)) target["minimum"] = f.Min;
        if (!double.IsPositiveInfinity(f.Max)) target["maximum"] = f.Max;
        if (f.Choices.Length > 0)
        {
            var choices = new JsonArray();
            foreach (string c in f.ChoiceList) choices.Add(c);
            target["enum"] = choices;
        }
    }
}

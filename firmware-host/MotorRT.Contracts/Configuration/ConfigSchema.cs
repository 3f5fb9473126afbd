using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;

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
                if (node is not JsonObject o) return node;
                if (ctx.PropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(ConfigFieldAttribute), false) is [ConfigFieldAttribute f, ..])
                {
                    Annotate(o, f);
                }
                transform?.Invoke(ctx, o);
                return o;
            },
        };
        var schema = (JsonObject)options.GetJsonSchemaAsNode(root, exporterOptions);
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

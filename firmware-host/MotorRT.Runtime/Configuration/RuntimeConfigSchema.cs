using System.Text.Json;
using System.Text.Json.Nodes;
using MotorRT.Contracts.Configuration;
using MotorRT.Runtime.Composition;

namespace MotorRT.Runtime.Configuration;

/// <summary>
/// The JSON Schema of a runtime config file (<see cref="RuntimeConfigDocument"/>) and the markdown reference made from
/// it. The <c>rig</c> and <c>controller</c> sections list the types the program's <see cref="DriveRegistry"/> knows.
/// Shipped as <c>docs/motorrt-config.schema.json</c> and <c>docs/config-reference.md</c> (<c>motorrt config schema|reference</c>).
/// </summary>
public static class RuntimeConfigSchema
{
    /// <summary>Title of the schema and the reference.</summary>
    public const string Title = "MotorRT runtime configuration";

    /// <summary>The schema for a program with <paramref name="registry"/>.</summary>
    public static JsonObject Export(DriveRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        bool nestsSim = false;
        JsonObject schema = ConfigSchema.Export(RuntimeConfig.JsonOptions, typeof(RuntimeConfigDocument), Title, (ctx, node) =>
        {
            if (ctx.PropertyInfo?.DeclaringType != typeof(RuntimeConfigDocument)) return;
            switch (ctx.PropertyInfo.Name)
            {
                case "rig":
                    Discriminated(node, registry.Rigs.All.Select(k => (k.Type, k.Summary)));
                    nestsSim = AddKindSchemas(node, registry);
                    break;
                case "controller":
                    Discriminated(node, registry.Controllers.All.SelectMany(f => f.Types.Select(t => (t, f.Summary))));
                    AddFamilySchemas(node, registry);
                    break;
                case "plant":
                    PlantSchema(node, registry);
                    break;
            }
        });
        if (nestsSim && registry.Rigs.Find("sim") is { } sim)
        {
            schema["$defs"] = new JsonObject { [SimRigDef] = Section(sim, registry) };
        }
        return schema;
    }

    /// <summary>Name of the <c>$defs</c> entry of the simulated rig's section, which other kinds nest as <c>sim</c>.</summary>
    private const string SimRigDef = "sim_rig";

    /// <summary>The markdown reference for a program with <paramref name="registry"/>.</summary>
    public static string Reference(DriveRegistry registry) => ConfigReference.ToMarkdown(Export(registry), Title,
        "Generated from the configuration records by `motorrt config reference` (the JSON Schema, `motorrt config schema`, is " +
        "[motorrt-config.schema.json](motorrt-config.schema.json)); a test fails when this file and the code drift apart. " +
        "SI units throughout; comments and trailing commas are allowed; unknown keys, duplicate keys and values out of range " +
        "are errors naming the file, the field and the fix. The `rig` and `controller` sections are chosen by `type`; the " +
        "keys of each controller type, of each rig kind and of the `plant` are listed below.");

    /// <summary>
    /// Each rig kind's section applies when <c>type</c> names it. A kind that runs the twin behind its devices (emulated
    /// Pi, plant server) nests the simulated rig as <c>sim</c>: described by reference to the "sim" kind's section.
    /// Returns true when such a reference was written.
    /// </summary>
    private static bool AddKindSchemas(JsonObject node, DriveRegistry registry)
    {
        var all = new JsonArray();
        bool nestsSim = false;
        Contracts.Composition.IRigKind? sim = registry.Rigs.Find("sim");
        foreach (Contracts.Composition.IRigKind kind in registry.Rigs.All)
        {
            JsonObject section = Section(kind, registry);
            if (sim is not null && kind != sim && section["properties"]?["sim"] is JsonObject nested)
            {
                section["properties"]!["sim"] = Reference($"#/$defs/{SimRigDef}", nested);
                nestsSim = true;
            }
            all.Add(new JsonObject
            {
                ["if"] = new JsonObject { ["properties"] = new JsonObject { ["type"] = new JsonObject { ["const"] = kind.Type } } },
                ["then"] = section,
            });
        }
        if (all.Count > 0) node["allOf"] = all;
        return nestsSim;
    }

    /// <summary>JSON pointer of the controller section in the schema (nested controllers refer to it).</summary>
    private const string ControllerPointer = "#/properties/controller";

    /// <summary>
    /// One <c>oneOf</c> branch per controller family: its section record's schema, with <c>type</c> restricted to the
    /// family's types, so an editor completes and validates the keys of the chosen type. Nested controller sections
    /// (a PWA fallback, an ONNX inner loop) refer back to the controller section.
    /// </summary>
    private static void AddFamilySchemas(JsonObject node, DriveRegistry registry)
    {
        var branches = new JsonArray();
        foreach (Contracts.Composition.IControllerFamily family in registry.Controllers.All)
        {
            System.Text.Json.Serialization.Metadata.JsonTypeInfo info = family.Section;
            // The records' defaults are property initializers: read them off an instance made without the required keys.
            object defaults = Activator.CreateInstance(info.Type)!;
            JsonObject section = ConfigSchema.Export(info.Options, info.Type, family.Types[0], (ctx, n) =>
            {
                if (ctx.PropertyInfo is not { } p) return;
                if (p.AttributeProvider?.IsDefined(typeof(Contracts.Composition.NestedControllerAttribute), false) == true)
                {
                    n["x-nested-controller"] = true;
                }
                else if (!p.IsRequired && p.Get is not null && p.DeclaringType.IsAssignableFrom(info.Type) && p.Get(defaults) is { } value
                    && value is double or bool or string)
                {
                    n["default"] = JsonSerializer.SerializeToNode(value, info.Options.GetTypeInfo(value.GetType()));
                }
            });
            section.Remove("$schema");
            section.Remove("title");
            // The exporter's own pointers (repeated types) are relative to the section's root: re-root them at the branch.
            Reroot(section, $"{ControllerPointer}/oneOf/{branches.Count}");
            var types = new JsonArray();
            foreach (string t in family.Types) types.Add(t);
            if (section["properties"] is JsonObject props)
            {
                props["type"] = new JsonObject { ["enum"] = types, ["description"] = family.Summary };
            }
            branches.Add(section);
        }
        if (branches.Count > 0) node["oneOf"] = branches;
    }

    private static void Reroot(JsonNode? node, string prefix)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["x-nested-controller"] is not null)
                {
                    string description = o["description"]?.ToString() ?? "";
                    o.Clear();
                    o["description"] = description;
                    o["$ref"] = ControllerPointer;
                    return;
                }
                if (o["$ref"] is JsonValue r && r.ToString() is { } target && target.StartsWith("#/", StringComparison.Ordinal))
                {
                    o["$ref"] = prefix + target[1..];
                }
                foreach (KeyValuePair<string, JsonNode?> kv in o.ToList()) Reroot(kv.Value, prefix);
                break;
            case JsonArray a:
                foreach (JsonNode? item in a) Reroot(item, prefix);
                break;
        }
    }

    /// <summary>The schema of a kind's section; a <c>plant</c> in it refers to the top-level <c>plant</c> schema.</summary>
    private static JsonObject Section(Contracts.Composition.IRigKind kind, DriveRegistry registry)
    {
        JsonObject section = ConfigSchema.Export(kind.Section.Options, kind.Section.Type, kind.Type);
        section.Remove("$schema");
        section.Remove("title");
        if (kind.Plant is not null && section["properties"]?["plant"] is JsonObject plant && registry.Rigs.All.Any(k => k.Plant is not null))
        {
            section["properties"]!["plant"] = Reference("#/properties/plant", plant);
        }
        return section;
    }

    private static JsonObject Reference(string target, JsonObject replaced) => new()
    {
        ["$ref"] = target,
        ["description"] = replaced["description"]?.ToString() ?? "",
    };

    /// <summary>The top-level <c>plant</c>: the section of the (first) rig kind that simulates, else any object.</summary>
    private static void PlantSchema(JsonObject node, DriveRegistry registry)
    {
        string description = node["description"]?.ToString() ?? "";
        if (registry.Rigs.All.Select(k => k.Plant).FirstOrDefault(p => p is not null) is not { } info)
        {
            node["type"] = "object";
            return;
        }
        JsonObject plant = ConfigSchema.Export(info.Options, info.Type, "plant");
        plant.Remove("$schema");
        plant.Remove("title");
        node.Clear();
        foreach (KeyValuePair<string, JsonNode?> kv in plant.ToList())
        {
            plant.Remove(kv.Key);
            node[kv.Key] = kv.Value;
        }
        if (node["type"] is JsonArray) node["type"] = "object";
        node["description"] = description;
    }

    private static void Discriminated(JsonObject node, IEnumerable<(string Type, string Summary)> kinds)
    {
        var types = new JsonArray();
        var lines = new List<string>();
        foreach ((string type, string summary) in kinds)
        {
            types.Add(type);
            lines.Add($"\"{type}\": {summary}");
        }
        string description = node["description"]?.ToString() ?? "";
        node.Clear();
        node["description"] = description;
        node["type"] = "object";
        node["properties"] = new JsonObject { ["type"] = new JsonObject { ["enum"] = types, ["description"] = string.Join(" | ", lines) } };
        node["required"] = new JsonArray("type");
    }
}

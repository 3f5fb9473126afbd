using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using MotorRT.Cli.Commands;
using MotorRT.Contracts.Configuration;
using MotorRT.Runtime.Configuration;
using MotorRT.Sim.Testing;

namespace MotorRT.Cli.Tests;

public class ConfigSchemaTests
{
    private static string Root => ConfigSchemaTestsRoot.Root;

    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.GetFiles(Path.Combine(Root, "examples"), "*.json").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(f));
        return data;
    }

    private static JsonElement Parse(string text)
    {
        using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return doc.RootElement.Clone();
    }

    [Fact]
    public void ShippedSchemaAndReferenceAreWhatTheCommandsGenerate()
    {
        // Regenerate with: motorrt config schema -o docs/motorrt-config.schema.json; motorrt config reference -o docs/config-reference.md
        Assert.Equal(ConfigCommand.Schema(), File.ReadAllText(Path.Combine(Root, "docs", "motorrt-config.schema.json")).ReplaceLineEndings("\n"));
        Assert.Equal(ConfigCommand.Reference(), File.ReadAllText(Path.Combine(Root, "docs", "config-reference.md")).ReplaceLineEndings("\n"));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void EveryExampleValidatesAgainstTheSchemaAndLoads(string name)
    {
        string path = Path.Combine(Root, "examples", name);
        string text = File.ReadAllText(path);
        var schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(Root, "docs", "motorrt-config.schema.json")));
        JsonElement instanceElement = Parse(text);
        EvaluationResults result = schema.Evaluate(instanceElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        // The $schema reference resolves from the example's folder.
        string reference = instanceElement.GetProperty("$schema").GetString()!;
        Assert.Equal("../docs/motorrt-config.schema.json", reference);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(path)!, reference)));
        // And the typed loader accepts it.
        Assert.NotNull(RuntimeConfig.Load(path));
    }

    [Fact]
    public void SchemaRejectsWhatTheLoaderRejects()
    {
        var schema = JsonSchema.FromText(ConfigCommand.Schema());
        string good = File.ReadAllText(Path.Combine(Root, "examples", "pmsm-speed.json"));
        Assert.True(schema.Evaluate(Parse(good)).IsValid);
        string typo = good.Replace("\"frequency\": 10000", "\"frequency\": 10000, \"perod\": 1", StringComparison.Ordinal);
        Assert.False(schema.Evaluate(Parse(typo)).IsValid);
        string outOfRange = good.Replace("\"frequency\": 10000", "\"frequency\": 100", StringComparison.Ordinal);
        Assert.False(schema.Evaluate(Parse(outOfRange)).IsValid);
        Assert.Throws<ConfigException>(() => RuntimeConfig.Parse("x.json", outOfRange));
        string badRig = good.Replace("\"type\": \"sim\"", "\"type\": \"simm\"", StringComparison.Ordinal);
        Assert.False(schema.Evaluate(Parse(badRig)).IsValid);
    }

    [Theory]
    [InlineData("rig-unknown-key.json")]
    [InlineData("plant-unknown-key.json")]
    [InlineData("plant-negative-voltage.json")]
    [InlineData("rig-out-of-range.json")]
    [InlineData("plant-load-unknown-type.json")]
    [InlineData("pi-unknown-key.json")]
    public void SchemaRejectsBadRigAndPlantSectionsLikeTheLoader(string name)
    {
        var schema = JsonSchema.FromText(ConfigCommand.Schema());
        string path = Path.Combine(Root, "tools", "MotorRT.Cli.Tests", "data", "bad", name);
        Assert.False(schema.Evaluate(Parse(File.ReadAllText(path))).IsValid, name);
        Assert.Throws<ConfigException>(() =>
        {
            RuntimeConfig config = RuntimeConfig.Load(path);
            Runtime.Composition.DriveBuilder.BuildRig(config, Rigs.CliDrive.Registry).Rig.Dispose();
        });
    }

    [Fact]
    public void SchemaDescribesEachRigKindAndThePlantFully()
    {
        JsonNode schema = JsonNode.Parse(ConfigCommand.Schema())!;
        JsonNode plant = schema["properties"]!["plant"]!;
        Assert.False(plant["additionalProperties"]!.GetValue<bool>());
        Assert.Equal(0.001, plant["properties"]!["supply"]!["properties"]!["u_nominal"]!["minimum"]!.GetValue<double>());
        var kinds = schema["properties"]!["rig"]!["allOf"]!.AsArray().Select(c => c!["if"]!["properties"]!["type"]!["const"]!.GetValue<string>()).ToArray();
        Assert.Equal(Rigs.CliDrive.Registry.Rigs.Types, kinds);
        Assert.NotNull(schema["$defs"]!["sim_rig"]!["properties"]!["sub_steps"]);
    }

    [Fact]
    public void SchemaDescribesTheKeysOfEachControllerType()
    {
        var schema = JsonSchema.FromText(ConfigCommand.Schema());
        string good = File.ReadAllText(Path.Combine(Root, "examples", "pmdc-current.json"));
        const string section = "\"controller\": { \"type\": \"pi-dc-current\" }";
        Assert.Contains(section, good, StringComparison.Ordinal);
        bool Valid(string controller) => schema.Evaluate(Parse(good.Replace(section, $"\"controller\": {controller}", StringComparison.Ordinal))).IsValid;
        Assert.True(Valid("""{ "type": "pi-dc-current", "current_gains": { "kp": 0.05, "ki": 40 }, "converter": "2qc" }"""));
        Assert.False(Valid("""{ "type": "pi-dc-current", "kp": 0.05 }"""));                               // unknown key
        Assert.False(Valid("""{ "type": "pi-dc-current", "current_gains": { "kp": -1, "ki": 40 } }"""));   // out of range
        Assert.False(Valid("""{ "type": "pi-dc-current", "converter": "3qc" }"""));                        // not a choice
        Assert.False(Valid("""{ "type": "pi-dc-current", "mtpa": true }"""));                              // a FOC key
        Assert.True(Valid("""{ "type": "foc-current", "mtpa": true }"""));
        Assert.False(Valid("""{ "type": "pwa", "law": "l.json", "on_out_of_domain": "fallback", "fallback": { "type": "pi-dc-current", "kpp": 1 } }"""));
        Assert.True(Valid("""{ "type": "pwa", "law": "l.json", "on_out_of_domain": "fallback", "fallback": { "type": "pi-dc-current" } }"""));
        Assert.False(Valid("""{ "type": "onnx", "sidecar": "p.json", "inner": { "type": "nope" } }"""));
    }

    [Fact]
    public void SchemaListsEveryRegisteredRigKindAndControllerType()
    {
        JsonNode schema = JsonNode.Parse(ConfigCommand.Schema())!;
        var rigTypes = schema["properties"]!["rig"]!["properties"]!["type"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        Assert.Equal(Rigs.CliDrive.Registry.Rigs.Types, rigTypes);
        Assert.Contains("sim", rigTypes);
        var controllerTypes = schema["properties"]!["controller"]!["properties"]!["type"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        Assert.Equal(Runtime.ControllerFactory.Types, controllerTypes);
        Assert.Equal(10000, schema["properties"]!["timing"]!["properties"]!["frequency"]!["default"]!.GetValue<double>());
        Assert.Equal(50000, schema["properties"]!["timing"]!["properties"]!["frequency"]!["maximum"]!.GetValue<double>());
    }

    [Fact]
    public void ConfigCommandsWriteFiles()
    {
        using var scratch = new ScratchFolder("schema");
        string dir = scratch.Path;
        Assert.Equal(0, Program.BuildRoot().Parse(["config", "schema", "-o", Path.Combine(dir, "s.json")]).Invoke());
        Assert.Equal(0, Program.BuildRoot().Parse(["config", "reference", "-o", Path.Combine(dir, "r.md")]).Invoke());
        Assert.Equal(ConfigCommand.Schema(), File.ReadAllText(Path.Combine(dir, "s.json")));
        Assert.Contains("## `timing`", File.ReadAllText(Path.Combine(dir, "r.md")));
    }
}

public class CompositionTests
{
    [Fact]
    public void RegistriesRejectATypeRegisteredTwice()
    {
        var rigs = new MotorRT.Contracts.Composition.RigKinds(new MotorRT.Sim.Rig.SimRigKind());
        Assert.Throws<InvalidOperationException>(() => rigs.Add(new MotorRT.Sim.Rig.SimRigKind()));
        var controllers = new MotorRT.Contracts.Composition.ControllerFamilies(new MotorRT.Policies.Foc.FocFamily());
        Assert.Throws<InvalidOperationException>(() => controllers.Add(new MotorRT.Policies.Foc.FocFamily()));
    }

    [Fact]
    public void UnknownRigTypeNamesTheFieldAndTheRegisteredKinds()
    {
        string json = File.ReadAllText(Path.Combine(ConfigSchemaTestsRoot.Root, "examples", "pmsm-speed.json")).Replace("\"type\": \"sim\"", "\"type\": \"can-bus\"", StringComparison.Ordinal);
        RuntimeConfig config = RuntimeConfig.Parse("x.json", json);
        var e = Assert.Throws<ConfigException>(() => MotorRT.Runtime.Composition.DriveBuilder.Build(config, Rigs.CliDrive.Registry));
        Assert.Equal("rig.type", e.Field);
        Assert.Contains("sim", e.Fix);
        Assert.Contains("raspberry-pi", e.Fix);
    }

    public static TheoryData<string, string, string> BadControllerSections() => new()
    {
        { """{ "type": "pi-dc-current", "kpp": 1 }""", "controller.kpp", "unknown key" },
        { """{ "type": "pi-dc-current", "current_gains": { "kp": 0.05, "kp": 0.06, "ki": 40 } }""", "controller.current_gains.kp", "duplicate key" },
        { """{ "type": "pi-dc-current", "current_gains": { "kp": -0.05, "ki": 40 } }""", "controller.current_gains.kp", "out of range" },
        { """{ "type": "pi-dc-current", "current_gains": { "kp": 0.05 } }""", "controller.current_gains.ki", "required field is missing" },
        { """{ "type": "pi-dc-current", "decoupling": "yes" }""", "controller.decoupling", "expected true or false" },
        { """{ "type": "pi-dc-current", "converter": "3qc" }""", "controller.converter", "unknown value" },
        { """{ "type": "pi-dc-current", "current_limit": 1e6 }""", "controller.current_limit", "out of range" },
        { """{ "type": "open-loop-voltage" }""", "controller.voltage", "required field is missing" },
        { """{ "type": "pwa", "law": "LAW", "on_out_of_domain": "fallback", "fallback": { "type": "pi-dc-current", "speed_gains": { "kp": 1, "ki": 1, "kd": 0 } } }""", "controller.fallback.speed_gains.kd", "unknown key" },
    };

    [Theory]
    [MemberData(nameof(BadControllerSections))]
    public void SimulateExitsTwoNamingTheControllerField(string controller, string field, string problem)
    {
        const string section = "\"controller\": { \"type\": \"pi-dc-current\" }";
        string law = Path.Combine(ConfigSchemaTestsRoot.Root, "examples", "laws", "pmdc-current-mpc.json");
        string json = File.ReadAllText(Path.Combine(ConfigSchemaTestsRoot.Root, "examples", "pmdc-current.json"))
            .Replace(section, $"\"controller\": {controller.Replace("LAW", law, StringComparison.Ordinal)}", StringComparison.Ordinal);
        (int code, string error) = Simulate("bad.json", json);
        Assert.True(code == 2, error);
        Assert.Contains($"bad.json: {field}: ", error);
        Assert.Contains(problem, error);
        Assert.Contains("Fix:", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void SimulateExitsTwoNamingTheFieldOnADuplicateKey()
    {
        string json = File.ReadAllText(Path.Combine(ConfigSchemaTestsRoot.Root, "examples", "pmsm-speed.json"))
            .Replace("\"frequency\": 10000", "\"frequency\": 10000, \"frequency\": 20000", StringComparison.Ordinal);
        (int code, string error) = Simulate("dup.json", json);
        Assert.Equal(2, code);
        Assert.Contains("timing.frequency", error);
        Assert.Contains("duplicate key", error);
    }

    /// <summary>Runs <c>motorrt simulate</c> on <paramref name="json"/> written as <paramref name="fileName"/> in a fresh temporary folder: the exit code and what it wrote to stderr.</summary>
    private static (int Code, string Error) Simulate(string fileName, string json)
    {
        using var scratch = new ScratchFolder("cfg");
        string path = Path.Combine(scratch.Path, fileName);
        File.WriteAllText(path, json);
        var error = new StringWriter();
        TextWriter saved = Console.Error;
        Console.SetError(error);
        int code;
        try { code = Program.BuildRoot().Parse(["simulate", path, "--out", Path.Combine(scratch.Path, "out")]).Invoke(); }
        finally { Console.SetError(saved); }
        return (code, error.ToString());
    }
}

internal static class ConfigSchemaTestsRoot
{
    public static string Root
    {
        get
        {
            string dir = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(dir, "MotorRT.sln"))) dir = Path.GetDirectoryName(dir)!;
            return dir;
        }
    }
}

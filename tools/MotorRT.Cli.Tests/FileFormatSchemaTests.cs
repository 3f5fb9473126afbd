using System.Text.Json;
using Json.Schema;
using MotorRT.Cli.Commands;
using MotorRT.Contracts.Configuration;
using MotorRT.Policies.Onnx.Sidecar;
using MotorRT.Policies.Pwa;

namespace MotorRT.Cli.Tests;

/// <summary>The shipped JSON Schemas of the PWA law and ONNX sidecar formats: generated from the records, valid for every shipped file.</summary>
public class FileFormatSchemaTests
{
    private static string Root => ConfigSchemaTestsRoot.Root;

    private static JsonElement Parse(string text)
    {
        using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return doc.RootElement.Clone();
    }

    private static void AssertValid(JsonSchema schema, string path)
    {
        EvaluationResults result = schema.Evaluate(Parse(File.ReadAllText(path)), new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, path + ": " + string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Fact]
    public void ShippedSchemasAreWhatTheCommandsGenerate()
    {
        // Regenerate with: motorrt config pwa-law-schema -o docs/motorrt-pwa-law.schema.json;
        //                  motorrt config onnx-sidecar-schema -o docs/motorrt-onnx-sidecar.schema.json
        Assert.Equal(ConfigCommand.PwaLawSchema(), File.ReadAllText(Path.Combine(Root, "docs", "motorrt-pwa-law.schema.json")).ReplaceLineEndings("\n"));
        Assert.Equal(ConfigCommand.OnnxSidecarSchema(), File.ReadAllText(Path.Combine(Root, "docs", "motorrt-onnx-sidecar.schema.json")).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void EveryShippedLawValidatesAgainstTheSchemaAndLoads()
    {
        var schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(Root, "docs", "motorrt-pwa-law.schema.json")));
        string[] laws = Directory.GetFiles(Path.Combine(Root, "examples", "laws"), "*.json");
        Assert.NotEmpty(laws);
        foreach (string law in laws)
        {
            AssertValid(schema, law);
            Assert.True(PwaLawFile.Load(law, validate: false).RegionCount > 0);
        }
    }

    [Fact]
    public void EveryShippedSidecarValidatesAgainstTheSchemaAndLoads()
    {
        var schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(Root, "docs", "motorrt-onnx-sidecar.schema.json")));
        string[] sidecars = [.. Directory.GetFiles(Path.Combine(Root, "examples", "models"), "*.json"),
            .. Directory.GetFiles(Path.Combine(Root, "policies", "MotorRT.Policies.Onnx.Tests", "Models"), "*.json")];
        Assert.True(sidecars.Length >= 3);
        foreach (string sidecar in sidecars)
        {
            AssertValid(schema, sidecar);
            Assert.NotEmpty(OnnxPolicySpec.Load(sidecar).Observation);
        }
    }

    [Fact]
    public void SchemasRejectWhatTheLoadersReject()
    {
        var law = JsonSchema.FromText(ConfigCommand.PwaLawSchema());
        string good = File.ReadAllText(Path.Combine(Root, "examples", "laws", "pmdc-current-mpc.json"));
        Assert.True(law.Evaluate(Parse(good)).IsValid);
        string typo = good.Replace("\"searchTree\"", "\"serchTree\": true, \"searchTree\"", StringComparison.Ordinal);
        Assert.False(law.Evaluate(Parse(typo)).IsValid);
        Assert.Equal("serchTree", Assert.Throws<ConfigException>(() => PwaLawFile.Parse("law.json", typo)).Field);
        string quantity = good.Replace("\"CurrentA\"", "\"CurrentZ\"", StringComparison.Ordinal);
        Assert.False(law.Evaluate(Parse(quantity)).IsValid);
        Assert.Equal("parameters[0].quantity", Assert.Throws<ConfigException>(() => PwaLawFile.Parse("law.json", quantity)).Field);

        var sidecar = JsonSchema.FromText(ConfigCommand.OnnxSidecarSchema());
        string model = File.ReadAllText(Path.Combine(Root, "examples", "models", "pmdc_current_yann.json"));
        Assert.True(sidecar.Evaluate(Parse(model)).IsValid);
        string bad = model.Replace("\"voltageLimit\": 60", "\"voltageLimit\": 0", StringComparison.Ordinal);
        Assert.False(sidecar.Evaluate(Parse(bad)).IsValid);
        string typo2 = model.Replace("\"validRange\"", "\"validrange\": [0, 1], \"validRange\"", StringComparison.Ordinal);
        Assert.False(sidecar.Evaluate(Parse(typo2)).IsValid);
    }
}

using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Contracts.Tests;

public partial class RigKindsTests
{
    private sealed record ToySection
    {
        [ConfigField("The rig kind.", Choices = "toy")]
        public required string Type { get; init; }

        [ConfigField("Channels.", Min = 0, Max = 3)]
        public int[] Channels { get; init; } = [];
    }

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
    [JsonSerializable(typeof(ToySection))]
    private sealed partial class ToyJson : JsonSerializerContext;

    private static readonly JsonTypeInfo<ToySection> Info =
        (JsonTypeInfo<ToySection>)ConfigFile.Options(ToyJson.Default).GetTypeInfo(typeof(ToySection));

    private sealed class ToyKind(string type) : IRigKind
    {
        public string Type => type;
        public string Summary => "toy";
        public JsonTypeInfo Section => Info;
        public RigBuild Create(RigRequest request) => throw new NotSupportedException();
    }

    private static readonly RigKinds Kinds = new(new ToyKind("toy"), new ToyKind("other"));

    private static RawSection Rig(string json) => new(new ConfigScope("cfg.json", "rig"), ConfigFile.ParseDocument("cfg.json", json));

    [Fact]
    public void Of_finds_the_kind_and_names_rig_type_when_missing_mistyped_or_unknown()
    {
        Assert.Equal("toy", Kinds.Of(Rig("""{ "type": "toy" }""")).Type);
        ConfigException missing = Assert.Throws<ConfigException>(() => Kinds.Of(Rig("{}")));
        Assert.Equal("rig.type", missing.Field);
        Assert.Contains("toy, other", missing.Fix);
        Assert.Equal("rig.type", Assert.Throws<ConfigException>(() => Kinds.Of(Rig("""{ "type": 3 }"""))).Field);
        ConfigException unknown = Assert.Throws<ConfigException>(() => Kinds.Of(Rig("""{ "type": "tyo" }""")));
        Assert.Contains("\"tyo\"", unknown.Problem);
        Assert.Equal("use one of: toy, other", unknown.Fix);
        Assert.Equal("rig", Assert.Throws<ConfigException>(() => Kinds.Of(Rig("[1]"))).Field);
    }

    [Fact]
    public void A_section_read_through_its_element_names_the_full_path_and_checks_integer_arrays()
    {
        Assert.Equal([1, 2], Rig("""{ "type": "toy", "channels": [1, 2] }""").Read(Info).Channels);
        ConfigException range = Assert.Throws<ConfigException>(() => Rig("""{ "type": "toy", "channels": [1, 7] }""").Read(Info));
        Assert.Equal("rig.channels[1]", range.Field);
        Assert.Contains("value 7", range.Problem);
        Assert.Equal("rig.chanels", Assert.Throws<ConfigException>(() => Rig("""{ "type": "toy", "chanels": [] }""").Read(Info)).Field);
        Assert.Equal("rig.x", Rig("""{ "x": {} }""").Optional("x")!.Value.Path);
        Assert.Null(Rig("{}").Optional("x"));
    }
}

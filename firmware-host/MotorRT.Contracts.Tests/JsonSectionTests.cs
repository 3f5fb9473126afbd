using MotorRT.Contracts.Configuration;

namespace MotorRT.Contracts.Tests;

public class JsonSectionTests
{
    [Fact]
    public void UnknownKey_IsAnErrorNamingFileAndField()
    {
        var root = JsonSection.Parse("rig.json", """{ "timing": { "period": 1e-4, "perod": 2 } }""");
        var timing = root.Section("timing");
        Assert.Equal(1e-4, timing.Number("period", 1e-6, 1e-2, "s"));
        var e = Assert.Throws<ConfigException>(timing.EnsureNoUnknownKeys);
        Assert.Equal("rig.json", e.File);
        Assert.Equal("timing.perod", e.Field);
        Assert.Contains("known keys here: period", e.Message);
    }

    [Fact]
    public void OutOfRange_NamesRangeAndUnit()
    {
        var root = JsonSection.Parse("c.json", """{ "limits": { "max_current": -3 } }""");
        var e = Assert.Throws<ConfigException>(() => root.Section("limits").Number("max_current", 0, 1000, "A"));
        Assert.Equal("limits.max_current", e.Field);
        Assert.Contains("[0, 1000] A", e.Message);
    }

    [Fact]
    public void MissingField_SaysWhatToAdd()
    {
        var root = JsonSection.Parse("c.json", "{}");
        var e = Assert.Throws<ConfigException>(() => root.String("controller"));
        Assert.Contains("add \"controller\"", e.Message);
    }

    [Fact]
    public void SyntaxError_NamesLine()
    {
        var e = Assert.Throws<ConfigException>(() => JsonSection.Parse("bad.json", "{\n \"a\": ,\n}"));
        Assert.Contains("line 2", e.Message);
    }

    [Fact]
    public void OneOf_ListsAllowedValues()
    {
        var root = JsonSection.Parse("c.json", """{ "type": "PIDX" }""");
        var e = Assert.Throws<ConfigException>(() => root.OneOf("type", "pi", "pwa", "onnx"));
        Assert.Contains("pi, pwa, onnx", e.Message);
    }
}

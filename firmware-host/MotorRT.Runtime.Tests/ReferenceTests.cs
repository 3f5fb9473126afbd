using MotorRT.Contracts.Configuration;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.References;

namespace MotorRT.Runtime.Tests;

public class ReferenceTests
{
    private static ReferenceProfile P(string json) =>
        RuntimeConfig.ReadSection<ProfileSection>("r.json", "", ConfigFile.ParseDocument("r.json", json)).Build(new ConfigScope("r.json", ""));

    [Fact]
    public void StepRampSineStepsAndSum()
    {
        var step = P("""{ "type": "step", "initial": 1, "final": 5, "time": 0.1 }""");
        Assert.Equal(1, step.At(0.0999));
        Assert.Equal(5, step.At(0.1));
        var ramp = P("""{ "type": "ramp", "from": 0, "to": 100, "start": 0.1, "end": 0.3 }""");
        Assert.Equal(0, ramp.At(0.05));
        Assert.Equal(50, ramp.At(0.2), 1e-9);
        Assert.Equal(100, ramp.At(1));
        var sine = P("""{ "type": "sine", "offset": 2, "amplitude": 3, "frequency": 50 }""");
        Assert.Equal(5, sine.At(0.005), 1e-9);
        var steps = P("""{ "type": "steps", "times": [0, 0.1, 0.2], "values": [1, -1, 4] }""");
        Assert.Equal(1, steps.At(0.05));
        Assert.Equal(-1, steps.At(0.15));
        Assert.Equal(4, steps.At(9));
        Assert.Equal(4, steps.MaxAbs);
        var sum = P("""{ "type": "sum", "terms": [ { "type": "constant", "value": 1 }, { "type": "ramp", "from": 0, "to": 1, "start": 0, "end": 1 } ] }""");
        Assert.Equal(1.5, sum.At(0.5), 1e-12);
    }

    [Fact]
    public void CsvProfileInterpolatesAndHolds()
    {
        string file = Path.Combine(Path.GetTempPath(), $"motorrt-prof-{Guid.NewGuid():N}.csv");
        File.WriteAllText(file, "time,speed\n0,0\n1,100\n2,50\n");
        try
        {
            var p = P($$"""{ "type": "csv", "file": "{{file}}", "column": "speed" }""");
            Assert.Equal(0, p.At(-1));
            Assert.Equal(25, p.At(0.25), 1e-12);
            Assert.Equal(75, p.At(1.5), 1e-12);
            Assert.Equal(50, p.At(5));
            Assert.Equal(10, p.At(0.1), 1e-12);                 // rewinds correctly
            var e = Assert.Throws<ConfigException>(() => P($$"""{ "type": "csv", "file": "{{file}}", "column": "torque" }"""));
            Assert.Equal("column", e.Field);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void PositionReferenceIsEvaluatedIntoTheObservationAndTracked()
    {
        RuntimeConfig c = TestConfigs.Config(TestConfigs.Json(reference: """{ "position": { "type": "ramp", "from": 0, "to": 20, "start": 0.1, "end": 0.3 } }"""));
        Assert.NotNull(c.Reference.Position);
        Assert.Null(c.Reference.Speed);
        var r = new MotorRT.Contracts.References();
        c.Reference.Evaluate(0.2, ref r);
        Assert.Equal(10, r.Position, 12);
        Assert.Equal(0, r.Speed);
        var tracking = new MotorRT.Runtime.Loop.TrackingSet(c.Reference, threePhase: false);
        var o = new MotorRT.Contracts.MotorObservation { MechanicalPosition = 9.5, Reference = r };
        tracking.Add(in o);
        MotorRT.Runtime.Loop.TrackingResult t = Assert.Single(tracking.Results());
        Assert.Equal("position", t.Quantity);
        Assert.Equal("rad", t.Unit);
        Assert.Equal(0.5, t.MaxAbs, 12);
    }

    [Fact]
    public void StepsMustIncrease()
    {
        var e = Assert.Throws<ConfigException>(() => P("""{ "type": "steps", "times": [0, 0.2, 0.1], "values": [1, 2, 3] }"""));
        Assert.Equal("times[2]", e.Field);
    }

    [Fact]
    public void SumWithoutTermsIsAnError()
    {
        var e = Assert.Throws<ConfigException>(() => P("""{ "type": "sum", "terms": [] }"""));
        Assert.Equal("terms", e.Field);
        Assert.Contains("at least one term", e.Message);
    }
}

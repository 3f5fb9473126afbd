using MotorRT.Cli.Commands;
using MotorRT.Policies.Pwa;

namespace MotorRT.Cli.Tests;

public class MpcCommandTests
{
    private static string Example(string name) => ExampleFiles.Path(name);

    [Fact]
    public void BuildWritesAVerifiedLawWithItsFeasibleDomain()
    {
        string outPath = Path.Combine(Path.GetTempPath(), $"motorrt-mpc-{Guid.NewGuid():N}.json");
        var output = new StringWriter();
        var error = new StringWriter();
        int code = MpcCommand.Build(Example("pmdc-mpc-current.json"), new MpcCommand.BuildArguments { Horizon = 3, VerifySamples = 3000 }, outPath, output, error);
        Assert.True(code == 0, error.ToString());
        string text = output.ToString();
        Assert.Contains("21 regions by facet exploration", text);
        Assert.Contains("domain: the feasible set", text);
        Assert.Contains("0 feasible samples in no region", text);
        PwaLaw law = PwaLawFile.Load(outPath);
        Assert.Equal(21, law.RegionCount);
        Assert.Equal(PwaDomainKind.Polytope, law.Domain!.Kind);
    }

    [Fact]
    public void ALoopThatDoesNotFitTheMachineNamesTheOption()
    {
        var error = new StringWriter();
        int code = MpcCommand.Build(Example("pmdc-mpc-current.json"), new MpcCommand.BuildArguments { Loop = "dq-current", VerifySamples = 10 }, Path.GetTempFileName(), new StringWriter(), error);
        Assert.Equal(2, code);
        Assert.Contains("--loop", error.ToString());
    }

    [Fact]
    public void TheDcSpeedLawIsWrittenAndLoads()
    {
        // Was the known gap (a wedge region thinner than 1e-7 of the box was dropped, so validation failed and exit 2).
        string outPath = Path.Combine(Path.GetTempPath(), $"motorrt-mpc-{Guid.NewGuid():N}.json");
        var error = new StringWriter();
        int code = MpcCommand.Build(Example("pmdc-mpc-current.json"), new MpcCommand.BuildArguments { Loop = "dc-speed", Horizon = 3, VerifySamples = 200 }, outPath, new StringWriter(), error);
        Assert.True(code == 0, error.ToString());
        PwaLaw law = PwaLawFile.Load(outPath);
        Assert.True(law.RegionCount > 1);
        Assert.Equal(PwaDomainKind.Polytope, law.Domain!.Kind);
        File.Delete(outPath);
    }

    [Fact]
    public void ALawCutShortByTheRegionCapFailsValidationAndIsNotWritten()
    {
        // The N = 3 current law has 21 regions; a cap of 5 stops the exploration with a hole, which the validator must see.
        string outPath = Path.Combine(Path.GetTempPath(), $"motorrt-mpc-{Guid.NewGuid():N}.json");
        var output = new StringWriter();
        var error = new StringWriter();
        int code = MpcCommand.Build(Example("pmdc-mpc-current.json"), new MpcCommand.BuildArguments { Horizon = 3, VerifySamples = 200, MaxRegions = 5 }, outPath, output, error);
        Assert.Equal(2, code);
        string message = error.ToString();
        Assert.Contains(outPath, message);
        Assert.Contains("--max-regions 5", message);
        Assert.Contains("fails validation", message);
        Assert.Contains("in no region", message);
        Assert.Contains("raise --max-regions", message);
        Assert.Contains("5 regions by facet exploration", output.ToString());
        Assert.False(File.Exists(outPath));
    }

    [Fact]
    public void ANonPositiveRegionCapNamesTheOption()
    {
        var error = new StringWriter();
        string outPath = Path.Combine(Path.GetTempPath(), $"motorrt-mpc-{Guid.NewGuid():N}.json");
        int code = MpcCommand.Build(Example("pmdc-mpc-current.json"), new MpcCommand.BuildArguments { MaxRegions = 0, VerifySamples = 10 }, outPath, new StringWriter(), error);
        Assert.Equal(2, code);
        Assert.Contains("--max-regions", error.ToString());
        Assert.False(File.Exists(outPath));
    }
}

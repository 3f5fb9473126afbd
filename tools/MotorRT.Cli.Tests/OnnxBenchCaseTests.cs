using MotorRT.Cli.Bench;

namespace MotorRT.Cli.Tests;

public class OnnxBenchCaseTests
{
    [Fact]
    public void OnnxCaseIsListedAndRunsWithoutAllocating()
    {
        BenchCase c = Assert.Single(BenchCatalog.All(), x => x.Name == "onnx-mlp-8-64-64-2");
        Assert.Equal("controller", c.Kind);
        // RunMlp throws when a tick allocates; the elapsed time itself is not judged here.
        double seconds = OnnxBenchCases.RunMlp(2_000);
        Assert.True(seconds > 0);
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using MotorRT.Cli.Commands;
using MotorRT.Policies.Onnx.Sidecar;

namespace MotorRT.Cli.Tests;

public class YannCommandTests
{
    private static string Example(string name) => ExampleFiles.Path(name);

    private static double Figure(string text, string pattern) =>
        double.Parse(Regex.Match(text, pattern).Groups[1].Value, CultureInfo.InvariantCulture);

    [Fact]
    public void TheOnnxNetworkEqualsTheLawInOnnxRuntime()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"motorrt-yann-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        string model = Path.Combine(dir, "yann.onnx");
        var output = new StringWriter();
        var error = new StringWriter();
        int code = YannCommand.Run(Example("laws/pmdc-current-mpc.json"), model, 20_000, output, error);
        Assert.True(code == 0, error.ToString());
        string text = output.ToString();
        // ONNX Runtime in float32: a few 1e-4 V on a ±60 V law (float32 resolution of the 60 V output and of θ ~ 400);
        // the same network in double precision is exact.
        Assert.True(Figure(text, @"max \|Δu\| = ([0-9.E+-]+) V") < 1e-3, text);
        Assert.True(Figure(text, @"double-precision network: ([0-9.E+-]+) V") < 1e-8, text);
        OnnxPolicySpec spec = OnnxPolicySpec.Load(Path.Combine(dir, "yann.json"));
        Assert.Equal(ActionMeaning.VoltageDc, spec.Action.Meaning);
        Assert.Equal(3, spec.Observation.Length);
        Assert.Equal(60, spec.Action.VoltageLimit);
    }

    [Fact]
    public void TheYannExampleClosesTheLoopLikeThePwaLaw()
    {
        string Run(string config)
        {
            string outDir = Path.Combine(Path.GetTempPath(), $"motorrt-yann-sim-{Guid.NewGuid():N}");
            var stderr = new StringWriter();
            int code = SimulateCommand.Run(Example(config), outDir, false, TextWriter.Null, stderr);
            Assert.True(code == 0, stderr.ToString());
            return File.ReadAllText(Path.Combine(outDir, "summary.json"));
        }
        string yann = Run("pmdc-yann-current.json");
        string pwa = Run("pmdc-mpc-current.json");
        double rmse(string s) => Figure(s, "\"rmse\"\\s*:\\s*([0-9.E+-]+)");
        Assert.InRange(rmse(yann), 0.5 * rmse(pwa), 1.05 * rmse(pwa));
    }
}

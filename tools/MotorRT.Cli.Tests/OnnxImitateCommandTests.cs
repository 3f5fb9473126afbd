using MotorRT.Cli.Commands;
using MotorRT.Policies.Onnx.Sidecar;

namespace MotorRT.Cli.Tests;

public class OnnxImitateCommandTests
{
    [Fact]
    public void WritesALoadableModelAndSidecarAndReportsTracking()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"motorrt-onnx-imitate-{Guid.NewGuid():N}");
        try
        {
            var output = new StringWriter();
            int code = OnnxImitateCommand.Run("Cont-CC-PermExDc-v0", dir, "p", episodes: 2, seed: 5, output, new StringWriter());
            Assert.Equal(0, code);
            string text = output.ToString();
            Assert.Contains("pairs from 2 episodes", text);
            Assert.Contains("ONNX RMS", text);
            OnnxPolicySpec spec = OnnxPolicySpec.Load(Path.Combine(dir, "p.json"));
            Assert.Equal(ActionMeaning.DutyDc, spec.Action.Meaning);
            Assert.True(File.Exists(Path.Combine(dir, "p.onnx")));
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    [Fact]
    public void RefusesNonDcOrUnknownPresets()
    {
        var error = new StringWriter();
        Assert.Equal(2, OnnxImitateCommand.Run("Cont-CC-PMSM-v0", Path.GetTempPath(), "p", 2, 5, new StringWriter(), error));
        Assert.Contains("--preset", error.ToString());
        Assert.Equal(2, OnnxImitateCommand.Run("Cont-XX-Nope-v0", Path.GetTempPath(), "p", 2, 5, new StringWriter(), error));
    }
}

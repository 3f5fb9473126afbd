using MotorRT.Cli.Commands;

namespace MotorRT.Cli.Tests;

public class TuneCommandTests
{
    private static string Write(string json)
    {
        string path = Path.Combine(Path.GetTempPath(), $"motorrt-tune-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private const string PermExDc = """
        "motor": { "type": "PermExDc", "r_a": 0.016, "l_a": 1.9e-5, "psi_e": 0.165, "j_rotor": 0.025,
                   "limits": { "i": 210, "u": 60, "omega": 400, "torque": 38 } }
        """;

    [Fact]
    public void PrintsGainsAndReasoning()
    {
        string path = Write($$"""{ "period": 1e-4, {{PermExDc}}, "controller": { "type": "pi-dc-speed" } }""");
        var output = new StringWriter();
        int code = TuneCommand.Run(path, null, output, new StringWriter());
        string text = output.ToString();
        Assert.Equal(0, code);
        // K_p = l_a/(2·T_σ) with T_σ = 1.5·T_s.
        Assert.Contains("K_p = 0.063333 V/A", text);
        Assert.Contains("magnitude optimum", text);
        Assert.Contains("symmetric optimum, a = 4", text);
        Assert.Contains("phase margin 61.4°", text);
    }

    [Fact]
    public void UnknownKeyIsAnErrorNamingTheField()
    {
        string path = Write($$"""{ {{PermExDc}}, "controller": { "type": "pi-dc-current", "kp": 1 } }""");
        var error = new StringWriter();
        int code = TuneCommand.Run(path, null, new StringWriter(), error);
        Assert.Equal(2, code);
        Assert.Contains("controller.kp: unknown key", error.ToString());
    }

    [Fact]
    public void NonPiControllerIsRejected()
    {
        string path = Write($$"""{ {{PermExDc}}, "controller": { "type": "onnx" } }""");
        var error = new StringWriter();
        Assert.Equal(2, TuneCommand.Run(path, null, new StringWriter(), error));
        Assert.Contains("controller.type", error.ToString());
    }
}

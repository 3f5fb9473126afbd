using MotorRT.Cli.Commands;
using MotorRT.Contracts;
using MotorRT.Policies.Onnx.Sidecar;
using MotorRT.Sim.Testing;

namespace MotorRT.Cli.Tests;

public class TrainCommandTests
{
    private static string WriteConfig(string dir, string algorithm, string extra = "") =>
        Write(Path.Combine(dir, "train.json"), $$"""
            {
              "$schema": "ignored-by-the-loader.json",
              // a few hundred steps: a smoke test, not a useful policy
              "env": "Cont-SC-SeriesDc-v0", "algorithm": "{{algorithm}}", "steps": 400, "seed": 3,
              "actor_hidden": [16, 16], "critic_hidden": [16, 16], "batch_size": 32, "learning_starts": 100,
              "eval_interval": 200, "eval_steps": 200, "episode_steps": 300, "checkpoint_interval": 200,
              "simulate_duration": 0.05, "output": "out"{{extra}}
            }
            """);

    private static string Write(string path, string text)
    {
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("td3")]
    [InlineData("ddpg")]
    public void TrainsATinyPolicyThatSimulateRunsUnchanged(string algorithm)
    {
        using var scratch = new ScratchFolder("train");
        string dir = scratch.Path;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(0, TrainCommand.Run(WriteConfig(dir, algorithm), stdout, stderr));
        string outDir = Path.Combine(dir, "out");
        foreach (string f in new[] { "policy.onnx", "policy.json", "simulate.json", "training_curve.csv", "training_curve.png", "final.ckpt" })
        {
            Assert.True(File.Exists(Path.Combine(outDir, f)), f);
        }
        Assert.Equal(2, Directory.GetFiles(Path.Combine(outDir, "checkpoints")).Length);
        Assert.Contains("steps/s", stderr.ToString());
        Assert.Contains("return", stderr.ToString());
        string[] curve = File.ReadAllLines(Path.Combine(outDir, "training_curve.csv"));
        Assert.Equal("kind,step,episode,return,length,terminated,wall_s,steps_per_s,profile_rmse,profile_max_error,profile_current_peak_a,profile_terminated", curve[0]);
        Assert.Contains(curve, l => l.StartsWith("eval,400,", StringComparison.Ordinal));
        Assert.Contains(curve, l => l.StartsWith("episode,300,1,", StringComparison.Ordinal));
        Assert.Contains("exported the best actor", stdout.ToString());
        Assert.Contains("step profile of omega (0 → 50 → 120 → 80 → 150)", stdout.ToString());

        OnnxPolicySpec spec = OnnxPolicySpec.Load(Path.Combine(outDir, "policy.json"));
        Assert.Equal(
            [ObservationQuantity.MechanicalSpeed, ObservationQuantity.Torque, ObservationQuantity.CurrentA, ObservationQuantity.LastVoltageD, ObservationQuantity.DcLinkVoltage, ObservationQuantity.ReferenceSpeed],
            spec.Observation.Select(o => o.Quantity));
        Assert.Equal([400.0, 38, 210, 60, 60, 400], spec.Observation.Select(o => o.Limit));
        Assert.Equal(ActionMeaning.DutyDc, spec.Action.Meaning);
        Assert.Equal(ActionPostprocess.Unscale, spec.Action.Postprocess);

        var simOut = new StringWriter();
        var simErr = new StringWriter();
        int code = SimulateCommand.Run(Path.Combine(outDir, "simulate.json"), Path.Combine(dir, "sim"), plots: false, simOut, simErr);
        Assert.True(code == 0, simOut + simErr.ToString());
        Assert.Contains("faults 0", simOut.ToString());
    }

    [Fact]
    public void TheInEnvironmentProfileEvaluationAgreesWithSimulate()
    {
        // simulate.json mirrors the environment: the runtime's tracking of the exported policy on the step profile
        // must be close to what train measured in the environment (sensors and the speed estimator differ slightly).
        using var scratch = new ScratchFolder("train-profile");
        string dir = scratch.Path;
        var stdout = new StringWriter();
        Assert.Equal(0, TrainCommand.Run(WriteConfig(dir, "td3", ", \"export\": \"final\""), stdout, new StringWriter()));
        var m = System.Text.RegularExpressions.Regex.Match(stdout.ToString(), @"exported the final actor: step 400, .*RMSE ([0-9.eE+-]+),");
        Assert.True(m.Success, stdout.ToString());
        double inEnv = double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, SimulateCommand.Run(Path.Combine(dir, "out", "simulate.json"), Path.Combine(dir, "sim"), plots: false, new StringWriter(), new StringWriter()));
        using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "sim", "summary.json")));
        double simulated = summary.RootElement.GetProperty("tracking").GetProperty("speed").GetProperty("rmse").GetDouble();
        Assert.True(Math.Abs(simulated - inEnv) <= 0.05 * inEnv + 0.5, $"train measured {inEnv}, simulate {simulated}");
    }

    [Fact]
    public void SameSeedWritesTheSamePolicy()
    {
        using ScratchFolder folderA = new("train-a"), folderB = new("train-b");
        string a = folderA.Path, b = folderB.Path;
        Assert.Equal(0, TrainCommand.Run(WriteConfig(a, "td3"), new StringWriter(), new StringWriter()));
        Assert.Equal(0, TrainCommand.Run(WriteConfig(b, "td3"), new StringWriter(), new StringWriter()));
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, "out", "policy.onnx")), File.ReadAllBytes(Path.Combine(b, "out", "policy.onnx")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, "out", "final.ckpt")), File.ReadAllBytes(Path.Combine(b, "out", "final.ckpt")));
    }

    [Theory]
    [InlineData("\"env\": \"Cont-SC-SeriesDc-v0\", \"steps\": 10, \"algorithm\": \"ppo\"", "algorithm")]
    [InlineData("\"env\": \"Cont-SC-SeriesDc-v0\", \"steps\": 10, \"stepz\": 3", "stepz")]
    [InlineData("\"env\": \"Finite-SC-SeriesDc-v0\", \"steps\": 10", "env")]
    [InlineData("\"env\": \"Cont-XX-Nope-v0\", \"steps\": 10", "env")]
    [InlineData("\"env\": \"Cont-SC-SeriesDc-v0\", \"steps\": 0", "steps")]
    [InlineData("\"env\": \"Cont-SC-SeriesDc-v0\"", "steps")]
    [InlineData("\"env\": \"Cont-CC-PMSM-v0\", \"steps\": 10", "env")]
    public void BadConfigsExitWithTwoNamingTheField(string body, string field)
    {
        using var scratch = new ScratchFolder("train-bad");
        string dir = scratch.Path;
        var stderr = new StringWriter();
        string path = Write(Path.Combine(dir, "bad.json"), "{" + body + ", \"output\": \"out\"}");
        Assert.Equal(2, TrainCommand.Run(path, new StringWriter(), stderr));
        Assert.Contains(field, stderr.ToString());
        Assert.DoesNotContain("   at ", stderr.ToString());
    }

    [Theory]
    [InlineData("seriesdc-speed-ddpg.json", "ddpg")]
    [InlineData("seriesdc-speed-td3.json", "td3")]
    public void ExampleTrainConfigsLoad(string name, string algorithm)
    {
        MotorRT.Cli.Train.TrainConfig c = MotorRT.Cli.Train.TrainConfig.Load(ExampleFiles.Path(Path.Combine("train", name)));
        Assert.Equal("Cont-SC-SeriesDc-v0", c.Env);
        Assert.Equal(algorithm, c.Algorithm);
    }

    [Fact]
    public void MissingConfigFileIsAnInputError()
    {
        var stderr = new StringWriter();
        Assert.Equal(2, TrainCommand.Run(Path.Combine(Path.GetTempPath(), $"nope-{Guid.NewGuid():N}.json"), new StringWriter(), stderr));
        Assert.Contains("not found", stderr.ToString());
    }
}

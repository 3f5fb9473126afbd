using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;
using MotorRT.Cli.Commands;
using MotorRT.Policies.Onnx.Sidecar;
using MotorRT.Policies.Pwa;

namespace MotorRT.Cli.Tests;

/// <summary>YANN-RL: <c>motorrt train</c> with <c>actor_init.yann_law</c> (policies/README.md, "YANN-RL").</summary>
public class YannRlTrainTests
{
    private static string TempDir(string what)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"motorrt-{what}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string Law => ExampleFiles.Path("laws/pmdc-current-mpc.json").Replace('\\', '/');

    private static string WriteConfig(string dir, string extra) => Write(Path.Combine(dir, "train.json"), $$"""
        {
          // a few hundred steps with the actor frozen by the critic warm-up: the exported actor is still the law
          "env": "Cont-CC-PermExDc-v0", "algorithm": "td3", "steps": 400, "seed": 2,
          "motor_parameter": { "r_a": 0.024 },
          "critic_hidden": [16, 16], "batch_size": 32, "learning_starts": 0,
          "eval_interval": 200, "eval_steps": 200, "episode_steps": 300, "noise_sigma": 0.02,
          "simulate_duration": 0.05, "export": "final", "output": "out"{{extra}}
        }
        """);

    private static string Write(string path, string text)
    {
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void TheYannInitialisedActorIsTheLawAndSimulateRunsIt()
    {
        string dir = TempDir("yannrl");
        try
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            string config = WriteConfig(dir, $", \"actor_init\": {{ \"yann_law\": \"{Law}\", \"critic_warmup_steps\": 1000, \"verify_samples\": 5000 }}");
            Assert.True(TrainCommand.Run(config, stdout, stderr) == 0, stdout + stderr.ToString());
            string err = stderr.ToString(), text = stdout.ToString();
            // The start-up check: float32 network vs the law at sampled points of its domain.
            Match m = Regex.Match(err, @"at (\d+) points of its domain: max \|Δaction\| = ([0-9.E+-]+)");
            Assert.True(m.Success, err);
            Assert.True(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) > 4000, err);
            Assert.True(double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) < 1e-4, err);
            Assert.Contains("YANN [130, 56, 29, 15, 8, 5, 3, 2]", err);
            Assert.Contains("(motor r_a = 0.024)", err);
            Assert.Contains("PWA law alone: evaluation return", text);
            Assert.Contains("constraint violations in training: 0 of", text);

            // Step 0 of the curve is the law: the same evaluation return as the double-precision law.
            string outDir = Path.Combine(dir, "out");
            string[] curve = File.ReadAllLines(Path.Combine(outDir, "training_curve.csv"));
            double Return(string prefix) => double.Parse(curve.Single(l => l.StartsWith(prefix, StringComparison.Ordinal)).Split(',')[3], CultureInfo.InvariantCulture);
            double law = Return("law,0,"), step0 = Return("eval,0,");
            Assert.True(Math.Abs(law - step0) <= 1e-3 * Math.Abs(law) + 1e-3, $"law {law}, step-0 actor {step0}");

            // The exported (frozen) actor in ONNX Runtime equals the law: duty = u/60 V at GEM observations.
            PwaLaw pwa = PwaLawFile.Load(Law);
            OnnxPolicySpec spec = OnnxPolicySpec.Load(Path.Combine(outDir, "policy.json"));
            Assert.Equal(ActionMeaning.DutyDc, spec.Action.Meaning);
            double[] limits = [.. spec.Observation.Select(o => o.Limit)]; // omega, torque, i, u, u_sup, ref_i
            using var session = new InferenceSession(Path.Combine(outDir, "policy.onnx"));
            var rng = new Random(5);
            var u = new double[1];
            double worst = 0;
            int points = 0;
            for (int s = 0; s < 2000; s++)
            {
                double i = rng.NextDouble() * 420 - 210, r = rng.NextDouble() * 400 - 200, w = rng.NextDouble() * 800 - 400;
                float[] obs = [(float)(w / limits[0]), 0.1f, (float)(i / limits[2]), -0.3f, 1f, (float)(r / limits[5])];
                double[] theta = [obs[2] * limits[2], obs[5] * limits[5], obs[0] * limits[0]];
                if (pwa.Evaluate(theta, u, true, out _) < 0) continue;
                using var value = OrtValue.CreateTensorValueFromMemory(obs, [1, 6]);
                using var results = session.Run(new RunOptions(), [spec.InputName], [value], ["actions"]);
                worst = Math.Max(worst, Math.Abs(results[0].GetTensorDataAsSpan<float>()[0] - u[0] / 60.0));
                points++;
            }
            Assert.True(points > 1500, $"{points} points in the domain");
            Assert.True(worst < 1e-4, $"max |Δduty| {worst}");

            // The mirror config carries the plant override and runs the policy in the runtime.
            Assert.Contains("\"motor_parameter\": { \"r_a\": 0.024 }", File.ReadAllText(Path.Combine(outDir, "simulate.json")));
            var simOut = new StringWriter();
            var simErr = new StringWriter();
            int code = SimulateCommand.Run(Path.Combine(outDir, "simulate.json"), Path.Combine(dir, "sim"), plots: false, simOut, simErr);
            Assert.True(code == 0, simOut + simErr.ToString());
            Assert.Contains("faults 0", simOut.ToString());
            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "sim", "summary.json")));
            Assert.True(summary.RootElement.GetProperty("tracking").GetProperty("current").GetProperty("rmse").GetDouble() < 20);
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    [Theory]
    [InlineData("\"actor_init\": { \"yann_law\": \"nope.json\" }", "actor_init.yann_law")]
    [InlineData("\"actor_init\": { \"yann_law\": \"LAW\" }, \"actor_hidden\": [8]", "actor_hidden")]
    [InlineData("\"actor_init\": { \"yann_law\": \"LAW\", \"critic_warmup_steps\": -1 }", "critic_warmup_steps")]
    [InlineData("\"motor_parameter\": { \"r_s\": 0.1 }", "motor_parameter.r_s")]
    [InlineData("\"motor_parameter\": { \"r_a\": -1 }", "motor_parameter.r_a")]
    public void BadYannRlConfigsExitWithTwoNamingTheField(string body, string field)
    {
        string dir = TempDir("yannrl-bad");
        try
        {
            var stderr = new StringWriter();
            string path = Write(Path.Combine(dir, "bad.json"), "{\"env\": \"Cont-CC-PermExDc-v0\", \"steps\": 10, " + body.Replace("LAW", Law) + ", \"output\": \"out\"}");
            Assert.Equal(2, TrainCommand.Run(path, new StringWriter(), stderr));
            Assert.Contains(field, stderr.ToString());
            Assert.DoesNotContain("   at ", stderr.ToString());
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    [Fact]
    public void ALawTheEnvironmentCannotRunIsRefused()
    {
        // The PMSM dq law outputs two voltages: not a DC duty.
        string dir = TempDir("yannrl-env");
        try
        {
            var stderr = new StringWriter();
            string law = ExampleFiles.Path("laws/pmsm-current-mpc.json").Replace('\\', '/');
            string path = Write(Path.Combine(dir, "bad.json"), $"{{\"env\": \"Cont-CC-PermExDc-v0\", \"steps\": 10, \"actor_init\": {{ \"yann_law\": \"{law}\" }}, \"output\": \"out\"}}");
            Assert.Equal(2, TrainCommand.Run(path, new StringWriter(), stderr));
            Assert.Contains("actor_init.yann_law", stderr.ToString());
            Assert.Contains("voltage_dq", stderr.ToString());
            Assert.DoesNotContain("   at ", stderr.ToString());

            // A DC voltage law that reads the speed reference: a current-control environment has none.
            Write(Path.Combine(dir, "speed-law.json"), """
                {
                  "format": "motorrt-pwa-law/1",
                  "parameters": [
                    { "quantity": "CurrentA", "min": -210, "max": 210, "unit": "A" },
                    { "quantity": "ReferenceSpeed", "min": -400, "max": 400, "unit": "rad/s" }
                  ],
                  "output": { "meaning": "voltage_dc", "min": [-60], "max": [60] },
                  "continuous": true,
                  "regions": [ { "H": [[1, 0], [-1, 0], [0, 1], [0, -1]], "k": [210, 210, 400, 400], "F": [[-0.1, 0.05]], "g": [0] } ]
                }
                """);
            stderr = new StringWriter();
            path = Write(Path.Combine(dir, "bad2.json"), "{\"env\": \"Cont-CC-PermExDc-v0\", \"steps\": 10, \"actor_init\": { \"yann_law\": \"speed-law.json\" }, \"output\": \"out\"}");
            Assert.Equal(2, TrainCommand.Run(path, new StringWriter(), stderr));
            Assert.Contains("actor_init.yann_law: the law's parameter 1 (ReferenceSpeed) is not in Cont-CC-PermExDc-v0's observation", stderr.ToString());
            Assert.DoesNotContain("   at ", stderr.ToString());
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    [Theory]
    [InlineData("pmdc-current-yann-td3.json", true)]
    [InlineData("pmdc-current-td3.json", false)]
    public void ExampleYannRlConfigsLoad(string name, bool yann)
    {
        MotorRT.Cli.Train.TrainConfig c = MotorRT.Cli.Train.TrainConfig.Load(ExampleFiles.Path(Path.Combine("train", name)));
        Assert.Equal("Cont-CC-PermExDc-v0", c.Env);
        Assert.Equal(0.024, c.MotorParameter!["r_a"]);
        Assert.Equal(yann, c.ActorInit is not null);
    }
}

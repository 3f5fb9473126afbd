using MotorRT.Policies.Training.Imitation;
using Xunit.Abstractions;

namespace MotorRT.Policies.Onnx.Tests;

public class ImitationTests(ITestOutputHelper output)
{
    internal static readonly ImitationScenario Training = new() { Episodes = 40, TicksPerEpisode = 500, HoldTicks = 50, CurrentAmplitude = 300, Seed = 21 };
    internal static readonly ImitationScenario Evaluation = new() { Episodes = 4, TicksPerEpisode = 600, HoldTicks = 100, CurrentAmplitude = 300, Seed = 777, FirstEpisode = 1000 };

    [Fact]
    public void TrainerFitsAKnownFunctionDeterministically()
    {
        var data = new ImitationDataset(3, 1);
        var rng = new SplitMix64(3);
        for (int i = 0; i < 2000; i++)
        {
            double[] x = [2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1];
            data.Add(x, [Math.Tanh(1.5 * x[0] - x[1]) + 0.3 * x[2]]);
        }
        var options = new MlpTrainingOptions { Hidden = [16, 16], Epochs = 20, Seed = 9 };
        MlpTrainingResult r1 = MlpTrainer.Train(data, options);
        MlpTrainingResult r2 = MlpTrainer.Train(data, options);
        output.WriteLine($"loss: {string.Join(", ", r1.EpochLoss.Select(l => l.ToString("E2")))}");
        Assert.True(r1.EpochLoss[0] > 5 * r1.FinalLoss, "loss must fall");
        Assert.True(r1.FinalLoss < 1e-3, $"final MSE {r1.FinalLoss:E3}");
        for (int l = 0; l < r1.Network.Layers.Count; l++) Assert.Equal(r1.Network.Layers[l].Weights, r2.Network.Layers[l].Weights);
        Assert.NotEqual(r1.Network.Layers[0].Weights, MlpTrainer.Train(data, options with { Seed = 10 }).Network.Layers[0].Weights);
    }

    [Fact]
    public void RecordingDropsOnlyTheTicksWhereAReferenceStepArrives()
    {
        var plant = new TwinImitationPlant();
        ObservationEntry[] layout = CurrentImitation.DcLayout(TwinImitationPlant.CurrentLimit, TwinImitationPlant.SpeedLimit, TwinImitationPlant.Udc);
        var scenario = Training with { Episodes = 2 };
        ImitationDataset data = CurrentImitation.Record(plant, new TestPiCurrentController(), new ObservationEncoder(layout, null, TestFiles.PermExDc), scenario);
        int steps = 0;
        for (int e = 0; e < 2; e++)
        {
            double[] r = CurrentImitation.ReferenceSteps(scenario, e);
            for (int k = 1; k < r.Length; k++) if (r[k] != r[k - 1]) steps++;
        }
        Assert.Equal(2 * 500 - steps, data.Count);
        Assert.True(steps >= 16, $"{steps} reference changes");
    }

    /// <summary>Trains the self-contained DC PI imitation policy into <paramref name="directory"/> (also regenerates the shipped model).</summary>
    internal static DcImitationResult TrainSelfContained(string directory) =>
        CurrentImitation.TrainDcPolicy(new TwinImitationPlant(), new TestPiCurrentController(), TestFiles.PermExDc with { Limits = TestFiles.PermExDc.Limits with { Speed = TwinImitationPlant.SpeedLimit } },
            TwinImitationPlant.Udc, Training, directory, "dc_pi_imitation");

    /// <summary>Where the shipped models live in the source tree (for regeneration).</summary>
    private static string SourceModels([System.Runtime.CompilerServices.CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Models");

    /// <summary>
    /// Trains the self-contained PI imitation (record → train → export), closes the loop with the fresh ONNX policy, and
    /// checks the result is byte-identical to the shipped Models/dc_pi_imitation.{onnx,json}. Set
    /// MOTORRT_REGENERATE_MODELS=1 to rewrite the shipped files instead (then commit them).
    /// </summary>
    [Fact]
    public void TrainedPolicyTracksLikeThePiAndReproducesTheShippedModel()
    {
        using var files = new TestFiles();
        DcImitationResult trained = TrainSelfContained(files.Directory);
        output.WriteLine($"{trained.Pairs} pairs, loss: {string.Join(", ", trained.Training.EpochLoss.Select(l => l.ToString("E2")))}");
        using (var policy = new OnnxPolicy(OnnxPolicySpec.Load(trained.SidecarPath), TestFiles.PermExDc, TwinImitationPlant.Ts, new OnnxPolicyOptions { InferenceBudget = 1 }))
        {
            AssertTracksLikeThePi(policy);
        }
        if (Environment.GetEnvironmentVariable("MOTORRT_REGENERATE_MODELS") == "1")
        {
            Directory.CreateDirectory(SourceModels());
            File.Copy(trained.ModelPath, Path.Combine(SourceModels(), "dc_pi_imitation.onnx"), true);
            File.Copy(trained.SidecarPath, Path.Combine(SourceModels(), "dc_pi_imitation.json"), true);
            return;
        }
        string shipped = Path.Combine(AppContext.BaseDirectory, "Models");
        Assert.Equal(File.ReadAllBytes(Path.Combine(shipped, "dc_pi_imitation.onnx")), File.ReadAllBytes(trained.ModelPath));
        Assert.Equal(File.ReadAllText(Path.Combine(shipped, "dc_pi_imitation.json")), File.ReadAllText(trained.SidecarPath));
    }

    [Fact]
    public void ShippedModelTracksLikeThePi()
    {
        string sidecar = Path.Combine(AppContext.BaseDirectory, "Models", "dc_pi_imitation.json");
        using var policy = new OnnxPolicy(OnnxPolicySpec.Load(sidecar), TestFiles.PermExDc, TwinImitationPlant.Ts, new OnnxPolicyOptions { InferenceBudget = 1 });
        Assert.Equal("actions", policy.OutputName);
        Assert.Contains("test-pi-current", policy.Info.ProducerName + File.ReadAllText(sidecar));
        AssertTracksLikeThePi(policy);
    }

    internal void AssertTracksLikeThePi(OnnxPolicy policy)
    {
        var plant = new TwinImitationPlant();
        TrackingResult pi = CurrentImitation.Evaluate(plant, new TestPiCurrentController(), Evaluation);
        TrackingResult onnx = CurrentImitation.Evaluate(plant, policy, Evaluation);
        output.WriteLine($"PI:   RMS {pi.RmsError:F2} A, settled {pi.SettledError:F3} A");
        output.WriteLine($"ONNX: RMS {onnx.RmsError:F2} A, settled {onnx.SettledError:F3} A, faults {onnx.FaultTicks}");
        // Stated margin: RMS error within 10 % + 2 A of the PI's; settled error (last 20 % of each 10 ms step) within
        // 1 % of the 400 A limit of the PI's. A memoryless policy only approximates the PI's integral action (it sees the
        // previous voltage, not the integrator), so a small settled error remains.
        Assert.True(onnx.SettledError <= pi.SettledError + 0.01 * TwinImitationPlant.CurrentLimit, $"settled error ONNX {onnx.SettledError:F3} A vs PI {pi.SettledError:F3} A");
        Assert.True(onnx.RmsError <= 1.1 * pi.RmsError + 2.0, $"ONNX RMS {onnx.RmsError:F2} A vs PI {pi.RmsError:F2} A");
        Assert.Equal(0, onnx.FaultTicks);
    }
}

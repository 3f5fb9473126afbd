using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.Cascades;
using MotorRT.Policies.Onnx;
using MotorRT.Policies.PI;
using MotorRT.Cli.Onnx;
using MotorRT.Policies.Training.Imitation;
using MotorRT.Sim;
using Xunit.Abstractions;

namespace MotorRT.Cli.Tests;

/// <summary>
/// A real trained ONNX policy on the plant: an MLP learns, by supervised imitation, the cascaded PI armature-current
/// controller (<see cref="DcCascadeController"/>, current mode) on the twin of GEM's Cont-CC-PermExDc-v0 (<see cref="PhysicalSystem"/>); it is exported
/// with MotorRT's ONNX writer, loaded through the controller config path (sidecar, strict), and closes the loop on
/// the GEM-faithful twin with tracking within a stated margin of the PI it imitates.
/// </summary>
public class OnnxImitationTests(ITestOutputHelper output)
{
    private const double Ts = 1e-4;

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "MotorRT.sln"))) return d.FullName;
        }
        throw new InvalidOperationException("MotorRT.sln not found above the test binaries");
    }

    private static DcCascadeController Pi(MotorParameters m) =>
        DcCascadeController.Create(m, Ts, ControlMode.Current, new CascadeOptions { CurrentLimit = m.Limits.Current });

    [Fact]
    public void OnnxPolicyImitatingTheCascadedPiTracksCurrentStepsWithinMargin()
    {
        // The CLI's own imitation plant (`motorrt onnx-imitate`): the twin of the preset, a held speed per episode.
        var plant = new TwinDcImitationPlant(TwinDcImitationPlant.Preset("Cont-CC-PermExDc-v0"));
        MotorParameters m = plant.Motor;
        double supply = plant.SupplyVoltage;
        Assert.Equal(1e-4, plant.Tau);
        var train = new ImitationScenario { Episodes = 40, TicksPerEpisode = 500, HoldTicks = 50, CurrentAmplitude = 0.85 * m.Limits.Current, Seed = 21 };
        string dir = Path.Combine(Path.GetTempPath(), "motorrt-onnx-imitation-" + Guid.NewGuid().ToString("N"));
        try
        {
            DcImitationResult trained = CurrentImitation.TrainDcPolicy(plant, Pi(m), m, supply, train, dir, "pmdc_current_policy");
            output.WriteLine($"{trained.Pairs} pairs; final MSE {trained.Training.FinalLoss:E2} (duty²)");
            // `motorrt onnx-imitate --out examples/models` runs this same pipeline: its shipped output must be reproduced exactly.
            string shipped = Path.Combine(RepoRoot(), "examples", "models");
            Assert.Equal(File.ReadAllBytes(Path.Combine(shipped, "pmdc_current_policy.onnx")), File.ReadAllBytes(trained.ModelPath));
            Assert.Equal(File.ReadAllText(Path.Combine(shipped, "pmdc_current_policy.json")), File.ReadAllText(trained.SidecarPath));
            string config = Path.Combine(dir, "config.json");
            File.WriteAllText(config, """{ "controller": { "type": "onnx", "sidecar": "pmdc_current_policy.json", "fallback": "safe" } }""");
            using OnnxPolicy policy = OnnxPolicy.Create(RawSection.Load(config).Section("controller"), m, Ts);

            var eval = train with { Episodes = 6, TicksPerEpisode = 1000, HoldTicks = 100, Seed = 777, FirstEpisode = 1000 };
            TrackingResult pi = CurrentImitation.Evaluate(plant, Pi(m), eval);
            TrackingResult onnx = CurrentImitation.Evaluate(plant, policy, eval);
            output.WriteLine($"PI:   RMS {pi.RmsError:F2} A, settled {pi.SettledError:F3} A, faults {pi.FaultTicks}, overruns {pi.OverrunTicks}");
            output.WriteLine($"ONNX: RMS {onnx.RmsError:F2} A, settled {onnx.SettledError:F3} A, faults {onnx.FaultTicks}, overruns {onnx.OverrunTicks}");

            // Stated margin: RMS error within 10 % + 1 % of the current limit of the PI's; settled error (last 20 % of
            // each 10 ms hold) within 1 % of the current limit of the PI's; no invalid output. (Overruns depend on the wall clock: reported only.)
            double limit = m.Limits.Current;
            Assert.True(onnx.RmsError <= 1.1 * pi.RmsError + 0.01 * limit, $"RMS: ONNX {onnx.RmsError:F2} A vs PI {pi.RmsError:F2} A");
            Assert.True(onnx.SettledError <= pi.SettledError + 0.01 * limit, $"settled: ONNX {onnx.SettledError:F3} A vs PI {pi.SettledError:F3} A");
            Assert.Equal(0, onnx.FaultTicks);
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }
}

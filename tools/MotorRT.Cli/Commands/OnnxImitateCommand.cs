using System.CommandLine;
using System.Globalization;
using MotorRT.Cli.Errors;
using MotorRT.Cli.Onnx;
using MotorRT.Cli.Output;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.Cascades;
using MotorRT.Policies.Onnx;
using MotorRT.Policies.Onnx.Sidecar;
using MotorRT.Policies.PI;
using MotorRT.Policies.Training.Imitation;
using MotorRT.Sim.Spec;

namespace MotorRT.Cli.Commands;

/// <summary>
/// <c>motorrt onnx-imitate</c>: trains an ONNX current policy by supervised imitation of the cascaded PI current
/// controller on the twin of a GEM DC preset, writes <c>NAME.onnx</c> + <c>NAME.json</c> (sidecar), and reports the
/// policy's tracking against the PI on unseen episodes. Deterministic: same arguments → identical files.
/// </summary>
internal static class OnnxImitateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { Description = "GEM preset of the twin (a continuous DC current-control preset).", DefaultValueFactory = _ => "Cont-CC-PermExDc-v0" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for NAME.onnx and NAME.json.", Required = true };
        var name = new Option<string>("--name") { Description = "Base file name.", DefaultValueFactory = _ => "pmdc_current_policy" };
        var episodes = new Option<int>("--episodes") { Description = "Training episodes of 500 ticks (random current steps every 50 ticks).", DefaultValueFactory = _ => 40 };
        var seed = new Option<ulong>("--seed") { Description = "Trainer seed (initialisation and minibatch order).", DefaultValueFactory = _ => 5UL };
        var command = new Command("onnx-imitate", "Train an ONNX current policy that imitates the cascaded PI on the twin; write model + sidecar and report tracking vs the PI.") { preset, output, name, episodes, seed };
        command.SetAction(parse => Run(parse.GetValue(preset)!, parse.GetValue(output)!.FullName, parse.GetValue(name)!, parse.GetValue(episodes), parse.GetValue(seed), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Runs the command; returns the exit code (0 ok, 2 bad arguments).</summary>
    public static int Run(string presetName, string outDir, string name, int episodes, ulong seed, TextWriter output, TextWriter error)
    {
        PlantSpec spec;
        try
        {
            spec = TwinDcImitationPlant.Preset(presetName);
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"motorrt onnx-imitate: --preset: {e.Message}");
            return 2;
        }
        if (!spec.Motor.IsDc || !presetName.StartsWith("Cont-", StringComparison.Ordinal))
        {
            error.WriteLine($"motorrt onnx-imitate: --preset: {presetName} is not a continuous DC preset; use e.g. Cont-CC-PermExDc-v0");
            return 2;
        }
        if (episodes < 1 || episodes > 10_000)
        {
            error.WriteLine($"motorrt onnx-imitate: --episodes {episodes}: out of range; use 1..10000");
            return 2;
        }
        if (!IsPlainFileName(name))
        {
            error.WriteLine($"motorrt onnx-imitate: --name \"{name}\": not a plain file name (no folders, \"..\", or characters a file name cannot hold); the files go into --out");
            error.WriteLine("  fix: give a base name such as pmdc_current_policy, and the folder with --out");
            return 2;
        }
        try
        {
            outDir = OutputPaths.PrepareDirectory(outDir, "--out");
            OutputPaths.CheckFile(Path.Combine(outDir, name + ".onnx"), "--out / --name");
            OutputPaths.CheckFile(Path.Combine(outDir, name + ".json"), "--out / --name");
        }
        catch (CliException e)
        {
            return CliErrorReporter.Report(e, "onnx-imitate", verbose: false, error);
        }
        var inv = CultureInfo.InvariantCulture;
        var plant = new TwinDcImitationPlant(spec);
        MotorParameters m = plant.Motor;
        DcCascadeController Pi() => DcCascadeController.Create(m, plant.Tau, ControlMode.Current, new CascadeOptions { CurrentLimit = m.Limits.Current });
        var train = new ImitationScenario { Episodes = episodes, TicksPerEpisode = 500, HoldTicks = 50, CurrentAmplitude = 0.85 * m.Limits.Current, Seed = 21 };
        DcImitationResult trained = CurrentImitation.TrainDcPolicy(plant, Pi(), m, plant.SupplyVoltage, train, outDir, name, seed);
        output.WriteLine(string.Create(inv, $"{presetName}: {trained.Pairs} pairs from {episodes} episodes; final MSE {trained.Training.FinalLoss:E2} duty²"));
        output.WriteLine($"wrote {trained.ModelPath}");
        output.WriteLine($"wrote {trained.SidecarPath}");

        var eval = train with { Episodes = 6, TicksPerEpisode = 1000, HoldTicks = 100, Seed = 777, FirstEpisode = 1000 };
        using var policy = new OnnxPolicy(OnnxPolicySpec.Load(trained.SidecarPath), m, plant.Tau, new OnnxPolicyOptions { InferenceBudget = plant.Tau });
        TrackingResult pi = CurrentImitation.Evaluate(plant, Pi(), eval);
        TrackingResult onnx = CurrentImitation.Evaluate(plant, policy, eval);
        output.WriteLine(string.Create(inv, $"tracking on {eval.Episodes} unseen episodes (±{eval.CurrentAmplitude:F0} A steps every {eval.HoldTicks} ticks):"));
        output.WriteLine(string.Create(inv, $"  PI   RMS {pi.RmsError,7:F2} A   settled {pi.SettledError,7:F3} A"));
        output.WriteLine(string.Create(inv, $"  ONNX RMS {onnx.RmsError,7:F2} A   settled {onnx.SettledError,7:F3} A   invalid outputs {onnx.FaultTicks}"));
        return 0;
    }

    /// <summary>True for a base file name that stays inside its folder: no separators, not "." or "..", no invalid characters.</summary>
    internal static bool IsPlainFileName(string name) =>
        name.Length is > 0 and <= 200 && name is not ("." or "..") && !name.StartsWith('.') && Path.GetFileName(name) == name
        && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0 && name.IndexOfAny(['/', '\\', ':']) < 0;
}

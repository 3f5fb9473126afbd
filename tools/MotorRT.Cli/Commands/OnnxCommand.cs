using System.CommandLine;
using MotorRT.Cli.Errors;
using MotorRT.Cli.Output;
using MotorRT.Cli.Train;
using MotorRT.Policies.Onnx.Sidecar;
using MotorRT.Policies.Training.Export;
using MotorRT.Sim.Gym;

namespace MotorRT.Cli.Commands;

/// <summary>
/// <c>motorrt onnx sidecar --gem-env ID --model policy.onnx -o sidecar.json</c>: writes the sidecar of a policy trained
/// (e.g. with Stable-Baselines3) on a GEM environment — GEM's observation order and limits from the Sim.Gym preset,
/// the action's meaning (GEM duty cycles) and SB3's post-processing — and optionally a runtime config mirroring the
/// environment (<c>--config</c>).
/// </summary>
internal static class OnnxCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("onnx", "ONNX policy tools.");
        command.Subcommands.Add(CreateSidecar());
        return command;
    }

    private static Command CreateSidecar()
    {
        var env = new Option<string>("--gem-env") { Description = "GEM env id the policy was trained on (continuous, e.g. Cont-SC-SeriesDc-v0).", Required = true };
        var model = new Option<FileInfo>("--model") { Description = "The exported .onnx policy (the sidecar names it relative to its own folder).", Required = true };
        var output = new Option<FileInfo>("-o", "--out") { Description = "Sidecar file to write.", Required = true };
        var input = new Option<string>("--input-name") { Description = "Graph input name (SB3's export recipe: input).", DefaultValueFactory = _ => "input" };
        var outputName = new Option<string?>("--output-name") { Description = "Graph output name; default: read output 0 by index (SB3 does not name it)." };
        var outputIndex = new Option<int>("--output-index") { Description = "Graph output position when unnamed (SB3: 0 = actions).", DefaultValueFactory = _ => 0 };
        var post = new Option<string>("--postprocess") { Description = "SB3 post-processing: unscale (TD3, DDPG, SAC: tanh-squashed actor) or clip (PPO, A2C).", DefaultValueFactory = _ => "unscale" };
        post.AcceptOnlyFromAmong("unscale", "clip");
        var config = new Option<FileInfo?>("--config") { Description = "Also write a runtime config that mirrors the environment (preset plant and load, no PWM delay, near-ideal sensors) and runs the policy in motorrt simulate." };
        var command = new Command("sidecar", "Write the sidecar (observation order and limits, action meaning and post-processing) of a policy trained on a GEM environment, e.g. with SB3; optionally a runtime config mirroring the environment.");
        command.Options.Add(env);
        command.Options.Add(model);
        command.Options.Add(output);
        command.Options.Add(input);
        command.Options.Add(outputName);
        command.Options.Add(outputIndex);
        command.Options.Add(post);
        command.Options.Add(config);
        command.SetAction(parse => RunSidecar(parse.GetValue(env)!, parse.GetValue(model)!.FullName, parse.GetValue(output)!.FullName, parse.GetValue(input)!,
            parse.GetValue(outputName), parse.GetValue(outputIndex), parse.GetValue(post)!, parse.GetValue(config)?.FullName,
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(Program.Verbose)));
        return command;
    }

    /// <summary>Runs <c>onnx sidecar</c>; returns the exit code (0 ok, 2 bad arguments or an environment the runtime cannot observe).</summary>
    public static int RunSidecar(string envId, string modelPath, string sidecarPath, string inputName, string? outputName, int outputIndex, string postprocess,
        string? configPath, TextWriter stdout, TextWriter stderr, bool verbose = false)
    {
        try
        {
            GemEnv env;
            try
            {
                env = GemEnvironments.Make(envId);
            }
            catch (ArgumentException e)
            {
                throw CliException.Input($"--gem-env: {e.Message}", "give a continuous GEM env id such as Cont-SC-SeriesDc-v0");
            }
            if (!File.Exists(modelPath)) throw CliException.Input($"--model: file \"{modelPath}\" not found", "give the .onnx file exported from SB3 (see policies/README.md)");
            if (outputIndex is < 0 or > 1000) throw CliException.Input($"--output-index {outputIndex}: out of range", "use 0..1000 (SB3: 0)");
            OnnxPolicySpec spec;
            try
            {
                spec = GemPolicyContract.Spec(env, inputName, outputName, outputIndex, postprocess == "clip" ? ActionPostprocess.Clip : ActionPostprocess.Unscale);
            }
            catch (ArgumentException e)
            {
                throw CliException.Input($"--gem-env: {e.Message}", "use an environment whose states the runtime observes (PermExDc or SeriesDc, CC/SC/TC)");
            }
            sidecarPath = OutputPaths.CheckFile(sidecarPath, "-o");
            string sidecarDir = Path.GetDirectoryName(sidecarPath) ?? ".";
            Directory.CreateDirectory(sidecarDir);
            string modelRef = Path.GetRelativePath(sidecarDir, Path.GetFullPath(modelPath)).Replace('\\', '/');
            string notes = $"Generated by motorrt onnx sidecar for a policy trained on GEM's {envId}. Observation: {GemPolicyContract.Describe(env, spec)}; action: GEM duty cycle(s), postprocess {postprocess}.";
            MotorRT.Contracts.IO.AtomicFile.WriteAllText(sidecarPath, SidecarWriter.ToJson(spec, modelRef, notes));
            stdout.WriteLine($"wrote {sidecarPath}");
            if (configPath is not null)
            {
                configPath = OutputPaths.CheckFile(configPath, "--config");
                string configDir = Path.GetDirectoryName(configPath) ?? ".";
                Directory.CreateDirectory(configDir);
                string sidecarRef = Path.GetRelativePath(configDir, sidecarPath);
                MotorRT.Contracts.IO.AtomicFile.WriteAllText(configPath, GemPolicyContract.MirrorConfig(env, sidecarRef, 2.5));
                stdout.WriteLine($"wrote {configPath}");
            }
            return ExitCodes.Ok;
        }
        catch (Exception e)
        {
            return CliErrorReporter.Report(e, "onnx sidecar", verbose, stderr);
        }
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MotorRT.Cli.Errors;
using MotorRT.Cli.Output;
using MotorRT.Cli.Train;
using MotorRT.Contracts.Configuration;
using MotorRT.Policies.Onnx.Sidecar;
using MotorRT.Policies.Training.Export;
using MotorRT.Policies.Training.Rl;
using MotorRT.Sim.Gym;

namespace MotorRT.Cli.Commands;

/// <summary>
/// <c>motorrt train &lt;train-config.json&gt;</c>: trains a TD3 or DDPG policy on a GEM environment of the twin
/// (MotorRT.Sim.Gym) with MotorRT's own SIMD networks, and writes into the config's output folder the actor as
/// <c>policy.onnx</c> with a generated sidecar <c>policy.json</c>, a runtime config <c>simulate.json</c> that mirrors
/// the environment, the training curve (<c>training_curve.csv</c>, <c>training_curve.png</c>) and checkpoints. With
/// <c>action_space: dq</c> on a PMSM environment (GEM's observation holds u_a…u_c, which the runtime does not observe)
/// only the curve and the checkpoints are written.
/// </summary>
internal static class TrainCommand
{
    /// <summary>Seed of the evaluation episodes' references (the same for every evaluation of a run).</summary>
    public const ulong EvaluationSeed = 20_240_601;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var config = new Argument<FileInfo>("config") { Description = "Train config (JSON): env (GEM env id), algorithm (td3|ddpg), steps, seed, network sizes, learning rates, batch/buffer sizes, noise, gamma, tau, eval_interval, output (see README \"Training\")." };
        var command = new Command("train", "Train a TD3/DDPG policy on a GEM environment of the twin; write policy.onnx + generated sidecar policy.json, simulate.json (runs it in motorrt simulate), training_curve.csv/.png and checkpoints (PMSM with action_space dq: curve and checkpoints only, GEM's PMSM observation holds states the runtime does not observe). Progress on stderr. Exit code 3 means training diverged (non-finite actor parameters; nothing exported).");
        command.Arguments.Add(config);
        command.SetAction(parse => Run(parse.GetValue(config)!.FullName, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(Program.Verbose)));
        return command;
    }

    /// <summary>Runs the command; returns the exit code (<see cref="ExitCodes"/>: 3 when training diverged to non-finite parameters).</summary>
    public static int Run(string configPath, TextWriter stdout, TextWriter stderr, bool verbose = false)
    {
        try
        {
            return RunChecked(configPath, stdout, stderr);
        }
        catch (Exception e)
        {
            return CliErrorReporter.Report(e, "train", verbose, stderr);
        }
    }

    private static int RunChecked(string configPath, TextWriter stdout, TextWriter stderr)
    {
        var inv = CultureInfo.InvariantCulture;
        TrainConfig cfg = TrainConfig.Load(configPath);
        string baseDir = Path.GetDirectoryName(Path.GetFullPath(configPath)) ?? ".";
        string outDir = OutputPaths.PrepareDirectory(Path.GetFullPath(Path.Combine(baseDir, cfg.Output)), "output");
        string[] files = ["policy.onnx", "policy.json", "simulate.json", "training_curve.csv", "training_curve.png", "final.ckpt"];
        foreach (string f in files) OutputPaths.CheckFile(Path.Combine(outDir, f), "output");
        string checkpoints = Path.Combine(outDir, "checkpoints");
        if (cfg.CheckpointInterval > 0) Directory.CreateDirectory(checkpoints);

        GemEnvSpec spec = GemEnvironments.Spec(cfg.Env) with { MaxEpisodeSteps = cfg.EpisodeSteps, Seed = (ulong)cfg.Seed };
        if (cfg.HasPlantOverrides) spec = spec with { Plant = cfg.PlantOverrides().ToSpec(new ConfigScope(configPath, "")) };
        var env = new GemRlEnvironment(new GemEnv(spec), cfg.DqActions);
        var evalEnv = new GemRlEnvironment(new GemEnv(spec with { MaxEpisodeSteps = cfg.EvalSteps }), cfg.DqActions);
        ProfileEvaluation? profileEval = ProfileEvaluation.Create(spec, cfg.SimulateDuration, cfg.DqActions);
        RlOptions options = cfg.ToOptions();
        YannActorInit? yann = null;
        if (cfg.ActorInit is { } init)
        {
            string lawPath = init.LawPath(baseDir);
            yann = YannActorInit.Build(lawPath, configPath, evalEnv);
            (int points, double worst) = yann.Verify(yann.Actor, init.VerifySamples, (ulong)cfg.Seed);
            stderr.WriteLine(string.Create(inv, $"train: actor from the YANN network of {yann.Describe(lawPath)}"));
            stderr.WriteLine(string.Create(inv, $"train: initial actor vs the law at {points} points of its domain: max |Δaction| = {worst:E2} (float32); critic warm-up {init.CriticWarmupSteps} steps (actor frozen; the law's value function is not a GEM-reward critic)"));
            // float32 resolves the ±60 V law to ≈ 3e-4 V (README, YANN): 1e-4 of the action range is far above that.
            if (points == 0 || !(worst <= 1e-4))
            {
                throw new CliException(ExitCodes.InputError, $"{configPath}: actor_init.yann_law: the initial actor deviates from the law by {worst:E2} in action at {points} points (tolerance 1e-4)",
                    "check that the law was built for this environment's machine and supply (motorrt mpc build on a config with the env's preset)");
            }
        }
        // Checked before training: a GEM state the runtime cannot observe fails now, not after an hour.
        OnnxPolicySpec? sidecar = null;
        try
        {
            sidecar = GemPolicyContract.Spec(evalEnv.Env, "input", "actions", 0, ActionPostprocess.Unscale, cfg.DqActions);
        }
        catch (ArgumentException e) when (cfg.DqActions)
        {
            // GEM's PMSM observation carries phase voltages u_a, u_b, u_c, which the runtime does not observe: train
            // and evaluate in the twin, keep the checkpoint and curve, export no runtime policy.
            stderr.WriteLine($"train: no runtime export for this environment ({e.Message}); training in the twin only: training_curve.csv/.png and final.ckpt");
        }
        catch (ArgumentException e)
        {
            throw CliException.Input($"{configPath}: env: {e.Message}", "train on an environment whose states the runtime observes (e.g. Cont-SC-SeriesDc-v0, Cont-CC-PermExDc-v0)");
        }
        var trainer = new RlTrainer(env, options, yann?.Actor);
        string algorithm = cfg.Algorithm.ToUpperInvariant();
        string actorText = yann is null ? $"[{string.Join(", ", options.ActorHidden)}]" : $"YANN [{string.Join(", ", trainer.Agent.Actor.Sizes[1..^1].ToArray())}] (clip output)";
        stderr.WriteLine(string.Create(inv, $"train: {algorithm} on {cfg.Env}{MotorText(cfg)}, {cfg.Steps} steps, observation {env.ObservationSize} ({string.Join(", ", env.Env.ObservationNames)}), action {env.ActionSize}, actor {actorText}, critic [{string.Join(", ", options.CriticHidden)}], batch {options.BatchSize}, seed {cfg.Seed}, 1 thread"));

        var rows = new List<CurveRow>();
        int terminatedEpisodes = 0;
        ProfileResult? firstProfile = null, finalProfile = null;
        double firstReturn = double.NaN;
        if (yann is not null)
        {
            // The law alone (double precision) on the same evaluation episode and profile: the YANN-RL baseline.
            YannActorInit.LawPolicy law = yann.AsPolicy();
            (double lawReturn, int lawLength) = RlTrainer.Evaluate(law, evalEnv, EvaluationSeed, cfg.EvalSteps);
            ProfileResult? lawProfile = profileEval?.Run(law);
            rows.Add(new CurveRow("law", 0, 0, lawReturn, lawLength, lawLength < cfg.EvalSteps, 0, 0, lawProfile));
            stdout.WriteLine(string.Create(inv, $"PWA law alone: evaluation return {lawReturn:F3} over {lawLength} steps{ProfileText(lawProfile, profileEval)}; {law.OutsideSteps} steps outside the law's domain"));
        }
        double lastReturn = double.NaN, lastEval = double.NaN, lastProfile = double.NaN;
        // The exported actor: the best evaluation so far (step-profile RMSE without a constraint violation, else the
        // evaluation return) or the final one, as the config says.
        DenseNetwork best = trainer.Agent.Actor.Clone();
        double bestScore = double.NegativeInfinity;
        long bestStep = 0;
        ProfileResult? bestProfile = null;
        double bestReturn = double.NaN;
        long lastRowStep = 0;
        double lastRowWall = 0;
        double Rate(long step, double wall) => wall > lastRowWall ? (step - lastRowStep) / (wall - lastRowWall) : 0;
        void Episode(EpisodeRecord e)
        {
            double wall = trainer.ElapsedSeconds;
            rows.Add(new CurveRow("episode", e.Step, e.Episode, e.Return, e.Length, e.Terminated, wall, 0));
            lastReturn = e.Return;
            if (e.Terminated) terminatedEpisodes++;
        }
        void Evaluate()
        {
            (double ret, int len) = RlTrainer.Evaluate(trainer.Agent, evalEnv, EvaluationSeed, cfg.EvalSteps);
            ProfileResult? profile = profileEval?.Run(trainer.Agent);
            double wall = trainer.ElapsedSeconds;
            rows.Add(new CurveRow("eval", trainer.Steps, trainer.Episodes, ret, len, len < cfg.EvalSteps, wall, Rate(trainer.Steps, wall), profile));
            lastRowStep = trainer.Steps;
            lastRowWall = wall;
            lastEval = ret;
            lastProfile = profile?.Rmse ?? double.NaN;
            finalProfile = profile;
            if (trainer.Steps == 0)
            {
                firstProfile = profile;
                firstReturn = ret;
            }
            double score = profile is { } p ? (p.Terminated ? -1e12 - p.Rmse : -p.Rmse) : ret;
            if (cfg.Export == "final" || score > bestScore)
            {
                bestScore = score;
                bestStep = trainer.Steps;
                bestProfile = profile;
                bestReturn = ret;
                best.CopyParametersFrom(trainer.Agent.Actor);
            }
        }

        // The machine may be shared: CPU time tells the throughput of one core apart from the share it got.
        TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        var progressClock = Stopwatch.StartNew();
        long progressStep = 0;
        double progressWall = 0;
        const int Chunk = 500;
        Evaluate(); // step 0: the initial actor (the law itself for YANN-RL)
        while (trainer.Steps < cfg.Steps)
        {
            long next = Math.Min(cfg.Steps, trainer.Steps + Chunk);
            if (cfg.EvalInterval > 0) next = Math.Min(next, (trainer.Steps / cfg.EvalInterval + 1) * cfg.EvalInterval);
            if (cfg.CheckpointInterval > 0) next = Math.Min(next, (trainer.Steps / cfg.CheckpointInterval + 1) * cfg.CheckpointInterval);
            trainer.Train(next - trainer.Steps, Episode);
            if (cfg.EvalInterval > 0 && trainer.Steps % cfg.EvalInterval == 0 && trainer.Steps < cfg.Steps) Evaluate();
            if (cfg.CheckpointInterval > 0 && trainer.Steps % cfg.CheckpointInterval == 0)
            {
                trainer.Agent.Save(Path.Combine(checkpoints, string.Create(inv, $"step_{trainer.Steps:D9}.ckpt")));
            }
            if (progressClock.Elapsed.TotalSeconds >= 2 || trainer.Steps == cfg.Steps)
            {
                double rate = (trainer.Steps - progressStep) / Math.Max(1e-9, trainer.ElapsedSeconds - progressWall);
                stderr.WriteLine(string.Create(inv, $"train: step {trainer.Steps}/{cfg.Steps} ({100.0 * trainer.Steps / cfg.Steps:F0} %)  episodes {trainer.Episodes}  last return {lastReturn:F2}  eval {lastEval:F2}  profile rmse {lastProfile:G4}  critic loss {trainer.Agent.LastCriticLoss:E2}  {rate:F0} steps/s"));
                progressStep = trainer.Steps;
                progressWall = trainer.ElapsedSeconds;
                progressClock.Restart();
            }
        }
        Evaluate();
        double trainSeconds = trainer.ElapsedSeconds;
        double stepsPerSecond = trainer.Steps / Math.Max(trainSeconds, 1e-9);
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;

        trainer.Agent.Save(Path.Combine(outDir, "final.ckpt"));
        TrainingCurve.WriteCsv(Path.Combine(outDir, "training_curve.csv"), rows);
        TrainingCurve.WritePng(Path.Combine(outDir, "training_curve.png"), rows, $"{algorithm}{(yann is null ? "" : " from the YANN network of the MPC law")} on {cfg.Env}{MotorText(cfg)} (seed {cfg.Seed})");

        Mlp actor = best.ToMlp();
        if (!actor.Layers.All(l => l.Weights.All(float.IsFinite) && l.Bias.All(float.IsFinite)))
        {
            throw new CliException(ExitCodes.RunFaulted, "training diverged: the actor has non-finite parameters; no policy was exported",
                "lower the learning rates or the reward scale (e.g. actor_learning_rate 1e-4), or change the seed");
        }
        stdout.WriteLine(string.Create(inv, $"{algorithm} on {cfg.Env}: {trainer.Steps} steps, {trainer.Episodes} episodes in {trainSeconds:F1} s = {stepsPerSecond:F0} steps/s (1 thread; {cpuSeconds:F1} s CPU incl. evaluations = {trainer.Steps / Math.Max(cpuSeconds, 1e-9):F0} steps per CPU-second); final evaluation return {lastEval:F3} over {cfg.EvalSteps} steps"));
        stdout.WriteLine(string.Create(inv, $"step 0: evaluation return {firstReturn:F3}{ProfileText(firstProfile, profileEval)}"));
        stdout.WriteLine(string.Create(inv, $"final (step {trainer.Steps}): evaluation return {lastEval:F3}{ProfileText(finalProfile, profileEval)}"));
        stdout.WriteLine(string.Create(inv, $"constraint violations in training: {terminatedEpisodes} of {trainer.Episodes} episodes ended by the limit, {env.ViolationSteps} steps with a violation"));
        stdout.WriteLine(string.Create(inv, $"{(sidecar is null ? "best" : "exported the " + cfg.Export)} actor: step {bestStep}, evaluation return {bestReturn:F3}{ProfileText(bestProfile, profileEval)}"));
        if (sidecar is null)
        {
            stdout.WriteLine($"wrote {Path.Combine(outDir, "training_curve.csv")}, training_curve.png, final.ckpt (no policy.onnx: the runtime does not observe this environment's states)");
            return ExitCodes.Ok;
        }
        // No wall time in the files: the same config and seed write byte-identical model and sidecar.
        string notes = string.Create(inv, $"{algorithm} trained by motorrt train on the twin's {cfg.Env}: {trainer.Steps} steps, seed {cfg.Seed}; exported the {cfg.Export} actor (step {bestStep}: evaluation return {bestReturn:F3}{ProfileText(bestProfile, profileEval)}). Observation: {GemPolicyContract.Describe(evalEnv.Env, sidecar)}; action: {(cfg.DqActions ? "GEM's dq action u_dq/(u_sup/2) in [-1, 1]" : "GEM duty cycle(s) in [-1, 1]")} ({(yann is null ? "tanh" : "YANN-initialised, clipped")} actor, unscale).");
        var export = new MlpExportOptions
        {
            DocString = notes,
            Metadata = [new("motorrt.trainer", $"motorrt train {algorithm}"), new("motorrt.gem_env", cfg.Env), new("motorrt.steps", trainer.Steps.ToString(inv)), new("motorrt.seed", cfg.Seed.ToString(inv))],
        };
        string sidecarPath = SidecarWriter.WritePackage(actor, outDir, "policy", sidecar, export, notes);
        OnnxPolicySpec.Load(sidecarPath); // the runtime's reader must accept what we wrote
        string simulatePath = Path.Combine(outDir, "simulate.json");
        MotorRT.Contracts.IO.AtomicFile.WriteAllText(simulatePath, GemPolicyContract.MirrorConfig(evalEnv.Env, "policy.json", cfg.SimulateDuration, cfg.MotorParameter, cfg.LoadSpeed));

        stdout.WriteLine($"wrote {Path.Combine(outDir, "policy.onnx")}");
        stdout.WriteLine($"wrote {sidecarPath}");
        stdout.WriteLine($"wrote {simulatePath}  (motorrt simulate {simulatePath} --out <dir>)");
        stdout.WriteLine($"wrote {Path.Combine(outDir, "training_curve.csv")}, training_curve.png, final.ckpt");
        return ExitCodes.Ok;
    }

    private static string MotorText(TrainConfig cfg) =>
        (cfg.MotorParameter is { Count: > 0 } mp ? string.Create(CultureInfo.InvariantCulture, $" (motor {string.Join(", ", mp.Select(kv => $"{kv.Key} = {kv.Value:G6}"))})") : "")
        + (cfg.LoadSpeed is { } w ? string.Create(CultureInfo.InvariantCulture, $" (shaft held at {w:G6} rad/s)") : "")
        + (cfg.DqActions ? " (dq actions)" : "");

    private static string ProfileText(ProfileResult? p, ProfileEvaluation? eval) => p is { } r && eval is not null
        ? string.Create(CultureInfo.InvariantCulture, $", step profile of {eval.Profile.State} ({string.Join(" → ", eval.Profile.Values.Select(v => v.ToString("G4", CultureInfo.InvariantCulture)))}): RMSE {r.Rmse:G4}, max |e| {r.MaxError:G4}, current peak {r.CurrentPeak:F1} A{(r.Terminated ? ", TERMINATED by a constraint" : "")}")
        : "";
}

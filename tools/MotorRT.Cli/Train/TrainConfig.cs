using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MotorRT.Contracts.Configuration;
using MotorRT.Policies.Training.Rl;
using MotorRT.Sim.Gym;
using MotorRT.Sim.Presets;
using MotorRT.Sim.Spec;

namespace MotorRT.Cli.Train;

/// <summary>
/// The config of <c>motorrt train</c> (strict JSON, snake_case keys, comments allowed; ranges checked at load). Defaults
/// follow SB3's TD3/DDPG except the smaller networks and batch; paths are relative to the config file.
/// </summary>
internal sealed record TrainConfig(string Env, int Steps, string? Schema = null, string? Notes = null, string Algorithm = "td3", int Seed = 1, int EpisodeSteps = 2000, int[]? ActorHidden = null, int[]? CriticHidden = null, double ActorLearningRate = 1e-3, double CriticLearningRate = 1e-3, int BatchSize = 128, int BufferSize = 1_000_000, int LearningStarts = 1000, string Noise = "gaussian", double NoiseSigma = 0.1, double NoiseTheta = 0.15, double Gamma = 0.99, double Tau = 0.005, int PolicyDelay = 2, double TargetPolicyNoise = 0.2, double TargetNoiseClip = 0.5, int TrainFrequency = 1, int GradientSteps = 1, int EvalInterval = 10_000, int EvalSteps = 2000, int CheckpointInterval = 0, string Output = "train-out", double SimulateDuration = 2.5, string Export = "best", ActorInitConfig? ActorInit = null, Dictionary<string, double>? MotorParameter = null, string ActionSpace = "gem", double? LoadSpeed = null) : IConfigValidation
{
    [ConfigField("Path or URL of a JSON Schema, for editors (ignored).")]
    [JsonPropertyName("$schema")]
    public string? Schema { get; init; } = Schema;

    [ConfigField("Free text for people (ignored).")]
    public string? Notes { get; init; } = Notes;

    [ConfigField("GEM env id of the training environment (MotorRT.Sim.Gym presets), e.g. Cont-SC-SeriesDc-v0.")]
    public string Env { get; init; } = Env;

    [ConfigField("Algorithm.", Choices = "td3,ddpg")]
    public string Algorithm { get; init; } = Algorithm;

    [ConfigField("Environment steps to train.", Min = 1, Max = 1e9)]
    public int Steps { get; init; } = Steps;

    [ConfigField("Seed of initialisation, exploration, sampling and the environment (same seed → same policy).", Min = 0, Max = int.MaxValue)]
    public int Seed { get; init; } = Seed;

    [ConfigField("Episode length after which the environment is truncated and reset (GEM itself never truncates).", Min = 1, Max = 1e8)]
    public int EpisodeSteps { get; init; } = EpisodeSteps;

    [ConfigField("Hidden layer widths of the actor (ReLU, tanh output); default [64, 64].", Min = 1, Max = 4096)]
    public int[]? ActorHidden { get; init; } = ActorHidden;

    [ConfigField("Hidden layer widths of each critic (ReLU, linear output); default [64, 64].", Min = 1, Max = 4096)]
    public int[]? CriticHidden { get; init; } = CriticHidden;

    [ConfigField("Adam step size of the actor.", Min = 1e-8, Max = 1)]
    public double ActorLearningRate { get; init; } = ActorLearningRate;

    [ConfigField("Adam step size of the critics.", Min = 1e-8, Max = 1)]
    public double CriticLearningRate { get; init; } = CriticLearningRate;

    [ConfigField("Minibatch size.", Min = 1, Max = 65536)]
    public int BatchSize { get; init; } = BatchSize;

    [ConfigField("Replay buffer capacity (transitions).", Min = 1, Max = 1e8)]
    public int BufferSize { get; init; } = BufferSize;

    [ConfigField("Steps of uniformly random actions before learning starts.", Min = 0, Max = 1e9)]
    public int LearningStarts { get; init; } = LearningStarts;

    [ConfigField("Exploration noise.", Choices = "gaussian,ou")]
    public string Noise { get; init; } = Noise;

    [ConfigField("Exploration noise standard deviation (action units, actions in [-1, 1]).", Min = 0, Max = 10)]
    public double NoiseSigma { get; init; } = NoiseSigma;

    [ConfigField("Ornstein-Uhlenbeck mean-reversion rate per step.", Min = 0, Max = 1)]
    public double NoiseTheta { get; init; } = NoiseTheta;

    [ConfigField("Discount factor.", Min = 0, Max = 0.999999)]
    public double Gamma { get; init; } = Gamma;

    [ConfigField("Polyak factor of the target networks.", Min = 1e-6, Max = 1)]
    public double Tau { get; init; } = Tau;

    [ConfigField("TD3: critic updates per actor and target update.", Min = 1, Max = 1000)]
    public int PolicyDelay { get; init; } = PolicyDelay;

    [ConfigField("TD3: target policy smoothing noise (action units).", Min = 0, Max = 10)]
    public double TargetPolicyNoise { get; init; } = TargetPolicyNoise;

    [ConfigField("TD3: clip of the target policy smoothing noise (action units).", Min = 0, Max = 10)]
    public double TargetNoiseClip { get; init; } = TargetNoiseClip;

    [ConfigField("Environment steps between gradient phases.", Min = 1, Max = 1e6)]
    public int TrainFrequency { get; init; } = TrainFrequency;

    [ConfigField("Gradient steps per phase.", Min = 0, Max = 1000)]
    public int GradientSteps { get; init; } = GradientSteps;

    [ConfigField("Environment steps between evaluations of the deterministic policy (0 = only at the end).", Min = 0, Max = 1e9)]
    public int EvalInterval { get; init; } = EvalInterval;

    [ConfigField("Steps of one evaluation episode (fixed seed).", Min = 1, Max = 1e8)]
    public int EvalSteps { get; init; } = EvalSteps;

    [ConfigField("Environment steps between checkpoints (0 = only the final one).", Min = 0, Max = 1e9)]
    public int CheckpointInterval { get; init; } = CheckpointInterval;

    [ConfigField("Output folder (relative to the config file): policy.onnx, policy.json, simulate.json, training_curve.csv/.png, checkpoints/.")]
    public string Output { get; init; } = Output;

    [ConfigField("Length of the step profile that simulate.json runs and every evaluation tracks in the environment.", Min = 0.001, Max = 1000, Unit = "s")]
    public double SimulateDuration { get; init; } = SimulateDuration;

    [ConfigField("Which actor policy.onnx holds: best (the evaluation with the lowest step-profile RMSE, or the highest evaluation return for multi-reference environments) or final.", Choices = "best,final")]
    public string Export { get; init; } = Export;

    [ConfigField("Start the actor from an explicit MPC law's exact ReLU network (YANN-RL) instead of a random tanh network; absent = random.")]
    public ActorInitConfig? ActorInit { get; init; } = ActorInit;

    [ConfigField("Overrides of the environment's motor parameters by GEM name (SI), e.g. { \"r_a\": 0.024 } for a plant that differs from the model a law was built for; the names depend on the motor type, as plant.motor_parameter of a runtime config.")]
    public Dictionary<string, double>? MotorParameter { get; init; } = MotorParameter;

    [ConfigField("The actor's action: gem (the environment's own: duty cycles, three phase duties for a B6 bridge) or dq (GEM's DqToAbcActionProcessor: u_d, u_q in units of u_sup/2, inverse Park at ε + 0.5·τ·ω; synchronous machines, e.g. Cont-CC-PMSM-v0; a voltage_dq law's actor needs it).", Choices = "gem,dq")]
    public string ActionSpace { get; init; } = ActionSpace;

    [ConfigField("Speed the environment's constant-speed load holds the shaft at instead of the preset's (GEM's CC envs: 100 rad/s), e.g. 300 for current control at high speed; only for environments with a constant-speed load.", Min = -1e5, Max = 1e5, Unit = "rad/s")]
    public double? LoadSpeed { get; init; } = LoadSpeed;

    /// <summary>True when the actor acts in GEM's dq action space.</summary>
    public bool DqActions => ActionSpace == "dq";

    /// <summary>True when the plant differs from the preset (<see cref="MotorParameter"/> or <see cref="LoadSpeed"/>).</summary>
    public bool HasPlantOverrides => MotorParameter is { Count: > 0 } || LoadSpeed is not null;

    /// <summary>The plant section the environment's plant is built from: the env's preset with <see cref="MotorParameter"/> and <see cref="LoadSpeed"/>.</summary>
    public PlantSection PlantOverrides() => new()
    {
        Preset = Env,
        MotorParameter = MotorParameter,
        Load = LoadSpeed is { } w ? new ConstantSpeedLoadSection { Omega = w, JLoad = GemPresets.Get(Env).Load.LoadInertia } : null,
    };

    /// <inheritdoc />
    public void Validate(ConfigScope scope)
    {
        if (!GemEnvironments.Ids.Contains(Env))
        {
            throw scope.Error("env", $"unknown GEM env id \"{Env}\"", $"use a continuous one of: {string.Join(", ", GemEnvironments.Ids.Where(i => i.StartsWith("Cont-", StringComparison.Ordinal)))}");
        }
        if (!Env.StartsWith("Cont-", StringComparison.Ordinal)) throw scope.Error("env", $"{Env} has discrete actions", "TD3 and DDPG need a continuous environment: use the Cont-… id");
        if (ActorHidden is { Length: 0 }) throw scope.Error("actor_hidden", "no hidden layer", "give at least one width, e.g. [64, 64]");
        if (CriticHidden is { Length: 0 }) throw scope.Error("critic_hidden", "no hidden layer", "give at least one width, e.g. [64, 64]");
        if (LoadSpeed is not null && GemPresets.Get(Env).Load is not ConstantSpeedLoadSpec)
        {
            throw scope.Error("load_speed", $"{Env}'s load is not a constant-speed load", "drop load_speed, or use a current-control environment (Cont-CC-…), whose shaft is held at a constant speed");
        }
        if (ActionSpace == "dq" && (GemPresets.Get(Env).Motor.Type is not (MotorRT.Contracts.Machines.MotorType.Pmsm or MotorRT.Contracts.Machines.MotorType.SynRm)))
        {
            throw scope.Error("action_space", $"dq actions need a synchronous machine on a B6 bridge; {Env} is not one", "use \"action_space\": \"gem\", or a PMSM environment such as Cont-CC-PMSM-v0");
        }
        if (HasPlantOverrides) PlantOverrides().Validate(scope);
        if (ActorInit is not null && ActorHidden is not null) throw scope.Error("actor_hidden", "given together with actor_init", "drop actor_hidden: a YANN-initialised actor has the law network's widths");
        if (BufferSize < BatchSize) throw scope.Error("buffer_size", $"{BufferSize} is smaller than batch_size {BatchSize}", "give a buffer at least as large as the batch");
    }

    /// <summary>The trainer options.</summary>
    public RlOptions ToOptions() => new()
    {
        Algorithm = Algorithm == "ddpg" ? RlAlgorithm.Ddpg : RlAlgorithm.Td3,
        ActorHidden = ActorHidden ?? [64, 64],
        CriticHidden = CriticHidden ?? [64, 64],
        ActorLearningRate = ActorLearningRate,
        CriticLearningRate = CriticLearningRate,
        BatchSize = BatchSize,
        BufferSize = Math.Min(BufferSize, Steps + 1),
        LearningStarts = LearningStarts,
        Gamma = Gamma,
        Tau = Tau,
        Noise = Noise == "ou" ? NoiseKind.OrnsteinUhlenbeck : NoiseKind.Gaussian,
        NoiseSigma = NoiseSigma,
        NoiseTheta = NoiseTheta,
        PolicyDelay = PolicyDelay,
        TargetPolicyNoise = TargetPolicyNoise,
        TargetNoiseClip = TargetNoiseClip,
        TrainFrequency = TrainFrequency,
        GradientSteps = GradientSteps,
        CriticWarmupUpdates = ActorInit is { } init ? (int)Math.Min(int.MaxValue, (long)init.CriticWarmupSteps / TrainFrequency * GradientSteps) : 0,
        Seed = (ulong)Seed,
    };

    /// <summary>Loads and validates a train config.</summary>
    public static TrainConfig Load(string path) =>
        ConfigFile.Load(path, (JsonTypeInfo<TrainConfig>)Options.GetTypeInfo(typeof(TrainConfig)));

    private static readonly JsonSerializerOptions Options = ConfigFile.Options(TrainConfigJson.Default);
}

/// <summary>
/// <c>actor_init</c> of a train config: YANN-RL's initial actor, the exact ReLU network of an explicit MPC law with GEM's
/// observation scaling folded into the first layer and duty = u/u_sup into the last (output clipped to [−1, 1]). The
/// critics cannot start from the law's value function (the law file holds the affine pieces, not the QP's value, and
/// GEM's reward is a weighted sum of absolute normalised errors, not the MPC's quadratic cost), so they warm up: the
/// actor stays frozen for <see cref="CriticWarmupSteps"/> environment steps while the critics learn its value.
/// </summary>
internal sealed record ActorInitConfig(string YannLaw, int CriticWarmupSteps = 0, int VerifySamples = 20_000) : IConfigValidation
{
    [ConfigField("A continuous motorrt-pwa-law/1 file with a voltage_dc output (motorrt mpc build), relative to the config; its parameters must be in the environment's observation.")]
    public string YannLaw { get; init; } = YannLaw;

    [ConfigField("Environment steps after learning_starts during which only the critics learn (the law's actor frozen).", Min = 0, Max = 1e9)]
    public int CriticWarmupSteps { get; init; } = CriticWarmupSteps;

    [ConfigField("Points of the law's domain at which the initial actor is checked against the law before training (max |Δduty| printed).", Min = 1, Max = 1e7)]
    public int VerifySamples { get; init; } = VerifySamples;

    /// <summary>The law's full path.</summary>
    public string LawPath(string baseDirectory) => Path.GetFullPath(Path.Combine(baseDirectory, YannLaw));

    /// <inheritdoc />
    public void Validate(ConfigScope scope)
    {
        if (!File.Exists(LawPath(scope.BaseDirectory))) throw scope.Error("yann_law", $"file not found: {LawPath(scope.BaseDirectory)}", "give the path of a law written by `motorrt mpc build`, relative to the train config");
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(TrainConfig))]
internal sealed partial class TrainConfigJson : JsonSerializerContext;

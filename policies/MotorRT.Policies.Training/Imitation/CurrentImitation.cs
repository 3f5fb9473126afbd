using MotorRT.Contracts;
using MotorRT.Policies.Onnx.Sidecar;
using MotorRT.Policies.Training.Export;

namespace MotorRT.Policies.Training.Imitation;

/// <summary>
/// A plant the imitation pipeline can drive in closed loop (the twin, a test model or a rig adapter): observe, apply a
/// command for one period, reset per episode. Implemented outside the policies (the policies never reference the sim).
/// </summary>
public interface IImitationPlant
{
    /// <summary>Control period, in s.</summary>
    double Tau { get; }

    /// <summary>Starts episode <paramref name="episode"/> (the adapter decides what varies, e.g. the held speed).</summary>
    void Reset(int episode);

    /// <summary>Writes the current state into <paramref name="observation"/> (SI; references untouched).</summary>
    void Observe(ref MotorObservation observation);

    /// <summary>Applies <paramref name="command"/> for one period.</summary>
    void Step(in ConverterCommand command);
}

/// <summary>Reference profile and size of an imitation or evaluation run.</summary>
public sealed record ImitationScenario
{
    /// <summary>Number of episodes.</summary>
    public int Episodes { get; init; } = 40;

    /// <summary>Ticks per episode.</summary>
    public int TicksPerEpisode { get; init; } = 500;

    /// <summary>Ticks each random reference level is held.</summary>
    public int HoldTicks { get; init; } = 50;

    /// <summary>Reference levels are uniform in ±this, in A.</summary>
    public required double CurrentAmplitude { get; init; }

    /// <summary>Seed of the reference levels.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>First episode index passed to <see cref="IImitationPlant.Reset"/> (evaluation uses other episodes than training).</summary>
    public int FirstEpisode { get; init; }
}

/// <summary>Tracking of one controller over a scenario.</summary>
/// <param name="RmsError">RMS current error over all ticks, A.</param>
/// <param name="SettledError">Mean |error| over the last 20 % of every reference hold, A.</param>
/// <param name="FaultTicks">Ticks whose status was OutputInvalid, OutOfDomain or Failed.</param>
/// <param name="OverrunTicks">Ticks whose status was Overrun (wall-clock dependent; reported, not judged here).</param>
public readonly record struct TrackingResult(double RmsError, double SettledError, long FaultTicks, long OverrunTicks);

/// <summary>
/// Imitation of a current controller (e.g. the cascaded PI) by an MLP policy: record (encoded observation → duty)
/// pairs while the expert runs the plant in closed loop under random current-reference steps, train with
/// <see cref="MlpTrainer"/>, export with <see cref="MlpOnnxWriter"/>, and measure tracking of any controller on the same
/// kind of profile. The reference written is <see cref="References.CurrentD"/> (DC armature or d current).
/// </summary>
public static class CurrentImitation
{
    /// <summary>
    /// The observation layout used for DC current policies: error (fine scale), armature current, reference, speed,
    /// previous armature voltage, DC link. Index 4 (previous voltage / DC link) carries the residual connection.
    /// </summary>
    public static ObservationEntry[] DcLayout(double currentLimit, double speedLimit, double dcLink) =>
    [
        new(ObservationQuantity.ErrorCurrentD, 0.1 * currentLimit),
        new(ObservationQuantity.CurrentA, currentLimit),
        new(ObservationQuantity.ReferenceCurrentD, currentLimit),
        new(ObservationQuantity.MechanicalSpeed, speedLimit),
        new(ObservationQuantity.LastVoltageD, dcLink),
        new(ObservationQuantity.DcLinkVoltage, dcLink),
    ];

    /// <summary>Index of <see cref="ObservationQuantity.LastVoltageD"/> in <see cref="DcLayout"/>: duty of the previous tick at nominal DC link.</summary>
    public const int DcResidualInput = 4;

    /// <summary>Reference levels of one episode.</summary>
    public static double[] ReferenceSteps(ImitationScenario s, int episode)
    {
        var rng = new SplitMix64(s.Seed * 0x9E3779B97F4A7C15UL + (ulong)episode);
        var r = new double[s.TicksPerEpisode];
        double level = 0;
        for (int k = 0; k < r.Length; k++)
        {
            if (k % s.HoldTicks == 0) level = s.CurrentAmplitude * (2 * rng.NextDouble() - 1);
            r[k] = level;
        }
        return r;
    }

    /// <summary>
    /// Runs <paramref name="expert"/> on <paramref name="plant"/> and records (encoded observation → duty channel 0).
    /// The pair at the tick a reference step arrives is dropped: there the expert's output depends on the previous
    /// reference, which the policy does not observe.
    /// </summary>
    public static ImitationDataset Record(IImitationPlant plant, IController expert, ObservationEncoder encoder, ImitationScenario s)
    {
        var data = new ImitationDataset(encoder.Size, 1);
        var x = new double[encoder.Size];
        Rollout(plant, expert, s, (int k, double[] refs, in MotorObservation obs, in ConverterCommand cmd) =>
        {
            if (k == 0 || refs[k] == refs[k - 1])
            {
                encoder.Encode(obs, x);
                data.Add(x, [cmd.Duty[0]]);
            }
        });
        return data;
    }

    /// <summary>Closes the loop with <paramref name="controller"/> and measures current tracking.</summary>
    public static TrackingResult Evaluate(IImitationPlant plant, IController controller, ImitationScenario s)
    {
        double sum = 0, settled = 0;
        long n = 0, settledN = 0;
        long faults = 0, overruns = 0;
        Rollout(plant, controller, s, (int k, double[] refs, in MotorObservation obs, in ConverterCommand _) =>
        {
            double err = refs[k] - obs.CurrentA;
            sum += err * err;
            n++;
            if (k % s.HoldTicks >= s.HoldTicks * 8 / 10)
            {
                settled += Math.Abs(err);
                settledN++;
            }
            if (controller.Status is ControllerStatus.OutputInvalid or ControllerStatus.OutOfDomain or ControllerStatus.Failed) faults++;
            else if (controller.Status == ControllerStatus.Overrun) overruns++;
        });
        return new TrackingResult(Math.Sqrt(sum / n), settled / Math.Max(1, settledN), faults, overruns);
    }

    /// <summary>What a rollout sees each tick: the tick, the episode's references, the observation and the command computed from it.</summary>
    private delegate void RolloutTick(int k, double[] refs, in MotorObservation observation, in ConverterCommand command);

    /// <summary>
    /// The episodes of <paramref name="s"/> with <paramref name="controller"/> in the loop: per tick observe, set the
    /// current reference, compute, report to <paramref name="onTick"/>, step the plant.
    /// </summary>
    private static void Rollout(IImitationPlant plant, IController controller, ImitationScenario s, RolloutTick onTick)
    {
        var obs = new MotorObservation();
        var cmd = new ConverterCommand();
        for (int e = 0; e < s.Episodes; e++)
        {
            int episode = s.FirstEpisode + e;
            double[] refs = ReferenceSteps(s, episode);
            plant.Reset(episode);
            controller.Reset();
            for (int k = 0; k < refs.Length; k++)
            {
                plant.Observe(ref obs);
                obs.Reference = new References { CurrentD = refs[k] };
                cmd.SetSafe();
                controller.Compute(obs, ref cmd);
                onTick(k, refs, in obs, in cmd);
                plant.Step(cmd);
            }
        }
    }

    /// <summary>Default training settings for DC current policies (6-32-32-1 Tanh MLP, residual on the previous duty).</summary>
    public static MlpTrainingOptions DcTrainingOptions(ulong seed = 5) => new()
    {
        Hidden = [32, 32],
        Epochs = 25,
        Seed = seed,
        ResidualInputs = [DcResidualInput],
        ResidualScales = [1f],
    };

    /// <summary>
    /// The whole DC pipeline: record <paramref name="expert"/> on <paramref name="plant"/> under <paramref name="scenario"/>,
    /// train (<see cref="DcTrainingOptions"/>), and write <c>{baseName}.onnx</c> + <c>{baseName}.json</c> into
    /// <paramref name="directory"/>. Deterministic: the same plant, expert, scenario and seed give identical files.
    /// </summary>
    public static DcImitationResult TrainDcPolicy(IImitationPlant plant, IController expert, MotorRT.Contracts.Machines.MotorParameters motor, double dcLink,
        ImitationScenario scenario, string directory, string baseName, ulong seed = 5)
    {
        ObservationEntry[] layout = DcLayout(motor.Limits.Current, motor.Limits.Speed, dcLink);
        ImitationDataset data = Record(plant, expert, new ObservationEncoder(layout, null, motor), scenario);
        MlpTrainingResult trained = MlpTrainer.Train(data, DcTrainingOptions(seed));
        string notes = $"Imitation of {expert.Name} ({data.Count} pairs, {scenario.Episodes} episodes x {scenario.TicksPerEpisode} ticks, " +
            $"steps of ±{scenario.CurrentAmplitude} A every {scenario.HoldTicks} ticks, scenario seed {scenario.Seed}, trainer seed {seed}); final MSE {trained.FinalLoss:E3}";
        var export = new MlpExportOptions
        {
            DocString = notes,
            Metadata = [new("motorrt.trainer", "MlpTrainer/Adam"), new("motorrt.expert", expert.Name), new("motorrt.pairs", data.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        };
        string sidecar = SidecarWriter.WritePackage(trained.Network, directory, baseName, DcSpec(layout), export, notes);
        return new DcImitationResult(sidecar, Path.Combine(directory, baseName + ".onnx"), data.Count, trained);
    }

    /// <summary>The sidecar spec of a DC current policy trained with <see cref="DcLayout"/> (duty_dc, clip to ±1).</summary>
    public static OnnxPolicySpec DcSpec(ObservationEntry[] layout) => SidecarWriter.PackageSpec(layout, new ActionSpec
    {
        Meaning = ActionMeaning.DutyDc,
        Postprocess = ActionPostprocess.Clip,
        Low = [-1],
        High = [1],
        ValidMin = -100,
        ValidMax = 100,
    });
}

/// <summary>Outcome of <see cref="CurrentImitation.TrainDcPolicy"/>.</summary>
/// <param name="SidecarPath">The written sidecar.</param>
/// <param name="ModelPath">The written ONNX model.</param>
/// <param name="Pairs">Number of training pairs.</param>
/// <param name="Training">The trained network and its loss history.</param>
public sealed record DcImitationResult(string SidecarPath, string ModelPath, int Pairs, MlpTrainingResult Training);

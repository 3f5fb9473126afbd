using System.CommandLine;

namespace MotorRT.Cli.Commands;

/// <summary>The list of <c>motorrt</c> subcommands. Each lives in its own file with a static <c>Create()</c>.</summary>
internal static class CommandCatalog
{
    /// <summary>Every subcommand, in the order <c>--help</c> lists them.</summary>
    public static IEnumerable<Command> All()
    {
        yield return SimulateCommand.Create();
        yield return JitterCommand.Create();
        yield return SweepCommand.Create();
        yield return MergeCommand.Create();
        yield return TuneCommand.Create();
        yield return Calibration.CalibrateCommand.Create();
        yield return TwinCheckCommand.Create();
        yield return BenchCommand.Create();
        yield return PwaCommand.Create();
        yield return MpcCommand.Create();
        yield return YannCommand.Create();
        yield return OnnxImitateCommand.Create();
        yield return OnnxCommand.Create();
        yield return TrainCommand.Create();
        yield return PlantServerCommand.Create();
        yield return ConfigCommand.Create();
        yield break;
    }
}

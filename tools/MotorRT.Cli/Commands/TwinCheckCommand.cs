using System.CommandLine;
using MotorRT.Cli.TwinCheck;

namespace MotorRT.Cli.Commands;

/// <summary>
/// <c>motorrt twin-check &lt;case-dir&gt;...</c>: replays GEM reference cases (case.json + trajectory.csv) on the twin and
/// prints, per case and column, the max error relative to the column's range. Exit 0 only if every column of every
/// case is within 1e-6; 3 if any case fails; 2 on bad input (unknown types, missing fields). Last line: "N passed, M failed".
/// </summary>
internal static class TwinCheckCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var dirs = new Argument<string[]>("case-dir")
        {
            Description = "Reference case folders (each with case.json and trajectory.csv), e.g. ../shared/reference/*dc*.",
            Arity = ArgumentArity.OneOrMore,
        };
        var tol = new Option<double>("--tolerance") { Description = "Acceptance bound on the relative error (default 1e-6).", DefaultValueFactory = _ => 1e-6 };
        var command = new Command("twin-check", "Replay GEM 3.0.2 reference cases on the plant twin and compare every state column (pass: max error ≤ 1e-6 of the column's range).") { dirs, tol };
        command.SetAction(parse => TwinChecker.Run(parse.GetValue(dirs) ?? [], parse.GetValue(tol), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }
}

namespace MotorRT.Cli.Errors;

/// <summary>
/// The exit codes of every <c>motorrt</c> command (the one error contract, listed in each command's <c>--help</c>).
/// </summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>Bad input: command-line arguments, config, law or model files, output paths.</summary>
    public const int InputError = 2;

    /// <summary>The run itself faulted (a supervised trip, a failed calibration, a failed check).</summary>
    public const int RunFaulted = 3;

    /// <summary>Runtime or environment error: no plant server, port in use, disk, devices, internal errors.</summary>
    public const int RuntimeError = 4;

    /// <summary>The sentence appended to every command's description.</summary>
    public const string HelpText = "Exit codes: 0 ok, 2 input/config error, 3 the run faulted, 4 runtime/environment error (--verbose adds the stack trace).";
}

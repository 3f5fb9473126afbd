namespace MotorRT.Cli.Errors;

/// <summary>
/// A failure the CLI reports as one or two lines (what went wrong, how to fix it) with a documented exit code;
/// <see cref="CliErrorReporter"/> prints it without a stack trace.
/// </summary>
public sealed class CliException : Exception
{
    /// <summary>A failure with exit code <paramref name="exitCode"/> (see <see cref="ExitCodes"/>).</summary>
    public CliException(int exitCode, string what, string fix, Exception? inner = null)
        : base(fix.Length > 0 ? $"{what}; {fix}" : what, inner)
    {
        ExitCode = exitCode;
        What = what;
        Fix = fix;
    }

    /// <summary>The exit code (<see cref="ExitCodes"/>).</summary>
    public int ExitCode { get; }

    /// <summary>What is wrong (names the argument, file or field).</summary>
    public string What { get; }

    /// <summary>How to fix it (may be empty).</summary>
    public string Fix { get; }

    /// <summary>Bad input (exit 2): <paramref name="what"/> names the argument or file.</summary>
    public static CliException Input(string what, string fix) => new(ExitCodes.InputError, what, fix);

    /// <summary>Runtime or environment error (exit 4).</summary>
    public static CliException Runtime(string what, string fix, Exception? inner = null) => new(ExitCodes.RuntimeError, what, fix, inner);
}

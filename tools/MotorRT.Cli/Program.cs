using System.CommandLine;
using MotorRT.Cli.Commands;
using MotorRT.Cli.Errors;

namespace MotorRT.Cli;

/// <summary>Entry point of the <c>motorrt</c> command.</summary>
public static class Program
{
    /// <summary>
    /// <c>--verbose</c>, on every command: a failure also prints its stack trace (otherwise one or two lines).
    /// </summary>
    public static Option<bool> Verbose { get; } = new("--verbose") { Description = "On a failure, also print the stack trace.", Recursive = true };

    /// <summary>Builds the command tree; exposed so tests can invoke commands in-process.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("motorrt — real-time motor-control runtime with a GEM-faithful simulation twin. " + ExitCodes.HelpText);
        root.Options.Add(Verbose);
        foreach (Command command in CommandCatalog.All())
        {
            Document(command);
            root.Subcommands.Add(command);
        }
        return root;
    }

    /// <summary>Runs the command line; returns the process exit code (<see cref="ExitCodes"/>).</summary>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>
    /// Runs the command line with its output on <paramref name="stdout"/> and <paramref name="stderr"/> (tests run
    /// commands in-process through this); every failure becomes one or two lines and a documented exit code.
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ParseResult parse = BuildRoot().Parse(args);
        string command = CommandPath(parse);
        if (parse.Errors.Count > 0)
        {
            // Unrecognised tokens first (the likeliest typo), all on one line.
            IEnumerable<string> messages = parse.Errors.OrderBy(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal) ? 0 : 1)
                .Select(e => string.Join(' ', e.Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
            stderr.WriteLine($"motorrt{(command.Length > 0 ? " " + command : "")}: {string.Join(" ", messages)}");
            stderr.WriteLine($"  fix: see `motorrt {(command.Length > 0 ? command + " " : "")}--help`");
            return ExitCodes.InputError;
        }
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return parse.Invoke(config);
        }
        catch (Exception e)
        {
            return CliErrorReporter.Report(e, command, parse.GetValue(Verbose), stderr);
        }
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (System.CommandLine.Parsing.SymbolResult? r = parse.CommandResult; r is System.CommandLine.Parsing.CommandResult c && c.Command is not RootCommand; r = r.Parent)
        {
            names.Insert(0, c.Command.Name);
        }
        return string.Join(' ', names);
    }

    private static void Document(Command command)
    {
        if (command.Description is { } d && !d.Contains("Exit codes:", StringComparison.Ordinal))
        {
            command.Description = d.TrimEnd() + " " + ExitCodes.HelpText;
        }
        foreach (Command sub in command.Subcommands) Document(sub);
    }
}

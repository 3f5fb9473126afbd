using System.CommandLine;
using MotorRT.Cli.Commands;

namespace MotorRT.Cli;

/// <summary>Entry point of the <c>motorrt</c> command.</summary>
public static class Program
{
    /// <summary>Builds the command tree; exposed so tests can invoke commands in-process.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("motorrt — real-time motor-control runtime with a GEM-faithful simulation twin.");
        foreach (Command command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }
        return root;
    }

    /// <summary>Runs the command line; returns the process exit code.</summary>
    public static int Main(string[] args) => BuildRoot().Parse(args).Invoke();
}

namespace MotorRT.Cli.Tests;

/// <summary>Paths of the repository (examples/, test data) from the test's output folder, and scratch config files.</summary>
internal static class ExampleFiles
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds MotorRT.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>examples/<paramref name="name"/>.</summary>
    public static string Path(string name) => System.IO.Path.Combine(Root, "examples", name);

    /// <summary>Writes <paramref name="text"/> to a new file in the temp folder (motorrt-<paramref name="prefix"/>-…json) and returns its path.</summary>
    public static string WriteTemp(string prefix, string text)
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"motorrt-{prefix}-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, text);
        return path;
    }

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(d.FullName, "MotorRT.sln"))) return d.FullName;
        }
        throw new InvalidOperationException("MotorRT.sln not found above the test binaries");
    }
}

namespace MotorRT.Cli.Tests;

/// <summary>Paths of the repository's examples/ files from the test's output folder.</summary>
internal static class ExampleFiles
{
    /// <summary>examples/<paramref name="name"/>.</summary>
    public static string Path(string name)
    {
        string dir = AppContext.BaseDirectory;
        while (!Directory.Exists(System.IO.Path.Combine(dir, "examples"))) dir = System.IO.Path.GetDirectoryName(dir)!;
        return System.IO.Path.Combine(dir, "examples", name);
    }
}

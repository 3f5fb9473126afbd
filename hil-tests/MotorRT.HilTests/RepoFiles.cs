namespace MotorRT.HilTests;

/// <summary>Files of the repository (examples, laws, models) from the test binaries' folder.</summary>
internal static class RepoFiles
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds MotorRT.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary><paramref name="relative"/> (e.g. <c>examples/pmsm-speed.json</c>) below the root.</summary>
    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    /// <summary>examples/<paramref name="name"/>; the file must exist.</summary>
    public static string Example(string name)
    {
        string path = System.IO.Path.Combine(Root, "examples", name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"examples/{name} not found in {Root}");
    }

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(d.FullName, "MotorRT.sln"))) return d.FullName;
        }
        throw new DirectoryNotFoundException("MotorRT.sln not found above the test binaries");
    }
}

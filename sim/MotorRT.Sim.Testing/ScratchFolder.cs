namespace MotorRT.Sim.Testing;

/// <summary>A fresh folder in the temp folder (motorrt-PREFIX-…) for one test's files, deleted on dispose (best effort).</summary>
public sealed class ScratchFolder : IDisposable
{
    /// <summary>Creates motorrt-<paramref name="prefix"/>-GUID in the temp folder.</summary>
    public ScratchFolder(string prefix)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"motorrt-{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>Deletes the folder and what it holds; a file still in use is left behind.</summary>
    public void Dispose()
    {
        try { Directory.Delete(Path, true); } catch (IOException) { }
    }
}

namespace MotorRT.Host;

/// <summary>Host daemon entry point (filled by the runtime issue).</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("motorrt-host: not yet wired; use 'motorrt simulate'.");
        return 2;
    }
}

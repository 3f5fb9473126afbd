using System.Globalization;
using System.Text.Json;

namespace MotorRT.Sim.Gym.Tests;

/// <summary>One recorded GEM rollout of shared/gem-envs: case.json and trajectory.csv.</summary>
internal sealed class GemEnvCase
{
    public required string Name { get; init; }
    public required JsonElement Case { get; init; }
    public required string[] Header { get; init; }
    public required List<string[]> Rows { get; init; }

    public string EnvId => Case.GetProperty("env_id").GetString()!;

    public int Col(string name) => Array.IndexOf(Header, name);

    public static double Num(string s) => s switch
    {
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        "nan" => double.NaN,
        _ => double.Parse(s, CultureInfo.InvariantCulture),
    };

    public static GemEnvCase Load(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "case.json")));
        string[] lines = File.ReadAllLines(Path.Combine(dir, "trajectory.csv"));
        return new GemEnvCase
        {
            Name = Path.GetFileName(dir),
            Case = doc.RootElement.Clone(),
            Header = lines[0].Split(','),
            Rows = [.. lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))],
        };
    }

    /// <summary>shared/gem-envs found by walking up from the test assembly to the folder holding MotorRT.sln, or null.</summary>
    public static string? Dir()
    {
        string? d = AppContext.BaseDirectory;
        while (d is not null && !File.Exists(Path.Combine(d, "MotorRT.sln"))) d = Path.GetDirectoryName(d);
        if (d is null) return null;
        for (string? up = d; up is not null; up = Path.GetDirectoryName(up))
        {
            string candidate = Path.Combine(up, "shared", "gem-envs");
            if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        return null;
    }
}

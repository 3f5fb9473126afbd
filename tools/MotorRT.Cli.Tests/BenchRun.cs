using System.Text.Json;
using MotorRT.Cli.Commands;

namespace MotorRT.Cli.Tests;

/// <summary>One quick <c>motorrt bench --json</c> run of the cases matching a filter: its JSON document and its table.</summary>
internal static class BenchRun
{
    /// <summary>Runs the cases whose name contains <paramref name="filter"/> once (quick), asserts exit 0, returns the JSON and the printed table.</summary>
    public static (JsonElement Root, string Table) Quick(string filter)
    {
        string path = Path.Combine(Path.GetTempPath(), $"motorrt-bench-{Guid.NewGuid():N}.json");
        try
        {
            var o = new StringWriter();
            int rc = BenchCommand.Run(path, 1, filter, quick: true, o, new StringWriter());
            Assert.Equal(0, rc);
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
            return (doc.RootElement.Clone(), o.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }
}

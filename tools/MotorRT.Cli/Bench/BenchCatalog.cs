namespace MotorRT.Cli.Bench;

/// <summary>
/// The cases <c>motorrt bench</c> runs. Owners add their cases in their own file (a static method returning
/// <see cref="BenchCase"/>s) and append ONE line here.
/// </summary>
internal static class BenchCatalog
{
    /// <summary>Every case, in report order.</summary>
    public static IReadOnlyList<BenchCase> All()
    {
        var cases = new List<BenchCase>();
        cases.AddRange(PlantBenchCases.Create());
        cases.AddRange(GymBenchCases.Create());
        cases.AddRange(PwaBenchCases.Create());
        cases.AddRange(ControllerBenchCases.Create());
        cases.AddRange(OnnxBenchCases.Create());
        cases.AddRange(LoopBenchCases.Create());
        cases.AddRange(SimulateBenchCases.Create());
        cases.AddRange(TraceWriterBenchCases.Create());
        return cases;
    }
}

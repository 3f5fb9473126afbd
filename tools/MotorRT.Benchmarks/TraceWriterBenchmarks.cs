using BenchmarkDotNet.Attributes;
using MotorRT.Runtime.Telemetry;

namespace MotorRT.Benchmarks;

/// <summary>
/// Trace writer throughput (<see cref="TraceWriterWorkload"/>): 131 072 rows (in the ring before the clock starts) of the full column set through the CSV and
/// the Parquet writer, from the first sample to the closed file; rows/s = 1 / mean (per row). Target ≥ 2 M rows/s (Parquet).
/// Run: <c>dotnet run -c Release --project tools/MotorRT.Benchmarks -- --filter '*TraceWriter*'</c>.
/// </summary>
[MemoryDiagnoser]
public class TraceWriterBenchmarks
{
    /// <summary>Rows per invocation.</summary>
    public const int Rows = 1 << 17;

    private string _directory = "";

    /// <summary>The file format, by extension.</summary>
    [Params("csv", "parquet")]
    public string Format { get; set; } = "csv";

    /// <summary>Creates the output directory.</summary>
    [GlobalSetup]
    public void Setup() => _directory = Directory.CreateTempSubdirectory("motorrt-trace-bench").FullName;

    /// <summary>Writes <see cref="Rows"/> rows and closes the file.</summary>
    [Benchmark(OperationsPerInvoke = Rows)]
    public double WriteRows() => TraceWriterWorkload.Run(Path.Combine(_directory, "trace." + Format), Rows);

    /// <summary>Deletes the output.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        try { Directory.Delete(_directory, true); } catch (IOException) { }
    }
}

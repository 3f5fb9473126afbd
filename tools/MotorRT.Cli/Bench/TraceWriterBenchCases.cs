using MotorRT.Runtime.Telemetry;

namespace MotorRT.Cli.Bench;

/// <summary>
/// Trace writer throughput: rows per second of the full column set through <see cref="CsvTelemetryWriter"/> and
/// <see cref="ParquetTelemetryWriter"/> (<see cref="TraceWriterWorkload"/>, the same workload as
/// tools/MotorRT.Benchmarks/TraceWriterBenchmarks.cs), from the first sample to the closed file. Target ≥ 2 M rows/s for
/// Parquet, so the writer never sets the lock-step speed at decimation 1.
/// </summary>
internal static class TraceWriterBenchCases
{
    /// <summary>The trace-writer cases.</summary>
    public static IEnumerable<BenchCase> Create()
    {
        yield return new BenchCase("trace-writer-csv", "writer", 1 << 17, n => Run(n, "csv"));
        yield return new BenchCase("trace-writer-parquet", "writer", 1 << 18, n => Run(n, "parquet"));
    }

    // The workload writes a power of two of rows, at least the iterations asked for (the runner divides by these).
    private static double Run(long rows, string extension)
    {
        string path = Path.Combine(Path.GetTempPath(), $"motorrt-bench-trace-{Environment.ProcessId}.{extension}");
        try
        {
            int n = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, rows));
            return TraceWriterWorkload.Run(path, n) * rows / n;
        }
        finally
        {
            File.Delete(path);
        }
    }
}

using MotorRT.Contracts.Configuration;
using MotorRT.Runtime.Telemetry;

namespace MotorRT.Runtime.Configuration;

/// <summary>The <c>telemetry</c> section: what the loop records and how the background writer drains it.</summary>
public sealed record TelemetryConfig(int Decimation = 1, int BufferSamples = 1 << 16, bool LockStepBackpressure = true, TelemetryFormat Format = TelemetryFormat.Auto)
{
    /// <summary>Record every n-th tick (1 = every tick).</summary>
    [ConfigField("Record every n-th tick (1 = every tick).", Min = 1, Max = 1_000_000)]
    public int Decimation { get; init; } = Decimation;

    /// <summary>Capacity of the ring buffer between loop and writer, in samples (rounded up to a power of two).</summary>
    [ConfigField("Capacity of the ring buffer between loop and writer (rounded up to a power of two).", Min = 16, Max = 1 << 24, Unit = "samples")]
    public int BufferSamples { get; init; } = BufferSamples;

    /// <summary>
    /// Lock-step only: when the ring is full the loop waits for the writer instead of dropping (nothing real waits on
    /// a lock-step plant). Real-time runs never wait: they drop and count.
    /// </summary>
    [ConfigField("Lock-step only: when the ring is full the loop waits for the writer instead of dropping.")]
    public bool LockStepBackpressure { get; init; } = LockStepBackpressure;

    /// <summary>
    /// Trace file format: <c>"auto"</c> (default: Parquet for a bounded run recording at least
    /// <see cref="TelemetryFormats.AutoParquetRows"/> rows, CSV otherwise), <c>"csv"</c> or <c>"parquet"</c>.
    /// </summary>
    [ConfigField("Trace file format: auto (Parquet, trace.parquet, for a bounded run recording at least 250 000 rows; CSV, trace.csv, otherwise), csv or parquet.")]
    public TelemetryFormat Format { get; init; } = Format;

    /// <summary>The concrete trace format of a run of <paramref name="timing"/>'s duration and period (auto resolved).</summary>
    public TelemetryFormat ResolveFormat(TimingConfig timing)
    {
        ArgumentNullException.ThrowIfNull(timing);
        return TelemetryFormats.Resolve(Format, timing.Duration, timing.Period, Decimation);
    }

    /// <summary>The trace file for a run of <paramref name="timing"/> in <paramref name="directory"/>: <c>trace.csv</c> or <c>trace.parquet</c>.</summary>
    public string TracePath(string directory, TimingConfig timing) => Path.Combine(directory, TelemetryFormats.FileName(ResolveFormat(timing)));
}

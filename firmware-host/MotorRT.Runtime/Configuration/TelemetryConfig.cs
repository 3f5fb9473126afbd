using MotorRT.Contracts.Configuration;
using MotorRT.Runtime.Telemetry;

namespace MotorRT.Runtime.Configuration;

/// <summary>The <c>telemetry</c> section: what the loop records and how the background writer drains it.</summary>
public sealed record TelemetryConfig
{
    /// <summary>Record every n-th tick (1 = every tick).</summary>
    public int Decimation { get; init; } = 1;

    /// <summary>Capacity of the ring buffer between loop and writer, in samples (rounded up to a power of two).</summary>
    public int BufferSamples { get; init; } = 1 << 16;

    /// <summary>
    /// Lock-step only: when the ring is full the loop waits for the writer instead of dropping (nothing real waits on
    /// a lock-step plant). Real-time runs never wait: they drop and count.
    /// </summary>
    public bool LockStepBackpressure { get; init; } = true;

    /// <summary>
    /// Trace file format: <c>"auto"</c> (default: Parquet for a bounded run recording at least
    /// <see cref="TelemetryFormats.AutoParquetRows"/> rows, CSV otherwise), <c>"csv"</c> or <c>"parquet"</c>.
    /// </summary>
    public TelemetryFormat Format { get; init; } = TelemetryFormat.Auto;

    /// <summary>The concrete trace format of a run of <paramref name="timing"/>'s duration and period (auto resolved).</summary>
    public TelemetryFormat ResolveFormat(TimingConfig timing)
    {
        ArgumentNullException.ThrowIfNull(timing);
        return TelemetryFormats.Resolve(Format, timing.Duration, timing.Period, Decimation);
    }

    /// <summary>The trace file for a run of <paramref name="timing"/> in <paramref name="directory"/>: <c>trace.csv</c> or <c>trace.parquet</c>.</summary>
    public string TracePath(string directory, TimingConfig timing) => Path.Combine(directory, TelemetryFormats.FileName(ResolveFormat(timing)));

    /// <summary>Reads and validates a <c>telemetry</c> section.</summary>
    public static TelemetryConfig Read(JsonSection s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var t = new TelemetryConfig
        {
            Decimation = s.Integer("decimation", 1, 1, 1_000_000),
            BufferSamples = s.Integer("buffer_samples", 1 << 16, 16, 1 << 24),
            LockStepBackpressure = s.Boolean("lock_step_backpressure", true),
            Format = !s.Has("format") ? TelemetryFormat.Auto : s.OneOf("format", "auto", "csv", "parquet") switch
            {
                "csv" => TelemetryFormat.Csv,
                "parquet" => TelemetryFormat.Parquet,
                _ => TelemetryFormat.Auto,
            },
        };
        s.EnsureNoUnknownKeys();
        return t;
    }
}

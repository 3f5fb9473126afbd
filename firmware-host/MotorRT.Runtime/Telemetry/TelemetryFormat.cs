namespace MotorRT.Runtime.Telemetry;

/// <summary>File format of the trace (<c>telemetry.format</c>).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<TelemetryFormat>))]
public enum TelemetryFormat
{
    /// <summary>Parquet for long bounded runs (see <see cref="TelemetryFormats.AutoParquetRows"/>), CSV otherwise.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("auto")]
    Auto,
    /// <summary>Comma-separated text with a header row (<c>trace.csv</c>).</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("csv")]
    Csv,
    /// <summary>Columnar binary (Apache Parquet, Snappy-compressed, one row group per 65 536 rows: <c>trace.parquet</c>).</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("parquet")]
    Parquet,
}

/// <summary>Resolving <see cref="TelemetryFormat.Auto"/> and naming trace files.</summary>
public static class TelemetryFormats
{
    /// <summary>
    /// Auto picks Parquet for a bounded run that records at least this many rows (25 s at 10 kHz, decimation 1): there
    /// the text file gets large and slow to read. Shorter runs stay CSV (diffable text), and so do unbounded runs (the
    /// daemon) because a Parquet file is readable only once its footer is written at the end.
    /// </summary>
    public const long AutoParquetRows = 250_000;

    /// <summary>The concrete format for a run of <paramref name="duration"/> s (0 = unbounded) at <paramref name="period"/> s per tick.</summary>
    public static TelemetryFormat Resolve(TelemetryFormat format, double duration, double period, int decimation)
    {
        if (format != TelemetryFormat.Auto) return format;
        if (duration <= 0 || period <= 0) return TelemetryFormat.Csv;
        double rows = duration / period / Math.Max(1, decimation);
        return rows >= AutoParquetRows ? TelemetryFormat.Parquet : TelemetryFormat.Csv;
    }

    /// <summary>The trace file name of a concrete format: <c>trace.csv</c> or <c>trace.parquet</c>.</summary>
    public static string FileName(TelemetryFormat format) => format == TelemetryFormat.Parquet ? "trace.parquet" : "trace.csv";

    /// <summary>The format a trace path names by its extension (<c>.parquet</c>, otherwise CSV).</summary>
    public static TelemetryFormat FromPath(string path) =>
        path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? TelemetryFormat.Parquet : TelemetryFormat.Csv;
}

using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace MotorRT.Runtime.Telemetry;

/// <summary>
/// Reads columns of a trace written by <see cref="CsvTelemetryWriter"/> or <see cref="ParquetTelemetryWriter"/> (chosen
/// by the extension), as float64 arrays — for plots, tools and tests, not for the loop (it allocates).
/// </summary>
public static class TraceReader
{
    /// <summary>
    /// Reads the named columns of <paramref name="path"/>; a name the file does not hold gives a column of zeros
    /// (e.g. an older trace). Values in the file's units (SI, see <see cref="TelemetryWriter.Columns"/>).
    /// </summary>
    public static Dictionary<string, double[]> ReadColumns(string path, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(names);
        return TelemetryFormats.FromPath(path) == TelemetryFormat.Parquet ? ReadParquet(path, names) : ReadCsv(path, names);
    }

    private static Dictionary<string, double[]> ReadCsv(string path, IReadOnlyList<string> names)
    {
        using var reader = new StreamReader(path);
        string[] header = (reader.ReadLine() ?? "").Split(',');
        var idx = new int[names.Count];
        var lists = new List<double>[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            idx[i] = Array.IndexOf(header, names[i]);
            lists[i] = [];
        }
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            string[] cells = line.Split(',');
            for (int i = 0; i < names.Count; i++)
            {
                lists[i].Add(idx[i] >= 0 ? double.Parse(cells[idx[i]], CultureInfo.InvariantCulture) : 0.0);
            }
        }
        var result = new Dictionary<string, double[]>();
        for (int i = 0; i < names.Count; i++) result[names[i]] = [.. lists[i]];
        return result;
    }

    private static Dictionary<string, double[]> ReadParquet(string path, IReadOnlyList<string> names)
    {
        ParquetReader reader = ParquetReader.CreateAsync(path).GetAwaiter().GetResult();
        try
        {
            return ReadParquet(reader, path, names);
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static Dictionary<string, double[]> ReadParquet(ParquetReader reader, string path, IReadOnlyList<string> names)
    {
        DataField[] fields = reader.Schema.GetDataFields();
        long rows = 0;
        for (int g = 0; g < reader.RowGroupCount; g++) rows += reader.RowGroups[g].RowCount;
        var result = new Dictionary<string, double[]>();
        foreach (string name in names) result[name] = new double[rows];
        long offset = 0;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
            int n = checked((int)group.RowCount);
            foreach (string name in names)
            {
                DataField? field = Array.Find(fields, f => f.Name == name);
                if (field is null) continue;
                Span<double> target = result[name].AsSpan((int)offset, n);
                if (field.ClrType == typeof(double))
                {
                    group.ReadAsync<double>(field, result[name].AsMemory((int)offset, n)).AsTask().GetAwaiter().GetResult();
                }
                else if (field.ClrType == typeof(long))
                {
                    var values = new long[n];
                    group.ReadAsync<long>(field, values).AsTask().GetAwaiter().GetResult();
                    for (int i = 0; i < n; i++) target[i] = values[i];
                }
                else if (field.ClrType == typeof(int))
                {
                    var values = new int[n];
                    group.ReadAsync<int>(field, values).AsTask().GetAwaiter().GetResult();
                    for (int i = 0; i < n; i++) target[i] = values[i];
                }
                else
                {
                    throw new InvalidDataException($"{path}: column \"{name}\" has type {field.ClrType.Name}; a MotorRT trace holds int32, int64 and float64 columns");
                }
            }
            offset += n;
        }
        return result;
    }
}

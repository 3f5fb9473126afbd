using System.Globalization;
using System.Text;
using MotorRT.Contracts.Configuration;
using MotorRT.Runtime.Telemetry;
using Parquet;
using Parquet.Schema;

namespace MotorRT.Runtime.Tests;

public class TraceWriterTests
{
    // More than one row group, the last one partial.
    private const int Rows = ParquetTelemetryWriter.RowGroupRows + 4_464;

    [Fact]
    public async Task ParquetRoundTripHoldsEveryColumnOfEverySampleExactly()
    {
        string dir = Directory.CreateTempSubdirectory("motorrt-pq").FullName;
        string path = Path.Combine(dir, "trace.parquet");
        Write(path, Rows);

        ParquetReader reader = await ParquetReader.CreateAsync(path);
        try
        {
            DataField[] fields = reader.Schema.GetDataFields();
            Assert.Equal(TelemetryWriter.Columns, fields.Select(f => f.Name).ToArray());
            Assert.Equal(2, reader.RowGroupCount);
            var columns = new double[fields.Length][];
            for (int c = 0; c < fields.Length; c++) columns[c] = new double[Rows];
            int offset = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
                int n = (int)group.RowCount;
                for (int c = 0; c < fields.Length; c++)
                {
                    Type type = fields[c].ClrType;
                    if (type == typeof(double))
                    {
                        await group.ReadAsync<double>(fields[c], columns[c].AsMemory(offset, n));
                    }
                    else if (type == typeof(long))
                    {
                        var v = new long[n];
                        await group.ReadAsync<long>(fields[c], v);
                        for (int i = 0; i < n; i++) columns[c][offset + i] = v[i];
                    }
                    else
                    {
                        Assert.Equal(typeof(int), type);
                        var v = new int[n];
                        await group.ReadAsync<int>(fields[c], v);
                        for (int i = 0; i < n; i++) columns[c][offset + i] = v[i];
                    }
                }
                offset += n;
            }
            Assert.Equal(Rows, offset);
            var expected = new double[TelemetryWriter.Columns.Length];
            var s = new TelemetrySample();
            for (int i = 0; i < Rows; i++)
            {
                TraceWriterWorkload.Fill(ref s, i);
                Cells(in s, expected);
                for (int c = 0; c < expected.Length; c++)
                {
                    if (columns[c][i] != expected[c]) Assert.Fail($"row {i}, column {fields[c].Name}: {columns[c][i]:R} read back, {expected[c]:R} written");
                }
            }
        }
        finally
        {
            await reader.DisposeAsync();
        }
        Directory.Delete(dir, true);
    }

    [Fact]
    public void CsvAndParquetOfTheSameSamplesReadBackEqualThroughTraceReader()
    {
        string dir = Directory.CreateTempSubdirectory("motorrt-pqcsv").FullName;
        Write(Path.Combine(dir, "trace.csv"), 5_000);
        Write(Path.Combine(dir, "trace.parquet"), 5_000);
        Dictionary<string, double[]> csv = TraceReader.ReadColumns(Path.Combine(dir, "trace.csv"), TelemetryWriter.Columns);
        Dictionary<string, double[]> parquet = TraceReader.ReadColumns(Path.Combine(dir, "trace.parquet"), TelemetryWriter.Columns);
        foreach (string name in TelemetryWriter.Columns)
        {
            Assert.Equal(5_000, csv[name].Length);
            Assert.Equal(csv[name], parquet[name]);
        }
        Assert.NotEqual(0.0, csv["i_a"][7]);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void CsvRowsAreTheShortestRoundTripTextOfEachValue()
    {
        string dir = Directory.CreateTempSubdirectory("motorrt-csv").FullName;
        string path = Path.Combine(dir, "trace.csv");
        Write(path, 300);
        string[] lines = File.ReadAllLines(path);
        Assert.Equal(string.Join(',', TelemetryWriter.Columns), lines[0]);
        var cells = new double[TelemetryWriter.Columns.Length];
        var s = new TelemetrySample();
        for (int i = 0; i < 300; i++)
        {
            TraceWriterWorkload.Fill(ref s, i);
            Cells(in s, cells);
            Assert.Equal(string.Join(',', cells.Select(v => v.ToString(CultureInfo.InvariantCulture))), lines[i + 1]);
        }
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-3.0)]
    [InlineData(4096.0)]
    [InlineData(99_999_999_999_999.0)]
    [InlineData(-99_999_999_999_999.0)]
    [InlineData(1e14)]
    [InlineData(1e15)]
    [InlineData(1e16)]
    [InlineData(0.1)]
    [InlineData(-2.5)]
    [InlineData(0.30000000000000004)]
    [InlineData(5e-324)]
    [InlineData(double.MaxValue)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void CsvNumberFastPathPrintsWhatDoubleToStringPrints(double value)
    {
        Span<byte> buffer = stackalloc byte[64];
        int n = CsvTelemetryWriter.FormatNumber(value, buffer);
        Assert.Equal(value.ToString(CultureInfo.InvariantCulture), Encoding.UTF8.GetString(buffer[..n]));
        n = CsvTelemetryWriter.FormatNumber(-value, buffer);   // and its negation (covers -0)
        Assert.Equal((-value).ToString(CultureInfo.InvariantCulture), Encoding.UTF8.GetString(buffer[..n]));
    }

    [Fact]
    public void AFailingWriterKeepsDrainingAndCountsWhatItLost()
    {
        // /dev/full refuses every write (ENOSPC): the producer below waits on back-pressure as a lock-step loop does,
        // so a writer that stopped draining would hang it.
        const string full = "/dev/full";
        if (!File.Exists(full)) return;   // not Linux: nothing to refuse the writes
        const int rows = 3 * ParquetTelemetryWriter.RowGroupRows;
        var ring = new TelemetryRing(64);
        var writer = new ParquetTelemetryWriter(ring, full);   // Parquet: its 1 MiB file buffer fails on the first row group
        var producer = new Thread(() =>
        {
            for (int k = 0; k < rows; k++)
            {
                while (ring.IsFull) Thread.Yield();
                TraceWriterWorkload.Fill(ref ring.NextSlot(), k);
                ring.Publish();
            }
        });
        producer.Start();
        Assert.True(producer.Join(TimeSpan.FromMinutes(5)), "the producer hung on a writer that stopped draining");
        writer.Complete();
        Assert.IsAssignableFrom<IOException>(writer.Error);
        Assert.True(writer.Lost > 0);
        Assert.Equal(rows, writer.Rows + writer.Lost);
    }

    [Fact]
    public void TelemetryFormatIsReadAndAutoPicksParquetForLongBoundedRuns()
    {
        Assert.Equal(TelemetryFormat.Auto, TestConfigs.Config(TestConfigs.Json()).Telemetry.Format);
        var parquet = TestConfigs.Config(TestConfigs.Json().Replace("\"buffer_samples\": 4096", "\"buffer_samples\": 4096, \"format\": \"parquet\""));
        Assert.Equal(TelemetryFormat.Parquet, parquet.Telemetry.ResolveFormat(parquet.Timing));
        Assert.EndsWith("trace.parquet", parquet.Telemetry.TracePath("out", parquet.Timing), StringComparison.Ordinal);
        var e = Assert.Throws<ConfigException>(() => TestConfigs.Config(TestConfigs.Json().Replace("\"buffer_samples\": 4096", "\"buffer_samples\": 4096, \"format\": \"hdf5\"")));
        Assert.Contains("telemetry.format", e.Message, StringComparison.Ordinal);

        Assert.Equal(TelemetryFormat.Csv, TelemetryFormats.Resolve(TelemetryFormat.Auto, 1.0, 1e-4, 1));       // 10 000 rows
        Assert.Equal(TelemetryFormat.Parquet, TelemetryFormats.Resolve(TelemetryFormat.Auto, 30.0, 1e-4, 1));  // 300 000 rows
        Assert.Equal(TelemetryFormat.Csv, TelemetryFormats.Resolve(TelemetryFormat.Auto, 30.0, 1e-4, 10));     // 30 000 rows
        Assert.Equal(TelemetryFormat.Csv, TelemetryFormats.Resolve(TelemetryFormat.Auto, 0.0, 1e-4, 1));       // unbounded
        Assert.Equal(TelemetryFormat.Csv, TelemetryFormats.Resolve(TelemetryFormat.Csv, 30.0, 1e-4, 1));
    }

    [Fact]
    public void LockStepLoopWritesAParquetTraceWithEveryRow()
    {
        string dir = Directory.CreateTempSubdirectory("motorrt-loop-pq").FullName;
        var config = TestConfigs.Config(TestConfigs.Json(timing: """{ "frequency": 10000, "duration": 0.3, "warmup_ticks": 10 }""").Replace("\"buffer_samples\": 4096", "\"buffer_samples\": 64"));
        var (result, _, _) = Harness.Run(config, trace: Path.Combine(dir, "trace.parquet"));
        Assert.Equal(0, result.TelemetryDropped);
        Dictionary<string, double[]> c = TraceReader.ReadColumns(Path.Combine(dir, "trace.parquet"), ["tick", "state"]);
        Assert.Equal(result.TelemetryRows, c["tick"].Length);
        Assert.Equal(3000, c["state"].Count(v => v == 3));   // state Running
        Directory.Delete(dir, true);
    }

    private static void Write(string path, int rows)
    {
        var ring = new TelemetryRing(256);
        var writer = TelemetryWriter.Open(ring, path);
        for (int k = 0; k < rows; k++)
        {
            while (ring.IsFull) Thread.Yield();
            TraceWriterWorkload.Fill(ref ring.NextSlot(), k);
            ring.Publish();
        }
        writer.Complete();
        Assert.Null(writer.Error);
        Assert.Equal(rows, writer.Rows);
    }

    private static void Cells(in TelemetrySample s, double[] cells)
    {
        var o = s.Observation;
        double[] v =
        [
            s.Tick, s.Time, (int)s.State, (int)s.Fault,
            o.Reference.Speed, o.Reference.Torque, o.Reference.CurrentD, o.Reference.CurrentQ, o.Reference.CurrentExcitation,
            o.CurrentA, o.CurrentB, o.CurrentC, o.CurrentD, o.CurrentQ, o.CurrentExcitation,
            o.MechanicalSpeed, o.MechanicalAngle, o.ElectricalAngle, o.DcLinkVoltage,
            s.Command.Duty[0], s.Command.Duty[1], s.Command.Duty[2], s.Command.Duty[3],
            s.Command.BridgeEnable ? 1 : 0, (int)s.ControllerStatus,
            o.Reference.Position, o.MechanicalPosition,
        ];
        v.CopyTo(cells, 0);
    }
}

using MotorRT.Contracts;
using Parquet;
using Parquet.Schema;

namespace MotorRT.Runtime.Telemetry;

/// <summary>
/// Trace writer for Apache Parquet (Parquet.Net): the same <see cref="TelemetryWriter.Columns"/> as the CSV, typed —
/// <c>tick</c> int64; <c>state</c>, <c>fault</c>, <c>bridge</c>, <c>controller_status</c> int32; the rest float64 in SI
/// units — required (non-null), Snappy-compressed, one row group per <see cref="RowGroupRows"/> rows, readable by
/// pandas/polars (pyarrow), MATLAB's <c>parquetread</c> and Spark. Samples are stored column-wise into pre-allocated
/// arrays; Parquet.Net encodes a full group on the writer thread (it allocates there per row group, never per row, and
/// never on the loop thread). The file is complete once <see cref="TelemetryWriter.Complete"/> wrote its footer.
/// </summary>
public sealed class ParquetTelemetryWriter : TelemetryWriter
{
    /// <summary>Rows per row group.</summary>
    public const int RowGroupRows = 1 << 16;

    // Observation and duty columns (float64), in Columns order after tick, time, state, fault.
    private const int ObservationColumns = 15;
    private const int DutyColumns = 4;

    // Position columns (float64) after controller_status: ref_position, position.
    private const int PositionColumns = 2;

    private readonly FileStream _stream;
    private readonly ParquetWriter _writer;
    private readonly DataField[] _fields;
    private readonly long[] _tick = new long[RowGroupRows];
    private readonly double[] _time = new double[RowGroupRows];
    private readonly int[] _state = new int[RowGroupRows];
    private readonly int[] _fault = new int[RowGroupRows];
    private readonly double[][] _observation = NewColumns(ObservationColumns);
    private readonly double[][] _duty = NewColumns(DutyColumns);
    private readonly double[][] _position = NewColumns(PositionColumns);
    private readonly int[] _bridge = new int[RowGroupRows];
    private readonly int[] _status = new int[RowGroupRows];
    private int _count;

    /// <summary>Opens <paramref name="path"/>, writes the file header and starts the writer thread.</summary>
    public ParquetTelemetryWriter(TelemetryRing ring, string path)
        : base(ring)
    {
        _fields = new DataField[Columns.Length];
        for (int c = 0; c < Columns.Length; c++)
        {
            _fields[c] = Columns[c] switch
            {
                "tick" => new DataField<long>(Columns[c], false),
                "state" or "fault" or "bridge" or "controller_status" => new DataField<int>(Columns[c], false),
                _ => new DataField<double>(Columns[c], false),
            };
        }
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1 << 20);
        try
        {
            _writer = ParquetWriter.CreateAsync(new ParquetSchema(_fields), _stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy })
                .GetAwaiter().GetResult();
            _writer.CustomMetadata = new Dictionary<string, string>
            {
                ["motorrt.units"] = "time s; i_* and ref_i_* A; omega, ref_speed rad/s; theta_mech, epsilon, ref_position, position rad; ref_torque N*m; u_dc V; duty_* -1..1",
            };
        }
        catch
        {
            _stream.Dispose();
            throw;
        }
        StartDraining();
    }

    /// <inheritdoc />
    protected override void Append(in TelemetrySample s)
    {
        int i = _count;
        ref readonly MotorObservation o = ref s.Observation;
        _tick[i] = s.Tick;
        _time[i] = s.Time;
        _state[i] = (int)s.State;
        _fault[i] = (int)s.Fault;
        _observation[0][i] = o.Reference.Speed;
        _observation[1][i] = o.Reference.Torque;
        _observation[2][i] = o.Reference.CurrentD;
        _observation[3][i] = o.Reference.CurrentQ;
        _observation[4][i] = o.Reference.CurrentExcitation;
        _observation[5][i] = o.CurrentA;
        _observation[6][i] = o.CurrentB;
        _observation[7][i] = o.CurrentC;
        _observation[8][i] = o.CurrentD;
        _observation[9][i] = o.CurrentQ;
        _observation[10][i] = o.CurrentExcitation;
        _observation[11][i] = o.MechanicalSpeed;
        _observation[12][i] = o.MechanicalAngle;
        _observation[13][i] = o.ElectricalAngle;
        _observation[14][i] = o.DcLinkVoltage;
        for (int k = 0; k < DutyColumns; k++) _duty[k][i] = s.Command.Duty[k];
        _bridge[i] = s.Command.BridgeEnable ? 1 : 0;
        _status[i] = (int)s.ControllerStatus;
        _position[0][i] = o.Reference.Position;
        _position[1][i] = o.MechanicalPosition;
        if (++_count == RowGroupRows) WriteRowGroup();
    }

    /// <inheritdoc />
    protected override void OnIdle()
    {
        // Row groups stay whole: a short group per idle moment would bloat the file and slow readers.
    }

    /// <inheritdoc />
    protected override void Close()
    {
        WriteRowGroup();
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _stream.Flush();
    }

    /// <inheritdoc />
    protected override void Release() => _stream.Dispose();

    private void WriteRowGroup()
    {
        int n = _count;
        if (n == 0) return;
        using (ParquetRowGroupWriter group = _writer.CreateRowGroup())
        {
            int c = 0;
            Write(group, _fields[c++], _tick, n);
            Write(group, _fields[c++], _time, n);
            Write(group, _fields[c++], _state, n);
            Write(group, _fields[c++], _fault, n);
            for (int k = 0; k < ObservationColumns; k++) Write(group, _fields[c++], _observation[k], n);
            for (int k = 0; k < DutyColumns; k++) Write(group, _fields[c++], _duty[k], n);
            Write(group, _fields[c++], _bridge, n);
            Write(group, _fields[c++], _status, n);
            for (int k = 0; k < PositionColumns; k++) Write(group, _fields[c++], _position[k], n);
        }
        _count = 0;
    }

    private static void Write<T>(ParquetRowGroupWriter group, DataField field, T[] values, int n)
        where T : struct =>
        group.WriteAsync<T>(field, new ReadOnlyMemory<T>(values, 0, n)).GetAwaiter().GetResult();

    private static double[][] NewColumns(int count)
    {
        var columns = new double[count][];
        for (int k = 0; k < count; k++) columns[k] = new double[RowGroupRows];
        return columns;
    }
}

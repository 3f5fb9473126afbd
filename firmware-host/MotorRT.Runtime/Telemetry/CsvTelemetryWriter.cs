using System.Globalization;
using System.Text;
using MotorRT.Contracts;

namespace MotorRT.Runtime.Telemetry;

/// <summary>
/// Trace writer for CSV (one header row, then one row per sample, <see cref="TelemetryWriter.Columns"/>). Numbers are
/// formatted straight into a pre-allocated UTF-8 byte buffer (<see cref="IUtf8SpanFormattable"/>, shortest round-trip,
/// invariant culture; integral values — states, flags, zeros, whole-number references — through the integer formatter,
/// which prints the same digits several times faster) and written with unbuffered <see cref="FileStream"/> writes, so
/// the writer thread does not allocate while the loop runs — a collection it triggered would stop the loop thread too.
/// </summary>
public sealed class CsvTelemetryWriter : TelemetryWriter
{
    // Below 1e14 a whole-number double prints as its integer digits in shortest round-trip form (no exponent).
    private const double IntegralLimit = 1e14;
    private static readonly NumberFormatInfo Invariant = NumberFormatInfo.InvariantInfo;
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[1 << 18];
    private int _used;
    private int _bufferedRows;

    /// <summary>
    /// Opens <paramref name="path"/> (only a regular file or a new one: a FIFO or directory is an
    /// <see cref="IOException"/>, see <see cref="RegularFile"/>), writes the header and starts the writer thread.
    /// </summary>
    public CsvTelemetryWriter(TelemetryRing ring, string path)
        : base(ring)
    {
        RegularFile.EnsureWritable(path);
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        WriteHeader();
    }

    /// <summary>
    /// Writes the trace to <paramref name="stream"/> (owned: disposed on <see cref="TelemetryWriter.Complete"/>), e.g. a
    /// pipe or, in tests, a stream that fails; writes the header and starts the writer thread.
    /// </summary>
    public CsvTelemetryWriter(TelemetryRing ring, Stream stream)
        : base(ring)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        WriteHeader();
    }

    private void WriteHeader()
    {
        byte[] header = Encoding.UTF8.GetBytes(string.Join(',', Columns) + "\n");
        _stream.Write(header);
        StartDraining();
    }

    /// <summary>
    /// Formats <paramref name="value"/> as the CSV cell the writer prints (shortest round-trip, invariant culture);
    /// returns the bytes written. Public so tests and benchmarks can check the fast path against <c>double.ToString</c>.
    /// </summary>
    public static int FormatNumber(double value, Span<byte> destination)
    {
        int written;
        if (value == Math.Truncate(value) && Math.Abs(value) < IntegralLimit)
        {
            if (value == 0 && double.IsNegative(value))
            {
                destination[0] = (byte)'-';
                destination[1] = (byte)'0';
                return 2;
            }
            ((long)value).TryFormat(destination, out written, default, Invariant);
            return written;
        }
        value.TryFormat(destination, out written, default, Invariant);
        return written;
    }

    /// <inheritdoc />
    protected override void Append(in TelemetrySample s)
    {
        if (_used > _buffer.Length - 1024) Flush();
        ref readonly MotorObservation o = ref s.Observation;
        Long(s.Tick); Num(s.Time); Long((int)s.State); Long((int)s.Fault);
        Num(o.Reference.Speed); Num(o.Reference.Torque); Num(o.Reference.CurrentD); Num(o.Reference.CurrentQ); Num(o.Reference.CurrentExcitation);
        Num(o.CurrentA); Num(o.CurrentB); Num(o.CurrentC); Num(o.CurrentD); Num(o.CurrentQ); Num(o.CurrentExcitation);
        Num(o.MechanicalSpeed); Num(o.MechanicalAngle); Num(o.ElectricalAngle); Num(o.DcLinkVoltage);
        Num(s.Command.Duty[0]); Num(s.Command.Duty[1]); Num(s.Command.Duty[2]); Num(s.Command.Duty[3]);
        Long(s.Command.BridgeEnable ? 1 : 0);
        Long((int)s.ControllerStatus);
        Num(o.Reference.Position); Num(o.MechanicalPosition);
        _buffer[_used - 1] = (byte)'\n';
        _bufferedRows++;
    }

    /// <inheritdoc />
    protected override int BufferedRows => _bufferedRows;

    /// <inheritdoc />
    protected override void OnIdle() => Flush();

    /// <inheritdoc />
    protected override void Close() => Flush();

    /// <inheritdoc />
    protected override void Release() => _stream.Dispose();

    private void Num(double v)
    {
        _used += FormatNumber(v, _buffer.AsSpan(_used));
        _buffer[_used++] = (byte)',';
    }

    private void Long(long v)
    {
        v.TryFormat(_buffer.AsSpan(_used), out int written, default, Invariant);
        _used += written;
        _buffer[_used++] = (byte)',';
    }

    private void Flush()
    {
        if (_used == 0) return;
        _stream.Write(_buffer, 0, _used);
        _used = 0;
        _bufferedRows = 0;
    }
}

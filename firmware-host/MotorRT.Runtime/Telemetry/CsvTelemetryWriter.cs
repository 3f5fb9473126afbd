using System.Globalization;
using System.Text;
using MotorRT.Contracts;

namespace MotorRT.Runtime.Telemetry;

/// <summary>
/// Background writer that drains a <see cref="TelemetryRing"/> into a CSV file. Numbers are formatted straight into a
/// pre-allocated UTF-8 byte buffer (<c>double.TryFormat</c>, shortest round-trip, invariant culture) and written with
/// unbuffered <see cref="FileStream"/> writes, so the writer thread does not allocate while the loop runs — a
/// collection it triggered would stop the loop thread too.
/// </summary>
public sealed class CsvTelemetryWriter : IDisposable
{
    /// <summary>Column names, in order (units: s, A, rad/s, rad, V; duty dimensionless).</summary>
    public static readonly string[] Columns =
    [
        "tick", "time", "state", "fault", "ref_speed", "ref_torque", "ref_i_d", "ref_i_q", "ref_i_e",
        "i_a", "i_b", "i_c", "i_d", "i_q", "i_e", "omega", "theta_mech", "epsilon", "u_dc",
        "duty_0", "duty_1", "duty_2", "duty_3", "bridge", "controller_status",
    ];

    private readonly TelemetryRing _ring;
    private readonly FileStream _stream;
    private readonly byte[] _buffer = new byte[1 << 16];
    private readonly Thread _thread;
    private int _used;
    private volatile bool _completing;
    private long _rows;
    private Exception? _error;

    /// <summary>
    /// Opens <paramref name="path"/> (only a regular file or a new one: a FIFO or directory is an
    /// <see cref="IOException"/>, see <see cref="RegularFile"/>), writes the header and starts the writer thread.
    /// </summary>
    public CsvTelemetryWriter(TelemetryRing ring, string path)
    {
        ArgumentNullException.ThrowIfNull(ring);
        _ring = ring;
        RegularFile.EnsureWritable(path);
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        byte[] header = Encoding.UTF8.GetBytes(string.Join(',', Columns) + "\n");
        _stream.Write(header);
        _thread = new Thread(Run) { IsBackground = true, Name = "motorrt-telemetry", Priority = ThreadPriority.BelowNormal };
        _thread.Start();
    }

    /// <summary>Rows written to the file so far.</summary>
    public long Rows => Interlocked.Read(ref _rows);

    /// <summary>The I/O error that stopped the writer, if any (reported, never swallowed).</summary>
    public Exception? Error => _error;

    /// <summary>Drains what is left, flushes and closes the file (call after the loop stopped).</summary>
    public void Complete()
    {
        _completing = true;
        _thread.Join();
        _stream.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_completing) Complete();
    }

    private void Run()
    {
        try
        {
            while (true)
            {
                bool completing = _completing;
                int n = 0;
                while (_ring.TryRead(out TelemetrySample s))
                {
                    Append(in s);
                    n++;
                }
                if (n == 0)
                {
                    if (completing) break;
                    Thread.Sleep(1);
                }
            }
            Flush();
        }
        catch (IOException e)
        {
            _error = e;
        }
    }

    private void Append(in TelemetrySample s)
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
        _buffer[_used - 1] = (byte)'\n';
        Interlocked.Increment(ref _rows);
    }

    private void Num(double v)
    {
        v.TryFormat(_buffer.AsSpan(_used), out int written, default, CultureInfo.InvariantCulture);
        _used += written;
        _buffer[_used++] = (byte)',';
    }

    private void Long(long v)
    {
        v.TryFormat(_buffer.AsSpan(_used), out int written, default, CultureInfo.InvariantCulture);
        _used += written;
        _buffer[_used++] = (byte)',';
    }

    private void Flush()
    {
        if (_used == 0) return;
        _stream.Write(_buffer, 0, _used);
        _used = 0;
    }
}

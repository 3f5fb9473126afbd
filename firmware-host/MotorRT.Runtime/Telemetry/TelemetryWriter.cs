namespace MotorRT.Runtime.Telemetry;

/// <summary>
/// Base of the trace writers: a background thread drains a <see cref="TelemetryRing"/> in batches (peek, format,
/// release — no per-row copy of the sample) and hands each sample to <see cref="Append"/>. The loop thread only fills
/// the ring. A writer that fails (I/O error, full disk) keeps draining and counts what it could not write in
/// <see cref="Lost"/>, so a lock-step loop waiting on back-pressure never hangs and nothing is lost silently.
/// </summary>
public abstract class TelemetryWriter : IDisposable
{
    /// <summary>
    /// Column names, in order (units: s, A, rad/s, rad, V; duty dimensionless), shared by every format. <c>theta_mech</c>
    /// is the wrapped angle in [0, 2π); <c>ref_position</c> and <c>position</c> are the unwrapped (multi-turn) position
    /// reference and measurement, rad.
    /// </summary>
    public static readonly string[] Columns =
    [
        "tick", "time", "state", "fault", "ref_speed", "ref_torque", "ref_i_d", "ref_i_q", "ref_i_e",
        "i_a", "i_b", "i_c", "i_d", "i_q", "i_e", "omega", "theta_mech", "epsilon", "u_dc",
        "duty_0", "duty_1", "duty_2", "duty_3", "bridge", "controller_status", "ref_position", "position",
    ];

    private readonly TelemetryRing _ring;
    private readonly Thread _thread;
    private volatile bool _completing;
    private bool _completed;
    private long _rows;
    private long _lost;
    private volatile Exception? _error;
    private volatile TelemetryTap? _tap;

    /// <summary>Binds the writer to <paramref name="ring"/>; the derived constructor opens its file, then calls <see cref="StartDraining"/>.</summary>
    protected TelemetryWriter(TelemetryRing ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        _ring = ring;
        _thread = new Thread(Run) { IsBackground = true, Name = "motorrt-telemetry", Priority = ThreadPriority.BelowNormal };
    }

    /// <summary>
    /// Opens the writer the file's extension names: <c>.parquet</c> → <see cref="ParquetTelemetryWriter"/>, anything
    /// else → <see cref="CsvTelemetryWriter"/>.
    /// </summary>
    public static TelemetryWriter Open(TelemetryRing ring, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return TelemetryFormats.FromPath(path) == TelemetryFormat.Parquet
            ? new ParquetTelemetryWriter(ring, path)
            : new CsvTelemetryWriter(ring, path);
    }

    /// <summary>Rows written to the file so far (or buffered for it; after a failure only those the file took).</summary>
    public long Rows => Volatile.Read(ref _rows);

    /// <summary>Samples taken from the ring but not written because the writer had failed (see <see cref="Error"/>).</summary>
    public long Lost => Volatile.Read(ref _lost);

    /// <summary>
    /// A tap that gets every sample this writer's thread drains (after the file got it, failed or not), for observers
    /// off the loop thread such as the live view; null for none. May be set while draining.
    /// </summary>
    public TelemetryTap? Tap { get => _tap; set => _tap = value; }

    /// <summary>The error that stopped the writer, if any (reported, never swallowed).</summary>
    public Exception? Error => _error;

    /// <summary>Drains what is left, writes the file's end and closes it (call after the loop stopped).</summary>
    public void Complete()
    {
        if (_completed) return;
        _completed = true;
        _completing = true;
        if (_thread.IsAlive) _thread.Join();
        try
        {
            if (_error is null) Close();
        }
        catch (Exception e) when (IsWriteError(e))
        {
            Fail(e, 0);
        }
        try
        {
            Release();
        }
        catch (Exception e) when (IsWriteError(e))
        {
            _error ??= e;   // e.g. the last buffered bytes of a file whose disk filled up
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Complete();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the drain thread (the derived constructor's last statement).</summary>
    protected void StartDraining() => _thread.Start();

    /// <summary>Formats or stores one sample (writer thread).</summary>
    protected abstract void Append(in TelemetrySample sample);

    /// <summary>Called when the ring ran empty: a chance to hand buffered bytes to the file (writer thread).</summary>
    protected abstract void OnIdle();

    /// <summary>Writes what is buffered and the file's end; the ring is drained (called once, after the thread ended).</summary>
    protected abstract void Close();

    /// <summary>Releases the file handle whatever happened (called once, last).</summary>
    protected abstract void Release();

    /// <summary>
    /// Rows appended but not yet handed to the file (writer thread): when a write fails they are lost with it, so they
    /// move from <see cref="Rows"/> to <see cref="Lost"/>. 0 for a writer that counts rows only once written.
    /// </summary>
    protected virtual int BufferedRows => 0;

    private void Fail(Exception e, long notAppended)
    {
        _error ??= e;
        int buffered = BufferedRows;
        Volatile.Write(ref _rows, _rows - buffered);
        Volatile.Write(ref _lost, _lost + buffered + notAppended);
    }

    private void Run()
    {
        while (true)
        {
            bool completing = _completing;
            int n = _ring.ReadableCount;
            if (n == 0)
            {
                if (completing) break;
                if (_error is null)
                {
                    try { OnIdle(); }
                    catch (Exception e) when (IsWriteError(e)) { Fail(e, 0); }
                }
                Thread.Sleep(1);
                continue;
            }
            if (_error is null)
            {
                int k = 0;
                try
                {
                    for (; k < n; k++)
                    {
                        Append(in _ring.PeekAt(k));
                        Volatile.Write(ref _rows, _rows + 1);
                    }
                }
                catch (Exception e) when (IsWriteError(e))
                {
                    Fail(e, n - k);
                }
            }
            else
            {
                Volatile.Write(ref _lost, _lost + n);
            }
            TelemetryTap? tap = _tap;
            if (tap is not null)
            {
                for (int k = 0; k < n; k++) tap.Offer(in _ring.PeekAt(k));
            }
            _ring.Release(n);
        }
    }

    private static bool IsWriteError(Exception e) =>
        e is IOException or UnauthorizedAccessException or InvalidOperationException or NotSupportedException;
}

using MotorRT.Runtime.Loop;
using MotorRT.Runtime.Safety;
using MotorRT.Runtime.Telemetry;

namespace MotorRT.LiveView;

/// <summary>
/// The drive side of the live view, for <c>motorrt simulate --serve</c> and <c>motorrt-host --serve</c>: which run is
/// in progress, its loop and telemetry tap, and how the last one ended. Commands come from the web server's threads:
/// stop asks the loop to stop safely (<see cref="ControlLoop.RequestStop"/>), reset clears the ended run's latched
/// fault, start signals <see cref="StartRequested"/> so the owner builds the drive afresh and runs it again — unless the
/// session was made with a start refusal (the host runs its config once).
/// </summary>
public sealed class LiveSession : ILiveDrive, IDisposable
{
    private readonly Lock _lock = new();
    private ControlLoop? _loop;
    private TelemetryTap? _tap;
    private int _run;
    private bool _active;
    private bool _startPending;
    private string _end = "";
    private string[] _faults = [];
    private readonly string? _startRefusal;

    /// <summary>A session; <paramref name="startRefusal"/> non-null: start is always refused with that reason.</summary>
    public LiveSession(string? startRefusal = null) => _startRefusal = startRefusal;

    /// <summary>Set when the page asked for another run.</summary>
    public AutoResetEvent StartRequested { get; } = new(false);

    /// <inheritdoc />
    public TelemetryTap? Tap { get { lock (_lock) return _tap; } }

    /// <summary>A run begins on <paramref name="loop"/>, observed through <paramref name="tap"/>.</summary>
    public void Begin(ControlLoop loop, TelemetryTap tap)
    {
        lock (_lock)
        {
            _loop = loop;
            _tap = tap;
            _run++;
            _active = true;
            _startPending = false;
            _end = "";
            _faults = [];
        }
    }

    /// <summary>The run ended (<paramref name="result"/> null: on an error, <paramref name="end"/> says which).</summary>
    public void End(RunResult? result, string end)
    {
        lock (_lock)
        {
            _active = false;
            _end = end;
            _faults = result is null ? [] : [.. result.Faults.Select(FaultText.Describe)];
        }
    }

    /// <inheritdoc />
    public LiveStatus Status()
    {
        lock (_lock)
        {
            return new LiveStatus
            {
                Run = _run,
                Active = _active,
                State = (_loop?.State ?? DriveState.Idle).ToString(),
                Fault = (_loop?.States.LatchedFault ?? FaultCode.None).ToString(),
                Ticks = _loop?.TicksCompleted ?? 0,
                Planned = _loop is null || _loop.TicksPlanned == long.MaxValue ? 0 : _loop.TicksPlanned,
                End = _end,
                Faults = _faults,
            };
        }
    }

    /// <inheritdoc />
    public LiveCommandResult Start()
    {
        if (_startRefusal is not null) return LiveCommandResult.NotNow(_startRefusal);
        lock (_lock)
        {
            if (_active || _startPending) return LiveCommandResult.NotNow($"run {_run} is in progress");
            if (_loop?.State == DriveState.Fault) return LiveCommandResult.NotNow($"the drive is latched in Fault ({_loop.States.LatchedFault}): reset first");
            _startPending = true;
            StartRequested.Set();
            return LiveCommandResult.Ok($"starting run {_run + 1}");
        }
    }

    /// <inheritdoc />
    public LiveCommandResult Stop()
    {
        lock (_lock)
        {
            if (!_active || _loop is null) return LiveCommandResult.NotNow("no run in progress");
            _loop.RequestStop();
            return LiveCommandResult.Ok($"stop requested (run {_run})");
        }
    }

    /// <inheritdoc />
    public LiveCommandResult Reset()
    {
        lock (_lock)
        {
            if (_active) return LiveCommandResult.NotNow($"run {_run} is in progress: stop it first");
            if (_loop is null || _loop.State != DriveState.Fault) return LiveCommandResult.NotNow("no latched fault");
            FaultCode code = _loop.States.LatchedFault;
            _loop.ResetFault();
            return LiveCommandResult.Ok($"fault {code} cleared (Fault → Idle); the log is kept");
        }
    }

    /// <inheritdoc />
    public void Dispose() => StartRequested.Dispose();
}

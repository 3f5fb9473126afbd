using MotorRT.LiveView;
using MotorRT.Runtime.Loop;
using MotorRT.Runtime.Safety;
using MotorRT.Runtime.Telemetry;

namespace MotorRT.Host;

/// <summary>
/// The host's side of the live view (<c>--serve</c>): the daemon runs its config once, so start is refused; stop asks
/// the loop to stop safely; reset clears a fault latched by the ended run. The page lives as long as the daemon's run.
/// </summary>
internal sealed class HostLiveDrive : ILiveDrive
{
    private readonly ControlLoop _loop;
    private volatile bool _active = true;
    private volatile string _end = "";
    private volatile string[] _faults = [];

    public HostLiveDrive(ControlLoop loop, TelemetryTap tap)
    {
        _loop = loop;
        Tap = tap;
    }

    public TelemetryTap? Tap { get; }

    /// <summary>The run ended.</summary>
    public void End(RunResult? result, string end)
    {
        _faults = result is null ? [] : [.. result.Faults.Select(FaultText.Describe)];
        _end = end;
        _active = false;
    }

    public LiveStatus Status() => new()
    {
        Run = 1,
        Active = _active,
        State = _loop.State.ToString(),
        Fault = _loop.States.LatchedFault.ToString(),
        Ticks = _loop.TicksCompleted,
        Planned = _loop.TicksPlanned == long.MaxValue ? 0 : _loop.TicksPlanned,
        End = _end,
        Faults = _faults,
    };

    public LiveCommandResult Start() => LiveCommandResult.NotNow("the host runs its config once: restart the service (systemctl restart motorrt-host) for another run");

    public LiveCommandResult Stop()
    {
        if (!_active) return LiveCommandResult.NotNow("no run in progress");
        _loop.RequestStop();
        return LiveCommandResult.Ok("stop requested");
    }

    public LiveCommandResult Reset()
    {
        if (_active) return LiveCommandResult.NotNow("the run is in progress: stop it first");
        if (_loop.State != DriveState.Fault) return LiveCommandResult.NotNow("no latched fault");
        FaultCode code = _loop.States.LatchedFault;
        _loop.ResetFault();
        return LiveCommandResult.Ok($"fault {code} cleared (Fault → Idle); the log is kept");
    }
}

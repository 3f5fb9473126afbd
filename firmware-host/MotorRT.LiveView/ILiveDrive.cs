using MotorRT.Runtime.Telemetry;

namespace MotorRT.LiveView;

/// <summary>What the live view watches and commands: implemented by <c>motorrt simulate --serve</c> and the host.
/// Every member is called from the web server's threads, never from the loop thread.</summary>
public interface ILiveDrive
{
    /// <summary>The tap of the current (or last) run; null before the first run started.</summary>
    TelemetryTap? Tap { get; }

    /// <summary>A snapshot of the session (run number, ticks, end of the last run, fault log).</summary>
    LiveStatus Status();

    /// <summary>Starts a new run when none is in progress and the drive is not latched in Fault.</summary>
    LiveCommandResult Start();

    /// <summary>Asks the run in progress to stop safely (bridge off, Running → Idle).</summary>
    LiveCommandResult Stop();

    /// <summary>Clears a latched fault of the ended run (Fault → Idle; the fault log is kept).</summary>
    LiveCommandResult Reset();
}

/// <summary>The outcome of a command: done, or refused now (the message says why).</summary>
/// <param name="Done">True when the command was carried out.</param>
/// <param name="Message">What happened, or why not.</param>
public readonly record struct LiveCommandResult(bool Done, string Message)
{
    /// <summary>Carried out.</summary>
    public static LiveCommandResult Ok(string message) => new(true, message);

    /// <summary>Refused in the current state.</summary>
    public static LiveCommandResult NotNow(string message) => new(false, message);
}

/// <summary>A snapshot of a live session.</summary>
public sealed record LiveStatus
{
    /// <summary>Run number, from 1; 0 before the first run.</summary>
    public int Run { get; init; }

    /// <summary>True while a run is in progress.</summary>
    public bool Active { get; init; }

    /// <summary>The drive state (<c>Idle</c>, <c>Calibrating</c>, <c>Armed</c>, <c>Running</c>, <c>Fault</c>).</summary>
    public required string State { get; init; }

    /// <summary>The latched fault code (<c>None</c> when healthy).</summary>
    public required string Fault { get; init; }

    /// <summary>Ticks completed in the current run.</summary>
    public long Ticks { get; init; }

    /// <summary>Ticks the current run is to take.</summary>
    public long Planned { get; init; }

    /// <summary>How the last run ended (empty while running).</summary>
    public string End { get; init; } = "";

    /// <summary>The fault log of the last ended run, one line each.</summary>
    public IReadOnlyList<string> Faults { get; init; } = [];
}

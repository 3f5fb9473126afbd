using System.Runtime.InteropServices;
using MotorRT.Runtime.Loop;

namespace MotorRT.Runtime.Safety;

/// <summary>
/// Process-level safety: on SIGINT/SIGTERM (<see cref="PosixSignalRegistration"/>) the bridge is disabled at once
/// from the signal thread and the loop is asked to stop safely (every later write is the safe command; a stop is not
/// a fault); on an unhandled exception the bridge is disabled
/// before the process dies. Dispose to unregister.
/// </summary>
public sealed class SafetyHooks : IDisposable
{
    private readonly ControlLoop _loop;
    private readonly PosixSignalRegistration[] _signals;
    private readonly UnhandledExceptionEventHandler _onUnhandled;

    /// <summary>Installs the hooks for <paramref name="loop"/>.</summary>
    public SafetyHooks(ControlLoop loop)
    {
        ArgumentNullException.ThrowIfNull(loop);
        _loop = loop;
        _signals =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
        _onUnhandled = (_, _) => _loop.EmergencyStop(FaultCode.UnhandledException);
        AppDomain.CurrentDomain.UnhandledException += _onUnhandled;
    }

    /// <summary>Number of stop signals received.</summary>
    public int SignalsReceived { get; private set; }

    /// <summary>The last stop signal received, if any (for the run's <see cref="StopRecord"/>).</summary>
    public PosixSignal? LastSignal { get; private set; }

    /// <summary>Ticks the loop had completed when the first stop signal arrived (−1: none yet).</summary>
    public long SignalTick { get; private set; } = -1;

    private void OnSignal(PosixSignalContext context)
    {
        SignalsReceived++;
        LastSignal = context.Signal;
        if (SignalTick < 0) SignalTick = _loop.TicksCompleted;
        // The loop stops by itself at its next tick; keep the process alive until it has written its summary.
        context.Cancel = true;
        _loop.Rig.DisableBridge();
        _loop.RequestStop();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (PosixSignalRegistration r in _signals) r.Dispose();
        AppDomain.CurrentDomain.UnhandledException -= _onUnhandled;
    }
}

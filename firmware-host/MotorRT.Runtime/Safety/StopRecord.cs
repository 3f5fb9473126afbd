using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using MotorRT.Runtime.Loop;

namespace MotorRT.Runtime.Safety;

/// <summary>Why a run ended.</summary>
public enum RunEndReason
{
    /// <summary>All planned ticks ran.</summary>
    Completed,
    /// <summary>The supervisor tripped (the first fault is in <see cref="StopRecord.Detail"/>).</summary>
    Fault,
    /// <summary>SIGINT or SIGTERM: the bridge was disabled at once and the loop stopped safely.</summary>
    StopSignal,
    /// <summary>An operator or caller asked the loop to stop (<see cref="ControlLoop.RequestStop"/>).</summary>
    StopRequested,
}

/// <summary>
/// The record of how a run ended — written to <c>summary.json</c> as <c>end</c> and printed by the CLI: the reason,
/// the signal (if any), the tick and loop time of the end, the tick the signal arrived at, and a readable line.
/// </summary>
/// <param name="Reason">Why the run ended.</param>
/// <param name="Signal">"SIGINT" or "SIGTERM" for a signal stop, else null.</param>
/// <param name="Tick">Loop tick at which the run ended (the trip tick for a fault).</param>
/// <param name="Time">Loop time of <paramref name="Tick"/>, in s.</param>
/// <param name="SignalTick">Ticks completed when the signal arrived (−1 without a signal).</param>
/// <param name="Detail">One readable line.</param>
public sealed record StopRecord(RunEndReason Reason, string? Signal, long Tick, double Time, long SignalTick, string Detail)
{
    /// <summary>The snake_case name written to summary.json.</summary>
    public string ReasonName => Reason switch
    {
        RunEndReason.Completed => "completed",
        RunEndReason.Fault => "fault",
        RunEndReason.StopSignal => "stop_signal",
        _ => "stop_requested",
    };

    /// <summary>How <paramref name="result"/> ended; <paramref name="hooks"/> tells a signal stop from a requested one.</summary>
    public static StopRecord Of(RunResult result, SafetyHooks? hooks = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var inv = CultureInfo.InvariantCulture;
        long signalTick = hooks?.SignalTick ?? -1;
        string? signal = hooks?.LastSignal is { } s ? (s == PosixSignal.SIGINT ? "SIGINT" : s == PosixSignal.SIGTERM ? "SIGTERM" : s.ToString()) : null;
        if (result.Faults.Length > 0)
        {
            FaultRecord f = result.Faults[0];
            return new StopRecord(RunEndReason.Fault, signal, f.Tick, f.Time, signalTick, "tripped: " + FaultText.Describe(f));
        }
        if (result.StoppedEarly)
        {
            string what = signal is null ? "stop requested" : $"{signal} received at tick {signalTick}";
            return new StopRecord(signal is null ? RunEndReason.StopRequested : RunEndReason.StopSignal, signal, result.Ticks, result.LoopTime, signalTick,
                string.Create(inv, $"{what}: bridge disabled, loop stopped safely after {result.Ticks} of the planned ticks (t = {result.LoopTime:G6} s), drive {result.FinalState}"));
        }
        return new StopRecord(RunEndReason.Completed, signal, result.Ticks, result.LoopTime, signalTick,
            string.Create(inv, $"completed {result.Ticks} ticks (t = {result.LoopTime:G6} s), drive {result.FinalState}"));
    }

    /// <summary>Writes the record as the JSON object <c>end</c>.</summary>
    public void WriteJson(Utf8JsonWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject("end");
        w.WriteString("reason", ReasonName);
        if (Signal is null) w.WriteNull("signal"); else w.WriteString("signal", Signal);
        w.WriteNumber("tick", Tick);
        w.WriteNumber("time_s", Time);
        w.WriteNumber("signal_tick", SignalTick);
        w.WriteString("detail", Detail);
        w.WriteEndObject();
    }
}

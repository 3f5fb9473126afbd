using System.Text.Json;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Safety;

namespace MotorRT.Runtime.Loop;

/// <summary>Distribution of a duration over the ticks of a run, in ns.</summary>
/// <param name="Count">Samples.</param>
/// <param name="P50">Median, in ns.</param>
/// <param name="P99">99th percentile, in ns.</param>
/// <param name="P999">99.9th percentile, in ns.</param>
/// <param name="Max">Maximum, in ns.</param>
/// <param name="Mean">Mean, in ns.</param>
public readonly record struct DurationSummary(long Count, double P50, double P99, double P999, double Max, double Mean);

/// <summary>Tracking error of one controlled quantity over the Running ticks.</summary>
/// <param name="Quantity">"current", "current_d", "current_q", "current_excitation" or "speed".</param>
/// <param name="Unit">"A" or "rad/s".</param>
/// <param name="Rmse">Root-mean-square of reference − measurement, in <paramref name="Unit"/>.</param>
/// <param name="MaxAbs">Largest |reference − measurement|, in <paramref name="Unit"/>.</param>
public readonly record struct TrackingResult(string Quantity, string Unit, double Rmse, double MaxAbs);

/// <summary>The figures of one run (what <c>summary.json</c> holds).</summary>
public sealed record RunResult
{
    /// <summary>Lock-step or real-time.</summary>
    public LoopMode Mode { get; init; }
    /// <summary>Loop period, in s.</summary>
    public double Period { get; init; }
    /// <summary>Ticks run in the Running phase (including warm-up and ticks after a trip).</summary>
    public long Ticks { get; init; }
    /// <summary>Wall-clock duration of the run, in s.</summary>
    public double WallTime { get; init; }
    /// <summary>Arming warm-up ticks run before Running (bridge held off; not counted in <see cref="Ticks"/>).</summary>
    public long ArmingWarmupTicks { get; init; }
    /// <summary>Ticks at the start excluded from the timing and allocation figures.</summary>
    public long WarmupTicks { get; init; }
    /// <summary>Wall-clock time of the ticks after warm-up, in s.</summary>
    public double WallTimeAfterWarmup { get; init; }
    /// <summary>Loop time over wall time after warm-up (steady-state lock-step speed).</summary>
    public double RealTimeFactorAfterWarmup => WallTimeAfterWarmup > 0 ? (Ticks - WarmupTicks) * Period / WallTimeAfterWarmup : 0;
    /// <summary>Simulated (loop) time covered, in s.</summary>
    public double LoopTime => Ticks * Period;
    /// <summary>Loop time over wall time (lock-step speed; ≈ 1 in real-time mode).</summary>
    public double RealTimeFactor => WallTime > 0 ? LoopTime / WallTime : 0;
    /// <summary>
    /// Running ticks (from the first one, as the timing trips count them) whose start lateness plus compute time exceeded
    /// the period; in plain lock-step only the timed ticks (one in <see cref="TimingStride"/>) are counted.
    /// </summary>
    public long DeadlineMisses { get; init; }
    /// <summary>
    /// One tick in this many was timed (tick and controller compute, deadline misses): 1 where timing is enforced (real
    /// time, or <c>limits.enforce_timing_in_lock_step</c>), <see cref="ControlLoop.LockStepTimingStride"/> in plain lock-step.
    /// </summary>
    public int TimingStride { get; init; } = 1;
    /// <summary>Period jitter |Δt_start − T| (real-time mode only; zero samples in lock-step).</summary>
    public DurationSummary Jitter { get; init; }
    /// <summary>Tick start lateness after its absolute deadline (real-time mode only).</summary>
    public DurationSummary Lateness { get; init; }
    /// <summary>Compute time of a tick, read → write (including rig I/O; for the simulated rig, the plant step).</summary>
    public DurationSummary TickCompute { get; init; }
    /// <summary>Compute time of the controller alone.</summary>
    public DurationSummary ControllerCompute { get; init; }
    /// <summary>Bytes allocated by the loop thread after the warm-up ticks (must be 0).</summary>
    public long AllocatedBytesAfterWarmup { get; init; }
    /// <summary>Bytes allocated by the whole process after warm-up (all threads; approximate counter).</summary>
    public long ProcessAllocatedBytesAfterWarmup { get; init; }
    /// <summary>Garbage collections (all generations) during the Running phase (must be 0).</summary>
    public int GcCollectionsDuringRun { get; init; }
    /// <summary>Faults recorded (first trip first).</summary>
    public FaultRecord[] Faults { get; init; } = [];
    /// <summary>Fault records that did not fit the log.</summary>
    public long FaultRecordsLost { get; init; }
    /// <summary>State after the run.</summary>
    public DriveState FinalState { get; init; }
    /// <summary>True when the run ended early on a stop request (signal or operator).</summary>
    public bool StoppedEarly { get; init; }
    /// <summary>Controller name.</summary>
    public string ControllerName { get; init; } = "";
    /// <summary>Ticks in which the controller reported saturation.</summary>
    public long ControllerSaturatedTicks { get; init; }
    /// <summary>Tracking errors per controlled quantity.</summary>
    public TrackingResult[] Tracking { get; init; } = [];
    /// <summary>Samples the loop put into the telemetry ring.</summary>
    public long TelemetryWritten { get; init; }
    /// <summary>Samples dropped because the ring was full (reported, never silent).</summary>
    public long TelemetryDropped { get; init; }
    /// <summary>Rows the CSV writer wrote.</summary>
    public long TelemetryRows { get; init; }
    /// <summary>
    /// Samples the trace writer took from the ring but could not write because it had failed (I/O error, full disk):
    /// control went on, the trace ends early (reported, never silent).
    /// </summary>
    public long TelemetryLost { get; init; }
    /// <summary>The trace writer's error message, or null when it wrote everything.</summary>
    public string? TelemetryError { get; init; }
    /// <summary>What the real-time setup applied or could not apply, and GC-region notes.</summary>
    public string[] RealTimeReport { get; init; } = [];
    /// <summary>Current-sensor offsets measured at arm time, in counts (a, b, c).</summary>
    public double[] CurrentOffsets { get; init; } = [];

    /// <summary>
    /// Writes <c>summary.json</c> (keys documented in firmware-host/README.md); <paramref name="controllerCounters"/>
    /// (a controller's <c>IControllerCounters</c>) become <c>controller_counters</c>; <paramref name="end"/> (how the run
    /// ended, default <see cref="StopRecord.Of"/> without signal information) becomes <c>end</c>.
    /// </summary>
    public void WriteJson(Stream stream, IReadOnlyDictionary<string, string>? context = null, IReadOnlyList<KeyValuePair<string, long>>? controllerCounters = null, StopRecord? end = null)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        if (context is not null)
        {
            foreach (var kv in context) w.WriteString(kv.Key, kv.Value);
        }
        w.WriteString("mode", Mode == LoopMode.LockStep ? "lock-step" : "real-time");
        w.WriteNumber("period_s", Period);
        w.WriteNumber("ticks", Ticks);
        w.WriteNumber("loop_time_s", LoopTime);
        w.WriteNumber("wall_time_s", WallTime);
        w.WriteNumber("real_time_factor", RealTimeFactor);
        w.WriteNumber("arming_warmup_ticks", ArmingWarmupTicks);
        w.WriteNumber("warmup_ticks", WarmupTicks);
        w.WriteNumber("real_time_factor_after_warmup", RealTimeFactorAfterWarmup);
        w.WriteNumber("deadline_misses", DeadlineMisses);
        w.WriteNumber("timing_stride", TimingStride);
        w.WriteStartObject("jitter_us");
        w.WriteNumber("samples", Jitter.Count);
        w.WriteNumber("p50", Jitter.P50 / 1e3); w.WriteNumber("p99", Jitter.P99 / 1e3); w.WriteNumber("p999", Jitter.P999 / 1e3); w.WriteNumber("max", Jitter.Max / 1e3);
        w.WriteEndObject();
        w.WriteStartObject("lateness_us");
        w.WriteNumber("p50", Lateness.P50 / 1e3); w.WriteNumber("p99", Lateness.P99 / 1e3); w.WriteNumber("p999", Lateness.P999 / 1e3); w.WriteNumber("max", Lateness.Max / 1e3);
        w.WriteEndObject();
        w.WriteStartObject("tick_compute_ns");
        w.WriteNumber("p50", TickCompute.P50); w.WriteNumber("p99", TickCompute.P99); w.WriteNumber("p999", TickCompute.P999); w.WriteNumber("max", TickCompute.Max); w.WriteNumber("mean", TickCompute.Mean);
        w.WriteEndObject();
        w.WriteStartObject("controller_compute_ns");
        w.WriteNumber("p50", ControllerCompute.P50); w.WriteNumber("p99", ControllerCompute.P99); w.WriteNumber("max", ControllerCompute.Max);
        w.WriteEndObject();
        w.WriteNumber("allocated_bytes_after_warmup", AllocatedBytesAfterWarmup);
        w.WriteNumber("process_allocated_bytes_after_warmup", ProcessAllocatedBytesAfterWarmup);
        w.WriteNumber("gc_collections_during_run", GcCollectionsDuringRun);
        w.WriteStartArray("faults");
        foreach (FaultRecord f in Faults)
        {
            w.WriteStartObject();
            w.WriteString("code", f.Code.ToString());
            w.WriteNumber("number", (int)f.Code);
            w.WriteString("component", f.Component.ToString());
            w.WriteNumber("tick", f.Tick);
            w.WriteNumber("time_s", f.Time);
            WriteMaybe(w, "value", f.Value);
            WriteMaybe(w, "limit", f.Limit);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("fault_records_lost", FaultRecordsLost);
        w.WriteString("final_state", FinalState.ToString());
        w.WriteBoolean("stopped_early", StoppedEarly);
        (end ?? StopRecord.Of(this)).WriteJson(w);
        w.WriteString("controller", ControllerName);
        w.WriteNumber("controller_saturated_ticks", ControllerSaturatedTicks);
        if (controllerCounters is not null)
        {
            w.WriteStartObject("controller_counters");
            foreach (var kv in controllerCounters) w.WriteNumber(kv.Key, kv.Value);
            w.WriteEndObject();
        }
        w.WriteStartObject("tracking");
        foreach (TrackingResult t in Tracking)
        {
            w.WriteStartObject(t.Quantity);
            w.WriteString("unit", t.Unit);
            WriteMaybe(w, "rmse", t.Rmse);
            WriteMaybe(w, "max_abs", t.MaxAbs);
            if (!double.IsFinite(t.Rmse) || !double.IsFinite(t.MaxAbs))
            {
                w.WriteString("note", "not finite (null): the tracking error overflowed; check the reference values against the machine's limits");
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteStartObject("telemetry");
        w.WriteNumber("samples", TelemetryWritten);
        w.WriteNumber("dropped", TelemetryDropped);
        w.WriteNumber("rows_written", TelemetryRows);
        w.WriteNumber("lost", TelemetryLost);
        if (TelemetryError is null) w.WriteNull("writer_error"); else w.WriteString("writer_error", TelemetryError);
        w.WriteEndObject();
        w.WriteStartArray("current_offsets_counts");
        foreach (double o in CurrentOffsets) w.WriteNumberValue(o);
        w.WriteEndArray();
        w.WriteStartArray("realtime");
        foreach (string s in RealTimeReport) w.WriteStringValue(s);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteMaybe(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(name, v); else w.WriteNull(name);
    }
}

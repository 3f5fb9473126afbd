using System.Diagnostics;
using MotorRT.Contracts;
using MotorRT.Runtime.Safety;

namespace MotorRT.Runtime.Telemetry;

/// <summary>
/// The trace-writer workload shared by <c>motorrt bench</c> (trace-writer-*) and tools/MotorRT.Benchmarks: a producer
/// fills a ring with realistic samples (PMSM-like currents, speed, angles, duty — every float64 column non-integral,
/// as in a closed-loop run) as fast as the writer drains it (lock-step back-pressure), and the writer formats them to
/// a file. The figure is rows per second of the full column set, file closed.
/// </summary>
public static class TraceWriterWorkload
{
    /// <summary>Fills <paramref name="s"/> with the sample of tick <paramref name="k"/> at 10 kHz (SI units).</summary>
    public static void Fill(ref TelemetrySample s, long k)
    {
        double t = k * 1e-4;
        double phase = 2 * Math.PI * 50 * t;
        s.Tick = k;
        s.Time = t;
        s.State = DriveState.Running;
        s.Fault = FaultCode.None;
        ref var o = ref s.Observation;
        o.Reference.Speed = 104.71975511965977 + 0.001 * (k & 1023);
        o.Reference.Torque = 0.25 + 1e-5 * (k & 255);
        o.Reference.CurrentD = -1.5 + 1e-4 * (k & 127);
        o.Reference.CurrentQ = 7.3 + 1e-4 * (k & 511);
        o.Reference.CurrentExcitation = 0.1 + 1e-6 * (k & 63);
        o.CurrentA = 8.1 * Math.Sin(phase);
        o.CurrentB = 8.1 * Math.Sin(phase - 2.0943951023931953);
        o.CurrentC = -o.CurrentA - o.CurrentB;
        o.CurrentD = -1.49 + 0.01 * Math.Cos(phase);
        o.CurrentQ = 7.31 + 0.01 * Math.Sin(phase);
        o.CurrentExcitation = 0.1 + 1e-3 * Math.Cos(phase);
        o.MechanicalSpeed = 104.7 + 0.05 * Math.Sin(phase);
        o.MechanicalAngle = phase % (2 * Math.PI) + 1e-9;
        o.MechanicalPosition = phase / 3 + 1e-9;
        o.Reference.Position = 2.5 + 1e-4 * (k & 4095);
        o.ElectricalAngle = 3 * phase % (2 * Math.PI) + 1e-9;
        o.DcLinkVoltage = 400.0 + 0.37 * Math.Cos(phase);
        s.Command.Duty[0] = 0.5 * Math.Sin(phase) + 1e-9;
        s.Command.Duty[1] = 0.5 * Math.Sin(phase - 2.0943951023931953) + 1e-9;
        s.Command.Duty[2] = 0.5 * Math.Sin(phase + 2.0943951023931953) + 1e-9;
        s.Command.Duty[3] = 0.0;
        s.Command.BridgeEnable = true;
        s.ControllerStatus = ControllerStatus.Ok;
    }

    /// <summary>
    /// Writes <paramref name="rows"/> samples (rounded up to a power of two, at least 16) through the writer
    /// <paramref name="path"/>'s extension names (see <see cref="TelemetryWriter.Open"/>) and returns the seconds from
    /// opening the writer to the closed file. The samples are in the ring before the clock starts, so the figure is the
    /// writer thread's own throughput, not the producer's. Throws when a row is missing or the writer failed.
    /// </summary>
    public static double Run(string path, int rows)
    {
        var ring = new TelemetryRing(rows);
        int n = ring.Capacity;
        // Copies of 4096 precomputed samples (tick and time renumbered): the set-up stays cheap next to the writer's
        // work, so a CPU-time figure taken around the whole call is dominated by the writer.
        var templates = new TelemetrySample[Math.Min(n, 4096)];
        for (int k = 0; k < templates.Length; k++) Fill(ref templates[k], k);
        for (long k = 0; k < n; k++)
        {
            ref TelemetrySample slot = ref ring.NextSlot();
            slot = templates[k % templates.Length];
            slot.Tick = k;
            slot.Time = k * 1e-4;
            ring.Publish();
        }
        long t0 = Stopwatch.GetTimestamp();
        long written;
        Exception? error;
        using (TelemetryWriter writer = TelemetryWriter.Open(ring, path))
        {
            writer.Complete();
            written = writer.Rows;
            error = writer.Error;
        }
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        if (error is not null) throw new IOException($"trace writer failed on {path}: {error.Message}", error);
        if (written != n) throw new InvalidOperationException($"trace writer wrote {written} of {n} rows to {path}");
        return seconds;
    }
}

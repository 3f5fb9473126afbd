using MotorRT.Contracts.Configuration;

namespace MotorRT.Runtime.Configuration;

/// <summary>The <c>telemetry</c> section: what the loop records and how the background writer drains it.</summary>
public sealed record TelemetryConfig
{
    /// <summary>Record every n-th tick (1 = every tick).</summary>
    public int Decimation { get; init; } = 1;

    /// <summary>Capacity of the ring buffer between loop and writer, in samples (rounded up to a power of two).</summary>
    public int BufferSamples { get; init; } = 1 << 16;

    /// <summary>
    /// Lock-step only: when the ring is full the loop waits for the writer instead of dropping (nothing real waits on
    /// a lock-step plant). Real-time runs never wait: they drop and count.
    /// </summary>
    public bool LockStepBackpressure { get; init; } = true;

    /// <summary>Reads and validates a <c>telemetry</c> section.</summary>
    public static TelemetryConfig Read(JsonSection s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var t = new TelemetryConfig
        {
            Decimation = s.Integer("decimation", 1, 1, 1_000_000),
            BufferSamples = s.Integer("buffer_samples", 1 << 16, 16, 1 << 24),
            LockStepBackpressure = s.Boolean("lock_step_backpressure", true),
        };
        s.EnsureNoUnknownKeys();
        return t;
    }
}

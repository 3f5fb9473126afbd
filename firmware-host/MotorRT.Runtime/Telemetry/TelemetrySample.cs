using MotorRT.Contracts;
using MotorRT.Runtime.Safety;

namespace MotorRT.Runtime.Telemetry;

/// <summary>One recorded tick: what the runtime saw and did. Deterministic content only (no wall-clock times), so two
/// runs with the same seed give byte-identical traces. SI units.</summary>
public struct TelemetrySample
{
    /// <summary>Tick index.</summary>
    public long Tick;
    /// <summary>Loop time, in s.</summary>
    public double Time;
    /// <summary>Drive state.</summary>
    public DriveState State;
    /// <summary>Latched fault (None when healthy).</summary>
    public FaultCode Fault;
    /// <summary>Observation and references of the tick (SI).</summary>
    public MotorObservation Observation;
    /// <summary>The command written to the rig.</summary>
    public ConverterCommand Command;
    /// <summary>Controller status of the tick.</summary>
    public ControllerStatus ControllerStatus;
}

using System.Globalization;
using MotorRT.Contracts;

namespace MotorRT.Runtime.Safety;

/// <summary>
/// A fault record as one readable line: what tripped, the quantity with its measured value, limit and unit, and the
/// tick — what the CLI, the host log and error messages print instead of a raw <see cref="FaultRecord"/>.
/// </summary>
public static class FaultText
{
    /// <summary>
    /// E.g. "OverCurrentPhaseA (Motor) at tick 1234 (t = 0.1234 s): phase current i_a −251 A beyond the limit ±210 A".
    /// Called off the hot path (allocates the string).
    /// </summary>
    public static string Describe(FaultRecord f)
    {
        string where = f.Tick < 0 ? "while arming (before the first tick)" : string.Create(CultureInfo.InvariantCulture, $"at tick {f.Tick} (t = {f.Time:G6} s)");
        return $"{f.Code} ({f.Component}) {where}: {What(f)}";
    }

    /// <summary>The faults of a list, each described, separated by "; ".</summary>
    public static string Describe(IEnumerable<FaultRecord> faults) => string.Join("; ", faults.Select(Describe));

    private static string What(FaultRecord f)
    {
        string V(string unit) => Num(f.Value, unit);
        string L(string unit) => Num(f.Limit, unit);
        return f.Code switch
        {
            FaultCode.OverCurrentPhaseA => $"phase current i_a {V("A")} beyond the limit ±{L("A")}",
            FaultCode.OverCurrentPhaseB => $"phase current i_b {V("A")} beyond the limit ±{L("A")}",
            FaultCode.OverCurrentPhaseC => $"phase current i_c {V("A")} beyond the limit ±{L("A")}",
            FaultCode.OverCurrentVector => $"current-vector magnitude {V("A")} above the limit {L("A")}",
            FaultCode.OverCurrentExcitation => $"excitation current i_e {V("A")} beyond the limit ±{L("A")}",
            FaultCode.PhaseOpenCircuit => $"one phase's RMS current {V("A")} stays below {L("A")} while the current vector carries current (open phase)",
            FaultCode.VoltageModelMismatch => $"armature voltage-model residual {V("V")} beyond ±{L("V")} (the converter output does not follow the command, or a current-sensor gain or encoder scaling error)",
            FaultCode.DcLinkOverVoltage => $"DC-link voltage {V("V")} above the trip {L("V")}",
            FaultCode.DcLinkUnderVoltage => $"DC-link voltage {V("V")} below the trip {L("V")}",
            FaultCode.DcLinkBrownOut => $"DC-link voltage {V("V")} below the brown-out level {L("V")} for longer than the ride-through time",
            FaultCode.DcLinkRipple => $"DC-link ripple {V("V")} peak-to-peak above the limit {L("V")}",
            FaultCode.OverSpeed => $"mechanical speed {V("rad/s")} beyond the trip ±{L("rad/s")}",
            FaultCode.SpeedFollowingError => $"speed following error {V("rad/s")} beyond ±{L("rad/s")} for longer than the following time (runaway or wrong direction)",
            FaultCode.EncoderNoCounts => $"encoder counts still for {V("s")} while current flows (limit {L("s")})",
            FaultCode.EncoderIndexMismatch => $"index pulse {V("counts")} away from the first one (tolerance {L("counts")})",
            FaultCode.EncoderDirectionReversed => $"encoder speed {V("rad/s")} against the back-EMF speed {L("rad/s")} (encoder counts the wrong way)",
            FaultCode.CurrentSensorOutOfRange => $"current ADC reads {V("counts")}, at a rail of 0..{L("counts")} (sensor saturated or disconnected)",
            FaultCode.DcLinkSensorOutOfRange => $"DC-link ADC reads {V("counts")}, at the rail {L("counts")}",
            FaultCode.CalibrationOffset => $"current-sensor offset {V("counts")} from mid-scale exceeds the plausible {L("counts")} (sensor fault, or current flowing at arm time)",
            FaultCode.CurrentSumMismatch => $"RMS of i_a + i_b + i_c {V("A")} above the limit {L("A")} (a current sensor's gain or offset is wrong)",
            FaultCode.ControllerOutputInvalid when double.IsNaN(f.Value) => "the controller reported an invalid output",
            FaultCode.ControllerOutputInvalid when f.Limit == 0 => $"switching state {V("")} is not a valid state",
            FaultCode.ControllerOutputInvalid => $"duty cycle {V("")} outside [−{L("")}, {L("")}] or not finite",
            FaultCode.ControllerOutOfDomain => "the controller's input left its domain (e.g. a PWA law's parameter box); see the controller's out-of-domain count",
            FaultCode.ControllerFailed => "the controller reported an internal failure",
            FaultCode.ControllerOverrun => $"controller compute {Num(f.Value * 1e6, "µs")} over its budget {Num(f.Limit * 1e6, "µs")}",
            FaultCode.DeadlineMisses => $"{V("")} consecutive deadline misses (limit {L("")})",
            FaultCode.Watchdog => "the watchdog saw no completed tick within its timeout",
            FaultCode.StaleFrame => $"frame sequence stuck at {V("")} (last seen {L("")})",
            FaultCode.RigIo => RigIo(f),
            FaultCode.GateDriverFault => $"gate-driver fault input set (fault inputs 0x{(uint)f.Value:X})",
            FaultCode.HardwareOverCurrent => $"hardware over-current comparator fired (fault inputs 0x{(uint)f.Value:X})",
            FaultCode.DriveBoardFault => $"the drive board reported a fault of its own (fault inputs 0x{(uint)f.Value:X}; the rig logs the board's error bits)",
            FaultCode.StopSignal => "stop signal (SIGINT/SIGTERM) while the bridge was enabled",
            FaultCode.UnhandledException => "unhandled exception; the bridge was disabled",
            _ => $"value {V("")}, limit {L("")}",
        };
    }

    private static string RigIo(FaultRecord f)
    {
        var status = (RigIoStatus)(int)f.Value;
        if (f.Tick < 0) return $"the rig did not open ({status})";
        return status == RigIoStatus.LinkLost
            ? "the rig reports its link lost (trips at once)"
            : string.Create(CultureInfo.InvariantCulture, $"{f.Limit:G} failed rig reads/writes in a row, the last {status} (limit {f.Limit:G} in a row)");
    }

    private static string Num(double v, string unit)
    {
        if (!double.IsFinite(v)) return "(not measured)";
        string n = v.ToString("G6", CultureInfo.InvariantCulture);
        return unit.Length == 0 ? n : $"{n} {unit}";
    }
}

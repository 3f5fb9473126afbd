using MotorRT.Contracts.Machines;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Loop;
using MotorRT.Runtime.Safety;

namespace MotorRT.Runtime.Calibration;

/// <summary>The outcome of <see cref="PmsmCalibrationRun.Execute"/>.</summary>
/// <param name="Identified">The identified parameters, or null when the run faulted or aborted.</param>
/// <param name="CurrentOffsetCountsA">Phase-a current-sensor offset measured with the bridge off, in ADC counts.</param>
/// <param name="CurrentOffsetCountsB">Phase-b current-sensor offset measured with the bridge off, in ADC counts.</param>
/// <param name="Result">The loop's run figures (faults, ticks).</param>
/// <param name="AbortReason">Why the procedure aborted, or empty.</param>
public sealed record PmsmCalibrationOutcome(PmsmIdentificationResult? Identified, double CurrentOffsetCountsA, double CurrentOffsetCountsB, RunResult? Result, string AbortReason)
{
    /// <summary>
    /// Encoder direction relative to the config's <c>sensors.encoder.direction</c> (dimensionless): +1 when the counts
    /// follow the turning field, −1 when they run against it (then the right setting is the negated one), 0 when not measured.
    /// </summary>
    public int EncoderDirection { get; init; }

    /// <summary>The probe's rough stator resistance that set the alignment voltage, in Ω (NaN when not measured).</summary>
    public double ProbeResistance { get; init; } = double.NaN;

    /// <summary>Pole pairs counted by the field rotation (dimensionless), 0 when not measured.</summary>
    public int PolePairs { get; init; }

    /// <summary>Electrical angle of the d-axis at encoder count zero, in rad (NaN when not measured).</summary>
    public double ElectricalAngleOffset { get; init; } = double.NaN;

    /// <summary>Encoder counts between consecutive index pulses during the spin, 0 when not measured.</summary>
    public long EncoderCountsPerRevolution { get; init; }

    /// <summary>Gain of current channel b relative to channel a (dimensionless; NaN when not measured): <see cref="PmsmCalibrationProcedure.GainRatioB"/>.</summary>
    public double GainRatioB { get; init; } = double.NaN;

    /// <summary>Gain of current channel c relative to channel a (dimensionless; NaN when not measured; meaningful with three sensors only).</summary>
    public double GainRatioC { get; init; } = double.NaN;

    /// <summary>True when the supervisor latched a fault or the procedure aborted.</summary>
    public bool Faulted => Identified is null;
}

/// <summary>
/// Runs a <see cref="PmsmCalibrationProcedure"/> as the controller of a <see cref="ControlLoop"/> (bridge-off offset
/// calibration, arming, then the phases with the supervisor active), fitting between the phases: the probe's rough R
/// sets the alignment voltage; the alignments give p, the encoder direction and the angle offset (the frame of the
/// steps); the d steps R_s and L_d; the q steps L_q; the hold ψ_p; the speed steps J and friction. A SynRM
/// (<see cref="PmsmCalibrationOptions.Reluctance"/>) runs the same phases with ψ_p fixed at 0.
/// </summary>
public static class PmsmCalibrationRun
{
    /// <summary>Opens, calibrates offsets, arms and runs every phase; returns what was identified (null on a fault).</summary>
    /// <param name="loop">The loop from <see cref="CalibrationLoop.Create"/>.</param>
    /// <param name="procedure">Its controller.</param>
    /// <param name="period">Control period, in s.</param>
    /// <param name="afterOpen">Called once the rig is open, before the offset calibration (tests inject rig faults here), or null.</param>
    public static PmsmCalibrationOutcome Execute(ControlLoop loop, PmsmCalibrationProcedure procedure, double period, Action? afterOpen = null)
    {
        ArgumentNullException.ThrowIfNull(loop);
        ArgumentNullException.ThrowIfNull(procedure);
        if (!CalibrationLoop.OpenAndCalibrate(loop, afterOpen))
        {
            return new PmsmCalibrationOutcome(null, loop.Signals.OffsetA, loop.Signals.OffsetB, null, "current-sensor offset calibration failed");
        }
        double offA = loop.Signals.OffsetA, offB = loop.Signals.OffsetB;
        var index = new IndexCounter();
        loop.Start();
        bool Phase(PmsmCalibrationPhase next)
        {
            procedure.Resume(next);
            return RunToPause(loop, procedure, index);
        }
        bool reluctance = procedure.Reluctance;
        string why = "";
        int direction = 0, p = 0;
        double offset = double.NaN, r = double.NaN, ld = double.NaN, lq = double.NaN, psiSteps = double.NaN;
        int lag = 0;
        double rProbe = double.NaN;
        if (RunToPause(loop, procedure, index))
        {
            (rProbe, double lProbe, _, _) = PmsmIdentification.FitAxis(procedure.ProbeRecord, period, psi: 0);
            if (!(rProbe > 0 && lProbe > 0)) why = "the probe fit failed (no current response along the alpha axis?)";
            else
            {
                procedure.SetProbeFit(rProbe, lProbe);
                if (Phase(PmsmCalibrationPhase.Align))
                {
                    (p, direction) = PmsmIdentification.PolePairsAndDirection(procedure.RotationAngle, procedure.AlignedAngleForward - procedure.AlignedAngle0);
                    (int pBack, int dBack) = PmsmIdentification.PolePairsAndDirection(procedure.RotationAngle, procedure.AlignedAngleForward - procedure.AlignedAngleBack);
                    if (direction < 0 && dBack < 0)
                    {
                        why = "the encoder counts against the turning field (the rotor followed a forward rotation of the voltage vector backwards): the encoder direction is reversed";
                    }
                    else if (p == 0 || p != pBack || direction != dBack)
                    {
                        why = FormattableString.Invariant($"the rotor did not follow the field rotation (pole pairs not an integer ratio of the turns; encoder {procedure.AlignedAngle0:F4}, {procedure.AlignedAngleForward:F4}, {procedure.AlignedAngleBack:F4} rad at vector angles 0, {procedure.RotationAngle:F4}, 0 rad): free the shaft, or raise --current-limit");
                        p = 0;
                    }
                    else
                    {
                        offset = PmsmIdentification.AngleOffset([procedure.RotationAngle, 0.0], [procedure.AlignedAngleForward, procedure.AlignedAngleBack], p);
                        procedure.SetFrame(p, offset);
                        if (Phase(PmsmCalibrationPhase.DSteps))
                        {
                            (r, ld, lag, _) = PmsmIdentification.FitAxis(procedure.DRecord, period, psi: 0);
                            if (!(r > 0 && ld > 0)) why = "the d-axis fit failed";
                            else
                            {
                                procedure.SetMachine(r, ld, 0, 0, lag);
                                if (Phase(PmsmCalibrationPhase.QProbe))
                                {
                                    (_, lq, _, psiSteps) = PmsmIdentification.FitAxis(procedure.QRecord, period, r: r, psi: reluctance ? 0 : double.NaN, onlyLag: lag);
                                    if (!(lq > 0)) why = "the q-axis fit failed";
                                    else
                                    {
                                        procedure.SetMachine(r, ld, lq, double.IsFinite(psiSteps) ? psiSteps : 0, lag);
                                        Phase(PmsmCalibrationPhase.Accelerate);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        loop.RequestStop();
        loop.RunTicks(1);
        RunResult result = loop.Finish();
        var failed = new PmsmCalibrationOutcome(null, offA, offB, result, "")
        {
            EncoderDirection = direction, PolePairs = p, ElectricalAngleOffset = offset, ProbeResistance = rProbe, EncoderCountsPerRevolution = index.CountsPerRevolution,
            GainRatioB = procedure.GainRatioB, GainRatioC = procedure.GainRatioC,
        };
        if (why.Length > 0 || result.Faults.Length > 0 || procedure.Phase != PmsmCalibrationPhase.Done || procedure.Completed != PmsmCalibrationPhase.Decelerate)
        {
            if (why.Length == 0) why = procedure.AbortReason;
            return failed with { AbortReason = why };
        }
        double psi = reluctance ? 0 : PmsmIdentification.FluxFromHold(procedure.HoldIntUq, procedure.HoldIntIq, procedure.HoldDeltaIq, procedure.HoldIntIdDTheta, procedure.HoldDeltaTheta, r, ld, lq);
        // L_q again with the back-EMF term fixed at the hold's flux.
        (_, double lq2, _, _) = reluctance ? (0, double.NaN, 0, 0) : PmsmIdentification.FitAxis(procedure.QRecord, period, r: r, psi: psi, onlyLag: lag);
        if (lq2 > 0)
        {
            lq = lq2;
            psi = PmsmIdentification.FluxFromHold(procedure.HoldIntUq, procedure.HoldIntIq, procedure.HoldDeltaIq, procedure.HoldIntIdDTheta, procedure.HoldDeltaTheta, r, ld, lq);
        }
        (double j, double tc, double b) = PmsmIdentification.Mechanics(procedure.Mech, p, psi, ld, lq);
        return failed with { Identified = new PmsmIdentificationResult(r, ld, lq, lag, psi, p, offset, j, tc, b) };
    }

    /// <summary>Runs until the procedure pauses, finishes or the loop stops; true when it paused or finished without a fault.</summary>
    private static bool RunToPause(ControlLoop loop, PmsmCalibrationProcedure procedure, IndexCounter index)
    {
        // Chunks of 16 ticks: less than one turn between looks at the index latch up to 2π/(16·period) rad/s.
        while (loop.State == DriveState.Running && !procedure.Finished)
        {
            loop.RunTicks(16);
            index.Look(in loop.LastFrame);
        }
        return loop.State == DriveState.Running && procedure.Phase == PmsmCalibrationPhase.Done;
    }
}

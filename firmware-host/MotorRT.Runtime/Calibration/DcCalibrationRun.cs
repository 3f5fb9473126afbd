using MotorRT.Contracts.Machines;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Loop;
using MotorRT.Runtime.Safety;

namespace MotorRT.Runtime.Calibration;

/// <summary>The outcome of <see cref="DcCalibrationRun.Execute"/>.</summary>
/// <param name="Identified">The identified parameters, or null when the run faulted or aborted.</param>
/// <param name="CurrentOffsetCounts">Current-sensor offset measured with the bridge off (phase a / armature), in ADC counts.</param>
/// <param name="Result">The loop's run figures (faults, ticks).</param>
/// <param name="AbortReason">Why the procedure aborted, or empty.</param>
public sealed record DcCalibrationOutcome(DcIdentificationResult? Identified, double CurrentOffsetCounts, RunResult? Result, string AbortReason)
{
    /// <summary>
    /// Encoder direction relative to the config's <c>sensors.encoder.direction</c> (dimensionless): +1 when the counts
    /// follow the motor's torque, −1 when they run against it (then the right setting is the negated one), 0 when not measured.
    /// </summary>
    public int EncoderDirection { get; init; }

    /// <summary>Encoder counts between consecutive index pulses during the spin (4 × the fitted lines), 0 when not measured (no index, or no full turn).</summary>
    public long EncoderCountsPerRevolution { get; init; }

    /// <summary>True when the supervisor latched a fault or the procedure aborted.</summary>
    public bool Faulted => Identified is null;
}

/// <summary>
/// Runs a <see cref="DcCalibrationProcedure"/> as the controller of a <see cref="ControlLoop"/> (bridge-off offset
/// calibration, arming, then the phases with the supervisor active), fits between and after the phases.
/// </summary>
public static class DcCalibrationRun
{
    /// <summary>Opens, calibrates offsets, arms and runs every phase; returns what was identified (null on a fault).</summary>
    /// <param name="loop">The loop from <see cref="CalibrationLoop.Create"/>.</param>
    /// <param name="procedure">Its controller.</param>
    /// <param name="period">Control period, in s.</param>
    /// <param name="afterOpen">Called once the rig is open, before the offset calibration (tests inject rig faults here), or null.</param>
    public static DcCalibrationOutcome Execute(ControlLoop loop, DcCalibrationProcedure procedure, double period, Action? afterOpen = null)
    {
        ArgumentNullException.ThrowIfNull(loop);
        ArgumentNullException.ThrowIfNull(procedure);
        if (!CalibrationLoop.OpenAndCalibrate(loop, afterOpen))
        {
            return new DcCalibrationOutcome(null, loop.Signals.OffsetA, null, "current-sensor offset calibration failed");
        }
        double offset = loop.Signals.OffsetA;
        loop.Start();
        const long chunk = 64;
        while (loop.State == DriveState.Running && procedure.Phase is DcCalibrationPhase.Probe or DcCalibrationPhase.Steps) loop.RunTicks(chunk);
        (double r, double l, int lag, double psiSteps) = (double.NaN, double.NaN, 0, double.NaN);
        int direction = 0;
        string why = "";
        var index = new IndexCounter();
        if (loop.State == DriveState.Running && procedure.Phase == DcCalibrationPhase.Done)
        {
            (r, l, lag, psiSteps) = DcIdentification.FitArmatureAndFlux(procedure, period);
            direction = psiSteps > 0 ? 1 : psiSteps < 0 ? -1 : 0;
            if (direction < 0)
            {
                why = "the encoder counts against the motor's torque (the back-EMF fitted from the voltage steps has the wrong sign): the encoder direction is reversed";
            }
            else if (double.IsFinite(r) && double.IsFinite(l) && r > 0 && l > 0)
            {
                procedure.SetArmature(r, l);
                procedure.StartSpin();
                // Chunks of 16 ticks: less than one turn between looks at the index latch up to 2π/(16·period) rad/s.
                while (loop.State == DriveState.Running && !procedure.Finished)
                {
                    loop.RunTicks(16);
                    index.Look(in loop.LastFrame);
                }
            }
        }
        loop.RequestStop();
        loop.RunTicks(1);
        RunResult result = loop.Finish();
        if (why.Length > 0 || result.Faults.Length > 0 || procedure.Phase != DcCalibrationPhase.Done || !(r > 0) || !(l > 0))
        {
            if (why.Length == 0) why = procedure.AbortReason.Length > 0 ? procedure.AbortReason : !(r > 0 && l > 0) && result.Faults.Length == 0 ? "the armature fit failed" : "";
            return new DcCalibrationOutcome(null, offset, result, why) { EncoderDirection = direction, EncoderCountsPerRevolution = index.CountsPerRevolution };
        }
        double psi = DcIdentification.FitFlux(procedure, r);
        // The armature again with the back-EMF term fixed at the hold's flux, then the flux with that R.
        (double r2, double l2, int lag2) = DcIdentification.FitArmature(procedure, period, psi);
        if (r2 > 0 && l2 > 0)
        {
            (r, l, lag) = (r2, l2, lag2);
            psi = DcIdentification.FitFlux(procedure, r);
        }
        (double j, double tc, double b) = DcIdentification.FitMechanics(procedure, psi);
        return new DcCalibrationOutcome(new DcIdentificationResult(r, l, lag, psi, j, tc, b), offset, result, "")
            { EncoderDirection = direction, EncoderCountsPerRevolution = index.CountsPerRevolution };
    }
}

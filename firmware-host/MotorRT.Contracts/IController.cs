namespace MotorRT.Contracts;

/// <summary>What a controller reports to the supervisor after each <see cref="IController.Compute"/>.</summary>
public enum ControllerStatus
{
    /// <summary>Normal operation.</summary>
    Ok = 0,

    /// <summary>Output limited (voltage or current limit); normal, recorded, not a fault.</summary>
    Saturated = 1,

    /// <summary>The controller produced NaN, ∞ or an out-of-range output; the supervisor trips.</summary>
    OutputInvalid = 2,

    /// <summary>The input lies outside the controller's domain (e.g. no PWA region contains it); the supervisor trips or falls back.</summary>
    OutOfDomain = 3,

    /// <summary>The controller exceeded its compute budget (e.g. an inference call ran late); the supervisor trips.</summary>
    Overrun = 4,

    /// <summary>An internal failure (e.g. the inference engine returned an error); the supervisor trips.</summary>
    Failed = 5,
}

/// <summary>
/// One controller behind the common contract: cascaded PI/FOC, explicit-MPC PWA laws, ONNX policies.
/// <see cref="Compute"/> runs on the real-time path: it must not allocate, lock, throw or block.
/// </summary>
public interface IController
{
    /// <summary>A short, human-readable name for logs and telemetry (created once, not per tick).</summary>
    string Name { get; }

    /// <summary>Status of the most recent <see cref="Compute"/>, read by the supervisor in the same tick.</summary>
    ControllerStatus Status { get; }

    /// <summary>
    /// The command mode this controller writes (duty cycles unless it says otherwise); the loop refuses, before arming,
    /// a controller whose mode the rig does not declare in <see cref="RigDescription.Capabilities"/>.
    /// </summary>
    CommandMode CommandMode => CommandMode.DutyCycle;

    /// <summary>
    /// Tells the controller, before arming, whether wall-clock budgets apply: true in real-time mode; false in lock-step,
    /// where nothing measured from the wall clock may change the command or the status (deterministic traces).
    /// Controllers without a wall-clock budget ignore it.
    /// </summary>
    /// <param name="enforced">True when a late computation is to be reported as <see cref="ControllerStatus.Overrun"/>.</param>
    void EnforceWallClockBudget(bool enforced)
    {
    }

    /// <summary>Clears integrators and internal state; called when the loop (re)enters Running. Not on the hot path.</summary>
    void Reset();

    /// <summary>
    /// Computes the converter command for this tick from the observation. Writes duty cycles into <paramref name="command"/>
    /// (the loop has already preset it to the safe value) and reports the voltage it applies in
    /// <see cref="ConverterCommand.VoltageD"/>/<see cref="ConverterCommand.VoltageQ"/>; never allocates, never throws.
    /// </summary>
    /// <param name="observation">Estimated state and references, SI units.</param>
    /// <param name="command">The command to fill; arrives preset to zero volts with the bridge disabled.</param>
    void Compute(in MotorObservation observation, ref ConverterCommand command);
}

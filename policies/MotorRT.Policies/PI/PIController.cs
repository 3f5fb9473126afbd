using System.Runtime.CompilerServices;

namespace MotorRT.Policies.PI;

/// <summary>How a <see cref="PIController"/> keeps its integrator from winding up while the output is limited.</summary>
public enum AntiWindupMode
{
    /// <summary>No protection: the integrator keeps integrating while saturated (for tests and comparisons only).</summary>
    None = 0,

    /// <summary>
    /// Back-calculation (tracking): the integrator is corrected by <c>Ts·K_t·(u_applied − u_unlimited)</c> each period,
    /// so it settles where the output sits on the limit. <c>K_t</c> defaults to <c>K_i/K_p</c> (1/T_i).
    /// </summary>
    BackCalculation = 1,

    /// <summary>
    /// Conditional integration (clamping): the error is not integrated in a period whose output is limited and whose
    /// error would drive the output further into the limit.
    /// </summary>
    ConditionalIntegration = 2,
}

/// <summary>
/// A discrete PI/PID controller with output limits, selectable anti-windup and bumpless enable/gain change; a mutable
/// struct held by value inside a controller so the per-tick path touches no heap.
/// </summary>
/// <remarks>
/// Per period k with error e_k = r_k − y_k:
/// <c>v_k = K_p·e_k + I_k + D_k + u_ff</c>, <c>u_k = clamp(v_k, min, max)</c>, then the integrator advances by forward
/// Euler <c>I_(k+1) = I_k + T_s·K_i·e_k</c> (plus the anti-windup correction). The derivative acts on the measurement
/// (no derivative kick on reference steps) through a first-order filter with time constant T_f (backward Euler):
/// <c>D_k = (T_f·D_(k−1) − K_d·(y_k − y_(k−1))) / (T_f + T_s)</c>. With constant error e and no limits the output is
/// <c>u_k = K_p·e + k·T_s·K_i·e</c>, the analytic discrete ramp the unit tests check.
/// Units: the gains convert the input unit (A, rad/s) into the output unit (V, N·m): K_p in out/in, K_i in out/(in·s),
/// K_d in out·s/in.
/// </remarks>
public struct PIController
{
    private double _integral;
    private double _derivative;
    private double _lastMeasurement;
    private double _lastIntegration;
    private double _lastError;
    private bool _hasLast;

    /// <summary>Creates a PI controller (no derivative) for control period <paramref name="period"/> (s).</summary>
    public PIController(double kp, double ki, double period, double outputMin, double outputMax, AntiWindupMode antiWindup)
    {
        Kp = kp;
        Ki = ki;
        Period = period;
        OutputMin = outputMin;
        OutputMax = outputMax;
        AntiWindup = antiWindup;
        TrackingGain = kp > 0 ? ki / kp : 0.0;
    }

    /// <summary>Proportional gain, output unit per input unit (e.g. V/A).</summary>
    public double Kp;

    /// <summary>Integral gain, output unit per (input unit·s) (e.g. V/(A·s)).</summary>
    public double Ki;

    /// <summary>Derivative gain, output unit·s per input unit (0 for a PI controller).</summary>
    public double Kd;

    /// <summary>Time constant of the derivative's first-order filter, in s (0 = unfiltered difference).</summary>
    public double DerivativeFilterTime;

    /// <summary>Control period T_s, in s.</summary>
    public double Period;

    /// <summary>Lower output limit, in the output unit. May be changed every period (e.g. with the DC-link voltage).</summary>
    public double OutputMin;

    /// <summary>Upper output limit, in the output unit. May be changed every period.</summary>
    public double OutputMax;

    /// <summary>The anti-windup method.</summary>
    public AntiWindupMode AntiWindup;

    /// <summary>Back-calculation tracking gain K_t = 1/T_t, in 1/s (default K_i/K_p); T_s·K_t is capped at 1.</summary>
    public double TrackingGain;

    /// <summary>Integrator state I_k (already multiplied by K_i), in the output unit.</summary>
    public readonly double Integral => _integral;

    /// <summary>Output of the last <see cref="Update"/>, limited, in the output unit.</summary>
    public double Output { readonly get; private set; }

    /// <summary>Output of the last <see cref="Update"/> before limiting, in the output unit.</summary>
    public double UnlimitedOutput { readonly get; private set; }

    /// <summary>True when the last output sat on a limit (or was reduced by <see cref="ApplyExternalLimit"/>).</summary>
    public bool Saturated { readonly get; private set; }

    /// <summary>Clears integrator, derivative filter and history.</summary>
    public void Reset()
    {
        _integral = 0.0;
        _derivative = 0.0;
        _lastMeasurement = 0.0;
        _lastIntegration = 0.0;
        _lastError = 0.0;
        _hasLast = false;
        Output = 0.0;
        UnlimitedOutput = 0.0;
        Saturated = false;
    }

    /// <summary>
    /// Bumpless enable: presets the integrator so that an <see cref="Update"/> with this reference, measurement and
    /// feed-forward returns <paramref name="currentOutput"/> (the value the actuator holds now), clamped to the limits.
    /// </summary>
    public void InitializeBumpless(double currentOutput, double reference, double measurement, double feedForward)
    {
        Reset();
        double target = Math.Clamp(currentOutput, OutputMin, OutputMax);
        _integral = target - Kp * (reference - measurement) - feedForward;
        _lastMeasurement = measurement;
        _hasLast = true;
    }

    /// <summary>
    /// Changes K_p and K_i without a jump of the output: the integrator absorbs the change of the proportional part
    /// for the last error seen.
    /// </summary>
    public void SetGainsBumpless(double kp, double ki)
    {
        _integral += (Kp - kp) * _lastError;
        Kp = kp;
        Ki = ki;
    }

    /// <summary>Runs one period; returns the limited output (same unit as the limits). Never allocates or throws.</summary>
    /// <param name="reference">Reference r_k, in the input unit.</param>
    /// <param name="measurement">Measurement y_k, in the input unit.</param>
    /// <param name="feedForward">Feed-forward added to the output before limiting, in the output unit.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Update(double reference, double measurement, double feedForward = 0.0)
    {
        double error = reference - measurement;
        double d = 0.0;
        if (Kd != 0.0)
        {
            double dy = _hasLast ? measurement - _lastMeasurement : 0.0;
            _derivative = (DerivativeFilterTime * _derivative - Kd * dy) / (DerivativeFilterTime + Period);
            d = _derivative;
        }
        _lastMeasurement = measurement;
        _hasLast = true;
        _lastError = error;

        double unlimited = Kp * error + _integral + d + feedForward;
        double output = unlimited > OutputMax ? OutputMax : unlimited < OutputMin ? OutputMin : unlimited;
        bool saturated = output != unlimited;

        double increment = Period * Ki * error;
        switch (AntiWindup)
        {
            case AntiWindupMode.BackCalculation:
                increment += TrackingFactor() * (output - unlimited);
                break;
            case AntiWindupMode.ConditionalIntegration:
                if ((unlimited > OutputMax && error > 0.0) || (unlimited < OutputMin && error < 0.0))
                {
                    increment = 0.0;
                }
                break;
        }
        _integral += increment;
        _lastIntegration = increment;
        UnlimitedOutput = unlimited;
        Output = output;
        Saturated = saturated;
        return output;
    }

    /// <summary>
    /// Tells the controller that a later stage (a voltage circle, the modulator's hexagon, a current limit) applied
    /// <paramref name="applied"/> instead of <see cref="Output"/>; the anti-windup acts on the difference as if it were
    /// the controller's own limit. Call after <see cref="Update"/> in the same period.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ApplyExternalLimit(double applied)
    {
        double difference = applied - Output;
        if (difference == 0.0)
        {
            return;
        }
        switch (AntiWindup)
        {
            case AntiWindupMode.BackCalculation:
                _integral += TrackingFactor() * difference;
                break;
            case AntiWindupMode.ConditionalIntegration:
                // The output was cut back; undo this period's integration if it pushed the same way as the cut.
                if ((difference < 0.0 && _lastIntegration > 0.0) || (difference > 0.0 && _lastIntegration < 0.0))
                {
                    _integral -= _lastIntegration;
                    _lastIntegration = 0.0;
                }
                break;
        }
        Output = applied;
        Saturated = true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly double TrackingFactor()
    {
        double f = Period * TrackingGain;
        return f > 1.0 ? 1.0 : f;
    }
}

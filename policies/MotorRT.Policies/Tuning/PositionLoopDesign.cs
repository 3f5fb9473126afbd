using System.Globalization;
using System.Text;
using MotorRT.Policies.Position;

namespace MotorRT.Policies.Tuning;

/// <summary>The speed loop a position loop is designed around (the gains in use, not necessarily the designed ones).</summary>
/// <param name="Kp">Speed PI proportional gain, in N·m·s/rad.</param>
/// <param name="Ki">Speed PI integral gain, in N·m/rad.</param>
/// <param name="Inertia">Total inertia J, in kg·m².</param>
/// <param name="SumTimeConstant">T_Σ of the inner torque loop (first-order equivalent), in s.</param>
/// <param name="ReferenceFiltered">True when the speed loop pre-filters its reference with 1/(1 + s·T_i).</param>
/// <param name="TorqueLimit">Torque limit of the speed loop's output, in N·m.</param>
public sealed record SpeedLoopInfo(double Kp, double Ki, double Inertia, double SumTimeConstant, bool ReferenceFiltered, double TorqueLimit)
{
    /// <summary>
    /// First-order equivalent T_ω of the closed speed loop, in s: with the prefilter, T_i = K_p/K_i (the symmetric
    /// optimum's closed loop is then 1/(1 + a²T_Σ s + a³T_Σ² s² + a³T_Σ³ s³), whose s coefficient is T_i); without it,
    /// J/K_p + T_Σ (the proportional crossover plus the inner lag).
    /// </summary>
    public double EquivalentTimeConstant => ReferenceFiltered && Ki > 0 ? Kp / Ki : Inertia / Kp + SumTimeConstant;
}

/// <summary>
/// A position P loop designed over a closed speed loop approximated by 1/(1 + s·T_ω): open loop K_p/(s·(1 + s·T_ω)),
/// K_p = 1/(N·T_ω) = ω_ω/N with the separation N; the closed loop's damping is ζ = √N/2 (N = 4: critically damped,
/// both poles at −1/(2·T_ω)).
/// </summary>
/// <param name="Kp">Position gain in use, in 1/s.</param>
/// <param name="DesignedKp">Position gain of the design, in 1/s.</param>
/// <param name="Separation">Separation N (dimensionless).</param>
/// <param name="Speed">The speed loop designed around.</param>
/// <param name="SpeedLimit">Speed-reference limit, in rad/s.</param>
/// <param name="DecelerationLimit">Braking-curve deceleration, in rad/s².</param>
/// <param name="SpeedFeedForward">True with the reference-derivative feed-forward.</param>
public sealed record PositionLoopDesign(double Kp, double DesignedKp, double Separation, SpeedLoopInfo Speed, double SpeedLimit,
    double DecelerationLimit, bool SpeedFeedForward)
{
    /// <summary>Closed-loop damping ζ = 1/(2·√(K_p·T_ω)) of the second-order model (dimensionless).</summary>
    public double Damping => 1.0 / (2.0 * Math.Sqrt(Kp * Speed.EquivalentTimeConstant));

    /// <summary>
    /// 2 % settling time of a small (unsaturated) step in the second-order model, in s: ζ ≥ 1: ≈ 5.83/|p_slow| for the
    /// double pole, ln(50)/|p_slow| otherwise; ζ &lt; 1: 4/(ζ·ω_n).
    /// </summary>
    public double ExpectedSettlingTime
    {
        get
        {
            double t = Speed.EquivalentTimeConstant;
            double disc = 1.0 - 4.0 * Kp * t;
            if (disc < 0) return 4.0 / (Damping * Math.Sqrt(Kp / t));
            double slow = (1.0 - Math.Sqrt(disc)) / (2.0 * t);
            return (Math.Abs(disc) < 1e-9 ? 5.83 : Math.Log(50)) / slow;
        }
    }

    /// <summary>Overshoot of a small step in the second-order model, in % (0 for ζ ≥ 1).</summary>
    public double ExpectedOvershoot => Damping >= 1 ? 0 : 100 * Math.Exp(-Math.PI * Damping / Math.Sqrt(1 - Damping * Damping));

    /// <summary>Designs the loop over <paramref name="speed"/>; <paramref name="speedLimit"/> (rad/s) and the options' limits resolved by the caller.</summary>
    public static PositionLoopDesign Design(SpeedLoopInfo speed, PositionOptions options, double speedLimit)
    {
        ArgumentNullException.ThrowIfNull(speed);
        ArgumentNullException.ThrowIfNull(options);
        double designed = 1.0 / (options.Separation * speed.EquivalentTimeConstant);
        double decel = options.DecelerationLimit > 0 ? options.DecelerationLimit : 0.5 * speed.TorqueLimit / speed.Inertia;
        return new PositionLoopDesign(options.Kp ?? designed, designed, options.Separation, speed, speedLimit, decel, options.SpeedFeedForward);
    }

    /// <summary>Builds the stage of this design at control period <paramref name="period"/> (s).</summary>
    public PositionStage Stage(double period) => new(Kp, period, SpeedLimit, DecelerationLimit, SpeedFeedForward);

    /// <summary>Human-readable reasoning.</summary>
    public string Explain()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        double t = Speed.EquivalentTimeConstant;
        string equivalent = Speed.ReferenceFiltered ? "= T_i of the speed PI, whose reference prefilter dominates" : "= J/K_p + T_Σ of the speed PI, no prefilter";
        string inUse = Kp != DesignedKp ? string.Create(c, $"; in use (config): {Kp:G5} 1/s") : "";
        string ff = SpeedFeedForward ? "speed feed-forward dθ_ref/dt on (not for steps)" : "no speed feed-forward";
        sb.AppendLine(c, $"position loop: plant 1/s on the speed reference, closed speed loop ≈ 1/(1 + s·T_ω), T_ω = {t * 1e3:G4} ms ({equivalent}), speed-loop bandwidth ω_ω = 1/T_ω = {1 / t:G4} rad/s");
        sb.AppendLine(c, $"  P with separation N = {Separation:G3}: K_p = ω_ω/N = 1/(N·T_ω) = {DesignedKp:G5} 1/s (rad/s per rad){inUse}");
        sb.AppendLine(c, $"  expected (small steps): damping ζ = 1/(2√(K_p·T_ω)) = {Damping:G3}, overshoot {ExpectedOvershoot:F1} %, 2 % settling ≈ {ExpectedSettlingTime * 1e3:G4} ms");
        sb.Append(c, $"  speed reference limited to ± {SpeedLimit:G4} rad/s and to the braking curve √(2·α·|e|), α = {DecelerationLimit:G4} rad/s² (torque limit {Speed.TorqueLimit:G4} N·m, J = {Speed.Inertia:G4} kg·m²); {ff}");
        return sb.ToString();
    }
}

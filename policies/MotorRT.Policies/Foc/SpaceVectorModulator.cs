using System.Runtime.CompilerServices;
using MotorRT.Contracts;

namespace MotorRT.Policies.Foc;

/// <summary>
/// Space-vector modulation of a stator voltage vector (αβ, amplitude-invariant, V) onto B6 duty cycles in GEM's
/// convention (<c>u_x = d_x·u_dc/2</c> against the DC-link midpoint, d_x ∈ [−1, 1]). Implemented as min–max
/// zero-sequence injection, which is equivalent to centred SVPWM: the linear range is the inscribed circle
/// |u| ≤ u_dc/√3. Beyond the hexagon (|u| up to 2·u_dc/3 at its corners) the vector is scaled back onto the hexagon
/// along its own direction (minimum-phase-error over-modulation): the angle is kept, the magnitude is the largest the
/// bridge can make.
/// </summary>
public static class SpaceVectorModulator
{
    /// <summary>Radius of the linear range, as a fraction of u_dc: 1/√3 (dimensionless).</summary>
    public const double LinearRadiusPerDcLink = 0.57735026918962576451;

    /// <summary>
    /// Writes duties for phases a, b, c into channels 0..2 of <paramref name="duty"/>; returns the factor k ∈ (0, 1]
    /// by which the vector was shortened (1 = produced exactly). The voltage produced is k·(α, β).
    /// </summary>
    /// <param name="alpha">α voltage, in V.</param>
    /// <param name="beta">β voltage, in V.</param>
    /// <param name="dcLink">DC-link voltage u_dc, in V (&gt; 0).</param>
    /// <param name="duty">Duty channels to fill.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Modulate(double alpha, double beta, double dcLink, ref Channels4 duty)
    {
        SpaceVector.InverseClarke(alpha, beta, out double a, out double b, out double c);
        double max = Math.Max(a, Math.Max(b, c));
        double min = Math.Min(a, Math.Min(b, c));
        double offset = -0.5 * (max + min);
        double scale = 2.0 / dcLink;
        double spread = (max - min) * scale; // = max(d) − min(d) after centring
        double k = 1.0;
        if (spread > 2.0)
        {
            k = 2.0 / spread;
        }
        double f = scale * k;
        duty[0] = Math.Clamp((a + offset) * f, -1.0, 1.0);
        duty[1] = Math.Clamp((b + offset) * f, -1.0, 1.0);
        duty[2] = Math.Clamp((c + offset) * f, -1.0, 1.0);
        return k;
    }

    /// <summary>
    /// The chord of the bridge's hexagon (|u_ab|, |u_bc|, |u_ca| ≤ u_dc) along a rotating frame: with first axis
    /// e₁ = (cos θ, sin θ) and second axis e₂ = (−sin θ, cos θ) (dq for θ = the rotor angle), the second-axis voltages
    /// (V) the bridge can produce together with <paramref name="ud"/> (V) on the first axis. Empty
    /// (<paramref name="uqMin"/> &gt; <paramref name="uqMax"/>) only when |<paramref name="ud"/>| lies outside the hexagon.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ChordRange(double ud, double sin, double cos, double dcLink, out double uqMin, out double uqMax)
    {
        // Line-to-line voltages of the amplitude-invariant αβ vector: u_ab = 1.5α − (√3/2)β, u_bc = √3·β,
        // u_ca = −1.5α − (√3/2)β; with (α, β) = u_d·(cos, sin) + u_q·(−sin, cos) each is p + g·u_q.
        const double h = 0.86602540378443864676; // √3/2
        uqMin = double.NegativeInfinity;
        uqMax = double.PositiveInfinity;
        Bound(ud * (1.5 * cos - h * sin), -1.5 * sin - h * cos, dcLink, ref uqMin, ref uqMax);
        Bound(ud * (2.0 * h * sin), 2.0 * h * cos, dcLink, ref uqMin, ref uqMax);
        Bound(ud * (-1.5 * cos - h * sin), 1.5 * sin - h * cos, dcLink, ref uqMin, ref uqMax);
    }

    /// <summary>
    /// Extent of the hexagon along the unit direction (<paramref name="x"/>, <paramref name="y"/>) in units of its corner
    /// radius 2/3·u_dc (dimensionless, between √3/2 on an edge normal and 1 at a corner).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double HexagonSupport(double x, double y)
    {
        const double h = 0.86602540378443864676; // corners at 0°, 60°, 120° (and opposite)
        double m = Math.Abs(x);
        m = Math.Max(m, Math.Abs(0.5 * x + h * y));
        return Math.Max(m, Math.Abs(-0.5 * x + h * y));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Bound(double p, double g, double dcLink, ref double lo, ref double hi)
    {
        if (Math.Abs(g) < 1e-12) return; // this line voltage does not depend on u_q
        double a = (-dcLink - p) / g, b = (dcLink - p) / g;
        lo = Math.Max(lo, Math.Min(a, b));
        hi = Math.Min(hi, Math.Max(a, b));
    }

    /// <summary>The αβ voltage (V) a B6 bridge produces from duties d_a, d_b, d_c at DC link u_dc (V); zero sequence removed.</summary>
    public static void VoltageOf(double da, double db, double dc, double dcLink, out double alpha, out double beta) =>
        SpaceVector.Clarke(da * dcLink * 0.5, db * dcLink * 0.5, dc * dcLink * 0.5, out alpha, out beta);
}

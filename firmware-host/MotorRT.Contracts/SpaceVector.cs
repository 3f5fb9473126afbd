using System.Runtime.CompilerServices;

namespace MotorRT.Contracts;

/// <summary>
/// Space-vector transforms shared by the plant twin, the signal chain and the controllers (one implementation, so
/// sim and runtime cannot drift apart). Conventions are GEM 3.0.2's: the Clarke transform is amplitude-invariant
/// (α = ⅔(a − b/2 − c/2), β = (b − c)/√3); the Park transform rotates by the electrical angle ε
/// (d = α·cos ε + β·sin ε, q = −α·sin ε + β·cos ε). Units pass through unchanged (A in, A out; V in, V out).
/// </summary>
public static class SpaceVector
{
    private const double InvSqrt3 = 0.57735026918962576451;
    private const double Sqrt3Over2 = 0.86602540378443864676;

    /// <summary>Amplitude-invariant Clarke transform of a three-phase quantity into the stationary αβ frame.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Clarke(double a, double b, double c, out double alpha, out double beta)
    {
        alpha = (2.0 / 3.0) * (a - 0.5 * b - 0.5 * c);
        beta = (b - c) * InvSqrt3;
    }

    /// <summary>Clarke transform of two measured phases, assuming a + b + c = 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ClarkeTwoPhase(double a, double b, out double alpha, out double beta)
    {
        alpha = a;
        beta = (a + 2.0 * b) * InvSqrt3;
    }

    /// <summary>Inverse (amplitude-invariant) Clarke transform from αβ to phases a, b, c (zero-sequence free).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InverseClarke(double alpha, double beta, out double a, out double b, out double c)
    {
        a = alpha;
        b = -0.5 * alpha + Sqrt3Over2 * beta;
        c = -0.5 * alpha - Sqrt3Over2 * beta;
    }

    /// <summary>Park transform from αβ into the rotor dq frame at electrical angle <paramref name="epsilon"/> (rad).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Park(double alpha, double beta, double epsilon, out double d, out double q)
    {
        (double s, double c) = Math.SinCos(epsilon);
        Park(alpha, beta, s, c, out d, out q);
    }

    /// <summary>Park transform with a precomputed sin ε and cos ε.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Park(double alpha, double beta, double sinEpsilon, double cosEpsilon, out double d, out double q)
    {
        d = alpha * cosEpsilon + beta * sinEpsilon;
        q = -alpha * sinEpsilon + beta * cosEpsilon;
    }

    /// <summary>Inverse Park transform from the rotor dq frame at electrical angle <paramref name="epsilon"/> (rad) to αβ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InversePark(double d, double q, double epsilon, out double alpha, out double beta)
    {
        (double s, double c) = Math.SinCos(epsilon);
        InversePark(d, q, s, c, out alpha, out beta);
    }

    /// <summary>Inverse Park transform with a precomputed sin ε and cos ε.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InversePark(double d, double q, double sinEpsilon, double cosEpsilon, out double alpha, out double beta)
    {
        alpha = d * cosEpsilon - q * sinEpsilon;
        beta = d * sinEpsilon + q * cosEpsilon;
    }

    /// <summary>abc → dq in one call (Clarke then Park).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AbcToDq(double a, double b, double c, double epsilon, out double d, out double q)
    {
        Clarke(a, b, c, out double alpha, out double beta);
        Park(alpha, beta, epsilon, out d, out q);
    }

    /// <summary>dq → abc in one call (inverse Park then inverse Clarke).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DqToAbc(double d, double q, double epsilon, out double a, out double b, out double c)
    {
        InversePark(d, q, epsilon, out double alpha, out double beta);
        InverseClarke(alpha, beta, out a, out b, out c);
    }

    /// <summary>Wraps an angle (rad) to [−π, π), as GEM reports ε.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double WrapToPi(double angle)
    {
        double wrapped = angle - 2.0 * Math.PI * Math.Floor((angle + Math.PI) / (2.0 * Math.PI));
        return wrapped >= Math.PI ? wrapped - 2.0 * Math.PI : wrapped;
    }

    /// <summary>Wraps an angle (rad) to [0, 2π).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double WrapToTwoPi(double angle)
    {
        double wrapped = angle - 2.0 * Math.PI * Math.Floor(angle / (2.0 * Math.PI));
        return wrapped >= 2.0 * Math.PI ? wrapped - 2.0 * Math.PI : wrapped;
    }
}

namespace MotorRT.Sim.Solvers;

/// <summary>
/// An ODE right-hand side dy/dt = f(t, y) over a <see cref="Vec8"/>. Implemented by structs so the generic solvers
/// specialise per plant and the JIT inlines the right-hand side (no virtual call per evaluation).
/// </summary>
public interface IOdeSystem
{
    /// <summary>Number of used entries of the state vector (≤ 8).</summary>
    int Dimension { get; }

    /// <summary>Writes f(t, y) into <paramref name="dy"/> (t in s).</summary>
    void Derivatives(double t, in Vec8 y, ref Vec8 dy);
}

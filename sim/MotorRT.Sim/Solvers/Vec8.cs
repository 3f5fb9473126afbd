using System.Runtime.CompilerServices;

namespace MotorRT.Sim.Solvers;

/// <summary>Eight inline doubles: the ODE state of one plant (ω, θ, then up to six motor states), never on the heap.</summary>
[InlineArray(Length)]
public struct Vec8
{
    /// <summary>Capacity.</summary>
    public const int Length = 8;
    private double _e0;
}

/// <summary>Four inline doubles: the motor's input voltages over a step, in V.</summary>
[InlineArray(Length)]
public struct Vec4
{
    /// <summary>Capacity.</summary>
    public const int Length = 4;
    private double _e0;
}

/// <summary>
/// Six inline doubles: the converter's channel currents (A) or voltages (V, or normalised to u_sup) of one step; six
/// channels hold two B6 bridges (the doubly-fed induction machine's stator and rotor).
/// </summary>
[InlineArray(Length)]
public struct Vec6
{
    /// <summary>Capacity.</summary>
    public const int Length = 6;
    private double _e0;
}

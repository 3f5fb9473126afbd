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

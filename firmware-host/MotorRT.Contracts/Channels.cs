using System.Runtime.CompilerServices;

namespace MotorRT.Contracts;

/// <summary>
/// Four inline <see cref="double"/> values: a fixed-size, allocation-free buffer for per-channel quantities
/// (duty cycles, phase voltages). Index it like an array: <c>channels[0]</c>.
/// </summary>
[InlineArray(Length)]
public struct Channels4
{
    /// <summary>Number of channels.</summary>
    public const int Length = 4;

    private double _element0;
}

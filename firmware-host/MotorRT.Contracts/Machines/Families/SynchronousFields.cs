namespace MotorRT.Contracts.Machines;

/// <summary>GEM's file names of the parameters its synchronous machines share.</summary>
internal static class SynchronousFields
{
    /// <summary>p, l_d, l_q, j_rotor, r_s of <typeparamref name="T"/> (GEM's order).</summary>
    public static MachineParameterField[] Common<T>() where T : SynchronousParameters =>
    [
        MachineParameterField.Of<T>("p", "", p => p.PolePairs, (p, v) => p with { PolePairs = v }),
        MachineParameterField.Of<T>("l_d", "H", p => p.InductanceD, (p, v) => p with { InductanceD = v }),
        MachineParameterField.Of<T>("l_q", "H", p => p.InductanceQ, (p, v) => p with { InductanceQ = v }),
        MachineParameterField.Of<T>("j_rotor", "kg·m²", p => p.RotorInertia, (p, v) => p with { RotorInertia = v }),
        MachineParameterField.Of<T>("r_s", "Ω", p => p.StatorResistance, (p, v) => p with { StatorResistance = v }),
    ];
}

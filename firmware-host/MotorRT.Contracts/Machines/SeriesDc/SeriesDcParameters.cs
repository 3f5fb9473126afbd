namespace MotorRT.Contracts.Machines;

/// <summary>Parameters of a series DC motor (GEM DcSeriesMotor): one current through armature and excitation, SI.</summary>
public sealed record SeriesDcParameters : WoundDcParameters
{
    /// <summary>GEM 3.0.2's default motor: the wound-field DC defaults with r_e 0.048 Ω (no separate excitation limit).</summary>
    public static SeriesDcParameters Gem { get; } =
        new() { RotorInertia = GemRotorInertia, ExcitationResistance = 0.048, Limits = GemLimits(hasExcitationCurrentLimit: false) };

    /// <summary>The registered machine type <c>series-dc</c>.</summary>
    public static MachineType Type { get; } = MachineType.Create("series-dc", "DcSeriesMotor", "SeriesDc", MachineKind.Dc, Gem,
        Fields<SeriesDcParameters>(), "series DC motor (GEM DcSeriesMotor)", MotorType.SeriesDc);

    /// <inheritdoc/>
    public override MachineType Machine => Type;

    /// <inheritdoc/>
    /// <remarks>The excitation carries the armature current: T = l_e'·i².</remarks>
    public override double ElectricalTorque(in MotorObservation o) => WoundDcEquations.Torque(MutualInductance, o.CurrentA, o.CurrentA);
}

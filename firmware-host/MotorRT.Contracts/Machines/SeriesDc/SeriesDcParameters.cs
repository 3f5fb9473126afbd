namespace MotorRT.Contracts.Machines;

/// <summary>Parameters of a series DC motor (GEM DcSeriesMotor): one current through armature and excitation, SI.</summary>
public sealed record SeriesDcParameters : WoundDcParameters
{
    /// <summary>GEM 3.0.2's default motor: the wound-field DC defaults with r_e 0.048 Ω.</summary>
    public static SeriesDcParameters Gem { get; } = new()
    {
        ArmatureResistance = 0.016, ExcitationResistance = 0.048, ArmatureInductance = 1.9e-5, MutualInductance = 0.0017,
        ExcitationInductance = 0.0054, RotorInertia = 0.0025, Limits = GemLimits(hasExcitationCurrentLimit: false),
    };

    /// <summary>The registered machine type <c>series-dc</c>.</summary>
    public static MachineType Type { get; } = new()
    {
        Id = "series-dc",
        GemClassName = "DcSeriesMotor",
        GemEnvironmentName = "SeriesDc",
        Family = MachineKind.Dc,
        Defaults = Gem,
        Legacy = MotorType.SeriesDc,
        Description = "series DC motor (GEM DcSeriesMotor): one current through armature and excitation",
        Parameters = Fields<SeriesDcParameters>(),
    };

    /// <inheritdoc/>
    public override MachineType Machine => Type;

    /// <inheritdoc/>
    public override double ElectricalTorque(in MotorObservation o) => WoundDcEquations.Torque(MutualInductance, o.CurrentA, o.CurrentA);

    /// <inheritdoc/>
    public override MotorParameters ToMotorParameters() => Flat(MotorType.SeriesDc);
}

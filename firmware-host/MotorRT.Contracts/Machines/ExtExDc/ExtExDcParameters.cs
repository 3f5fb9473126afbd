namespace MotorRT.Contracts.Machines;

/// <summary>Parameters of a externally excited DC motor (GEM DcExternallyExcitedMotor): separate armature and excitation circuits, SI.</summary>
public sealed record ExtExDcParameters : WoundDcParameters
{
    /// <summary>GEM 3.0.2's default motor: the wound-field DC defaults with r_e 0.16 Ω.</summary>
    public static ExtExDcParameters Gem { get; } = new()
    {
        ArmatureResistance = 0.016, ExcitationResistance = 0.16, ArmatureInductance = 1.9e-5, MutualInductance = 0.0017,
        ExcitationInductance = 0.0054, RotorInertia = 0.0025, Limits = GemLimits(hasExcitationCurrentLimit: true),
    };

    /// <summary>The registered machine type <c>extex-dc</c>.</summary>
    public static MachineType Type { get; } = new()
    {
        Id = "extex-dc",
        GemClassName = "DcExternallyExcitedMotor",
        GemEnvironmentName = "ExtExDc",
        Family = MachineKind.Dc,
        Defaults = Gem,
        Legacy = MotorType.ExternallyExcitedDc,
        Description = "externally excited DC motor (GEM DcExternallyExcitedMotor): separate armature and excitation circuits",
        Parameters = Fields<ExtExDcParameters>(),
    };

    /// <inheritdoc/>
    public override MachineType Machine => Type;

    /// <inheritdoc/>
    public override double ElectricalTorque(in MotorObservation o) => WoundDcEquations.Torque(MutualInductance, o.CurrentA, o.CurrentExcitation);

    /// <inheritdoc/>
    public override MotorParameters ToMotorParameters() => Flat(MotorType.ExternallyExcitedDc);
}

namespace MotorRT.Contracts.Machines;

/// <summary>Parameters of an externally excited DC motor (GEM DcExternallyExcitedMotor): separate armature and excitation circuits, SI.</summary>
public sealed record ExtExDcParameters : WoundDcParameters
{
    /// <summary>GEM 3.0.2's default motor: the wound-field DC defaults with r_e 0.16 Ω and a 210 A excitation limit.</summary>
    public static ExtExDcParameters Gem { get; } =
        new() { RotorInertia = GemRotorInertia, ExcitationResistance = 0.16, Limits = GemLimits(hasExcitationCurrentLimit: true) };

    /// <summary>The registered machine type <c>extex-dc</c>.</summary>
    public static MachineType Type { get; } = MachineType.Create("extex-dc", "DcExternallyExcitedMotor", "ExtExDc", MachineKind.Dc, Gem,
        Fields<ExtExDcParameters>(), "externally excited DC motor (GEM DcExternallyExcitedMotor)", MotorType.ExternallyExcitedDc);

    /// <inheritdoc/>
    public override MachineType Machine => Type;
}

namespace MotorRT.Contracts.Machines;

/// <summary>Parameters of a shunt DC motor (GEM DcShuntMotor): armature and excitation on the same voltage, SI.</summary>
public sealed record ShuntDcParameters : WoundDcParameters
{
    /// <summary>GEM 3.0.2's default motor: the wound-field DC defaults with r_e 0.4 Ω.</summary>
    public static ShuntDcParameters Gem { get; } = new()
    {
        ArmatureResistance = 0.016, ExcitationResistance = 0.4, ArmatureInductance = 1.9e-5, MutualInductance = 0.0017,
        ExcitationInductance = 0.0054, RotorInertia = 0.0025, Limits = GemLimits(hasExcitationCurrentLimit: true),
    };

    /// <summary>The registered machine type <c>shunt-dc</c>.</summary>
    public static MachineType Type { get; } = new()
    {
        Id = "shunt-dc",
        GemClassName = "DcShuntMotor",
        GemEnvironmentName = "ShuntDc",
        Family = MachineKind.Dc,
        Defaults = Gem,
        Legacy = MotorType.ShuntDc,
        Description = "shunt DC motor (GEM DcShuntMotor): armature and excitation on the same voltage",
        Parameters = Fields<ShuntDcParameters>(),
    };

    /// <inheritdoc/>
    public override MachineType Machine => Type;

    /// <inheritdoc/>
    /// <remarks>Reads the observation's phase-A current as the armature current, as the cascaded PI does.</remarks>
    public override double ElectricalTorque(in MotorObservation o) => WoundDcEquations.Torque(MutualInductance, o.CurrentA, o.CurrentExcitation);

    /// <inheritdoc/>
    public override MotorParameters ToMotorParameters() => Flat(MotorType.ShuntDc);
}

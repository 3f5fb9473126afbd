namespace MotorRT.Contracts.Machines;

/// <summary>Parameters of a shunt DC motor (GEM DcShuntMotor): armature and excitation on the same voltage, SI.</summary>
public sealed record ShuntDcParameters : WoundDcParameters
{
    /// <summary>GEM 3.0.2's default motor: the wound-field DC defaults with r_e 0.4 Ω and a 210 A excitation limit.</summary>
    public static ShuntDcParameters Gem { get; } =
        new() { RotorInertia = GemRotorInertia, ExcitationResistance = 0.4, Limits = GemLimits(hasExcitationCurrentLimit: true) };

    /// <summary>The registered machine type <c>shunt-dc</c>.</summary>
    public static MachineType Type { get; } = MachineType.Create("shunt-dc", "DcShuntMotor", "ShuntDc", MachineKind.Dc, Gem,
        Fields<ShuntDcParameters>(), "shunt DC motor (GEM DcShuntMotor)", MotorType.ShuntDc);

    /// <inheritdoc/>
    public override MachineType Machine => Type;
}

namespace MotorRT.Contracts.Machines;

/// <summary>Parameters of a permanently excited DC motor (GEM DcPermanentlyExcitedMotor), SI.</summary>
public sealed record PermExDcParameters : MachineParameters
{
    /// <summary>Armature resistance r_a, in Ω.</summary>
    public required double ArmatureResistance { get; init; }

    /// <summary>Armature inductance l_a, in H.</summary>
    public required double ArmatureInductance { get; init; }

    /// <summary>Permanent-magnet flux linkage psi_e, in V·s (= N·m/A).</summary>
    public required double ExcitationFlux { get; init; }

    /// <summary>GEM 3.0.2's default motor: r_a 0.016 Ω, l_a 1.9e-5 H, ψ_e 0.165 V·s, j_rotor 0.025 kg·m²; 210 A, 60 V, 400 rad/s, 38 N·m.</summary>
    public static PermExDcParameters Gem { get; } = new()
    {
        ArmatureResistance = 0.016, ArmatureInductance = 1.9e-5, ExcitationFlux = 0.165, RotorInertia = 0.025,
        Limits = new MotorLimits { Speed = 400, Torque = 38, Current = 210, Voltage = 60 },
    };

    /// <summary>The registered machine type <c>permex-dc</c> (GEM's r_a, l_a, psi_e, j_rotor in files).</summary>
    public static MachineType Type { get; } = MachineType.Create("permex-dc", "DcPermanentlyExcitedMotor", "PermExDc", MachineKind.Dc, Gem,
    [
        MachineParameterField.Of<PermExDcParameters>("r_a", "Ω", p => p.ArmatureResistance, (p, v) => p with { ArmatureResistance = v }),
        MachineParameterField.Of<PermExDcParameters>("l_a", "H", p => p.ArmatureInductance, (p, v) => p with { ArmatureInductance = v }),
        MachineParameterField.Of<PermExDcParameters>("psi_e", "V·s", p => p.ExcitationFlux, (p, v) => p with { ExcitationFlux = v }),
        RotorInertiaField<PermExDcParameters>(),
    ], "permanently excited DC motor (GEM DcPermanentlyExcitedMotor)", MotorType.PermanentlyExcitedDc, "pmdc");

    /// <inheritdoc/>
    public override MachineType Machine => Type;

    /// <inheritdoc/>
    public override double ElectricalTorque(in MotorObservation o) => PermExDcEquations.Torque(ExcitationFlux, o.CurrentA);

    /// <inheritdoc/>
    public override double CouplingVoltageQ(in MotorObservation o) => PermExDcEquations.BackEmf(ExcitationFlux, o.MechanicalSpeed);
}

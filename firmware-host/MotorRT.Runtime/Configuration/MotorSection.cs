using System.Text.Json.Serialization;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;

namespace MotorRT.Runtime.Configuration;

/// <summary>
/// The <c>motor</c> section as written in the file: the machine as the controller knows it, with GEM's parameter
/// names (SI units). Required on a real rig; in simulation the plant's parameters are used when it is absent.
/// <see cref="ToParameters"/> is the one mapping from this section to <see cref="MotorParameters"/>.
/// </summary>
public sealed record MotorSection(double P = 1.0) : IConfigValidation
{
    /// <summary>Config identifiers of the built-in machine types (<see cref="MachineTypes"/>; GEM names are accepted as aliases).</summary>
    public static readonly string[] TypeNames = [.. MachineTypes.All.Where(t => t.Legacy is not null).Select(t => t.Id)];

    /// <summary>Machine type: an identifier of <see cref="MachineTypes"/>, a GEM class name or a GEM environment id.</summary>
    [ConfigField("Machine type: permex-dc, extex-dc, series-dc, shunt-dc, pmsm, synrm, eesm, scim or dfim (GEM class names such as DcPermanentlyExcitedMotor and environment ids such as Cont-CC-PermExDc-v0 are accepted as aliases).")]
    public required string Type { get; init; }

    /// <summary>Armature resistance (DC), in Ω.</summary>
    [ConfigField("Armature resistance (DC machines).", Min = 0, Max = 1e3, Unit = "Ω")]
    [JsonPropertyName("r_a")]
    public double RA { get; init; }

    /// <summary>Armature inductance (DC), in H.</summary>
    [ConfigField("Armature inductance (DC machines).", Min = 0, Max = 10.0, Unit = "H")]
    [JsonPropertyName("l_a")]
    public double LA { get; init; }

    /// <summary>Excitation resistance (DC), in Ω.</summary>
    [ConfigField("Excitation resistance (DC machines).", Min = 0, Max = 1e3, Unit = "Ω")]
    [JsonPropertyName("r_e")]
    public double RE { get; init; }

    /// <summary>Excitation inductance (DC), in H.</summary>
    [ConfigField("Excitation inductance (DC machines).", Min = 0, Max = 10.0, Unit = "H")]
    [JsonPropertyName("l_e")]
    public double LE { get; init; }

    /// <summary>Mutual inductance between excitation and armature (DC), in H.</summary>
    [ConfigField("Mutual inductance between excitation and armature (DC machines).", Min = 0, Max = 10.0, Unit = "H")]
    [JsonPropertyName("l_e_prime")]
    public double LEPrime { get; init; }

    /// <summary>Permanent excitation flux (permex DC), in V·s.</summary>
    [ConfigField("Permanent excitation flux (permanently excited DC).", Min = 0, Max = 100.0, Unit = "V·s")]
    [JsonPropertyName("psi_e")]
    public double PsiE { get; init; }

    /// <summary>Pole-pair count.</summary>
    [ConfigField("Pole-pair count.", Min = 1, Max = 64)]
    [JsonPropertyName("p")]
    public double P { get; init; } = P;

    /// <summary>Stator resistance (AC), in Ω.</summary>
    [ConfigField("Stator resistance (AC machines).", Min = 0, Max = 1e3, Unit = "Ω")]
    [JsonPropertyName("r_s")]
    public double RS { get; init; }

    /// <summary>d-axis inductance, in H.</summary>
    [ConfigField("d-axis inductance (synchronous machines).", Min = 0, Max = 10.0, Unit = "H")]
    [JsonPropertyName("l_d")]
    public double LD { get; init; }

    /// <summary>q-axis inductance, in H.</summary>
    [ConfigField("q-axis inductance (synchronous machines).", Min = 0, Max = 10.0, Unit = "H")]
    [JsonPropertyName("l_q")]
    public double LQ { get; init; }

    /// <summary>Permanent-magnet flux (PMSM), in V·s.</summary>
    [ConfigField("Permanent-magnet flux (PMSM).", Min = 0, Max = 100.0, Unit = "V·s")]
    [JsonPropertyName("psi_p")]
    public double PsiP { get; init; }

    /// <summary>Main inductance (induction machines), in H.</summary>
    [ConfigField("Main inductance (induction machines).", Min = 0, Max = 10.0, Unit = "H")]
    [JsonPropertyName("l_m")]
    public double LM { get; init; }

    /// <summary>Stator leakage inductance, in H.</summary>
    [ConfigField("Stator leakage inductance (induction machines).", Min = 0, Max = 10.0, Unit = "H")]
    [JsonPropertyName("l_sigs")]
    public double LSigs { get; init; }

    /// <summary>Rotor leakage inductance, in H.</summary>
    [ConfigField("Rotor leakage inductance (induction machines).", Min = 0, Max = 10.0, Unit = "H")]
    [JsonPropertyName("l_sigr")]
    public double LSigr { get; init; }

    /// <summary>Rotor resistance (induction machines), in Ω.</summary>
    [ConfigField("Rotor resistance (induction machines).", Min = 0, Max = 1e3, Unit = "Ω")]
    [JsonPropertyName("r_r")]
    public double RR { get; init; }

    /// <summary>Rotor inertia, in kg·m².</summary>
    [ConfigField("Rotor inertia.", Min = 1e-9, Max = 1e4, Unit = "kg·m²")]
    [JsonPropertyName("j_rotor")]
    public required double JRotor { get; init; }

    /// <summary>Constant (Coulomb) friction torque of the shaft (rotor and coupled load), in N·m; 0 = not known.</summary>
    [ConfigField("Constant (Coulomb) friction torque of the shaft, rotor and coupled load (motorrt calibrate measures it; the twin's equivalent is plant.load polynomial a).", Min = 0, Max = 1e6, Unit = "N·m")]
    public double FrictionCoulomb { get; init; }

    /// <summary>Viscous friction coefficient of the shaft (rotor and coupled load), in N·m·s/rad; 0 = not known.</summary>
    [ConfigField("Viscous friction coefficient of the shaft, rotor and coupled load (motorrt calibrate measures it; the twin's equivalent is plant.load polynomial b).", Min = 0, Max = 1e6, Unit = "N·m·s/rad")]
    public double FrictionViscous { get; init; }

    /// <summary>The machine's limits.</summary>
    [ConfigField("Rated limits of the machine.")]
    public required MotorLimitsSection Limits { get; init; }

    /// <inheritdoc />
    public void Validate(ConfigScope scope)
    {
        if (!MachineTypes.TryResolve(Type, out MachineType machine) || machine.Legacy is null)
        {
            throw scope.Error("type", $"unknown value \"{Type}\"", $"use one of: {string.Join(", ", TypeNames)} (or a GEM class name / environment id)");
        }
    }

    /// <summary>The machine as the runtime and controllers know it.</summary>
    public MotorParameters ToParameters() => new()
    {
        Type = MachineTypes.Resolve(Type).Legacy!.Value,
        ArmatureResistance = RA,
        ArmatureInductance = LA,
        ExcitationResistance = RE,
        ExcitationInductance = LE,
        MutualInductance = LEPrime,
        ExcitationFlux = PsiE,
        PolePairs = P,
        StatorResistance = RS,
        InductanceD = LD,
        InductanceQ = LQ,
        PermanentMagnetFlux = PsiP,
        MainInductance = LM,
        StatorLeakageInductance = LSigs,
        RotorLeakageInductance = LSigr,
        RotorResistance = RR,
        RotorInertia = JRotor,
        Limits = new MotorLimits
        {
            Current = Limits.Current,
            Voltage = Limits.Voltage,
            Speed = Limits.Speed,
            Torque = Limits.Torque,
            ExcitationCurrent = Limits.ExcitationCurrent,
        },
    };
}

/// <summary>The <c>motor.limits</c> section.</summary>
public sealed record MotorLimitsSection
{
    /// <summary>Rated current, in A.</summary>
    [ConfigField("Rated current.", Min = 1e-6, Max = 1e5, Unit = "A")]
    public required double Current { get; init; }

    /// <summary>Rated voltage, in V.</summary>
    [ConfigField("Rated voltage.", Min = 1e-6, Max = 1e5, Unit = "V")]
    public required double Voltage { get; init; }

    /// <summary>Rated mechanical speed, in rad/s.</summary>
    [ConfigField("Rated mechanical speed.", Min = 1e-6, Max = 1e6, Unit = "rad/s")]
    public required double Speed { get; init; }

    /// <summary>Rated torque, in N·m.</summary>
    [ConfigField("Rated torque.", Min = 1e-9, Max = 1e6, Unit = "N·m")]
    public required double Torque { get; init; }

    /// <summary>Rated excitation current (DC machines with a field winding), in A.</summary>
    [ConfigField("Rated excitation current (DC machines with a field winding).", Min = 0, Max = 1e5, Unit = "A")]
    public double ExcitationCurrent { get; init; }
}

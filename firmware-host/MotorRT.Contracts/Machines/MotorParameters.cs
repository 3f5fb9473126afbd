namespace MotorRT.Contracts.Machines;

/// <summary>The electric machines the twin models and the controllers know (GEM 3.0.2's motor classes).</summary>
public enum MotorType
{
    /// <summary>Permanently excited DC motor (GEM DcPermanentlyExcitedMotor).</summary>
    PermanentlyExcitedDc,

    /// <summary>Externally excited DC motor (GEM DcExternallyExcitedMotor): separate armature and excitation circuits.</summary>
    ExternallyExcitedDc,

    /// <summary>Series DC motor (GEM DcSeriesMotor): one current through armature and excitation.</summary>
    SeriesDc,

    /// <summary>Shunt DC motor (GEM DcShuntMotor): armature and excitation on the same voltage.</summary>
    ShuntDc,

    /// <summary>Permanent-magnet synchronous motor (GEM PermanentMagnetSynchronousMotor).</summary>
    Pmsm,

    /// <summary>Synchronous reluctance motor (GEM SynchronousReluctanceMotor).</summary>
    SynRm,

    /// <summary>Externally excited synchronous motor (GEM ExternallyExcitedSynchronousMotor).</summary>
    Eesm,

    /// <summary>Squirrel-cage induction motor (GEM SquirrelCageInductionMotor).</summary>
    Scim,

    /// <summary>Doubly-fed induction motor (GEM DoublyFedInductionMotor).</summary>
    Dfim,
}

/// <summary>
/// Electrical and mechanical parameters of one machine in one flat record, SI units, with GEM's parameter names in the
/// docs. Parameters that do not apply to <see cref="Type"/> are zero. The typed records (<see cref="MachineParameters"/>
/// and one sealed record per machine type, which own GEM's defaults) are the vocabulary; this flat view remains for
/// consumers not yet moved to them: <see cref="ToTyped"/> and <see cref="MachineParameters.ToMotorParameters"/> convert.
/// </summary>
public sealed record MotorParameters
{
    /// <summary>Which machine these parameters describe.</summary>
    public required MotorType Type { get; init; }

    /// <summary>Armature resistance r_a, in Ω (DC machines).</summary>
    public double ArmatureResistance { get; init; }

    /// <summary>Armature inductance l_a, in H (DC machines).</summary>
    public double ArmatureInductance { get; init; }

    /// <summary>Excitation resistance r_e, in Ω (externally excited, series, shunt DC; EESM).</summary>
    public double ExcitationResistance { get; init; }

    /// <summary>Excitation inductance l_e, in H (externally excited, series, shunt DC; EESM).</summary>
    public double ExcitationInductance { get; init; }

    /// <summary>Mutual (cross) inductance l_e_prime between excitation and armature, in H (wound-field DC machines).</summary>
    public double MutualInductance { get; init; }

    /// <summary>Permanent-magnet flux linkage psi_e of a permanently excited DC motor, in V·s (= N·m/A).</summary>
    public double ExcitationFlux { get; init; }

    /// <summary>Number of pole pairs p (dimensionless; 1 for DC machines).</summary>
    public double PolePairs { get; init; } = 1.0;

    /// <summary>Stator resistance r_s, in Ω (AC machines).</summary>
    public double StatorResistance { get; init; }

    /// <summary>d-axis inductance l_d, in H (PMSM, SynRM, EESM).</summary>
    public double InductanceD { get; init; }

    /// <summary>q-axis inductance l_q, in H (PMSM, SynRM, EESM).</summary>
    public double InductanceQ { get; init; }

    /// <summary>Permanent-magnet flux linkage psi_p, in V·s (PMSM).</summary>
    public double PermanentMagnetFlux { get; init; }

    /// <summary>Main (magnetising) inductance l_m, in H (induction machines, EESM).</summary>
    public double MainInductance { get; init; }

    /// <summary>Stator leakage inductance l_sigs, in H (induction machines).</summary>
    public double StatorLeakageInductance { get; init; }

    /// <summary>Rotor leakage inductance l_sigr, in H (induction machines).</summary>
    public double RotorLeakageInductance { get; init; }

    /// <summary>Rotor resistance r_r, in Ω (induction machines).</summary>
    public double RotorResistance { get; init; }

    /// <summary>
    /// Stator-to-excitation transfer ratio k of an EESM (GEM's <c>k</c>, dimensionless; GEM default 65.21): GEM refers the
    /// excitation circuit to the stator with r_E = 1.5·k²·r_e, l_M = 1.5·k·l_m, l_E = 1.5·k²·l_e. 0 for other machines.
    /// </summary>
    public double ExcitationTransferRatio { get; init; }

    /// <summary>Rotor moment of inertia j_rotor, in kg·m².</summary>
    public required double RotorInertia { get; init; }

    /// <summary>Nominal values and limits of the machine (GEM's nominal_values and limit_values, in SI).</summary>
    public required MotorLimits Limits { get; init; }

    /// <summary>True for the four DC machines.</summary>
    public bool IsDc => Type is MotorType.PermanentlyExcitedDc or MotorType.ExternallyExcitedDc or MotorType.SeriesDc or MotorType.ShuntDc;

    /// <summary>The registered machine type (identifier, GEM names, family, defaults).</summary>
    public MachineType Machine => MachineTypes.Of(Type);

    /// <summary>The typed parameter record of this machine (the fields that apply to <see cref="Type"/>).</summary>
    public MachineParameters ToTyped() => Type switch
    {
        MotorType.PermanentlyExcitedDc => new PermExDcParameters
        {
            ArmatureResistance = ArmatureResistance, ArmatureInductance = ArmatureInductance, ExcitationFlux = ExcitationFlux,
            RotorInertia = RotorInertia, Limits = Limits,
        },
        MotorType.ExternallyExcitedDc => new ExtExDcParameters
        {
            ArmatureResistance = ArmatureResistance, ArmatureInductance = ArmatureInductance, ExcitationResistance = ExcitationResistance,
            ExcitationInductance = ExcitationInductance, MutualInductance = MutualInductance, RotorInertia = RotorInertia, Limits = Limits,
        },
        MotorType.SeriesDc => new SeriesDcParameters
        {
            ArmatureResistance = ArmatureResistance, ArmatureInductance = ArmatureInductance, ExcitationResistance = ExcitationResistance,
            ExcitationInductance = ExcitationInductance, MutualInductance = MutualInductance, RotorInertia = RotorInertia, Limits = Limits,
        },
        MotorType.ShuntDc => new ShuntDcParameters
        {
            ArmatureResistance = ArmatureResistance, ArmatureInductance = ArmatureInductance, ExcitationResistance = ExcitationResistance,
            ExcitationInductance = ExcitationInductance, MutualInductance = MutualInductance, RotorInertia = RotorInertia, Limits = Limits,
        },
        MotorType.Pmsm => new PmsmParameters
        {
            PolePairs = PolePairs, StatorResistance = StatorResistance, InductanceD = InductanceD, InductanceQ = InductanceQ,
            PermanentMagnetFlux = PermanentMagnetFlux, RotorInertia = RotorInertia, Limits = Limits,
        },
        MotorType.SynRm => new SynRmParameters
        {
            PolePairs = PolePairs, StatorResistance = StatorResistance, InductanceD = InductanceD, InductanceQ = InductanceQ,
            RotorInertia = RotorInertia, Limits = Limits,
        },
        MotorType.Eesm => new EesmParameters
        {
            PolePairs = PolePairs, StatorResistance = StatorResistance, InductanceD = InductanceD, InductanceQ = InductanceQ,
            MainInductance = MainInductance, ExcitationInductance = ExcitationInductance, ExcitationResistance = ExcitationResistance,
            ExcitationTransferRatio = ExcitationTransferRatio, RotorInertia = RotorInertia, Limits = Limits,
        },
        MotorType.Scim => new ScimParameters
        {
            PolePairs = PolePairs, StatorResistance = StatorResistance, MainInductance = MainInductance, StatorLeakageInductance = StatorLeakageInductance,
            RotorLeakageInductance = RotorLeakageInductance, RotorResistance = RotorResistance, RotorInertia = RotorInertia, Limits = Limits,
        },
        _ => new DfimParameters
        {
            PolePairs = PolePairs, StatorResistance = StatorResistance, MainInductance = MainInductance, StatorLeakageInductance = StatorLeakageInductance,
            RotorLeakageInductance = RotorLeakageInductance, RotorResistance = RotorResistance, RotorInertia = RotorInertia, Limits = Limits,
        },
    };

    /// <summary>The flat record of a typed one; throws <see cref="NotSupportedException"/> for types registered from outside.</summary>
    public static MotorParameters From(MachineParameters machine) => machine switch
    {
        PermExDcParameters m => new()
        {
            Type = MotorType.PermanentlyExcitedDc, ArmatureResistance = m.ArmatureResistance, ArmatureInductance = m.ArmatureInductance,
            ExcitationFlux = m.ExcitationFlux, RotorInertia = m.RotorInertia, Limits = m.Limits,
        },
        WoundDcParameters m when m.Machine.Legacy is not null => new()
        {
            Type = (MotorType)m.Machine.Legacy!, ArmatureResistance = m.ArmatureResistance, ExcitationResistance = m.ExcitationResistance,
            ArmatureInductance = m.ArmatureInductance, MutualInductance = m.MutualInductance, ExcitationInductance = m.ExcitationInductance,
            RotorInertia = m.RotorInertia, Limits = m.Limits,
        },
        EesmParameters m => new()
        {
            Type = MotorType.Eesm, PolePairs = m.PolePairs, InductanceD = m.InductanceD, InductanceQ = m.InductanceQ, MainInductance = m.MainInductance,
            ExcitationInductance = m.ExcitationInductance, RotorInertia = m.RotorInertia, StatorResistance = m.StatorResistance,
            ExcitationResistance = m.ExcitationResistance, ExcitationTransferRatio = m.ExcitationTransferRatio, Limits = m.Limits,
        },
        SynchronousParameters m when m.Machine.Legacy is MotorType.Pmsm or MotorType.SynRm => new()
        {
            Type = (MotorType)m.Machine.Legacy, PolePairs = m.PolePairs, InductanceD = m.InductanceD, InductanceQ = m.InductanceQ,
            RotorInertia = m.RotorInertia, StatorResistance = m.StatorResistance, PermanentMagnetFlux = m.MagnetFlux, Limits = m.Limits,
        },
        InductionParameters m when m.Machine.Legacy is MotorType.Scim or MotorType.Dfim => new()
        {
            Type = (MotorType)m.Machine.Legacy, PolePairs = m.PolePairs, MainInductance = m.MainInductance, StatorLeakageInductance = m.StatorLeakageInductance,
            RotorLeakageInductance = m.RotorLeakageInductance, RotorInertia = m.RotorInertia, StatorResistance = m.StatorResistance,
            RotorResistance = m.RotorResistance, Limits = m.Limits,
        },
        null => throw new ArgumentNullException(nameof(machine)),
        _ => throw new NotSupportedException($"machine type {machine.Machine.Id} has no flat MotorParameters form; use its typed record"),
    };

    /// <summary>GEM 3.0.2's default motor of a built-in type, as the flat record.</summary>
    public static MotorParameters Gem(MotorType type) => MachineTypes.Of(type).Defaults.ToMotorParameters();
}

/// <summary>Limits of a machine, SI. GEM normalises by these; MotorRT only uses them for supervision and tuning.</summary>
public sealed record MotorLimits
{
    /// <summary>Maximum current (phase amplitude for AC machines, armature for DC), in A.</summary>
    public required double Current { get; init; }

    /// <summary>Maximum voltage (phase amplitude for AC machines, armature for DC), in V.</summary>
    public required double Voltage { get; init; }

    /// <summary>Maximum mechanical speed, in rad/s.</summary>
    public required double Speed { get; init; }

    /// <summary>Maximum torque, in N·m.</summary>
    public required double Torque { get; init; }

    /// <summary>Maximum excitation current, in A (wound-field machines; 0 otherwise).</summary>
    public double ExcitationCurrent { get; init; }
}

using MotorRT.Contracts.Machines;

namespace MotorRT.Contracts;

/// <summary>
/// A named quantity read from <see cref="MotorObservation"/> in SI units, with no scaling: the one vocabulary that
/// controller files use to say what they read (a PWA law's parameter vector θ, an ONNX policy's observation layout).
/// Names are written in those files exactly as here.
/// </summary>
public enum ObservationQuantity
{
    /// <summary>Phase-a current (DC machines: armature / line current), A.</summary>
    CurrentA,

    /// <summary>Phase-b current, A.</summary>
    CurrentB,

    /// <summary>Phase-c current, A.</summary>
    CurrentC,

    /// <summary>Stator current α, A.</summary>
    CurrentAlpha,

    /// <summary>Stator current β, A.</summary>
    CurrentBeta,

    /// <summary>Stator current d (rotor frame), A.</summary>
    CurrentD,

    /// <summary>Stator current q (rotor frame), A.</summary>
    CurrentQ,

    /// <summary>Excitation current, A.</summary>
    CurrentExcitation,

    /// <summary>Mechanical angle in [0, 2π), rad.</summary>
    MechanicalAngle,

    /// <summary>Electrical angle ε in [−π, π), rad.</summary>
    ElectricalAngle,

    /// <summary>sin ε (dimensionless), as GEM's cos/sin-of-epsilon observation wrappers provide.</summary>
    SinElectricalAngle,

    /// <summary>cos ε (dimensionless).</summary>
    CosElectricalAngle,

    /// <summary>Mechanical speed ω, rad/s.</summary>
    MechanicalSpeed,

    /// <summary>Electrical speed ω_el = p·ω, rad/s.</summary>
    ElectricalSpeed,

    /// <summary>Air-gap torque from the measured currents and GEM's torque equation, N·m (DC machines, PMSM, SynRM).</summary>
    Torque,

    /// <summary>DC-link (supply) voltage, V (GEM's u_sup).</summary>
    DcLinkVoltage,

    /// <summary>Voltage commanded in the previous tick, d component (DC: armature), V.</summary>
    LastVoltageD,

    /// <summary>Voltage commanded in the previous tick, q component, V.</summary>
    LastVoltageQ,

    /// <summary>Speed reference, rad/s.</summary>
    ReferenceSpeed,

    /// <summary>Torque reference, N·m.</summary>
    ReferenceTorque,

    /// <summary>DC armature or d-axis current reference, A.</summary>
    ReferenceCurrentD,

    /// <summary>q-axis current reference, A.</summary>
    ReferenceCurrentQ,

    /// <summary>Excitation current reference, A.</summary>
    ReferenceCurrentExcitation,

    /// <summary>Current error, reference − measured, d axis (DC machines: armature, CurrentA), A.</summary>
    ErrorCurrentD,

    /// <summary>Current error, reference − measured, q axis, A.</summary>
    ErrorCurrentQ,

    /// <summary>
    /// The d-axis voltage the machine itself adds through cross-coupling, e_d = −ω_el·l_q·i_q, in V (synchronous
    /// machines; uses the motor parameters): the PMSM's d equation reads di_d/dt = (u_d − e_d − r_s·i_d)/l_d.
    /// </summary>
    CouplingVoltageD,

    /// <summary>
    /// The q-axis voltage the machine adds through cross-coupling and back-EMF, e_q = ω_el·(l_d·i_d + ψ_p), in V
    /// (synchronous machines): di_q/dt = (u_q − e_q − r_s·i_q)/l_q. For a permanently excited DC machine: e = ψ_e·ω.
    /// </summary>
    CouplingVoltageQ,

    /// <summary>Mechanical position, unwrapped (multi-turn), rad.</summary>
    MechanicalPosition,

    /// <summary>Mechanical position reference, rad.</summary>
    ReferencePosition,

    /// <summary>Position error, reference − measured, rad.</summary>
    ErrorPosition,
}

/// <summary>Reads <see cref="ObservationQuantity"/> values from an observation (allocation-free).</summary>
public static class ObservationQuantities
{
    /// <summary>
    /// True when <paramref name="q"/> can be read for <paramref name="motor"/>: the torque needs a machine whose
    /// torque equation uses measured currents only (not the induction machines); the coupling voltages need the motor.
    /// Check it at load time; <see cref="Read"/> returns NaN for a quantity that cannot be read.
    /// </summary>
    public static bool CanRead(ObservationQuantity q, MachineParameters? motor) => q switch
    {
        ObservationQuantity.Torque => motor is not null && motor.TorqueFromCurrents,
        ObservationQuantity.CouplingVoltageD or ObservationQuantity.CouplingVoltageQ => motor is not null,
        _ => Enum.IsDefined(q),
    };

    /// <summary>The value of <paramref name="q"/> in SI units.</summary>
    /// <param name="q">Which quantity.</param>
    /// <param name="o">The observation.</param>
    /// <param name="motor">Motor parameters (torque, coupling voltages, which current the d-axis error uses); may be null otherwise.</param>
    public static double Read(ObservationQuantity q, in MotorObservation o, MachineParameters? motor) => q switch
    {
        ObservationQuantity.CurrentA => o.CurrentA,
        ObservationQuantity.CurrentB => o.CurrentB,
        ObservationQuantity.CurrentC => o.CurrentC,
        ObservationQuantity.CurrentAlpha => o.CurrentAlpha,
        ObservationQuantity.CurrentBeta => o.CurrentBeta,
        ObservationQuantity.CurrentD => o.CurrentD,
        ObservationQuantity.CurrentQ => o.CurrentQ,
        ObservationQuantity.CurrentExcitation => o.CurrentExcitation,
        ObservationQuantity.MechanicalAngle => o.MechanicalAngle,
        ObservationQuantity.ElectricalAngle => o.ElectricalAngle,
        ObservationQuantity.SinElectricalAngle => Math.Sin(o.ElectricalAngle),
        ObservationQuantity.CosElectricalAngle => Math.Cos(o.ElectricalAngle),
        ObservationQuantity.MechanicalSpeed => o.MechanicalSpeed,
        ObservationQuantity.ElectricalSpeed => o.ElectricalSpeed,
        ObservationQuantity.Torque => motor is null ? double.NaN : motor.ElectricalTorque(in o),
        ObservationQuantity.DcLinkVoltage => o.DcLinkVoltage,
        ObservationQuantity.LastVoltageD => o.LastVoltageD,
        ObservationQuantity.LastVoltageQ => o.LastVoltageQ,
        ObservationQuantity.ReferenceSpeed => o.Reference.Speed,
        ObservationQuantity.ReferenceTorque => o.Reference.Torque,
        ObservationQuantity.ReferenceCurrentD => o.Reference.CurrentD,
        ObservationQuantity.ReferenceCurrentQ => o.Reference.CurrentQ,
        ObservationQuantity.ReferenceCurrentExcitation => o.Reference.CurrentExcitation,
        ObservationQuantity.ErrorCurrentD => o.Reference.CurrentD - (motor is null || motor.Machine.Family == MachineKind.Dc ? o.CurrentA : o.CurrentD),
        ObservationQuantity.ErrorCurrentQ => o.Reference.CurrentQ - o.CurrentQ,
        ObservationQuantity.CouplingVoltageD => motor is null ? double.NaN : motor.CouplingVoltageD(in o),
        ObservationQuantity.CouplingVoltageQ => motor is null ? double.NaN : motor.CouplingVoltageQ(in o),
        ObservationQuantity.MechanicalPosition => o.MechanicalPosition,
        ObservationQuantity.ReferencePosition => o.Reference.Position,
        ObservationQuantity.ErrorPosition => o.Reference.Position - o.MechanicalPosition,
        _ => double.NaN,
    };

    /// <summary>The SI unit of a quantity, as the files declare it ("1" for dimensionless).</summary>
    public static string UnitOf(ObservationQuantity q) => q switch
    {
        ObservationQuantity.MechanicalSpeed or ObservationQuantity.ElectricalSpeed or ObservationQuantity.ReferenceSpeed => "rad/s",
        ObservationQuantity.DcLinkVoltage or ObservationQuantity.LastVoltageD or ObservationQuantity.LastVoltageQ
            or ObservationQuantity.CouplingVoltageD or ObservationQuantity.CouplingVoltageQ => "V",
        ObservationQuantity.Torque or ObservationQuantity.ReferenceTorque => "N·m",
        ObservationQuantity.MechanicalAngle or ObservationQuantity.ElectricalAngle or ObservationQuantity.MechanicalPosition
            or ObservationQuantity.ReferencePosition or ObservationQuantity.ErrorPosition => "rad",
        ObservationQuantity.SinElectricalAngle or ObservationQuantity.CosElectricalAngle => "1",
        _ => "A",
    };
}

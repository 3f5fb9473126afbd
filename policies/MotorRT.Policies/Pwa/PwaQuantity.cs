using MotorRT.Contracts;
using MotorRT.Contracts.Machines;

namespace MotorRT.Policies.Pwa;

/// <summary>
/// One element of a PWA law's parameter vector θ, read from <see cref="MotorObservation"/> in SI units (no scaling).
/// Names are written in the law file exactly as here.
/// </summary>
public enum PwaQuantity
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

    /// <summary>Mechanical speed ω, rad/s.</summary>
    MechanicalSpeed,

    /// <summary>Electrical speed ω_el = p·ω, rad/s.</summary>
    ElectricalSpeed,

    /// <summary>DC-link voltage, V.</summary>
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

    /// <summary>Current error, reference − measured, d axis (DC: armature, CurrentA), A.</summary>
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
}

/// <summary>Reads <see cref="PwaQuantity"/> values from an observation (allocation-free).</summary>
public static class PwaQuantities
{
    /// <summary>The value of <paramref name="q"/> in SI units.</summary>
    /// <param name="q">Which quantity.</param>
    /// <param name="o">The observation.</param>
    /// <param name="motor">Motor parameters (for the coupling voltages).</param>
    public static double Read(PwaQuantity q, in MotorObservation o, MotorParameters motor) => q switch
    {
        PwaQuantity.CurrentA => o.CurrentA,
        PwaQuantity.CurrentB => o.CurrentB,
        PwaQuantity.CurrentC => o.CurrentC,
        PwaQuantity.CurrentAlpha => o.CurrentAlpha,
        PwaQuantity.CurrentBeta => o.CurrentBeta,
        PwaQuantity.CurrentD => o.CurrentD,
        PwaQuantity.CurrentQ => o.CurrentQ,
        PwaQuantity.CurrentExcitation => o.CurrentExcitation,
        PwaQuantity.MechanicalSpeed => o.MechanicalSpeed,
        PwaQuantity.ElectricalSpeed => o.ElectricalSpeed,
        PwaQuantity.DcLinkVoltage => o.DcLinkVoltage,
        PwaQuantity.LastVoltageD => o.LastVoltageD,
        PwaQuantity.LastVoltageQ => o.LastVoltageQ,
        PwaQuantity.ReferenceSpeed => o.Reference.Speed,
        PwaQuantity.ReferenceTorque => o.Reference.Torque,
        PwaQuantity.ReferenceCurrentD => o.Reference.CurrentD,
        PwaQuantity.ReferenceCurrentQ => o.Reference.CurrentQ,
        PwaQuantity.ReferenceCurrentExcitation => o.Reference.CurrentExcitation,
        PwaQuantity.ErrorCurrentD => o.Reference.CurrentD - (motor.IsDc ? o.CurrentA : o.CurrentD),
        PwaQuantity.ErrorCurrentQ => o.Reference.CurrentQ - o.CurrentQ,
        PwaQuantity.CouplingVoltageD => motor.IsDc ? 0.0 : -o.ElectricalSpeed * motor.InductanceQ * o.CurrentQ,
        PwaQuantity.CouplingVoltageQ => motor.IsDc
            ? motor.ExcitationFlux * o.MechanicalSpeed
            : o.ElectricalSpeed * (motor.InductanceD * o.CurrentD + motor.PermanentMagnetFlux),
        _ => double.NaN,
    };

    /// <summary>The SI unit of a quantity, for documentation and messages.</summary>
    public static string UnitOf(PwaQuantity q) => q switch
    {
        PwaQuantity.MechanicalSpeed or PwaQuantity.ElectricalSpeed or PwaQuantity.ReferenceSpeed => "rad/s",
        PwaQuantity.DcLinkVoltage or PwaQuantity.LastVoltageD or PwaQuantity.LastVoltageQ
            or PwaQuantity.CouplingVoltageD or PwaQuantity.CouplingVoltageQ => "V",
        PwaQuantity.ReferenceTorque => "N·m",
        _ => "A",
    };
}

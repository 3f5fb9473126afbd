namespace MotorRT.Policies.Onnx.Sidecar;

/// <summary>
/// A quantity a policy observes, read from <see cref="Contracts.MotorObservation"/> in SI units before the sidecar's
/// normalisation. Names are written in the sidecar exactly as here.
/// </summary>
public enum ObservationQuantity
{
    /// <summary>Phase-a current (DC: armature/line current), A.</summary>
    CurrentA,

    /// <summary>Phase-b current, A.</summary>
    CurrentB,

    /// <summary>Phase-c current, A.</summary>
    CurrentC,

    /// <summary>Stator current α, A.</summary>
    CurrentAlpha,

    /// <summary>Stator current β, A.</summary>
    CurrentBeta,

    /// <summary>Stator current d, A.</summary>
    CurrentD,

    /// <summary>Stator current q, A.</summary>
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

    /// <summary>Electrical speed p·ω, rad/s.</summary>
    ElectricalSpeed,

    /// <summary>Air-gap torque estimated from the measured currents and the motor parameters (GEM's torque equation), N·m.</summary>
    Torque,

    /// <summary>DC-link (supply) voltage, V (GEM's u_sup).</summary>
    DcLinkVoltage,

    /// <summary>Voltage commanded in the previous tick, d component or DC armature, V (GEM's u / u_d).</summary>
    LastVoltageD,

    /// <summary>Voltage commanded in the previous tick, q component, V (GEM's u_q).</summary>
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

    /// <summary>Current error reference − measured, DC armature (CurrentA) or d axis (CurrentD), A.</summary>
    ErrorCurrentD,

    /// <summary>Current error reference − measured, q axis, A.</summary>
    ErrorCurrentQ,
}

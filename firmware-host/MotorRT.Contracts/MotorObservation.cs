namespace MotorRT.Contracts;

/// <summary>
/// The estimated physical state of the drive plus the references for this tick: what every controller consumes.
/// All quantities are SI (A, V, rad, rad/s, N·m, s); nothing is normalised. Produced by the runtime's signal chain
/// from a <see cref="RawSensorFrame"/>. Fields that do not apply to the machine are zero.
/// </summary>
public struct MotorObservation
{
    /// <summary>Tick index since the loop started running (dimensionless).</summary>
    public long Tick;

    /// <summary>Loop time of this tick, in s (tick index × control period).</summary>
    public double Time;

    /// <summary>Control period, in s.</summary>
    public double Period;

    /// <summary>Phase-a current, in A. For DC machines: the armature current (series and shunt: the line current).</summary>
    public double CurrentA;

    /// <summary>Phase-b current, in A (three-phase machines; zero for DC machines).</summary>
    public double CurrentB;

    /// <summary>Phase-c current, in A (three-phase machines).</summary>
    public double CurrentC;

    /// <summary>Stator current α component (amplitude-invariant Clarke), in A.</summary>
    public double CurrentAlpha;

    /// <summary>Stator current β component (amplitude-invariant Clarke), in A.</summary>
    public double CurrentBeta;

    /// <summary>Stator current d component in the rotor frame, in A.</summary>
    public double CurrentD;

    /// <summary>Stator current q component in the rotor frame, in A.</summary>
    public double CurrentQ;

    /// <summary>Excitation current (externally excited DC, shunt DC, EESM), in A.</summary>
    public double CurrentExcitation;

    /// <summary>Mechanical rotor angle, in rad, wrapped to [0, 2π).</summary>
    public double MechanicalAngle;

    /// <summary>
    /// Mechanical rotor position, in rad, unwrapped (multi-turn, continuous): the encoder's signed count since the rig
    /// was opened × 2π / counts per turn (smart drives: the board's own multi-turn position estimate, delivered in
    /// encoder counts). What position controllers follow; <see cref="MechanicalAngle"/> is this value wrapped.
    /// </summary>
    public double MechanicalPosition;

    /// <summary>Electrical rotor angle (pole pairs × mechanical angle plus offset), in rad, wrapped to [−π, π).</summary>
    public double ElectricalAngle;

    /// <summary>Mechanical rotor speed, in rad/s.</summary>
    public double MechanicalSpeed;

    /// <summary>Electrical rotor speed (pole pairs × mechanical speed), in rad/s.</summary>
    public double ElectricalSpeed;

    /// <summary>Measured DC-link (supply) voltage, in V.</summary>
    public double DcLinkVoltage;

    /// <summary>Voltage the converter was commanded to apply in the previous tick, d component (or DC armature), in V.</summary>
    public double LastVoltageD;

    /// <summary>Voltage the converter was commanded to apply in the previous tick, q component, in V.</summary>
    public double LastVoltageQ;

    /// <summary>References for this tick.</summary>
    public References Reference;
}

/// <summary>
/// References for one tick, in SI units. Which ones are meaningful depends on the controller's mode
/// (current, torque, speed or position control); the others are zero.
/// </summary>
public struct References
{
    /// <summary>Mechanical speed reference, in rad/s.</summary>
    public double Speed;

    /// <summary>Mechanical position reference, in rad, unwrapped (compared with <see cref="MotorObservation.MechanicalPosition"/>).</summary>
    public double Position;

    /// <summary>Torque reference, in N·m.</summary>
    public double Torque;

    /// <summary>Current reference: DC armature current, or the d-axis current of an AC machine, in A.</summary>
    public double CurrentD;

    /// <summary>q-axis current reference of an AC machine, in A.</summary>
    public double CurrentQ;

    /// <summary>Excitation current reference (externally excited machines), in A.</summary>
    public double CurrentExcitation;
}

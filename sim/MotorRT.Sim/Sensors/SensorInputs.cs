namespace MotorRT.Sim.Sensors;

/// <summary>
/// The true physical quantities the sensor models look at, sampled from the plant once per tick. SI units. The rig
/// fills it from the plant's outputs; the sensor models turn it into raw counts.
/// </summary>
public struct SensorInputs
{
    /// <summary>Phase-a current, in A (DC machines: armature / line current).</summary>
    public double CurrentA;

    /// <summary>Phase-b current, in A (three-phase machines).</summary>
    public double CurrentB;

    /// <summary>Phase-c current, in A (three-phase machines).</summary>
    public double CurrentC;

    /// <summary>Excitation current, in A (externally excited / shunt DC, EESM).</summary>
    public double CurrentExcitation;

    /// <summary>DC-link voltage as the converter sees it, in V.</summary>
    public double DcLinkVoltage;

    /// <summary>Mechanical rotor angle, unwrapped (integrated since reset), in rad.</summary>
    public double MechanicalAngle;

    /// <summary>Electrical rotor angle, in rad (any range; the Hall model wraps it).</summary>
    public double ElectricalAngle;
}

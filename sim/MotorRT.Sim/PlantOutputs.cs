namespace MotorRT.Sim;

/// <summary>A typed, SI view of the plant after the last step (the truth, without observation noise).</summary>
public struct PlantOutputs
{
    /// <summary>Mechanical speed ω, in rad/s.</summary>
    public double Omega;
    /// <summary>Electromagnetic torque, in N·m.</summary>
    public double Torque;
    /// <summary>Mechanical rotor angle, in rad, UNWRAPPED (∫ω dt since reset), for every machine.</summary>
    public double MechanicalAngle;
    /// <summary>Electrical angle ε, in rad, wrapped to [−π, π) (0 for DC machines).</summary>
    public double Epsilon;
    /// <summary>Phase current a, in A (DC machines: armature / line current).</summary>
    public double CurrentA;
    /// <summary>Phase current b, in A (AC machines).</summary>
    public double CurrentB;
    /// <summary>Phase current c, in A (AC machines).</summary>
    public double CurrentC;
    /// <summary>d-axis stator current, in A (AC machines; SCIM: in the rotor-flux frame).</summary>
    public double CurrentD;
    /// <summary>q-axis stator current, in A (AC machines; SCIM: in the rotor-flux frame).</summary>
    public double CurrentQ;
    /// <summary>Excitation current, in A (externally excited and shunt DC machines, EESM).</summary>
    public double CurrentExcitation;
    /// <summary>Voltage applied to phase a over the last step, in V (DC machines: armature voltage).</summary>
    public double VoltageA;
    /// <summary>Voltage applied to phase b over the last step, in V.</summary>
    public double VoltageB;
    /// <summary>Voltage applied to phase c over the last step, in V.</summary>
    public double VoltageC;
    /// <summary>d-axis voltage over the last step, in V.</summary>
    public double VoltageD;
    /// <summary>q-axis voltage over the last step, in V.</summary>
    public double VoltageQ;
    /// <summary>Excitation voltage over the last step, in V.</summary>
    public double VoltageExcitation;
    /// <summary>DC-link voltage as the converter sees it, in V (sags with a source resistance).</summary>
    public double SupplyVoltage;
    /// <summary>Current drawn from the DC link over the last step, in A.</summary>
    public double SupplyCurrent;
}

/// <summary>
/// Faults injected into the plant, honoured by the next step. Use <see cref="None"/> (or <c>new PlantDisturbances()</c>)
/// for "no disturbance": <c>default(PlantDisturbances)</c> would mean zero load torque and zero supply voltage.
/// </summary>
public struct PlantDisturbances
{
    /// <summary>No disturbance: no open phase, rotor free, scales 1.</summary>
    public PlantDisturbances()
    {
        OpenPhase = -1;
        LoadTorqueScale = 1.0;
        SupplyVoltageScale = 1.0;
    }

    /// <summary>
    /// −1 none; else the phase (0 = a, 1 = b, 2 = c) that carries no current (open circuit). DC machines: 0 opens the
    /// armature circuit, 1 the excitation circuit.
    /// </summary>
    public int OpenPhase;

    /// <summary>True forces the speed to 0 rad/s (locked rotor).</summary>
    public bool LockedRotor;

    /// <summary>Multiplies the load torque (dimensionless): 1 normal, 0 load lost. Speed-imposing loads ignore it.</summary>
    public double LoadTorqueScale;

    /// <summary>Multiplies the nominal supply voltage (dimensionless): 1 normal, &lt; 1 sag, &gt; 1 over-voltage.</summary>
    public double SupplyVoltageScale;

    /// <summary>
    /// DC-link ripple amplitude as a fraction of the nominal supply voltage (dimensionless, 0 none): the source voltage
    /// is u_nom · (SupplyVoltageScale + amplitude · sin(2π · <see cref="SupplyRippleFrequency"/> · t)).
    /// </summary>
    public double SupplyRippleAmplitude;

    /// <summary>DC-link ripple frequency, in Hz (e.g. 300 Hz for a six-pulse rectifier on 50 Hz mains).</summary>
    public double SupplyRippleFrequency;

    /// <summary>The undisturbed plant.</summary>
    public static PlantDisturbances None => new();
}

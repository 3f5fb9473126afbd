namespace MotorRT.Policies.PI;

/// <summary>What a cascaded controller is asked to follow.</summary>
public enum ControlMode
{
    /// <summary>Current references (DC: armature current in <c>Reference.CurrentD</c>; AC: d/q currents).</summary>
    Current = 0,

    /// <summary>Torque reference <c>Reference.Torque</c> (N·m), mapped to currents through the torque equation.</summary>
    Torque = 1,

    /// <summary>Speed reference <c>Reference.Speed</c> (rad/s): a speed PI on top of the torque path.</summary>
    Speed = 2,
}

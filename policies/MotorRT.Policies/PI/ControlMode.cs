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

/// <summary>The one mapping between <see cref="ControlMode"/> and the <c>-current</c>/<c>-torque</c>/<c>-speed</c> suffix of a cascade's <c>controller.type</c>.</summary>
public static class ControlModes
{
    /// <summary>The type suffix of <paramref name="mode"/>: <c>current</c>, <c>torque</c> or <c>speed</c>.</summary>
    public static string Suffix(ControlMode mode) => mode switch
    {
        ControlMode.Current => "current",
        ControlMode.Torque => "torque",
        _ => "speed",
    };

    /// <summary>The <c>controller.type</c> of family <paramref name="prefix"/> (e.g. <c>foc</c>) in <paramref name="mode"/>: <c>foc-current</c>, ….</summary>
    public static string TypeName(string prefix, ControlMode mode) => $"{prefix}-{Suffix(mode)}";

    /// <summary>The three <c>controller.type</c>s of family <paramref name="prefix"/>, in the order current, torque, speed.</summary>
    public static string[] TypeNames(string prefix) =>
        [TypeName(prefix, ControlMode.Current), TypeName(prefix, ControlMode.Torque), TypeName(prefix, ControlMode.Speed)];

    /// <summary>The mode a registered cascade <c>controller.type</c> asks for (by its suffix; anything else is speed).</summary>
    public static ControlMode FromType(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.EndsWith("-current", StringComparison.Ordinal)) return ControlMode.Current;
        return type.EndsWith("-torque", StringComparison.Ordinal) ? ControlMode.Torque : ControlMode.Speed;
    }
}

namespace MotorRT.Hardware.Moteus;

/// <summary>How a register value is carried in a subframe (the low bits 2–3 of the subframe type).</summary>
public enum MoteusResolution : byte
{
    /// <summary>int8, scaled by the register's int8 LSB.</summary>
    Int8 = 0,

    /// <summary>int16, scaled by the register's int16 LSB.</summary>
    Int16 = 1,

    /// <summary>int32, scaled by the register's int32 LSB.</summary>
    Int32 = 2,

    /// <summary>IEEE-754 float32, in the register's unit.</summary>
    Float = 3,

    /// <summary>Not sent / not queried.</summary>
    Ignore = 4,
}

/// <summary>
/// moteus register numbers (docs/protocol/registers.md) and the integer scaling of each: position in revolutions,
/// velocity in rev/s, torque in N·m at the output shaft, current in A, voltage in V, temperature in °C, time in s,
/// kp/kd scales unitless. The most negative integer of each width encodes NaN ("unset", "use the board's").
/// </summary>
public static class MoteusRegisters
{
    /// <summary>0x000 mode (read/write; <see cref="MoteusModes"/>); written first in a command.</summary>
    public const int Mode = 0x000;
    /// <summary>0x001 measured position, in rev.</summary>
    public const int Position = 0x001;
    /// <summary>0x002 measured velocity, in rev/s.</summary>
    public const int Velocity = 0x002;
    /// <summary>0x003 measured torque, in N·m.</summary>
    public const int Torque = 0x003;
    /// <summary>0x004 measured q-axis current, in A.</summary>
    public const int QCurrent = 0x004;
    /// <summary>0x005 measured d-axis current, in A.</summary>
    public const int DCurrent = 0x005;
    /// <summary>0x00a motor temperature, in °C.</summary>
    public const int MotorTemperature = 0x00a;
    /// <summary>0x00d input (bus) voltage, in V.</summary>
    public const int Voltage = 0x00d;
    /// <summary>0x00e board temperature, in °C.</summary>
    public const int Temperature = 0x00e;
    /// <summary>0x00f fault code (<see cref="MoteusFaults"/>), set while the mode is Fault.</summary>
    public const int Fault = 0x00f;
    /// <summary>0x01c commanded q-axis current (current mode), in A.</summary>
    public const int CommandQCurrent = 0x01c;
    /// <summary>0x01d commanded d-axis current (current mode), in A.</summary>
    public const int CommandDCurrent = 0x01d;
    /// <summary>0x020 position command, in rev; NaN = hold/use the present control position.</summary>
    public const int CommandPosition = 0x020;
    /// <summary>0x021 velocity command, in rev/s.</summary>
    public const int CommandVelocity = 0x021;
    /// <summary>0x022 feed-forward torque, in N·m.</summary>
    public const int CommandFeedforwardTorque = 0x022;
    /// <summary>0x023 kp scale (unitless, 1 when unset).</summary>
    public const int CommandKpScale = 0x023;
    /// <summary>0x024 kd scale (unitless, 1 when unset).</summary>
    public const int CommandKdScale = 0x024;
    /// <summary>0x025 maximum torque, in N·m; NaN = the board's configured one.</summary>
    public const int CommandMaximumTorque = 0x025;
    /// <summary>0x026 stop position, in rev (deprecated by moteus).</summary>
    public const int CommandStopPosition = 0x026;
    /// <summary>0x027 watchdog timeout, in s: no command for this long → mode Timeout; 0 = the board's default, NaN = none.</summary>
    public const int CommandWatchdogTimeout = 0x027;

    /// <summary>The value of one LSB of <paramref name="register"/> at <paramref name="resolution"/> (1 for float and for integer registers).</summary>
    public static double Lsb(int register, MoteusResolution resolution)
    {
        if (resolution is MoteusResolution.Float or MoteusResolution.Ignore) return 1.0;
        int r = (int)resolution;
        return register switch
        {
            Position or 0x006 or CommandPosition or CommandStopPosition => Pick(r, 0.01, 0.0001, 0.00001),
            Velocity or CommandVelocity or 0x028 => Pick(r, 0.1, 0.00025, 0.00001),
            Torque or CommandFeedforwardTorque or CommandMaximumTorque => Pick(r, 0.5, 0.01, 0.001),
            QCurrent or DCurrent or CommandQCurrent or CommandDCurrent => Pick(r, 1.0, 0.1, 0.001),
            0x007 => Pick(r, 10.0, 0.05, 0.0001),
            MotorTemperature or Temperature => Pick(r, 1.0, 0.1, 0.001),
            Voltage or 0x014 or 0x015 or 0x016 or 0x019 or 0x01a or 0x01b => Pick(r, 0.5, 0.1, 0.001),
            CommandKpScale or CommandKdScale or 0x010 or 0x011 or 0x012 or 0x018 => Pick(r, 1.0 / 127.0, 1.0 / 32767.0, 1.0 / 2147483647.0),
            CommandWatchdogTimeout => Pick(r, 0.01, 0.001, 0.000001),
            0x029 => Pick(r, 0.05, 0.001, 0.00001),
            _ => 1.0,
        };
    }

    /// <summary>Bytes of one value at <paramref name="resolution"/>.</summary>
    public static int Size(MoteusResolution resolution) => resolution switch
    {
        MoteusResolution.Int8 => 1,
        MoteusResolution.Int16 => 2,
        _ => 4,
    };

    private static double Pick(int r, double int8, double int16, double int32) => r == 0 ? int8 : r == 1 ? int16 : int32;
}

/// <summary>Values of the mode register (0x000).</summary>
public static class MoteusModes
{
    /// <summary>Stopped: the bridge is off; writing it clears a latched fault.</summary>
    public const int Stopped = 0;
    /// <summary>Fault: latched, the code in register 0x00f.</summary>
    public const int Fault = 1;
    /// <summary>Current mode: commanded d/q currents.</summary>
    public const int Current = 9;
    /// <summary>Position mode: position/velocity/feed-forward torque with kp/kd scales.</summary>
    public const int Position = 10;
    /// <summary>Timeout: the command's watchdog expired (the board stops following commands until Stopped).</summary>
    public const int Timeout = 11;
}

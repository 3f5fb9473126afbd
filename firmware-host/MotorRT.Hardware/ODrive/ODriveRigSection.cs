using MotorRT.Contracts.Configuration;
using MotorRT.Hardware.Can;

namespace MotorRT.Hardware.ODrive;

/// <summary>The <c>rig</c> section of type <c>"odrive"</c>: one ODrive axis on a SocketCAN interface (CANSimple).</summary>
public sealed record ODriveRigSection(string Interface = "can0", double FrequencyHz = 1000, double HeartbeatTimeout = 0.2, int InnerSteps = 10)
    : CanRigSection(InnerSteps), IConfigValidation
{
    /// <summary>The rig kind, <c>"odrive"</c>.</summary>
    [ConfigField("The rig kind.", Choices = "odrive")]
    public required string Type { get; init; }

    /// <summary>SocketCAN interface name.</summary>
    [ConfigField("SocketCAN interface the board is on (e.g. can0 on a CAN HAT, vcan0 for tests); bring it up at the board's bit rate first (ip link set can0 up type can bitrate 1000000).")]
    public string Interface { get; init; } = Interface;

    /// <summary>The axis' CAN node id.</summary>
    [ConfigField("The axis' CAN node id (axis.config.can.node_id).", Min = 0, Max = 63)]
    public int NodeId { get; init; }

    /// <summary>Loop rate = the board's cyclic message rate, in Hz.</summary>
    [ConfigField("Rate of the board's cyclic encoder, I_q and bus messages (axis.config.can.encoder_msg_rate_ms etc. = 1000 / frequency_hz); equals timing.frequency.", Min = 1, Max = 10000, Unit = "Hz")]
    public double FrequencyHz { get; init; } = FrequencyHz;

    /// <summary>Heartbeat silence after which the link is lost, in s.</summary>
    [ConfigField("Heartbeat silence after which the rig reports the link lost (the supervisor trips RigIo); above the board's heartbeat period (axis.config.can.heartbeat_msg_rate_ms).", Min = 0.001, Max = 10, Unit = "s")]
    public double HeartbeatTimeout { get; init; } = HeartbeatTimeout;

    /// <summary>Torque per ampere of I_q, in N·m/A; absent = the twin's (emulation) or current set-points refused.</summary>
    [ConfigField("Torque per ampere (motor.config.torque_constant), to send current set-points as torque; absent = the emulated twin's ψ_e, on a real board current set-points need it.", Min = 1e-6, Max = 1e3, Unit = "N·m/A")]
    public double? TorqueConstant { get; init; }

    /// <summary>Run against the emulated board.</summary>
    [ConfigField("Run against an emulated ODrive (CI, development) over an in-process socket pair, with the rig of the sim section behind it (motorrt simulate only).")]
    public bool Emulate { get; init; }

    /// <inheritdoc />
    public void Validate(ConfigScope scope)
    {
        ValidateInterface(scope, Interface);
    }
}

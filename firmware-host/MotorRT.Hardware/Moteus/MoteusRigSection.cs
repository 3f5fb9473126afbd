using MotorRT.Contracts.Configuration;
using MotorRT.Hardware.Can;

namespace MotorRT.Hardware.Moteus;

/// <summary>The <c>rig</c> section of type <c>"moteus"</c>: one moteus servo on a SocketCAN CAN-FD interface (register protocol).</summary>
public sealed record MoteusRigSection(string Interface = "can0", int ServoId = 1, double FrequencyHz = 1000, double ReplyTimeout = 0.02, double WatchdogTimeout = 0.05, int InnerSteps = 10)
    : CanRigSection(InnerSteps), IConfigValidation
{
    /// <summary>The rig kind, <c>"moteus"</c>.</summary>
    [ConfigField("The rig kind.", Choices = "moteus")]
    public required string Type { get; init; }

    /// <summary>SocketCAN interface name (CAN-FD).</summary>
    [ConfigField("SocketCAN interface the servo is on, with CAN-FD (e.g. can0 on an MCP2518FD HAT): ip link set can0 up type can bitrate 1000000 dbitrate 5000000 fd on restart-ms 1000.")]
    public string Interface { get; init; } = Interface;

    /// <summary>The servo's CAN id.</summary>
    [ConfigField("The servo's CAN id (moteus id.id; 1 by default).", Min = 1, Max = 127)]
    public int ServoId { get; init; } = ServoId;

    /// <summary>This host's source id.</summary>
    [ConfigField("This host's source id, to which the servo addresses its replies (the high byte of the arbitration id); not the servo's id.", Min = 0, Max = 127)]
    public int SourceId { get; init; }

    /// <summary>Loop rate = one command + query frame per period, in Hz.</summary>
    [ConfigField("Rate of the command + query frames (one per loop period); equals timing.frequency.", Min = 1, Max = 10000, Unit = "Hz")]
    public double FrequencyHz { get; init; } = FrequencyHz;

    /// <summary>Reply silence after which the link is lost, in s.</summary>
    [ConfigField("Reply silence after which the rig reports the link lost (the supervisor trips RigIo); a few loop periods.", Min = 0.0001, Max = 10, Unit = "s")]
    public double ReplyTimeout { get; init; } = ReplyTimeout;

    /// <summary>The board's command watchdog, in s.</summary>
    [ConfigField("Watchdog timeout (register 0x027) sent with each position-mode command: with no newer command for this long the servo enters mode Timeout by itself (the Pi stopped).", Min = 0.001, Max = 10, Unit = "s")]
    public double WatchdogTimeout { get; init; } = WatchdogTimeout;

    /// <summary>Torque limit sent with each position-mode command, in N·m; absent = the board's own.</summary>
    [ConfigField("Maximum torque (register 0x025) sent with each position-mode command; absent = the servo's configured limit (servo.max_current_A).", Min = 0, Max = 1e4, Unit = "N·m")]
    public double? MaximumTorque { get; init; }

    /// <summary>Run against the emulated board.</summary>
    [ConfigField("Run against an emulated moteus (CI, development) over an in-process socket pair, with the rig of the sim section behind it (motorrt simulate only).")]
    public bool Emulate { get; init; }

    /// <inheritdoc />
    public void Validate(ConfigScope scope)
    {
        ValidateInterface(scope, Interface);
        if (SourceId == ServoId)
        {
            throw scope.Error("source_id", $"{SourceId} is the servo's own id", "use another id for this host (0 is the usual one)");
        }
        if (ReplyTimeout * FrequencyHz < 1.0 - 1e-9)
        {
            throw scope.Error("reply_timeout", $"{ReplyTimeout:G6} s is shorter than one loop period ({1.0 / FrequencyHz:G6} s): every tick would lose the link",
                "make it a few periods (e.g. 0.02 s at 1 kHz)");
        }
    }
}

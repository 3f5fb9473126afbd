namespace MotorRT.Contracts;

/// <summary>Outcome of one rig read or write.</summary>
public enum RigIoStatus
{
    /// <summary>The frame or command went through.</summary>
    Ok = 0,

    /// <summary>No frame arrived within the rig's timeout (e.g. a lost HIL packet); the supervisor counts these.</summary>
    Timeout = 1,

    /// <summary>The link to the plant is gone (e.g. the HIL plant server stopped answering).</summary>
    LinkLost = 2,

    /// <summary>A device reported an error (SPI transfer failed, PWM write rejected).</summary>
    DeviceError = 3,
}

/// <summary>
/// The one door between the runtime and a plant: read a raw sensor frame, write a converter command.
/// The simulated rig, the Raspberry Pi rig and the remote HIL rig implement it; the runtime never names any of them.
/// <see cref="Read"/> and <see cref="Write"/> run on the real-time path and must not allocate.
/// </summary>
public interface IRigIo : IDisposable
{
    /// <summary>What this rig is and how its sensors are wired; fixed once the rig is constructed.</summary>
    RigDescription Description { get; }

    /// <summary>
    /// True when the plant advances only when a command is written (simulated rig, HIL lock-step): the loop may then
    /// run as fast as possible without sleeping. False for real hardware and free-running HIL.
    /// </summary>
    bool IsLockStep { get; }

    /// <summary>Opens devices and links; called once before calibration, off the real-time path. Throws on failure.</summary>
    void Open();

    /// <summary>Samples all sensors into <paramref name="frame"/>.</summary>
    RigIoStatus Read(ref RawSensorFrame frame);

    /// <summary>Applies a command for the next PWM period. A command with BridgeEnable false must open all switches.</summary>
    RigIoStatus Write(in ConverterCommand command);

    /// <summary>
    /// Forces the bridge off (all switches open, enable pin low) by the most direct means available. Idempotent,
    /// callable from any thread, including signal handlers and unhandled-exception handlers; never throws.
    /// </summary>
    void DisableBridge();
}

/// <summary>
/// Static facts about a rig that the runtime needs to interpret its frames: machine family, PWM period and the
/// nominal scaling of its sensors. Calibration values measured at arm time (current offsets) are kept by the runtime.
/// </summary>
public sealed record RigDescription
{
    /// <summary>A short name for logs ("sim", "raspberry-pi", "remote-hil").</summary>
    public required string Name { get; init; }

    /// <summary>Machine family the rig drives.</summary>
    public required MachineKind Machine { get; init; }

    /// <summary>Number of converter channels driven (1 or 2 for DC, 3 or 4 for three-phase).</summary>
    public required int ConverterChannels { get; init; }

    /// <summary>PWM period, in s.</summary>
    public required double PwmPeriod { get; init; }

    /// <summary>
    /// True when the loop must tick at exactly <see cref="PwmPeriod"/>: the twin in this process advances one PWM period
    /// per tick (a different loop period makes loop time and plant time drift apart), and a set-point drive board
    /// exchanges its frames at the rig's own rate. The composition root refuses another <c>timing.frequency</c>.
    /// </summary>
    public bool RequiresLoopPeriod { get; init; }

    /// <summary>Encoder lines per mechanical revolution (counts per revolution are four times this); 0 when there is no encoder.</summary>
    public int EncoderLinesPerRevolution { get; init; }

    /// <summary>Command modes the rig accepts and quantities it measures. Default: <see cref="RigCapabilities.PwmBridge"/>.</summary>
    public RigCapabilities Capabilities { get; init; } = RigCapabilities.PwmBridge;
}

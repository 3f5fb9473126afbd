using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Contracts.Sensors;
using MotorRT.Hardware.Can;

namespace MotorRT.Hardware.Emulation;

/// <summary>
/// What the emulated CAN smart drives (<see cref="EmulatedODrive"/>, <see cref="EmulatedMoteus"/>) share apart from
/// their protocol: the board's end of the link (owned, disposed with the board), the plant and the board's inner
/// current loop behind it (<c>EmulatedDrivePlant</c>), the quantities derived from the plant's machine, the
/// "unplugged" switch <see cref="Silent"/>, the plant's clock, and the order of a period — what the host sent is
/// received, the plant runs one runtime period, then the board sends what it sends. No allocation per period.
/// </summary>
/// <typeparam name="TTransport">The board's end of the link (classic CAN or CAN-FD).</typeparam>
public abstract class EmulatedCanDrive<TTransport> : IEmulatedWorld, IDisposable, EmulatedDrivePlant.IInnerLoop
    where TTransport : ICanTransport
{
    /// <summary>The board's end of the link.</summary>
    private protected readonly TTransport Transport;

    /// <summary>The plant and the inner current loop.</summary>
    private protected readonly EmulatedDrivePlant Drive;

    /// <summary>Builds the board's shared part.</summary>
    /// <param name="can">The board's end of the link (owned).</param>
    /// <param name="plant">The plant rig (lock-step, DC machine, one converter channel); opened on <see cref="Start"/>.</param>
    /// <param name="motor">The plant's machine (permanently excited DC: r_a, l_a, ψ_e).</param>
    /// <param name="sensors">The plant's sensor scaling.</param>
    /// <param name="innerSteps">Plant steps (inner current-loop periods) per runtime period.</param>
    /// <param name="board">The board's name in error messages ("ODrive", "moteus").</param>
    private protected EmulatedCanDrive(TTransport can, IRigIo plant, MotorParameters motor, SensorSpec sensors, int innerSteps, string board)
    {
        Drive = new EmulatedDrivePlant(plant, motor, sensors, innerSteps, board);
        Transport = can;
    }

    /// <summary>Plant steps per runtime period.</summary>
    public int InnerSteps => Drive.InnerSteps;

    /// <summary>The board's torque constant, in N·m/A (ψ_e of the twin).</summary>
    public double TorqueConstant => Drive.TorqueConstant;

    /// <summary>The board's current limit, in A (the motor's; moteus: servo.max_current_A).</summary>
    public double CurrentLimit => Drive.CurrentLimit;

    /// <summary>True: the board sends nothing (unplugged, powered off).</summary>
    public bool Silent { get; set; }

    /// <summary>The plant's last frame.</summary>
    public RawSensorFrame LastFrame => Drive.Frame;

    /// <inheritdoc />
    public long NowNs => Drive.Frame.TimestampNs;

    /// <inheritdoc />
    public void Start()
    {
        Drive.Start();
        Started();
    }

    /// <inheritdoc />
    public void EndPeriod()
    {
        Receive();
        Drive.Advance(this);
        Transmit();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Drive.Dispose();
        Transport.Dispose();
    }

    /// <summary>After the plant's first sample on <see cref="Start"/>: the board's own reset and first frames.</summary>
    private protected abstract void Started();

    /// <summary>Reads and applies every frame the host sent (non-blocking).</summary>
    private protected abstract void Receive();

    /// <summary>Sends what the board sends after a period (cyclic messages, replies).</summary>
    private protected abstract void Transmit();

    /// <summary>The board's part of a plant step (<c>EmulatedDrivePlant.IInnerLoop</c>): sets <paramref name="cmd"/> for the next plant step.</summary>
    private protected abstract void InnerStep(ref ConverterCommand cmd);

    void EmulatedDrivePlant.IInnerLoop.InnerStep(ref ConverterCommand cmd) => InnerStep(ref cmd);
}

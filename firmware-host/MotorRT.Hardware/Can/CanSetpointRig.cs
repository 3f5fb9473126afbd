using MotorRT.Contracts;
using MotorRT.Contracts.Sensors;

namespace MotorRT.Hardware.Can;

/// <summary>
/// What the CAN set-point rigs (<c>ODriveRig</c>, <c>MoteusRig</c>) share around their protocol: the CAN endpoint
/// (given, or opened in <see cref="Open"/> by a connect function off the real-time path; owned either way), the link
/// state (<c>CanSetpointLink</c>: description, late frames, error frames, link loss, arming), the emulated board
/// behind the link in lock-step runs, and the life cycle — <see cref="Open"/> resets the link and sends the board's
/// "off" command before the world starts, <see cref="DisableBridge"/> (any thread) and <see cref="Dispose"/> send it
/// at once. Reading and writing the board's frames is the kind's own. No allocation per tick.
/// </summary>
/// <typeparam name="TTransport">The CAN endpoint (classic CAN or CAN-FD).</typeparam>
public abstract class CanSetpointRig<TTransport> : IRigIo
    where TTransport : ICanTransport
{
    private readonly Func<TTransport>? _connect;

    /// <summary>The CAN endpoint: the closed one until given or opened.</summary>
    private protected TTransport Transport;

    /// <summary>The link state shared by the kinds.</summary>
    private protected readonly CanSetpointLink Link;

    /// <summary>Builds the shared part; the endpoint is the closed one until the kind sets <see cref="Transport"/> or <see cref="Open"/> connects.</summary>
    /// <param name="connect">Opens the endpoint in <see cref="Open"/>, or null when the kind is given one.</param>
    /// <param name="name">The rig's name on a real bus ("odrive"; "-emulated" is appended with a world).</param>
    /// <param name="missingEncoder">The message when <c>sensors.encoder</c> is missing (the position is reported as encoder counts).</param>
    /// <param name="period">Loop period, in s.</param>
    /// <param name="linkTimeout">Silence after which the link is lost, in s.</param>
    /// <param name="sensors">The config's sensor scaling (counts of the frame).</param>
    /// <param name="world">The emulated board (lock-step CI runs), or null on a real bus.</param>
    private protected CanSetpointRig(Func<TTransport>? connect, string name, string missingEncoder, double period, double linkTimeout, SensorSpec sensors,
        IEmulatedWorld? world)
    {
        ArgumentNullException.ThrowIfNull(sensors);
        Transport = (TTransport)(ICanTransport)ClosedCanTransport.Instance;
        if (sensors.Encoder is null) throw new ArgumentException(missingEncoder, nameof(sensors));
        Link = new CanSetpointLink(name, period, linkTimeout, sensors, world);
        _connect = connect;
    }

    /// <inheritdoc />
    public RigDescription Description => Link.Description;

    /// <inheritdoc />
    public bool IsLockStep => Link.World is not null;

    /// <summary>The emulated board behind the link (an <c>EmulatedODrive</c>, <c>EmulatedMoteus</c>), or null on a real bus.</summary>
    public IEmulatedWorld? World => Link.World;

    /// <summary>Ticks that had no new data from the board (ODrive: encoder estimate; moteus: reply) — late or lost frames.</summary>
    public long LateFrames => Link.LateFrames;

    /// <summary>Error frames received (bus-off, error passive, controller problems).</summary>
    public long ErrorFrames => Link.ErrorFrames;

    /// <inheritdoc />
    public void Open()
    {
        ObjectDisposedException.ThrowIf(Link.Disposed, this);
        if (_connect is not null && ReferenceEquals(Transport, ClosedCanTransport.Instance)) Transport = _connect();
        Link.Reset();
        Opened();
        Link.World?.Start();
    }

    /// <inheritdoc />
    public abstract RigIoStatus Read(ref RawSensorFrame frame);

    /// <inheritdoc />
    public abstract RigIoStatus Write(in ConverterCommand command);

    /// <inheritdoc />
    public void DisableBridge()
    {
        Link.RequestOff();
        try
        {
            SendOff();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!Link.TryMarkDisposed()) return;
        SendOff();
        Transport.Dispose();
        (Link.World as IDisposable)?.Dispose();
    }

    /// <summary>On <see cref="Open"/>, after the link's reset and before the world starts: the kind's own reset and its first "off" frame.</summary>
    private protected abstract void Opened();

    /// <summary>Sends the board's "off" command (ODrive: IDLE; moteus: stop); false when it did not go out.</summary>
    private protected abstract bool SendOff();
}

using MotorRT.Contracts;
using MotorRT.Contracts.Sensors;

namespace MotorRT.Hardware.Can;

/// <summary>
/// What the CAN set-point rigs (<c>ODriveRig</c>, <c>MoteusRig</c>) share apart from
/// their protocol's encoding: the rig description of a board that closes the current loop (presented as a DC-like
/// machine, one channel), the tick count, the error-frame and bus-off accounting of the frame reading loop, the
/// link-loss timing (no sign of life for a number of ticks = lost, latched until <see cref="Reset"/>), the late-frame
/// count, the scaling of the board's quantities into the frame's counts, and the bridge-enable decision of a write
/// (a trip's <see cref="RequestOff"/> from any thread disables the next write). No allocation per tick.
/// </summary>
internal sealed class CanSetpointLink
{
    private const uint CanErrBusOff = 0x40;
    private readonly double _countsPerTurn;
    private readonly double _amperesPerCount, _zeroCounts, _voltsPerCount;
    private readonly int _currentMax, _dcMax;
    private readonly long _timeoutTicks;
    private readonly long _periodNs;
    private long _tick;
    private long _sequence;
    private long _lastAlive;
    private bool _busOff;
    private bool _fresh;
    private volatile bool _forceOff;

    /// <summary>Builds the shared part of a rig.</summary>
    /// <param name="name">The rig's name on a real bus ("odrive"); "-emulated" is appended when <paramref name="world"/> is given.</param>
    /// <param name="period">Loop period, in s.</param>
    /// <param name="linkTimeout">Silence after which the link is lost, in s (at least one tick).</param>
    /// <param name="sensors">The config's sensor scaling (counts of the frame); <c>sensors.encoder</c> is required (checked by the rig).</param>
    /// <param name="world">The emulated board (lock-step CI runs), or null on a real bus.</param>
    public CanSetpointLink(string name, double period, double linkTimeout, SensorSpec sensors, IEmulatedWorld? world)
    {
        EncoderSpec encoder = sensors.Encoder ?? throw new ArgumentException("sensors.encoder is required", nameof(sensors));
        World = world;
        _countsPerTurn = encoder.CountsPerRevolution;
        _amperesPerCount = sensors.Current.AmperesPerCount;
        _zeroCounts = sensors.Current.ZeroCounts;
        _currentMax = (1 << sensors.Current.Bits) - 1;
        _voltsPerCount = sensors.DcLink.VoltsPerCount;
        _dcMax = (1 << sensors.DcLink.Bits) - 1;
        _timeoutTicks = Math.Max(1, (long)Math.Ceiling(linkTimeout / period - 1e-9));
        _periodNs = (long)Math.Round(period * 1e9);
        Description = new RigDescription
        {
            Name = world is null ? name : name + "-emulated",
            Machine = MachineKind.Dc,
            ConverterChannels = 1,
            PwmPeriod = period,
            RequiresLoopPeriod = true,
            EncoderLinesPerRevolution = encoder.LinesPerRevolution,
            Capabilities = new RigCapabilities(RigCommandModes.TorqueSetpoint | RigCommandModes.CurrentSetpoint | RigCommandModes.VelocitySetpoint,
                RigMeasurements.PhaseCurrents | RigMeasurements.DcLinkVoltage | RigMeasurements.EncoderPosition | RigMeasurements.FaultInputs),
        };
    }

    /// <summary>The rig's description.</summary>
    public RigDescription Description { get; }

    /// <summary>The emulated board behind the link, or null on a real bus.</summary>
    public IEmulatedWorld? World { get; }

    /// <summary>Ticks that had no new data (late or lost frames).</summary>
    public long LateFrames { get; private set; }

    /// <summary>Error frames received (bus-off, error passive, controller problems).</summary>
    public long ErrorFrames { get; private set; }

    /// <summary>True once the link is lost (latched until <see cref="Reset"/>).</summary>
    public bool LinkLost { get; private set; }

    /// <summary>True while the board is commanded to run (set by the rig once its enabling frames went out).</summary>
    public bool Armed { get; set; }

    /// <summary>True once the rig is disposed.</summary>
    public bool Disposed { get; private set; }

    /// <summary>Resets for <see cref="IRigIo.Open"/>: tick and sequence 0, the link not lost, disarmed, no pending force-off.</summary>
    public void Reset()
    {
        _tick = 0;
        _sequence = 0;
        _lastAlive = 0;
        LinkLost = false;
        Armed = false;
        _forceOff = false;
    }

    /// <summary>Marks the rig disposed; false when it already was.</summary>
    public bool TryMarkDisposed()
    {
        if (Disposed) return false;
        Disposed = true;
        return true;
    }

    /// <summary>Starts a read: the next tick.</summary>
    public void BeginRead()
    {
        _busOff = false;
        _tick++;
    }

    /// <summary>Accounts for a received frame that is an error frame (counted; bus-off noted); true when it was one (the rig skips it).</summary>
    /// <param name="isError">The frame's error flag.</param>
    /// <param name="id">The frame's id (the error class bits).</param>
    public bool TakeErrorFrame(bool isError, uint id)
    {
        if (!isError) return false;
        ErrorFrames++;
        if ((id & CanErrBusOff) != 0) _busOff = true;
        return true;
    }

    /// <summary>The board showed it is alive this tick (heartbeat, reply).</summary>
    public void NoteAlive() => _lastAlive = _tick;

    /// <summary>New data arrived this tick (the frame can be filled).</summary>
    public void NoteFresh() => _fresh = true;

    /// <summary>
    /// Ends the frame reading loop: <see cref="RigIoStatus.LinkLost"/> after bus-off or the timeout without sign of life
    /// (latched), <see cref="RigIoStatus.DeviceError"/> on a transport error, <see cref="RigIoStatus.Timeout"/> without
    /// new data (a late frame, counted), else <see cref="RigIoStatus.Ok"/> (the new data taken).
    /// </summary>
    /// <param name="lastError">The transport's errno after the loop (0 = none).</param>
    public RigIoStatus EndRead(int lastError)
    {
        if (_busOff || _tick - _lastAlive > _timeoutTicks) LinkLost = true;
        if (LinkLost) return RigIoStatus.LinkLost;
        if (lastError != 0) return RigIoStatus.DeviceError;
        if (!_fresh)
        {
            LateFrames++;
            return RigIoStatus.Timeout;
        }
        _fresh = false;
        return RigIoStatus.Ok;
    }

    /// <summary>Fills <paramref name="frame"/> with the board's quantities in the frame's counts (next sequence number, world or tick time).</summary>
    /// <param name="frame">The frame to fill.</param>
    /// <param name="current">The torque-producing current, in A (→ <c>CurrentCountsA</c>).</param>
    /// <param name="voltage">The bus voltage, in V (→ <c>DcLinkCounts</c>).</param>
    /// <param name="position">The position, in rev (→ <c>EncoderCount</c>).</param>
    /// <param name="faultInputs">The board's faults as fault inputs.</param>
    public void Fill(ref RawSensorFrame frame, double current, double voltage, double position, uint faultInputs)
    {
        frame.Sequence = ++_sequence;
        frame.TimestampNs = World?.NowNs ?? _tick * _periodNs;
        frame.CurrentCountsA = Clamp(_zeroCounts + current / _amperesPerCount, _currentMax);
        frame.CurrentCountsB = 0;
        frame.CurrentCountsC = 0;
        frame.PhaseCSensed = false;
        frame.DcLinkCounts = Clamp(voltage / _voltsPerCount, _dcMax);
        frame.EncoderCount = (long)Math.Round(position * _countsPerTurn);
        frame.EncoderIndexPulses = 0;
        frame.EncoderCountAtIndex = 0;
        frame.HallState = -1;
        frame.FaultInputs = faultInputs;
    }

    /// <summary>Starts a write: true when <paramref name="command"/> enables the bridge with a set-point mode, the link is up and no force-off is pending (which it consumes).</summary>
    public bool BeginWrite(in ConverterCommand command)
    {
        bool enable = command.BridgeEnable && !_forceOff && !LinkLost
            && command.Mode is CommandMode.TorqueSetpoint or CommandMode.CurrentSetpoint or CommandMode.VelocitySetpoint;
        _forceOff = false;
        return enable;
    }

    /// <summary>Ends a write: lets the emulated period pass; <see cref="RigIoStatus.Ok"/> when <paramref name="sent"/>, else <see cref="RigIoStatus.DeviceError"/>.</summary>
    public RigIoStatus EndWrite(bool sent)
    {
        World?.EndPeriod();
        return sent ? RigIoStatus.Ok : RigIoStatus.DeviceError;
    }

    /// <summary>Disables the next write (callable from any thread; the rig sends its stop frame itself).</summary>
    public void RequestOff() => _forceOff = true;

    private static int Clamp(double counts, int max) => (int)Math.Clamp(Math.Round(counts), 0, max);
}

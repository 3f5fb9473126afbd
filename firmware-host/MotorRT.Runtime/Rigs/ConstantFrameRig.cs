using MotorRT.Contracts;

namespace MotorRT.Runtime.Rigs;

/// <summary>
/// A rig with no plant: every <see cref="Read"/> returns the same frame (with an advancing sequence number), every
/// <see cref="Write"/> is counted and discarded. For dry runs of a config and for measuring the loop's own overhead
/// per tick (no plant, no I/O cost). Lock-step unless told otherwise. Allocation-free.
/// </summary>
public sealed class ConstantFrameRig : IRigIo
{
    private RawSensorFrame _frame;
    private long _sequence;

    /// <summary>Creates the rig returning <paramref name="frame"/> (sequence and timestamp are filled per read).</summary>
    /// <param name="description">What the rig claims to be.</param>
    /// <param name="frame">The frame every read returns.</param>
    /// <param name="lockStep">Value of <see cref="IsLockStep"/> (false to exercise the real-time loop).</param>
    public ConstantFrameRig(RigDescription description, RawSensorFrame frame, bool lockStep = true)
    {
        ArgumentNullException.ThrowIfNull(description);
        Description = description;
        _frame = frame;
        IsLockStep = lockStep;
    }

    /// <inheritdoc />
    public RigDescription Description { get; }

    /// <inheritdoc />
    public bool IsLockStep { get; }

    /// <summary>Commands written since <see cref="Open"/>.</summary>
    public long Writes { get; private set; }

    /// <summary>Times <see cref="DisableBridge"/> was called.</summary>
    public int DisableCalls { get; private set; }

    /// <inheritdoc />
    public void Open()
    {
        _sequence = 0;
        Writes = 0;
    }

    /// <inheritdoc />
    public RigIoStatus Read(ref RawSensorFrame frame)
    {
        frame = _frame;
        frame.Sequence = ++_sequence;
        frame.TimestampNs = (long)(_sequence * Description.PwmPeriod * 1e9);
        return RigIoStatus.Ok;
    }

    /// <inheritdoc />
    public RigIoStatus Write(in ConverterCommand command)
    {
        Writes++;
        return RigIoStatus.Ok;
    }

    /// <inheritdoc />
    public void DisableBridge() => DisableCalls++;

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

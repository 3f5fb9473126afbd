using MotorRT.Contracts;

namespace MotorRT.Runtime.Rigs;

/// <summary>
/// Wraps any rig and records every frame it reads into a buffer pre-allocated at construction, for a later
/// <see cref="ReplayRig"/> run. When the buffer is full, further frames are counted in <see cref="DroppedFrames"/>
/// (never silently lost). <see cref="Save"/> writes the trace file off the real-time path. No allocation per call.
/// </summary>
public sealed class RecordingRig : IRigIo
{
    private readonly IRigIo _inner;
    private readonly RawSensorFrame[] _buffer;
    private int _count;

    /// <summary>Records up to <paramref name="capacity"/> frames read from <paramref name="inner"/>.</summary>
    public RecordingRig(IRigIo inner, int capacity)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _inner = inner;
        _buffer = new RawSensorFrame[capacity];
    }

    /// <inheritdoc />
    public RigDescription Description => _inner.Description;

    /// <inheritdoc />
    public bool IsLockStep => _inner.IsLockStep;

    /// <summary>Frames recorded so far.</summary>
    public ReadOnlySpan<RawSensorFrame> Frames => _buffer.AsSpan(0, _count);

    /// <summary>Frames that did not fit into the buffer.</summary>
    public long DroppedFrames { get; private set; }

    /// <inheritdoc />
    public void Open()
    {
        _count = 0;
        DroppedFrames = 0;
        _inner.Open();
    }

    /// <inheritdoc />
    public RigIoStatus Read(ref RawSensorFrame frame)
    {
        RigIoStatus status = _inner.Read(ref frame);
        if (status == RigIoStatus.Ok)
        {
            if (_count < _buffer.Length)
            {
                _buffer[_count++] = frame;
            }
            else
            {
                DroppedFrames++;
            }
        }
        return status;
    }

    /// <inheritdoc />
    public RigIoStatus Write(in ConverterCommand command) => _inner.Write(in command);

    /// <inheritdoc />
    public void DisableBridge() => _inner.DisableBridge();

    /// <summary>Writes the recorded frames as a trace file; throws when frames were dropped unless <paramref name="allowTruncated"/>.</summary>
    public void Save(string path, bool allowTruncated = false)
    {
        if (DroppedFrames > 0 && !allowTruncated)
        {
            throw new InvalidOperationException($"{DroppedFrames} frames did not fit into the recording buffer of {_buffer.Length}; enlarge it or pass allowTruncated");
        }
        RawFrameTrace.Write(path, Description, Frames);
    }

    /// <inheritdoc />
    public void Dispose() => _inner.Dispose();
}

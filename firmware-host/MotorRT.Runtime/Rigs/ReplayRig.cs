using MotorRT.Contracts;

namespace MotorRT.Runtime.Rigs;

/// <summary>
/// A rig that replays a recorded raw-frame trace (<see cref="RawFrameTrace"/>): each <see cref="Read"/> returns the
/// next recorded frame, each <see cref="Write"/> advances to it. The plant does not react to commands (open-loop
/// replay: signal-chain, estimator and supervisor regression runs, post-mortems of rig recordings); the last
/// command and the bridge state are kept for inspection. Lock-step. When the trace is exhausted, <see cref="Read"/>
/// reports <see cref="RigIoStatus.LinkLost"/> (the supervisor then stops the run). No allocation per call.
/// </summary>
public sealed class ReplayRig : IRigIo
{
    private readonly RawSensorFrame[] _frames;
    private int _next;
    private ConverterCommand _lastCommand;
    private volatile bool _bridgeDisabled = true;

    /// <summary>Replays the trace file at <paramref name="path"/> (loaded now, off the real-time path).</summary>
    public ReplayRig(string path)
    {
        (RigDescription description, RawSensorFrame[] frames) = RawFrameTrace.Read(path);
        Description = description with { Name = "replay" };
        _frames = frames;
    }

    /// <summary>Replays frames already in memory.</summary>
    public ReplayRig(RigDescription description, RawSensorFrame[] frames)
    {
        Description = description;
        _frames = frames;
    }

    /// <inheritdoc />
    public RigDescription Description { get; }

    /// <inheritdoc />
    public bool IsLockStep => true;

    /// <summary>Number of frames in the trace.</summary>
    public int FrameCount => _frames.Length;

    /// <summary>Index of the frame the next <see cref="Read"/> returns.</summary>
    public int Position => _next;

    /// <summary>The last command written.</summary>
    public ref readonly ConverterCommand LastCommand => ref _lastCommand;

    /// <summary>True when the last write disabled the bridge or <see cref="DisableBridge"/> was called since.</summary>
    public bool BridgeDisabled => _bridgeDisabled;

    /// <summary>Commands written with the bridge enabled (dimensionless).</summary>
    public long EnabledWrites { get; private set; }

    /// <inheritdoc />
    public void Open()
    {
        _next = 0;
        EnabledWrites = 0;
        _lastCommand.SetSafe();
        _bridgeDisabled = true;
    }

    /// <inheritdoc />
    public RigIoStatus Read(ref RawSensorFrame frame)
    {
        if (_next >= _frames.Length)
        {
            return RigIoStatus.LinkLost;
        }
        frame = _frames[_next];
        return RigIoStatus.Ok;
    }

    /// <inheritdoc />
    public RigIoStatus Write(in ConverterCommand command)
    {
        _lastCommand = command;
        _bridgeDisabled = !command.BridgeEnable;
        if (command.BridgeEnable)
        {
            EnabledWrites++;
        }
        if (_next < _frames.Length)
        {
            _next++;
        }
        return RigIoStatus.Ok;
    }

    /// <inheritdoc />
    public void DisableBridge() => _bridgeDisabled = true;

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

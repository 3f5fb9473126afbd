using MotorRT.Contracts;

namespace MotorRT.Sim.Testing;

/// <summary>
/// A rig wrapper for tests that logs the bridge state of every command written (<see cref="BridgeAtWrite"/>) and counts
/// the writes and the <see cref="DisableBridge"/> calls; everything else goes to the wrapped rig. Derived rigs add
/// their faults by overriding <see cref="Open"/>, <see cref="Read"/> or <see cref="Write"/>. Read and Write do not allocate.
/// </summary>
public abstract class BridgeLoggingRig : IRigIo
{
    private readonly IRigIo _inner;
    private readonly bool[] _bridge;

    /// <summary>Wraps <paramref name="inner"/>; the bridge log holds <paramref name="logWrites"/> writes (later ones are counted, not logged).</summary>
    protected BridgeLoggingRig(IRigIo inner, int logWrites)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _bridge = new bool[logWrites];
    }

    /// <summary>Commands written since construction.</summary>
    public long Writes { get; private set; }

    /// <summary>Calls of <see cref="DisableBridge"/>.</summary>
    public int DisableCalls { get; private set; }

    /// <summary>Whether the command of write <paramref name="write"/> (counted from 0) enabled the bridge.</summary>
    public bool BridgeAtWrite(long write) => _bridge[write];

    /// <inheritdoc />
    public RigDescription Description => _inner.Description;

    /// <inheritdoc />
    public virtual bool IsLockStep => _inner.IsLockStep;

    /// <inheritdoc />
    public virtual void Open() => _inner.Open();

    /// <inheritdoc />
    public virtual RigIoStatus Read(ref RawSensorFrame frame) => _inner.Read(ref frame);

    /// <inheritdoc />
    public virtual RigIoStatus Write(in ConverterCommand command)
    {
        if (Writes < _bridge.Length) _bridge[Writes] = command.BridgeEnable;
        Writes++;
        return _inner.Write(in command);
    }

    /// <inheritdoc />
    public void DisableBridge()
    {
        DisableCalls++;
        _inner.DisableBridge();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _inner.Dispose();
        GC.SuppressFinalize(this);
    }
}

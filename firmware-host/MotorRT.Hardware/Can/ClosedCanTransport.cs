using MotorRT.Contracts;

namespace MotorRT.Hardware.Can;

/// <summary>
/// The endpoint of a CAN rig before <see cref="IRigIo.Open"/> connected it: sends and receives nothing, and reports
/// ENOTCONN in <see cref="LastError"/>.
/// </summary>
internal sealed class ClosedCanTransport : ICanFdTransport
{
    /// <summary>The one instance (stateless).</summary>
    public static readonly ClosedCanTransport Instance = new();

    private ClosedCanTransport()
    {
    }

    /// <inheritdoc />
    public string Name => "closed";

    /// <inheritdoc />
    public int LastError => 107; // ENOTCONN

    /// <inheritdoc />
    public bool TrySend(in CanFrame frame) => false;

    /// <inheritdoc />
    public bool TryReceive(out CanFrame frame)
    {
        frame = default;
        return false;
    }

    /// <inheritdoc />
    public bool TrySendFd(in CanFdFrame frame) => false;

    /// <inheritdoc />
    public bool TryReceiveFd(out CanFdFrame frame)
    {
        frame = default;
        return false;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

namespace MotorRT.Hardware.Can;

/// <summary>
/// A classic-CAN endpoint: SocketCAN raw socket on a real or virtual interface, or one end of an in-process socket
/// pair carrying the same 16-byte <see cref="CanFrame"/>. Both calls are non-blocking and allocate nothing; they may
/// be called from the loop thread and (send only) from a safety thread at the same time.
/// </summary>
public interface ICanTransport : IDisposable
{
    /// <summary>A short name for logs (<c>can0</c>, <c>socketpair</c>).</summary>
    string Name { get; }

    /// <summary>Queues one frame; false when the transmit queue is full or the interface is down (errno in <see cref="LastError"/>).</summary>
    bool TrySend(in CanFrame frame);

    /// <summary>Takes the next received frame, or returns false at once when none is waiting.</summary>
    bool TryReceive(out CanFrame frame);

    /// <summary>errno of the last failed call (0 after a successful one).</summary>
    int LastError { get; }
}

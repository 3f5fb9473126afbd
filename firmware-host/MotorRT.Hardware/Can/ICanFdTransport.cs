namespace MotorRT.Hardware.Can;

/// <summary>
/// A CAN endpoint that also carries CAN-FD frames (<see cref="CanFdFrame"/>, up to 64 data bytes): a SocketCAN raw
/// socket opened with FD frames enabled, or one end of the in-process socket pair. Receiving with
/// <see cref="TryReceiveFd"/> returns classic and FD frames alike (<see cref="CanFdFrame.IsFd"/> tells them apart).
/// Non-blocking, no allocation, send callable from a safety thread as for <see cref="ICanTransport"/>.
/// </summary>
public interface ICanFdTransport : ICanTransport
{
    /// <summary>Queues one CAN-FD frame; false when the queue is full or the interface is down (errno in <see cref="ICanTransport.LastError"/>).</summary>
    bool TrySendFd(in CanFdFrame frame);

    /// <summary>Takes the next received frame (classic or FD), or returns false at once when none is waiting.</summary>
    bool TryReceiveFd(out CanFdFrame frame);
}

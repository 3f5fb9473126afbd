namespace MotorRT.Hardware.RaspberryPi;

/// <summary>
/// The file descriptor of a GPIO v2 line request, reduced to what <see cref="GpioChardevEdgeReader"/> needs, so a test
/// can stand in for the kernel: <see cref="GpioChardevLineRequest"/> on a real <c>/dev/gpiochipN</c>,
/// <c>Emulation.EmulatedGpioLineEvents</c> in CI. Both return byte-exact <c>gpio_v2_line_event</c> records.
/// </summary>
public interface IGpioLineEventSource : IDisposable
{
    /// <summary>
    /// Requests <paramref name="offsets"/> as inputs with rising- and falling-edge events and a kernel buffer of
    /// <paramref name="eventBufferSize"/> events.
    /// </summary>
    void Request(ReadOnlySpan<int> offsets, int eventBufferSize);

    /// <summary>Levels of the requested lines now: bit i = line i of the request (GPIO_V2_LINE_GET_VALUES_IOCTL).</summary>
    ulong ReadValues();

    /// <summary>
    /// Non-blocking read(): copies as many whole 48-byte events as are pending and fit into <paramref name="buffer"/>,
    /// oldest first, and returns the bytes copied (0 when none is pending). Must not allocate.
    /// </summary>
    int Read(Span<byte> buffer);
}

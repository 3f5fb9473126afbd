using System.Buffers.Text;
using System.Device.Gpio;
using Microsoft.Win32.SafeHandles;

namespace MotorRT.Hardware.RaspberryPi;

/// <summary>
/// Encoder count from a Linux counter-subsystem device: the <c>count</c> attribute of a quadrature counter
/// (<c>/sys/bus/counter/devices/counterN/countM/count</c>, function "quadrature x4"), read with one pread per
/// sample into a pre-allocated buffer and parsed without allocation. The hardware counts every edge however fast the
/// shaft turns and however late the loop is. The index, when wired, comes from a GPIO rising-edge event on Z that
/// latches the counter's value at the event.
/// </summary>
public sealed class KernelCounterEncoder : IQuadratureCounter
{
    private readonly string _path;
    private readonly GpioController? _gpio;
    private readonly int _pinZ;
    private readonly byte[] _buffer = new byte[32];
    private readonly PinChangeEventHandler _onIndex;
    private SafeFileHandle? _handle;
    private long _zero;
    private int _indexPulses;
    private long _countAtIndex;
    private int _version;

    /// <summary>Reads the count attribute at <paramref name="path"/>; the index on line <paramref name="pinZ"/> of <paramref name="gpio"/> (−1 = none).</summary>
    public KernelCounterEncoder(string path, GpioController? gpio, int pinZ)
    {
        _path = path;
        _gpio = gpio;
        _pinZ = gpio is null ? -1 : pinZ;
        _onIndex = OnIndex;
    }

    /// <inheritdoc />
    public long IllegalTransitions => 0;

    /// <inheritdoc />
    public void Start()
    {
        if (_handle is null)
        {
            if (!File.Exists(_path))
            {
                throw new IOException($"counter device attribute {_path} not found: enable the counter driver/overlay or use the \"gpio\" encoder source");
            }
            _handle = File.OpenHandle(_path, FileMode.Open, FileAccess.Read);
            if (_pinZ >= 0)
            {
                _gpio!.OpenPin(_pinZ, PinMode.Input);
                _gpio.RegisterCallbackForPinValueChangedEvent(_pinZ, PinEventTypes.Rising, _onIndex);
            }
        }
        _zero = ReadRaw();
        _indexPulses = 0;
        _countAtIndex = 0;
    }

    /// <inheritdoc />
    public void Sample(out long count, out int indexPulses, out long countAtIndex)
    {
        count = ReadRaw() - _zero;
        int v;
        do
        {
            v = Volatile.Read(ref _version);
            indexPulses = Volatile.Read(ref _indexPulses);
            countAtIndex = Volatile.Read(ref _countAtIndex);
        }
        while ((v & 1) != 0 || v != Volatile.Read(ref _version));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_pinZ >= 0 && _handle is not null)
        {
            _gpio!.UnregisterCallbackForPinValueChangedEvent(_pinZ, _onIndex);
        }
        _handle?.Dispose();
        _handle = null;
    }

    private long ReadRaw()
    {
        int n = RandomAccess.Read(_handle!, _buffer, 0);
        return Utf8Parser.TryParse(_buffer.AsSpan(0, n), out long value, out _) ? value : 0;
    }

    private void OnIndex(object sender, PinValueChangedEventArgs e)
    {
        long c = ReadRaw() - _zero;
        Interlocked.Increment(ref _version);
        _indexPulses++;
        _countAtIndex = c;
        Interlocked.Increment(ref _version);
    }
}

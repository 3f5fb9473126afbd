using System.Device.Gpio;

namespace MotorRT.Hardware.RaspberryPi;

/// <summary>
/// MotorRT's own 4× quadrature decoder on GPIO edge events (decoding shared with <see cref="GpioChardevEdgeReader"/>):
/// A and B on both edges, Z on the rising edge. Every edge
/// moves the state along the Gray sequence (A,B) = 00 → 10 → 11 → 01 → 00 (+1 each) or back (−1); an edge that
/// contradicts the tracked level (a rising edge on a line already high: the opposite edge was lost) is counted in
/// <see cref="IllegalTransitions"/> and not counted as motion. The
/// count is latched at each Z rising edge. Levels are tracked from the events themselves (no GPIO read per edge).
/// Edges arrive on the GPIO driver's event thread; the loop reads a consistent snapshot through a sequence lock.
/// Iot.Device.Bindings' QuadratureRotaryEncoder is not used: it counts 1× with a 5 ms debounce and allocates per
/// pulse — fine for a knob, wrong for a motor shaft.
/// </summary>
public sealed class GpioQuadratureDecoder : IQuadratureCounter
{
    private readonly GpioController _gpio;
    private readonly int _pinA, _pinB, _pinZ;
    private readonly PinChangeEventHandler _onEdge;
    private QuadratureState _q;
    private int _version;
    private bool _started;

    /// <summary>Decodes lines <paramref name="pinA"/>, <paramref name="pinB"/> and optionally <paramref name="pinZ"/> (−1 = none) of <paramref name="gpio"/>.</summary>
    public GpioQuadratureDecoder(GpioController gpio, int pinA, int pinB, int pinZ)
    {
        _gpio = gpio;
        _pinA = pinA;
        _pinB = pinB;
        _pinZ = pinZ;
        _onEdge = OnEdge;
    }

    /// <inheritdoc />
    public long IllegalTransitions => Volatile.Read(ref _q.Illegal);

    /// <summary>Edges processed since <see cref="Start"/>.</summary>
    public long Edges { get; private set; }

    /// <inheritdoc />
    public void Start()
    {
        if (!_started)
        {
            _gpio.OpenPin(_pinA, PinMode.Input);
            _gpio.OpenPin(_pinB, PinMode.Input);
            if (_pinZ >= 0)
            {
                _gpio.OpenPin(_pinZ, PinMode.Input);
            }
        }
        _q.Reset(_gpio.Read(_pinA) == PinValue.High, _gpio.Read(_pinB) == PinValue.High);
        Edges = 0;
        if (!_started)
        {
            _gpio.RegisterCallbackForPinValueChangedEvent(_pinA, PinEventTypes.Rising | PinEventTypes.Falling, _onEdge);
            _gpio.RegisterCallbackForPinValueChangedEvent(_pinB, PinEventTypes.Rising | PinEventTypes.Falling, _onEdge);
            if (_pinZ >= 0)
            {
                _gpio.RegisterCallbackForPinValueChangedEvent(_pinZ, PinEventTypes.Rising, _onEdge);
            }
            _started = true;
        }
    }

    /// <inheritdoc />
    public void Sample(out long count, out int indexPulses, out long countAtIndex)
    {
        int v;
        do
        {
            v = Volatile.Read(ref _version);
            count = Volatile.Read(ref _q.Count);
            indexPulses = Volatile.Read(ref _q.IndexPulses);
            countAtIndex = Volatile.Read(ref _q.CountAtIndex);
        }
        while ((v & 1) != 0 || v != Volatile.Read(ref _version));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_started)
        {
            _gpio.UnregisterCallbackForPinValueChangedEvent(_pinA, _onEdge);
            _gpio.UnregisterCallbackForPinValueChangedEvent(_pinB, _onEdge);
            if (_pinZ >= 0)
            {
                _gpio.UnregisterCallbackForPinValueChangedEvent(_pinZ, _onEdge);
            }
            _started = false;
        }
    }

    private void OnEdge(object sender, PinValueChangedEventArgs e)
    {
        Interlocked.Increment(ref _version); // odd: update in progress
        bool rising = e.ChangeType == PinEventTypes.Rising;
        Edges++;
        if (e.PinNumber == _pinZ)
        {
            _q.IndexEdge(rising);
        }
        else
        {
            _q.Edge(e.PinNumber == _pinA, rising);
        }
        Interlocked.Increment(ref _version); // even: consistent
    }
}

using System.Device.Gpio;

namespace MotorRT.Hardware.Emulation;

/// <summary>
/// A virtual GPIO chip for CI: the code under test uses it through an ordinary <see cref="GpioController"/>, exactly as
/// it would use the libgpiod driver on a Raspberry Pi. The emulated world drives input pins with
/// <see cref="Drive"/> (encoder A/B/Z, Hall and fault lines), which raises the registered pin-change callbacks
/// synchronously on the driving thread — deterministic, and with event arguments pre-allocated per pin so that edge
/// delivery does not allocate (the real libgpiod driver allocates one per edge on its event thread). Output pins
/// (bridge enable) are observed with <see cref="Level"/>.
/// </summary>
public sealed class EmulatedGpioDriver : GpioDriver
{
    /// <summary>Number of GPIO lines (the BCM2711/RP1 header exposes GPIO 0–27; a few spare lines are modelled).</summary>
    public const int Lines = 64;

    private readonly PinMode[] _mode = new PinMode[Lines];
    private readonly bool[] _isOpen = new bool[Lines];
    private readonly bool[] _level = new bool[Lines];
    private readonly long[] _writes = new long[Lines];
    private readonly PinChangeEventHandler?[] _rising = new PinChangeEventHandler?[Lines];
    private readonly PinChangeEventHandler?[] _falling = new PinChangeEventHandler?[Lines];
    private readonly PinValueChangedEventArgs[] _risingArgs = new PinValueChangedEventArgs[Lines];
    private readonly PinValueChangedEventArgs[] _fallingArgs = new PinValueChangedEventArgs[Lines];
    private readonly object _sync = new();

    /// <summary>Creates the chip with every line an input at low level.</summary>
    public EmulatedGpioDriver()
    {
        for (int p = 0; p < Lines; p++)
        {
            _mode[p] = PinMode.Input;
            _risingArgs[p] = new PinValueChangedEventArgs(PinEventTypes.Rising, p);
            _fallingArgs[p] = new PinValueChangedEventArgs(PinEventTypes.Falling, p);
        }
    }

    /// <summary>Edges delivered to callbacks since construction (dimensionless).</summary>
    public long EdgesDelivered { get; private set; }

    /// <inheritdoc />
    protected override int PinCount => Lines;

    /// <summary>The present level of a line (outputs: what the code wrote; inputs: what the world drives).</summary>
    public bool Level(int pin) => _level[Check(pin)];

    /// <summary>Writes to an output line since construction (dimensionless).</summary>
    public long WriteCount(int pin) => _writes[Check(pin)];

    /// <summary>True when the code under test has opened the line.</summary>
    public bool IsOpen(int pin) => _isOpen[Check(pin)];

    /// <summary>The mode the code under test set on a line.</summary>
    public PinMode Mode(int pin) => _mode[Check(pin)];

    /// <summary>
    /// Drives an input line from the emulated world. A change of level raises the callbacks registered for that edge,
    /// synchronously, before this method returns. Driving an output line is ignored (the code owns it).
    /// </summary>
    public void Drive(int pin, bool level)
    {
        Check(pin);
        if (_level[pin] == level || _mode[pin] == PinMode.Output)
        {
            return;
        }
        _level[pin] = level;
        DeliverEdge(pin, level);
    }

    private void DeliverEdge(int pin, bool level)
    {
        PinChangeEventHandler? handler = level ? _rising[pin] : _falling[pin];
        if (handler is not null)
        {
            EdgesDelivered++;
            handler(this, level ? _risingArgs[pin] : _fallingArgs[pin]);
        }
    }

    /// <summary>Changes an input line's level without raising an event: an edge the edge detector missed (fault injection).</summary>
    public void DriveUnseen(int pin, bool level) => _level[Check(pin)] = level;

    /// <inheritdoc />
    protected override void OpenPin(int pinNumber) => _isOpen[Check(pinNumber)] = true;

    /// <inheritdoc />
    protected override void ClosePin(int pinNumber)
    {
        Check(pinNumber);
        _isOpen[pinNumber] = false;
        _rising[pinNumber] = null;
        _falling[pinNumber] = null;
    }

    /// <inheritdoc />
    protected override void SetPinMode(int pinNumber, PinMode mode) => _mode[Check(pinNumber)] = mode;

    /// <inheritdoc />
    protected override void SetPinMode(int pinNumber, PinMode mode, PinValue initialValue)
    {
        Check(pinNumber);
        if (mode == PinMode.Output)
        {
            _level[pinNumber] = initialValue == PinValue.High;
        }
        _mode[pinNumber] = mode;
    }

    /// <inheritdoc />
    protected override PinMode GetPinMode(int pinNumber) => _mode[Check(pinNumber)];

    /// <inheritdoc />
    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) =>
        mode is PinMode.Input or PinMode.Output or PinMode.InputPullUp or PinMode.InputPullDown;

    /// <inheritdoc />
    protected override PinValue Read(int pinNumber) => _level[Check(pinNumber)] ? PinValue.High : PinValue.Low;

    /// <inheritdoc />
    protected override void Write(int pinNumber, PinValue value)
    {
        Check(pinNumber);
        _writes[pinNumber]++;
        _level[pinNumber] = value == PinValue.High;
    }

    /// <inheritdoc />
    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        Check(pinNumber);
        using var signal = new ManualResetEventSlim(false);
        PinEventTypes seen = PinEventTypes.None;
        void OnEdge(object sender, PinValueChangedEventArgs e)
        {
            seen = e.ChangeType;
            signal.Set();
        }
        AddCallbackForPinValueChangedEvent(pinNumber, eventTypes, OnEdge);
        try
        {
            signal.Wait(cancellationToken);
            return new WaitForEventResult { EventTypes = seen, TimedOut = false };
        }
        catch (OperationCanceledException)
        {
            return new WaitForEventResult { EventTypes = PinEventTypes.None, TimedOut = true };
        }
        finally
        {
            RemoveCallbackForPinValueChangedEvent(pinNumber, OnEdge);
        }
    }

    /// <inheritdoc />
    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        Check(pinNumber);
        lock (_sync)
        {
            if ((eventTypes & PinEventTypes.Rising) != 0)
            {
                _rising[pinNumber] += callback;
            }
            if ((eventTypes & PinEventTypes.Falling) != 0)
            {
                _falling[pinNumber] += callback;
            }
        }
    }

    /// <inheritdoc />
    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        Check(pinNumber);
        lock (_sync)
        {
            _rising[pinNumber] -= callback;
            _falling[pinNumber] -= callback;
        }
    }

    private static int Check(int pin) => (uint)pin < Lines ? pin : throw new ArgumentOutOfRangeException(nameof(pin), pin, $"the emulated chip has lines 0..{Lines - 1}");
}

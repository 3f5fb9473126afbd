using System.Device.Gpio;
using System.Device.Pwm;
using System.Diagnostics;
using MotorRT.Contracts;

namespace MotorRT.Hardware.RaspberryPi;

/// <summary>
/// The Raspberry Pi rig: hardware PWM channels (one per bridge leg), a bridge-enable GPIO, fault GPIOs, an MCP3xxx
/// (SPI) or ADS1115 (I2C) ADC through Iot.Device.Bindings, and a quadrature encoder from an LS7366R counter on SPI,
/// the kernel counter subsystem, or MotorRT's own decoder on the GPIO character device's edge queue or on dotnet/iot's
/// GPIO events. The same class runs on the Pi and, over emulated devices, in CI.
/// <para>Safety: the enable line is opened at its inactive level in the constructor, is driven inactive before the
/// duty cycles change when disabling and only after them when enabling, and is driven inactive by
/// <see cref="DisableBridge"/>, <see cref="Dispose"/>, process exit and unhandled exceptions (handlers registered
/// at <see cref="Open"/>), and on any device error in <see cref="Write"/>.</para>
/// <para>Leg duty: H-bridge leg0 = (1 + d)/2, leg1 = (1 − d)/2 (u = d·u_dc); B6 leg_x = (1 + d_x)/2
/// (u_x = d_x·u_dc/2 against the DC-link midpoint), matching the contracts' duty convention. A disabled bridge parks
/// every leg at ½ (zero volts) behind the inactive enable line.</para>
/// <para>Per tick, <see cref="Read"/> costs one ADC conversion per sensed current plus one for the DC link, one
/// counter read (or none for the GPIO decoder, which counts on the driver's event thread), one GPIO read per fault
/// and Hall line; <see cref="Write"/> one PWM write per leg whose duty changed and one GPIO write when the enable state
/// changes. Neither allocates (GpioController.Write allocates in dotnet/iot 4.2, which is why the enable line is
/// written only on change).</para>
/// </summary>
public sealed class RaspberryPiRig : IRigIo
{
    private readonly RaspberryPiRigSpec _spec;
    private readonly RaspberryPiDevices _dev;
    private readonly IEmulatedWorld? _world;
    private readonly GpioController _gpio;
    private readonly PwmChannel[] _pwm;
    private readonly double[] _legDuty;
    private readonly int[] _currentChannels;
    private readonly PinValue _enableOn, _enableOff;
    private readonly PinValue _faultActive;
    private readonly EventHandler _onProcessExit;
    private readonly UnhandledExceptionEventHandler _onUnhandled;
    private long _tick;
    private long _t0;
    private bool _enabled;
    private bool _open;
    private bool _disposed;
    private volatile bool _forceOff;

    /// <summary>Builds the rig over its devices (owned from now on). <paramref name="world"/> is given only for emulated devices.</summary>
    public RaspberryPiRig(RaspberryPiRigSpec spec, RaspberryPiDevices devices, IEmulatedWorld? world = null, int encoderLines = 0)
    {
        _spec = spec;
        _dev = devices;
        _world = world;
        _gpio = devices.Gpio;
        if (devices.Pwm.Count != spec.PwmChannels.Count)
        {
            throw new ArgumentException($"{spec.PwmChannels.Count} PWM channels configured, {devices.Pwm.Count} given", nameof(devices));
        }
        _pwm = [.. devices.Pwm];
        _legDuty = new double[_pwm.Length];
        _currentChannels = [.. spec.CurrentChannels];
        _enableOn = spec.EnableActiveHigh ? PinValue.High : PinValue.Low;
        _enableOff = spec.EnableActiveHigh ? PinValue.Low : PinValue.High;
        _faultActive = spec.FaultActiveLow ? PinValue.Low : PinValue.High;
        // The enable line exists at its safe level before anything else is touched.
        _gpio.OpenPin(spec.EnablePin, PinMode.Output, _enableOff);
        if (spec.GateFaultPin >= 0)
        {
            _gpio.OpenPin(spec.GateFaultPin, PinMode.Input);
        }
        if (spec.OverCurrentPin >= 0)
        {
            _gpio.OpenPin(spec.OverCurrentPin, PinMode.Input);
        }
        foreach (int p in spec.HallPins)
        {
            _gpio.OpenPin(p, PinMode.Input);
        }
        _onProcessExit = (_, _) => DisableBridge();
        _onUnhandled = (_, _) => DisableBridge();
        Description = new RigDescription
        {
            Name = world is null ? "raspberry-pi" : "raspberry-pi-emulated",
            Machine = spec.Machine,
            ConverterChannels = spec.ConverterChannels,
            PwmPeriod = 1.0 / spec.PwmFrequency,
            EncoderLinesPerRevolution = encoderLines,
        };
    }

    /// <inheritdoc />
    public RigDescription Description { get; }

    /// <inheritdoc />
    public bool IsLockStep => _world is not null;

    /// <summary>The rig's wiring.</summary>
    public RaspberryPiRigSpec Spec => _spec;

    /// <summary>True while the enable line is at its active level.</summary>
    public bool BridgeEnabled => _enabled;

    /// <summary>Device errors (failed conversions or writes) since <see cref="Open"/>.</summary>
    public long DeviceErrors { get; private set; }

    /// <summary>The encoder count source (for diagnostics: lost events, SPI transactions), or null.</summary>
    public IQuadratureCounter? Encoder => _dev.Encoder;

    /// <summary>Encoder transitions that skipped a state (lost edges), from the decoder.</summary>
    public long EncoderIllegalTransitions => _dev.Encoder?.IllegalTransitions ?? 0;

    /// <inheritdoc />
    public void Open()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        SetEnable(false);
        foreach (PwmChannel p in _pwm)
        {
            p.DutyCycle = 0.5;
            p.Start();
        }
        Array.Fill(_legDuty, 0.5);
        // Emulation: the world presents its first sample before the decoder latches the line levels as count zero,
        // exactly as a real encoder sits at some position when the rig opens.
        _world?.Start();
        _dev.Encoder?.Start();
        if (!_open)
        {
            AppDomain.CurrentDomain.ProcessExit += _onProcessExit;
            AppDomain.CurrentDomain.UnhandledException += _onUnhandled;
        }
        _tick = 0;
        DeviceErrors = 0;
        _forceOff = false;
        _t0 = Stopwatch.GetTimestamp();
        _open = true;
    }

    /// <inheritdoc />
    public RigIoStatus Read(ref RawSensorFrame frame)
    {
        if (!_open)
        {
            return RigIoStatus.DeviceError;
        }
        try
        {
            IAdcSampler adc = _dev.Adc;
            int[] ch = _currentChannels;
            frame.CurrentCountsA = adc.Read(ch[0]);
            frame.CurrentCountsB = ch.Length > 1 ? adc.Read(ch[1]) : 0;
            frame.CurrentCountsC = ch.Length > 2 ? adc.Read(ch[2]) : 0;
            frame.PhaseCSensed = ch.Length > 2 && _spec.Machine == MachineKind.ThreePhase;
            frame.DcLinkCounts = adc.Read(_spec.DcLinkChannel);
            if (_dev.Encoder is { } enc)
            {
                enc.Sample(out frame.EncoderCount, out frame.EncoderIndexPulses, out frame.EncoderCountAtIndex);
            }
            else
            {
                frame.EncoderCount = 0;
                frame.EncoderIndexPulses = 0;
                frame.EncoderCountAtIndex = 0;
            }
            if (_spec.HallPins.Count == 3)
            {
                frame.HallState = (_gpio.Read(_spec.HallPins[0]) == PinValue.High ? 4 : 0)
                    | (_gpio.Read(_spec.HallPins[1]) == PinValue.High ? 2 : 0)
                    | (_gpio.Read(_spec.HallPins[2]) == PinValue.High ? 1 : 0);
            }
            else
            {
                frame.HallState = -1;
            }
            uint faults = 0;
            if (_spec.GateFaultPin >= 0 && _gpio.Read(_spec.GateFaultPin) == _faultActive)
            {
                faults |= 1;
            }
            if (_spec.OverCurrentPin >= 0 && _gpio.Read(_spec.OverCurrentPin) == _faultActive)
            {
                faults |= 2;
            }
            frame.FaultInputs = faults;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException)
        {
            DeviceErrors++;
            return RigIoStatus.DeviceError;
        }
        frame.Sequence = _tick;
        frame.TimestampNs = _world is not null ? _world.NowNs : (long)((Stopwatch.GetTimestamp() - _t0) * (1e9 / Stopwatch.Frequency));
        return RigIoStatus.Ok;
    }

    /// <inheritdoc />
    public RigIoStatus Write(in ConverterCommand command)
    {
        if (!_open)
        {
            return RigIoStatus.DeviceError;
        }
        RigIoStatus status = RigIoStatus.Ok;
        bool enable = command.BridgeEnable && command.Mode == CommandMode.DutyCycle && !_forceOff;
        _forceOff = false;
        try
        {
            if (enable)
            {
                for (int i = 0; i < _spec.ConverterChannels; i++)
                {
                    if (!double.IsFinite(command.Duty[i]))
                    {
                        enable = false;
                    }
                }
            }
            if (!enable)
            {
                SetEnable(false);
                SetLegs(0.0, 0.0, 0.0);
            }
            else
            {
                SetLegs(command.Duty[0], command.Duty[1], command.Duty[2]);
                SetEnable(true);
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ArgumentException or UnauthorizedAccessException)
        {
            DeviceErrors++;
            DisableBridge();
            status = RigIoStatus.DeviceError;
        }
        _tick++;
        _world?.EndPeriod();
        return status;
    }

    /// <inheritdoc />
    public void DisableBridge()
    {
        _forceOff = true;
        try
        {
            _gpio.Write(_spec.EnablePin, _enableOff);
            _enabled = false;
        }
        catch (Exception)
        {
            // never throws: called from signal and exception handlers
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        DisableBridge();
        AppDomain.CurrentDomain.ProcessExit -= _onProcessExit;
        AppDomain.CurrentDomain.UnhandledException -= _onUnhandled;
        foreach (PwmChannel p in _pwm)
        {
            try
            {
                p.Stop();
            }
            catch (IOException)
            {
                // best effort
            }
        }
        _disposed = true;
        _open = false;
        // The enable line stays driven inactive until the controller releases it; gate drivers need a pull-down
        // (active high) or pull-up (active low) so it also stays off once the process is gone.
        _dev.Dispose();
    }

    private void SetEnable(bool on)
    {
        if (on == _enabled && _open)
        {
            return;
        }
        _gpio.Write(_spec.EnablePin, on ? _enableOn : _enableOff);
        _enabled = on;
    }

    private void SetLegs(double d0, double d1, double d2)
    {
        if (_spec.Machine == MachineKind.Dc)
        {
            double d = Math.Clamp(d0, -1.0, 1.0);
            SetLeg(0, 0.5 * (1.0 + d));
            SetLeg(1, 0.5 * (1.0 - d));
        }
        else
        {
            SetLeg(0, 0.5 * (1.0 + Math.Clamp(d0, -1.0, 1.0)));
            SetLeg(1, 0.5 * (1.0 + Math.Clamp(d1, -1.0, 1.0)));
            SetLeg(2, 0.5 * (1.0 + Math.Clamp(d2, -1.0, 1.0)));
        }
    }

    private void SetLeg(int leg, double duty)
    {
        if (_legDuty[leg] != duty)
        {
            _pwm[leg].DutyCycle = duty;
            _legDuty[leg] = duty;
        }
    }
}

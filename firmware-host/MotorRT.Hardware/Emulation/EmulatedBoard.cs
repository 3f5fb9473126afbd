using System.Device.Gpio;
using System.Device.I2c;
using System.Device.Pwm;
using System.Device.Spi;
using MotorRT.Contracts;
using MotorRT.Hardware.RaspberryPi;

namespace MotorRT.Hardware.Emulation;

/// <summary>
/// The emulated Raspberry Pi board for CI: a virtual GPIO chip, virtual hardware PWM channels and a virtual ADC
/// (MCP3xxx on SPI or ADS1115 on I2C), wired as a <see cref="RaspberryPiRigSpec"/> says, with a plant behind them.
/// The plant is any lock-step <see cref="IRigIo"/> — in practice the twin's <c>SimulatedRig</c>, whose sensor models
/// produce the counts. At the end of every PWM period the board reads the duty each PWM pin produces and the enable
/// line, turns them into the converter command the bridge applies, advances the plant one period, and presents the
/// new sample on the devices: ADC inputs, encoder A/B/Z edges (one edge per count, Gray order, Z pulsed where the
/// encoder model saw the index), Hall and fault lines. <see cref="CreateDevices"/> returns the devices wrapped in the
/// real Iot.Device.Bindings classes (<c>Mcp3208</c>, <c>Ads1115</c>, <c>GpioController</c>), so a
/// <see cref="RaspberryPiRig"/> over them runs its production code path.
/// </summary>
public sealed class EmulatedBoard : IEmulatedWorld, IDisposable
{
    private readonly RaspberryPiRigSpec _spec;
    private readonly IRigIo _plant;
    private readonly VirtualPwmChannel[] _pwm;
    private readonly int _countsPerRevolution;
    private RawSensorFrame _frame;
    private long _count;
    private int _indexPulses;
    private long _previousNs;

    /// <summary>Builds the board for <paramref name="spec"/> with <paramref name="plant"/> behind the pins.</summary>
    /// <param name="spec">Wiring.</param>
    /// <param name="plant">The plant rig (lock-step); the board opens it on <see cref="Start"/>.</param>
    /// <param name="encoderLinesPerRevolution">Encoder lines (for index pulses that span several revolutions per period); 0 = none.</param>
    public EmulatedBoard(RaspberryPiRigSpec spec, IRigIo plant, int encoderLinesPerRevolution)
    {
        _spec = spec;
        _plant = plant;
        _countsPerRevolution = 4 * encoderLinesPerRevolution;
        Gpio = new EmulatedGpioDriver();
        _pwm = new VirtualPwmChannel[spec.PwmChannels.Count];
        for (int i = 0; i < _pwm.Length; i++)
        {
            _pwm[i] = new VirtualPwmChannel(spec.PwmFrequency, 0.0);
        }
        if (spec.Adc == AdcKind.Ads1115)
        {
            Ads1115 = new EmulatedAds1115(new I2cConnectionSettings(spec.I2cBus, spec.I2cAddress));
        }
        else
        {
            Mcp3xxx = new EmulatedMcp3xxx(spec.AdcChannels, spec.AdcBits,
                new SpiConnectionSettings(spec.SpiBus, spec.SpiChipSelect) { ClockFrequency = spec.SpiClock, Mode = SpiMode.Mode0 });
        }
        if (spec.Encoder == EncoderSource.Ls7366r)
        {
            Ls7366r = new EmulatedLs7366r(RaspberryPiDevices.CounterSpiSettings(spec));
        }
        else if (spec.Encoder == EncoderSource.Chardev)
        {
            LineEvents = new EmulatedGpioLineEvents();
        }
    }

    /// <summary>The virtual GPIO chip.</summary>
    public EmulatedGpioDriver Gpio { get; }

    /// <summary>The virtual PWM channels, one per leg.</summary>
    public IReadOnlyList<VirtualPwmChannel> Pwm => _pwm;

    /// <summary>The virtual SPI ADC, or null when the rig uses the ADS1115.</summary>
    public EmulatedMcp3xxx? Mcp3xxx { get; }

    /// <summary>The virtual I2C ADC, or null.</summary>
    public EmulatedAds1115? Ads1115 { get; }

    /// <summary>The virtual LS7366R quadrature counter (encoder source "ls7366r"), or null.</summary>
    public EmulatedLs7366r? Ls7366r { get; }

    /// <summary>The virtual GPIO character device's line request (encoder source "chardev"), or null.</summary>
    public EmulatedGpioLineEvents? LineEvents { get; }

    /// <summary>The plant behind the pins.</summary>
    public IRigIo Plant => _plant;

    /// <summary>The command the bridge applied over the last period (decoded from the pins).</summary>
    public ConverterCommand LastCommand { get; private set; }

    /// <summary>The plant's last frame (the truth the devices present).</summary>
    public RawSensorFrame LastFrame => _frame;

    /// <inheritdoc />
    public long NowNs => _frame.TimestampNs;

    /// <summary>
    /// The devices for a <see cref="RaspberryPiRig"/>, through the real binding classes. Call once; the rig owns them
    /// (disposing them does not dispose the board's emulations, which hold no resources).
    /// </summary>
    public RaspberryPiDevices CreateDevices()
    {
        var gpio = new GpioController(Gpio);
        IAdcSampler adc = Mcp3xxx is not null ? RaspberryPiDevices.CreateSampler(_spec, Mcp3xxx) : RaspberryPiDevices.CreateSampler(Ads1115!);
        var pwm = new PwmChannel[_pwm.Length];
        for (int i = 0; i < pwm.Length; i++)
        {
            pwm[i] = new NonOwningPwm(_pwm[i]);
        }
        return new RaspberryPiDevices(gpio, pwm, adc, RaspberryPiDevices.CreateEncoder(_spec, gpio, Ls7366r, LineEvents));
    }

    /// <inheritdoc />
    public void Start()
    {
        _plant.Open();
        _plant.Read(ref _frame);
        Present(resetIndex: true);
    }

    /// <inheritdoc />
    public void EndPeriod()
    {
        var cmd = default(ConverterCommand);
        bool enableLevel = Gpio.Level(_spec.EnablePin);
        cmd.BridgeEnable = enableLevel == _spec.EnableActiveHigh;
        cmd.Mode = CommandMode.DutyCycle;
        if (_spec.Machine == MachineKind.Dc)
        {
            cmd.Duty[0] = _pwm[0].EffectiveDutyCycle - _pwm[1].EffectiveDutyCycle;
        }
        else
        {
            for (int i = 0; i < 3; i++)
            {
                cmd.Duty[i] = 2.0 * _pwm[i].EffectiveDutyCycle - 1.0;
            }
        }
        LastCommand = cmd;
        _plant.Write(in cmd);
        _plant.Read(ref _frame);
        Present(resetIndex: false);
    }

    /// <inheritdoc />
    public void Dispose() => _plant.Dispose();

    private void Present(bool resetIndex)
    {
        ref readonly RawSensorFrame f = ref _frame;
        IReadOnlyList<int> cc = _spec.CurrentChannels;
        SetAdc(cc[0], f.CurrentCountsA);
        if (cc.Count > 1)
        {
            SetAdc(cc[1], f.CurrentCountsB);
        }
        if (cc.Count > 2)
        {
            SetAdc(cc[2], f.CurrentCountsC);
        }
        SetAdc(_spec.DcLinkChannel, f.DcLinkCounts);
        if (_spec.Encoder is EncoderSource.Gpio or EncoderSource.Chardev or EncoderSource.Ls7366r)
        {
            ReplayEncoder(f.EncoderCount, resetIndex ? 0 : f.EncoderIndexPulses - _indexPulses, f.EncoderCountAtIndex);
            _indexPulses = f.EncoderIndexPulses;
        }
        _previousNs = f.TimestampNs;
        if (_spec.HallPins.Count == 3 && f.HallState >= 0)
        {
            Gpio.Drive(_spec.HallPins[0], (f.HallState & 4) != 0);
            Gpio.Drive(_spec.HallPins[1], (f.HallState & 2) != 0);
            Gpio.Drive(_spec.HallPins[2], (f.HallState & 1) != 0);
        }
        bool activeLevel = !_spec.FaultActiveLow;
        if (_spec.GateFaultPin >= 0)
        {
            Gpio.Drive(_spec.GateFaultPin, (f.FaultInputs & 1) != 0 ? activeLevel : !activeLevel);
        }
        if (_spec.OverCurrentPin >= 0)
        {
            Gpio.Drive(_spec.OverCurrentPin, (f.FaultInputs & 2) != 0 ? activeLevel : !activeLevel);
        }
    }

    private void SetAdc(int channel, int counts)
    {
        if (Mcp3xxx is not null)
        {
            Mcp3xxx.SetChannel(channel, counts);
        }
        else
        {
            Ads1115!.SetChannel(channel, counts);
        }
    }

    private void ReplayEncoder(long target, int newIndexPulses, long countAtIndex)
    {
        int step = target > _count ? 1 : -1;
        // index positions crossed in this period, oldest first (several only when turning > 1 rev per period)
        long nextIndex = newIndexPulses > 0 ? countAtIndex - (long)step * (newIndexPulses - 1) * _countsPerRevolution : long.MinValue;
        int remaining = newIndexPulses;
        bool indexWired = _spec.EncoderPinZ >= 0 || _spec.EncoderIndexOnCounter;
        // chardev: the edges get kernel timestamps spread evenly over the period that produced them
        long edges = Math.Abs(target - _count), edge = 0;
        ulong t0 = (ulong)Math.Max(0, _previousNs), span = (ulong)Math.Max(0, _frame.TimestampNs - _previousNs);
        while (_count != target)
        {
            _count += step;
            edge++;
            int s = (int)(((_count % 4) + 4) % 4);
            bool a = s is 1 or 2;
            bool b = s is 2 or 3;
            bool index = remaining > 0 && _count == nextIndex && indexWired;
            switch (_spec.Encoder)
            {
                case EncoderSource.Ls7366r:
                    Ls7366r!.SetInputs(a, b);
                    if (index) Ls7366r.PulseIndex();
                    break;
                case EncoderSource.Chardev:
                    ulong t = t0 + (ulong)(span * (double)edge / edges);
                    LineEvents!.Drive(_spec.EncoderPinA, a, t);
                    LineEvents.Drive(_spec.EncoderPinB, b, t);
                    if (index)
                    {
                        LineEvents.Drive(_spec.EncoderPinZ, true, t);
                        LineEvents.Drive(_spec.EncoderPinZ, false, t);
                    }
                    break;
                default:
                    Gpio.Drive(_spec.EncoderPinA, a);
                    Gpio.Drive(_spec.EncoderPinB, b);
                    if (index)
                    {
                        Gpio.Drive(_spec.EncoderPinZ, true);
                        Gpio.Drive(_spec.EncoderPinZ, false);
                    }
                    break;
            }
            if (index)
            {
                remaining--;
                nextIndex += (long)step * _countsPerRevolution;
            }
        }
    }

    /// <summary>Hands a virtual channel to the rig without letting the rig's dispose end the board's channel.</summary>
    private sealed class NonOwningPwm(VirtualPwmChannel inner) : PwmChannel
    {
        public override int Frequency { get => inner.Frequency; set => inner.Frequency = value; }

        public override double DutyCycle { get => inner.DutyCycle; set => inner.DutyCycle = value; }

        public override void Start() => inner.Start();

        public override void Stop() => inner.Stop();
    }
}

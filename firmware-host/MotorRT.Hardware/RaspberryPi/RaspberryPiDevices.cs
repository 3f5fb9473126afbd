using System.Device.Gpio;
using System.Device.I2c;
using System.Device.Pwm;
using System.Device.Spi;
using Iot.Device.Adc;
using Iot.Device.Ads1115;

namespace MotorRT.Hardware.RaspberryPi;

/// <summary>
/// The devices a <see cref="RaspberryPiRig"/> drives: a GPIO controller, one PWM channel per bridge leg, the ADC and
/// the encoder count source. <see cref="OpenReal"/> opens the Pi's devices; <c>Emulation.EmulatedBoard</c> builds the
/// same bundle over emulated drivers. The rig owns the bundle and disposes it.
/// </summary>
public sealed class RaspberryPiDevices : IDisposable
{
    /// <summary>Bundles devices (all owned by the bundle from now on).</summary>
    public RaspberryPiDevices(GpioController gpio, IReadOnlyList<PwmChannel> pwm, IAdcSampler adc, IQuadratureCounter? encoder)
    {
        Gpio = gpio;
        Pwm = pwm;
        Adc = adc;
        Encoder = encoder;
    }

    /// <summary>GPIO controller (enable, fault, Hall, encoder lines).</summary>
    public GpioController Gpio { get; }

    /// <summary>One channel per bridge leg.</summary>
    public IReadOnlyList<PwmChannel> Pwm { get; }

    /// <summary>Current and DC-link ADC.</summary>
    public IAdcSampler Adc { get; }

    /// <summary>Encoder count source, or null.</summary>
    public IQuadratureCounter? Encoder { get; }

    /// <summary>Builds the ADC sampler for <paramref name="spec"/> over an SPI device (MCP3xxx) through the Iot.Device.Bindings classes.</summary>
    public static IAdcSampler CreateSampler(RaspberryPiRigSpec spec, SpiDevice spi) => spec.Adc switch
    {
        AdcKind.Mcp3208 => new Mcp3xxxSampler(new Mcp3208(spi), 12),
        AdcKind.Mcp3204 => new Mcp3xxxSampler(new Mcp3204(spi), 12),
        AdcKind.Mcp3008 => new Mcp3xxxSampler(new Mcp3008(spi), 10),
        AdcKind.Mcp3004 => new Mcp3xxxSampler(new Mcp3004(spi), 10),
        _ => throw new ArgumentException("the ADS1115 is an I2C part", nameof(spec)),
    };

    /// <summary>Builds the ADS1115 sampler over an I2C device through the Iot.Device.Bindings class.</summary>
    public static IAdcSampler CreateSampler(I2cDevice i2c) =>
        new Ads1115Sampler(new Ads1115(i2c, InputMultiplexer.AIN0, MeasuringRange.FS4096, DataRate.SPS860, DeviceMode.PowerDown));

    /// <summary>
    /// Builds the encoder count source for <paramref name="spec"/>: on <paramref name="gpio"/> (gpio, counter's index),
    /// over <paramref name="counterSpi"/> (ls7366r; owned by the encoder from now on) or <paramref name="lineEvents"/>
    /// (chardev; owned by the reader).
    /// </summary>
    public static IQuadratureCounter? CreateEncoder(RaspberryPiRigSpec spec, GpioController gpio, SpiDevice? counterSpi = null, IGpioLineEventSource? lineEvents = null) => spec.Encoder switch
    {
        EncoderSource.Gpio => new GpioQuadratureDecoder(gpio, spec.EncoderPinA, spec.EncoderPinB, spec.EncoderPinZ),
        EncoderSource.Counter => new KernelCounterEncoder(spec.CounterPath, gpio, spec.EncoderPinZ),
        EncoderSource.Chardev => new GpioChardevEdgeReader(lineEvents ?? throw new ArgumentNullException(nameof(lineEvents), "source chardev needs the line request"),
            spec.EncoderPinA, spec.EncoderPinB, spec.EncoderPinZ, spec.EncoderEventBufferSize),
        EncoderSource.Ls7366r => new Ls7366rEncoder(new Ls7366r(counterSpi ?? throw new ArgumentNullException(nameof(counterSpi), "source ls7366r needs its SPI device")), spec.EncoderIndexOnCounter),
        _ => null,
    };

    /// <summary>SPI settings of the LS7366R: mode 0, MSB first, the configured bus, chip select and clock.</summary>
    public static SpiConnectionSettings CounterSpiSettings(RaspberryPiRigSpec spec) =>
        new(spec.EncoderSpiBus, spec.EncoderSpiChipSelect) { ClockFrequency = spec.EncoderSpiClock, Mode = SpiMode.Mode0, DataFlow = DataFlow.MsbFirst };

    /// <summary>Opens the real devices of a Raspberry Pi (libgpiod GPIO, sysfs hardware PWM, spidev/i2c-dev ADC).</summary>
    public static RaspberryPiDevices OpenReal(RaspberryPiRigSpec spec)
    {
        var gpio = new GpioController();
        var pwm = new List<PwmChannel>();
        try
        {
            foreach (int ch in spec.PwmChannels)
            {
                pwm.Add(new SysfsPwmChannel(spec.PwmChip, ch, spec.PwmFrequency, 0.5));
            }
            IAdcSampler adc = spec.Adc == AdcKind.Ads1115
                ? CreateSampler(I2cDevice.Create(new I2cConnectionSettings(spec.I2cBus, spec.I2cAddress)))
                : CreateSampler(spec, SpiDevice.Create(new SpiConnectionSettings(spec.SpiBus, spec.SpiChipSelect) { ClockFrequency = spec.SpiClock, Mode = SpiMode.Mode0 }));
            IQuadratureCounter? encoder = spec.Encoder switch
            {
                EncoderSource.Ls7366r => CreateEncoder(spec, gpio, counterSpi: SpiDevice.Create(CounterSpiSettings(spec))),
                EncoderSource.Chardev => CreateEncoder(spec, gpio, lineEvents: new GpioChardevLineRequest($"/dev/gpiochip{spec.GpioChip}")),
                _ => CreateEncoder(spec, gpio),
            };
            return new RaspberryPiDevices(gpio, pwm, adc, encoder);
        }
        catch
        {
            foreach (PwmChannel p in pwm)
            {
                p.Dispose();
            }
            gpio.Dispose();
            throw;
        }
    }

    /// <summary>True when this process runs on a Raspberry Pi (device-tree model string).</summary>
    public static bool IsRaspberryPi()
    {
        try
        {
            return File.Exists("/proc/device-tree/model") && File.ReadAllText("/proc/device-tree/model").Contains("Raspberry Pi", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Encoder?.Dispose();
        Adc.Dispose();
        foreach (PwmChannel p in Pwm)
        {
            p.Dispose();
        }
        Gpio.Dispose();
    }
}

using System.Text.Json.Serialization.Metadata;
using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Sensors;
using MotorRT.Hardware.Hil;

namespace MotorRT.Hardware.RaspberryPi;

/// <summary>Which ADC the rig samples currents and the DC link with.</summary>
public enum AdcKind
{
    /// <summary>MCP3208: 8 channels, 12 bit, SPI (up to 2 MHz SCLK at 5 V; 24 clocks per conversion).</summary>
    Mcp3208,

    /// <summary>MCP3204: 4 channels, 12 bit, SPI.</summary>
    Mcp3204,

    /// <summary>MCP3008: 8 channels, 10 bit, SPI (up to 3.6 MHz SCLK at 5 V).</summary>
    Mcp3008,

    /// <summary>MCP3004: 4 channels, 10 bit, SPI.</summary>
    Mcp3004,

    /// <summary>ADS1115: 4 channels, 16 bit (15 bit single-ended), I2C, at most 860 samples/s: the slow option.</summary>
    Ads1115,
}

/// <summary>Where the quadrature encoder count comes from.</summary>
public enum EncoderSource
{
    /// <summary>No encoder.</summary>
    None,

    /// <summary>MotorRT's own 4× decoder on GPIO edge events (A, B rising and falling; Z rising).</summary>
    Gpio,

    /// <summary>A Linux counter-subsystem device (sysfs <c>count</c> attribute), e.g. a quadrature counter peripheral.</summary>
    Counter,

    /// <summary>MotorRT's 4× decoder on the GPIO character device's edge events, drained on the loop thread (<see cref="GpioChardevEdgeReader"/>).</summary>
    Chardev,

    /// <summary>An LS7366R 32-bit quadrature counter on SPI (<see cref="Ls7366rEncoder"/>).</summary>
    Ls7366r,
}

/// <summary>
/// The Raspberry Pi rig's wiring, from the config's <c>rig</c> section (type "raspberry-pi"), validated at load against
/// the <c>sensors</c> section: pins distinct and on the header, PWM channels per topology, ADC channels within the part
/// and its resolution equal to the sensor description's. Pin numbers are BCM GPIO numbers.
/// </summary>
public sealed record RaspberryPiRigSpec
{
    /// <summary>Machine family (decides the bridge topology).</summary>
    public required MachineKind Machine { get; init; }

    /// <summary>PWM frequency, in Hz (= control rate; one command per PWM period).</summary>
    public required int PwmFrequency { get; init; }

    /// <summary>Linux PWM chip number (<c>/sys/class/pwm/pwmchipN</c>).</summary>
    public int PwmChip { get; init; }

    /// <summary>
    /// PWM channels, one per bridge leg: DC (H-bridge): 2 legs, d = leg0 − leg1; three-phase (B6): 3 legs,
    /// d_x = 2·leg_x − 1 (each leg's duty is the fraction of the period its high-side switch is on).
    /// </summary>
    public required IReadOnlyList<int> PwmChannels { get; init; }

    /// <summary>GPIO chip for the line requests (libgpiod; 0 on a Pi 4, 0 or 4 on a Pi 5 depending on the kernel).</summary>
    public int GpioChip { get; init; }

    /// <summary>Bridge-enable output (gate-driver enable), BCM number.</summary>
    public required int EnablePin { get; init; }

    /// <summary>True when a high level enables the bridge (the line idles at the inactive level).</summary>
    public bool EnableActiveHigh { get; init; } = true;

    /// <summary>Gate-driver fault input (FaultInputs bit 0), or −1.</summary>
    public int GateFaultPin { get; init; } = -1;

    /// <summary>Hardware over-current comparator input (FaultInputs bit 1), or −1.</summary>
    public int OverCurrentPin { get; init; } = -1;

    /// <summary>True when the fault inputs are active low (open-drain, the usual gate-driver nFAULT).</summary>
    public bool FaultActiveLow { get; init; } = true;

    /// <summary>Encoder count source.</summary>
    public EncoderSource Encoder { get; init; }

    /// <summary>Encoder A, B, Z lines (Z = −1 when the encoder has no index), BCM numbers.</summary>
    public int EncoderPinA { get; init; } = -1;

    /// <inheritdoc cref="EncoderPinA"/>
    public int EncoderPinB { get; init; } = -1;

    /// <inheritdoc cref="EncoderPinA"/>
    public int EncoderPinZ { get; init; } = -1;

    /// <summary>Counter-subsystem count attribute (source "counter").</summary>
    public string CounterPath { get; init; } = "/sys/bus/counter/devices/counter0/count0/count";

    /// <summary>LS7366R SPI bus (<c>/dev/spidevB.C</c>: B; source "ls7366r").</summary>
    public int EncoderSpiBus { get; init; }

    /// <summary>LS7366R SPI chip select (<c>/dev/spidevB.C</c>: C; source "ls7366r").</summary>
    public int EncoderSpiChipSelect { get; init; } = 1;

    /// <summary>LS7366R SPI clock, in Hz (source "ls7366r").</summary>
    public int EncoderSpiClock { get; init; } = 1_000_000;

    /// <summary>True when the encoder's Z is wired to the LS7366R's INDEX input (source "ls7366r").</summary>
    public bool EncoderIndexOnCounter { get; init; }

    /// <summary>Kernel edge-event queue of the line request, in events (source "chardev").</summary>
    public int EncoderEventBufferSize { get; init; } = GpioV2Abi.MaxEventBufferSize;

    /// <summary>Hall inputs H_A, H_B, H_C (BCM numbers), empty when the rig has none.</summary>
    public IReadOnlyList<int> HallPins { get; init; } = [];

    /// <summary>The ADC part.</summary>
    public required AdcKind Adc { get; init; }

    /// <summary>SPI bus (<c>/dev/spidevB.C</c>: B).</summary>
    public int SpiBus { get; init; }

    /// <summary>SPI chip select (<c>/dev/spidevB.C</c>: C).</summary>
    public int SpiChipSelect { get; init; }

    /// <summary>SPI clock, in Hz.</summary>
    public int SpiClock { get; init; } = 1_000_000;

    /// <summary>I2C bus of the ADS1115.</summary>
    public int I2cBus { get; init; } = 1;

    /// <summary>I2C address of the ADS1115 (0x48..0x4B).</summary>
    public int I2cAddress { get; init; } = 0x48;

    /// <summary>ADC channels of the current sensors in sensing order (a, b[, c]; DC: armature[, excitation]).</summary>
    public required IReadOnlyList<int> CurrentChannels { get; init; }

    /// <summary>ADC channel of the DC-link divider.</summary>
    public required int DcLinkChannel { get; init; }

    /// <summary>
    /// True to run over emulated devices (CI, development): the composer builds an <c>EmulatedBoard</c> with the
    /// twin described by the section's <c>sim</c> sub-section behind the pins.
    /// </summary>
    public bool Emulate { get; init; }

    /// <summary>Resolution of the ADC part in the single-ended mode used, in bits.</summary>
    public int AdcBits => Adc switch
    {
        AdcKind.Mcp3208 or AdcKind.Mcp3204 => 12,
        AdcKind.Mcp3008 or AdcKind.Mcp3004 => 10,
        _ => 15,
    };

    /// <summary>Number of single-ended inputs of the ADC part.</summary>
    public int AdcChannels => Adc is AdcKind.Mcp3208 or AdcKind.Mcp3008 ? 8 : 4;

    /// <summary>Number of bridge channels the runtime drives (1 for DC, 3 for three-phase).</summary>
    public int ConverterChannels => Machine == MachineKind.Dc ? 1 : 3;

    /// <summary>Metadata of the <c>rig</c> section of type "raspberry-pi".</summary>
    public static JsonTypeInfo<RaspberryPiRigSection> SectionInfo =>
        (JsonTypeInfo<RaspberryPiRigSection>)HardwareConfigJson.ConfigOptions.GetTypeInfo(typeof(RaspberryPiRigSection));

    /// <summary>Reads and validates a <c>rig</c> section of type "raspberry-pi" against the sensor description.</summary>
    public static RaspberryPiRigSpec Read(RawSection rig, SensorSpec sensors)
    {
        ArgumentNullException.ThrowIfNull(sensors);
        return From(rig.Read(SectionInfo), sensors, rig.Scope);
    }

    /// <summary>The wiring of a validated section found at <paramref name="scope"/>, checked against the sensor description.</summary>
    public static RaspberryPiRigSpec From(RaspberryPiRigSection section, SensorSpec sensors, ConfigScope scope)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(sensors);
        var kind = section.Machine == "dc" ? MachineKind.Dc : MachineKind.ThreePhase;
        RaspberryPiGpioSection gpio = section.Gpio;
        RaspberryPiAdcSection adc = section.Adc;
        int[] hall = gpio.HallPins ?? [];
        if (sensors.HallSensors != (hall.Length == 3))
        {
            throw scope.Child("gpio").Error("hall_pins", sensors.HallSensors ? "sensors.hall_sensors is true but no Hall pins are wired" : "Hall pins given but sensors.hall_sensors is false",
                "give three BCM pins for H_A, H_B, H_C and set sensors.hall_sensors to match");
        }

        EncoderSource source = EncoderSource.None;
        if (section.Encoder is { } enc)
        {
            source = enc.Source switch
            {
                "gpio" => EncoderSource.Gpio,
                "chardev" => EncoderSource.Chardev,
                "ls7366r" => EncoderSource.Ls7366r,
                _ => EncoderSource.Counter,
            };
            if (sensors.Encoder is null)
            {
                throw scope.Error("encoder", "an encoder is wired but the sensors section has no encoder", "add sensors.encoder or remove rig.encoder");
            }
            if (sensors.Encoder.HasIndex && source == EncoderSource.Ls7366r && enc.Index != true)
            {
                throw scope.Child("encoder").Error("index", "sensors.encoder.has_index is true but the index is not wired to the LS7366R", "set \"index\": true (Z to the chip's INDEX input) or set has_index to false");
            }
            if (sensors.Encoder.HasIndex && source != EncoderSource.Ls7366r && enc.PinZ < 0)
            {
                throw scope.Child("encoder").Error("pin_z", "sensors.encoder.has_index is true but no index line is wired", "give pin_z or set has_index to false");
            }
        }
        else if (sensors.Encoder is not null)
        {
            throw scope.Error("encoder", "sensors.encoder is set but the rig wires no encoder", "add rig.encoder { \"source\": \"gpio\", \"pin_a\": .., \"pin_b\": .., \"pin_z\": .. }");
        }

        AdcKind adcKind = adc.Type switch
        {
            "mcp3208" => AdcKind.Mcp3208,
            "mcp3204" => AdcKind.Mcp3204,
            "mcp3008" => AdcKind.Mcp3008,
            "mcp3004" => AdcKind.Mcp3004,
            _ => AdcKind.Ads1115,
        };
        if (adc.CurrentChannels.Length != sensors.Current.PhasesSensed)
        {
            throw scope.Child("adc").Error("current_channels", $"expected {sensors.Current.PhasesSensed} numbers, found {adc.CurrentChannels.Length}", $"give exactly {sensors.Current.PhasesSensed} values");
        }

        var spec = new RaspberryPiRigSpec
        {
            Machine = kind,
            PwmFrequency = section.Pwm.FrequencyHz,
            PwmChip = section.Pwm.Chip,
            PwmChannels = section.Pwm.Channels,
            GpioChip = gpio.Chip,
            EnablePin = gpio.EnablePin,
            EnableActiveHigh = gpio.EnableActiveHigh,
            GateFaultPin = gpio.GateFaultPin,
            OverCurrentPin = gpio.OverCurrentPin,
            FaultActiveLow = gpio.FaultActiveLow,
            Encoder = source,
            EncoderPinA = section.Encoder?.PinA ?? -1,
            EncoderPinB = section.Encoder?.PinB ?? -1,
            EncoderPinZ = section.Encoder?.PinZ ?? -1,
            CounterPath = section.Encoder?.CounterPath ?? "/sys/bus/counter/devices/counter0/count0/count",
            EncoderSpiBus = section.Encoder?.SpiBus ?? 0,
            EncoderSpiChipSelect = section.Encoder?.ChipSelect ?? 1,
            EncoderSpiClock = section.Encoder?.ClockHz ?? 1_000_000,
            EncoderIndexOnCounter = section.Encoder?.Index ?? false,
            EncoderEventBufferSize = section.Encoder?.EventBufferSize ?? GpioV2Abi.MaxEventBufferSize,
            HallPins = hall,
            Adc = adcKind,
            SpiBus = adc.SpiBus ?? 0,
            SpiChipSelect = adc.ChipSelect ?? 0,
            SpiClock = adc.ClockHz ?? 1_000_000,
            I2cBus = adc.I2cBus ?? 1,
            I2cAddress = adc.I2cAddress ?? 0x48,
            CurrentChannels = adc.CurrentChannels,
            DcLinkChannel = adc.DcLinkChannel,
            Emulate = section.Emulate,
        };
        if (sensors.Current.Bits != spec.AdcBits)
        {
            throw new ConfigException(scope.File, "sensors.current.bits", $"{sensors.Current.Bits} bits, but the rig's {adcKind} delivers {spec.AdcBits}", $"set sensors.current.bits to {spec.AdcBits}");
        }
        if (sensors.DcLink.Bits != spec.AdcBits)
        {
            throw new ConfigException(scope.File, "sensors.dc_link.bits", $"{sensors.DcLink.Bits} bits, but the rig's {adcKind} delivers {spec.AdcBits}", $"set sensors.dc_link.bits to {spec.AdcBits}");
        }
        if (kind == MachineKind.ThreePhase && sensors.Current.PhasesSensed < 2)
        {
            throw new ConfigException(scope.File, "sensors.current.phases_sensed", "a three-phase rig needs at least two current sensors", "set phases_sensed to 2 or 3");
        }
        if (kind == MachineKind.Dc && sensors.Current.PhasesSensed > 1)
        {
            throw new ConfigException(scope.File, "sensors.current.phases_sensed", "the Raspberry Pi DC rig drives one H-bridge (armature only)", "set phases_sensed to 1");
        }
        return spec;
    }
}

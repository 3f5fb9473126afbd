using System.Text.Json;
using System.Text.Json.Serialization;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Hardware.RaspberryPi;

/// <summary>
/// The <c>rig</c> section of type <c>"raspberry-pi"</c> as written in the file (→ <see cref="RaspberryPiRigSpec"/>):
/// ranges per field; pins distinct, PWM channels per topology and ADC keys per part checked here; the checks against
/// the <c>sensors</c> section are <see cref="RaspberryPiRigSpec.Read"/>'s.
/// </summary>
public sealed record RaspberryPiRigSection : IConfigValidation
{
    /// <summary>The rig kind, <c>"raspberry-pi"</c>.</summary>
    [ConfigField("The rig kind.", Choices = "raspberry-pi")]
    public required string Type { get; init; }

    /// <summary>Machine family: <c>dc</c> (H-bridge, 2 legs) or <c>three_phase</c> (B6, 3 legs).</summary>
    [ConfigField("Machine family; decides the bridge topology: dc (H-bridge, 2 PWM legs) or three_phase (B6, 3 legs).", Choices = "dc,three_phase")]
    public required string Machine { get; init; }

    /// <summary>PWM output.</summary>
    [ConfigField("The PWM output (Linux sysfs PWM).")]
    public required RaspberryPiPwmSection Pwm { get; init; }

    /// <summary>GPIO lines.</summary>
    [ConfigField("GPIO lines (libgpiod), BCM numbers.")]
    public required RaspberryPiGpioSection Gpio { get; init; }

    /// <summary>The ADC.</summary>
    [ConfigField("The ADC the currents and the DC link are sampled with.")]
    public required RaspberryPiAdcSection Adc { get; init; }

    /// <summary>The encoder, or null when none is wired.</summary>
    [ConfigField("The quadrature encoder; absent = none wired (then sensors.encoder must be absent too).")]
    public RaspberryPiEncoderSection? Encoder { get; init; }

    /// <summary>True to run over emulated devices with the twin of <see cref="Sim"/> behind the pins.</summary>
    [ConfigField("Run over emulated devices (CI, development) with the rig of the sim section behind the pins (motorrt simulate only).")]
    public bool Emulate { get; init; }

    /// <summary>The rig behind the emulated devices (<c>emulate</c>: true), read by the rig kind it names.</summary>
    [ConfigField("The rig behind the emulated devices when emulate is true, e.g. { \"type\": \"sim\" }.")]
    public JsonElement? Sim { get; init; }

    /// <summary>Number of bridge legs the topology has.</summary>
    public int Legs() => Machine == "dc" ? 2 : 3;

    /// <inheritdoc />
    public void Validate(ConfigScope scope)
    {
        ConfigScope pwm = scope.Child("pwm");
        int legs = Legs();
        if (Pwm.Channels.Length != legs)
        {
            throw pwm.Error("channels", $"expected {legs} numbers, found {Pwm.Channels.Length}", $"give exactly {legs} values");
        }
        Distinct(pwm, "channels", Pwm.Channels);
        if (Gpio.HallPins is { Length: not 3 } hall)
        {
            throw scope.Child("gpio").Error("hall_pins", $"expected 3 numbers, found {hall.Length}", "give exactly 3 values");
        }
        Encoder?.Validate(scope.Child("encoder"));
        Adc.Validate(scope.Child("adc"));
        if (Encoder is { Source: "ls7366r" } counter && !Adc.IsI2c()
            && (counter.SpiBus ?? 0) == (Adc.SpiBus ?? 0) && (counter.ChipSelect ?? 1) == (Adc.ChipSelect ?? 0))
        {
            throw scope.Child("encoder").Error("chip_select", $"spidev{counter.SpiBus ?? 0}.{counter.ChipSelect ?? 1} is already the ADC's (adc.spi_bus, adc.chip_select)",
                "give the LS7366R its own chip select (e.g. 1: CE1, GPIO 7)");
        }

        var pins = new List<(string Field, int Pin)> { ("gpio.enable_pin", Gpio.EnablePin) };
        if (Gpio.GateFaultPin >= 0) pins.Add(("gpio.gate_fault_pin", Gpio.GateFaultPin));
        if (Gpio.OverCurrentPin >= 0) pins.Add(("gpio.overcurrent_pin", Gpio.OverCurrentPin));
        int[] halls = Gpio.HallPins ?? [];
        for (int i = 0; i < halls.Length; i++) pins.Add(($"gpio.hall_pins[{i}]", halls[i]));
        if (Encoder?.PinA is int pa) pins.Add(("encoder.pin_a", pa));
        if (Encoder?.PinB is int pb) pins.Add(("encoder.pin_b", pb));
        if (Encoder is { PinZ: >= 0 } e) pins.Add(("encoder.pin_z", e.PinZ));
        for (int i = 0; i < pins.Count; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (pins[i].Pin == pins[j].Pin)
                {
                    throw new ConfigException(scope.File, scope.PathOf(pins[i].Field), $"GPIO {pins[i].Pin} is already used by {pins[j].Field}", "wire every signal to its own GPIO line");
                }
            }
        }
    }

    internal static void Distinct(ConfigScope scope, string key, int[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (values[i] == values[j])
                {
                    throw scope.Error(key, $"channel {values[i]} is used twice", "give every signal its own channel");
                }
            }
        }
    }
}

/// <summary><c>rig.pwm</c>: the PWM output.</summary>
public sealed record RaspberryPiPwmSection
{
    /// <summary>PWM frequency, in Hz.</summary>
    [ConfigField("PWM frequency (= control rate; one command per PWM period).", Min = 1000, Max = 100_000, Unit = "Hz")]
    public required int FrequencyHz { get; init; }

    /// <summary>Linux PWM chip number.</summary>
    [ConfigField("Linux PWM chip number (/sys/class/pwm/pwmchipN).", Min = 0, Max = 16)]
    public int Chip { get; init; }

    /// <summary>PWM channels, one per bridge leg.</summary>
    [ConfigField("PWM channels, one per bridge leg (dc: 2, three_phase: 3), distinct.", Min = 0, Max = 3)]
    public required int[] Channels { get; init; }
}

/// <summary><c>rig.gpio</c>: the GPIO lines, BCM numbers.</summary>
/// <remarks>Defaults other than zero come through the constructor (the source generator keeps those for absent keys).</remarks>
public sealed record RaspberryPiGpioSection(bool EnableActiveHigh = true, int GateFaultPin = -1, int OverCurrentPin = -1, bool FaultActiveLow = true)
{
    /// <summary>GPIO chip of the line requests.</summary>
    [ConfigField("GPIO chip for the line requests (0 on a Pi 4; 0 or 4 on a Pi 5 depending on the kernel).", Min = 0, Max = 16)]
    public int Chip { get; init; }

    /// <summary>Bridge-enable output.</summary>
    [ConfigField("Bridge-enable (gate-driver enable) output, BCM number.", Min = 0, Max = 27)]
    public required int EnablePin { get; init; }

    /// <summary>True when a high level enables the bridge.</summary>
    [ConfigField("True when a high level enables the bridge (default true).")]
    public bool EnableActiveHigh { get; init; } = EnableActiveHigh;

    /// <summary>Gate-driver fault input, or −1.</summary>
    [ConfigField("Gate-driver fault input (FaultInputs bit 0), BCM number; -1 = none.", Min = -1, Max = 27)]
    public int GateFaultPin { get; init; } = GateFaultPin;

    /// <summary>Over-current comparator input, or −1.</summary>
    [JsonPropertyName("overcurrent_pin")]
    [ConfigField("Hardware over-current comparator input (FaultInputs bit 1), BCM number; -1 = none.", Min = -1, Max = 27)]
    public int OverCurrentPin { get; init; } = OverCurrentPin;

    /// <summary>True when the fault inputs are active low.</summary>
    [ConfigField("True when the fault inputs are active low (open-drain nFAULT; default true).")]
    public bool FaultActiveLow { get; init; } = FaultActiveLow;

    /// <summary>Hall inputs H_A, H_B, H_C, or null.</summary>
    [ConfigField("Hall inputs H_A, H_B, H_C, BCM numbers; absent = no Hall sensors (must match sensors.hall_sensors).", Min = 0, Max = 27)]
    public int[]? HallPins { get; init; }
}

/// <summary><c>rig.encoder</c>: where the quadrature count comes from.</summary>
public sealed record RaspberryPiEncoderSection(int PinZ = -1)
{
    /// <summary>Count source: <c>gpio</c>, <c>chardev</c>, <c>ls7366r</c> or <c>counter</c>.</summary>
    [ConfigField("Count source: gpio (MotorRT's 4x decoder on dotnet/iot GPIO events; allocates per edge in the driver: the slow fallback), chardev (MotorRT's 4x decoder reading the GPIO character device's edge events on the loop thread, no allocation), ls7366r (an LS7366R quadrature counter on SPI: counts in hardware) or counter (a Linux counter-subsystem device).", Choices = "gpio,chardev,ls7366r,counter")]
    public required string Source { get; init; }

    /// <summary>Encoder A line (sources gpio, chardev).</summary>
    [ConfigField("Encoder A line, BCM number (sources gpio and chardev; required there).", Min = 0, Max = 27)]
    public int? PinA { get; init; }

    /// <summary>Encoder B line (sources gpio, chardev).</summary>
    [ConfigField("Encoder B line, BCM number (sources gpio and chardev; required there).", Min = 0, Max = 27)]
    public int? PinB { get; init; }

    /// <summary>Index line, or −1.</summary>
    [ConfigField("Index (Z) line, BCM number; -1 = none (sources gpio, chardev, counter; required when sensors.encoder.has_index). For ls7366r use index.", Min = -1, Max = 27)]
    public int PinZ { get; init; } = PinZ;

    /// <summary>Counter-subsystem count attribute (source counter).</summary>
    [ConfigField("Counter-subsystem count attribute (source counter; default /sys/bus/counter/devices/counter0/count0/count).")]
    public string? CounterPath { get; init; }

    /// <summary>Kernel event queue of the line request, in events (source chardev).</summary>
    [ConfigField("Kernel edge-event queue of the line request (source chardev; default 1024, the kernel's maximum): must hold one tick's edges (A, B and Z).", Min = 16, Max = 1024)]
    public int? EventBufferSize { get; init; }

    /// <summary>SPI bus of the LS7366R (source ls7366r).</summary>
    [ConfigField("SPI bus of the LS7366R, /dev/spidevB.C: B (source ls7366r; default 0).", Min = 0, Max = 6)]
    public int? SpiBus { get; init; }

    /// <summary>SPI chip select of the LS7366R (source ls7366r).</summary>
    [ConfigField("SPI chip select of the LS7366R, /dev/spidevB.C: C (source ls7366r; default 1, CE1 next to the ADC on CE0).", Min = 0, Max = 3)]
    public int? ChipSelect { get; init; }

    /// <summary>SPI clock of the LS7366R, in Hz (source ls7366r).</summary>
    [ConfigField("SPI clock of the LS7366R (source ls7366r; default 1 MHz).", Min = 10_000, Max = 5_000_000, Unit = "Hz")]
    public int? ClockHz { get; init; }

    /// <summary>True when the encoder's Z goes to the LS7366R's INDEX input (source ls7366r).</summary>
    [ConfigField("True when the encoder's Z is wired to the LS7366R's INDEX input (source ls7366r; default false; required when sensors.encoder.has_index): the chip latches the count at the index.")]
    public bool? Index { get; init; }

    internal void Validate(ConfigScope scope)
    {
        string known = Source switch
        {
            "gpio" => "pin_a, pin_b, pin_z, source",
            "chardev" => "event_buffer_size, pin_a, pin_b, pin_z, source",
            "ls7366r" => "chip_select, clock_hz, index, source, spi_bus",
            _ => "counter_path, pin_z, source",
        };
        (string Key, bool Given, string For)[] keys =
        [
            ("pin_a", PinA is not null, "gpio, chardev"),
            ("pin_b", PinB is not null, "gpio, chardev"),
            ("pin_z", PinZ >= 0, "gpio, chardev, counter"),
            ("counter_path", CounterPath is not null, "counter"),
            ("event_buffer_size", EventBufferSize is not null, "chardev"),
            ("spi_bus", SpiBus is not null, "ls7366r"),
            ("chip_select", ChipSelect is not null, "ls7366r"),
            ("clock_hz", ClockHz is not null, "ls7366r"),
            ("index", Index is not null, "ls7366r"),
        ];
        foreach ((string key, bool given, string sources) in keys)
        {
            if (given && !known.Contains(key, StringComparison.Ordinal))
            {
                throw scope.Error(key, "unknown key", $"remove it ({key} is for source {sources}); known keys here: {known}");
            }
        }
        if (Source is "gpio" or "chardev")
        {
            if (PinA is null) throw scope.Error("pin_a", "required field is missing", "add \"pin_a\": an integer");
            if (PinB is null) throw scope.Error("pin_b", "required field is missing", "add \"pin_b\": an integer");
        }
    }
}

/// <summary><c>rig.adc</c>: the ADC part, its bus and its channels.</summary>
public sealed record RaspberryPiAdcSection
{
    /// <summary>The ADC part.</summary>
    [ConfigField("The ADC part: mcp3208/mcp3204 (12 bit, SPI), mcp3008/mcp3004 (10 bit, SPI) or ads1115 (16 bit, I2C, slow).", Choices = "mcp3208,mcp3204,mcp3008,mcp3004,ads1115")]
    public required string Type { get; init; }

    /// <summary>SPI bus (SPI parts).</summary>
    [ConfigField("SPI bus, /dev/spidevB.C: B (SPI parts; default 0).", Min = 0, Max = 6)]
    public int? SpiBus { get; init; }

    /// <summary>SPI chip select (SPI parts).</summary>
    [ConfigField("SPI chip select, /dev/spidevB.C: C (SPI parts; default 0).", Min = 0, Max = 3)]
    public int? ChipSelect { get; init; }

    /// <summary>SPI clock, in Hz (SPI parts).</summary>
    [ConfigField("SPI clock (SPI parts; default 1 MHz; at most 2 MHz for the MCP320x, 3.6 MHz for the MCP300x).", Min = 10_000, Max = 3_600_000, Unit = "Hz")]
    public int? ClockHz { get; init; }

    /// <summary>I2C bus (ADS1115).</summary>
    [ConfigField("I2C bus (ads1115; default 1).", Min = 0, Max = 16)]
    public int? I2cBus { get; init; }

    /// <summary>I2C address (ADS1115).</summary>
    [ConfigField("I2C address (ads1115; 0x48..0x4B, default 0x48 = 72).", Min = 0x48, Max = 0x4B)]
    public int? I2cAddress { get; init; }

    /// <summary>Current-sensor channels in sensing order.</summary>
    [ConfigField("ADC channels of the current sensors in sensing order (a, b[, c]; DC: armature), one per sensors.current.phases_sensed.", Min = 0, Max = 7)]
    public required int[] CurrentChannels { get; init; }

    /// <summary>DC-link divider channel.</summary>
    [ConfigField("ADC channel of the DC-link divider.", Min = 0, Max = 7)]
    public required int DcLinkChannel { get; init; }

    /// <summary>True for the I2C part.</summary>
    public bool IsI2c() => Type == "ads1115";

    /// <summary>Single-ended inputs of the part.</summary>
    public int Inputs() => Type is "mcp3208" or "mcp3008" ? 8 : 4;

    internal void Validate(ConfigScope scope)
    {
        bool i2c = IsI2c();
        int inputs = Inputs();
        string known = i2c ? "current_channels, dc_link_channel, i2c_address, i2c_bus, type" : "chip_select, clock_hz, current_channels, dc_link_channel, spi_bus, type";
        (string Key, int? Value)[] foreign = i2c ? [("spi_bus", SpiBus), ("chip_select", ChipSelect), ("clock_hz", ClockHz)] : [("i2c_bus", I2cBus), ("i2c_address", I2cAddress)];
        foreach ((string key, int? value) in foreign)
        {
            if (value is not null) throw scope.Error(key, "unknown key", $"remove it ({key} is not a setting of the {Type}); known keys here: {known}");
        }
        int maxClock = Type is "mcp3208" or "mcp3204" ? 2_000_000 : 3_600_000;
        if (ClockHz is int clock && clock > maxClock)
        {
            throw scope.Error("clock_hz", $"value {clock} is out of range", $"use an integer in [10000, {maxClock}] (the {Type}'s SPI clock limit at 5 V)");
        }
        for (int i = 0; i < CurrentChannels.Length; i++)
        {
            if (CurrentChannels[i] >= inputs)
            {
                throw scope.Error($"current_channels[{i}]", $"value {CurrentChannels[i]} is out of range", $"use an integer in [0, {inputs - 1}] (the {Type} has {inputs} inputs)");
            }
        }
        if (DcLinkChannel >= inputs)
        {
            throw scope.Error("dc_link_channel", $"value {DcLinkChannel} is out of range", $"use an integer in [0, {inputs - 1}] (the {Type} has {inputs} inputs)");
        }
        RaspberryPiRigSection.Distinct(scope, "current_channels", [.. CurrentChannels, DcLinkChannel]);
    }
}

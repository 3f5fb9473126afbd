using System.Device.Gpio;
using System.Device.I2c;
using System.Device.Spi;
using Iot.Device.Adc;
using Iot.Device.Ads1115;
using MotorRT.Hardware.Emulation;
using MotorRT.Hardware.RaspberryPi;

namespace MotorRT.Hardware.Tests;

/// <summary>The real Iot.Device.Bindings classes talk to the emulations: the binding path is what is tested.</summary>
public class EmulatedDeviceTests
{
    private static SpiConnectionSettings Spi => new(0, 0) { ClockFrequency = 1_000_000, Mode = SpiMode.Mode0 };

    [Fact]
    public void Mcp3208_binding_reads_every_channel_through_the_wire_protocol()
    {
        var spi = new EmulatedMcp3xxx(8, 12, Spi);
        using var adc = new Mcp3208(spi);
        int[] values = [0, 1, 2047, 2048, 4095, 1234, 3071, 85];
        for (int ch = 0; ch < 8; ch++) spi.SetChannel(ch, values[ch]);
        for (int ch = 0; ch < 8; ch++) Assert.Equal(values[ch], adc.Read(ch));
        Assert.Equal(8, spi.Conversions);
        Assert.Equal(0, spi.IncompleteTransfers);
        // pseudo-differential pair CH4/CH5: IN+ − IN−, clamped at zero
        Assert.Equal(4095 - 1234, adc.ReadPseudoDifferential(4, 5));
        Assert.Equal(0, adc.ReadPseudoDifferential(2, 3));
    }

    [Fact]
    public void Mcp3008_and_Mcp3204_bindings_read_their_resolution()
    {
        var s10 = new EmulatedMcp3xxx(8, 10, Spi);
        using var a10 = new Mcp3008(s10);
        s10.SetChannel(5, 1023);
        s10.SetChannel(6, 511);
        Assert.Equal(1023, a10.Read(5));
        Assert.Equal(511, a10.Read(6));
        var s4 = new EmulatedMcp3xxx(4, 12, Spi);
        using var a4 = new Mcp3204(s4);
        s4.SetChannel(3, 3000);
        Assert.Equal(3000, a4.Read(3));
    }

    [Fact]
    public void Mcp3xxx_emulation_follows_the_datasheet_bit_positions()
    {
        var spi = new EmulatedMcp3xxx(8, 12, Spi);
        spi.SetChannel(6, 0xABC);
        // start bit, single-ended, channel 6 (110), right-aligned as the binding does: 0b0000_0111 10xx_xxxx
        Span<byte> tx = [0b0000_0111, 0b1000_0000, 0x00];
        Span<byte> rx = stackalloc byte[3];
        spi.TransferFullDuplex(tx, rx);
        int word = (rx[0] << 16) | (rx[1] << 8) | rx[2];
        Assert.Equal(0xABC, word & 0xFFF);
        Assert.Equal(0, (word >> 12) & 1); // null bit
        // keep clocking: the LSB-first copy follows (B1..B11)
        Span<byte> tx5 = [0b0000_0111, 0b1000_0000, 0, 0, 0];
        Span<byte> rx5 = stackalloc byte[5];
        spi.TransferFullDuplex(tx5, rx5);
        long w = 0;
        foreach (byte b in rx5) w = (w << 8) | b;
        int lsbFirst = (int)((w >> (40 - 24 - 11)) & 0x7FF); // 11 bits B1..B11 after B0
        int reversed = 0;
        for (int i = 0; i < 11; i++) reversed |= ((lsbFirst >> (10 - i)) & 1) << (i + 1);
        Assert.Equal(0xABC & ~1, reversed);
    }

    [Fact]
    public void Ads1115_binding_reads_single_ended_inputs()
    {
        var i2c = new EmulatedAds1115(new I2cConnectionSettings(1, 0x48));
        using var adc = new Ads1115(i2c, InputMultiplexer.AIN0, MeasuringRange.FS4096, DataRate.SPS860, DeviceMode.PowerDown);
        i2c.SetChannel(0, 12345);
        i2c.SetChannel(3, 32767);
        Assert.Equal(12345, adc.ReadRaw(InputMultiplexer.AIN0));
        Assert.Equal(32767, adc.ReadRaw(InputMultiplexer.AIN3));
        i2c.SetChannel(1, 100);
        Assert.Equal(12245, adc.ReadRaw(InputMultiplexer.AIN0_AIN1));
        var sampler = new Ads1115Sampler(new Ads1115(new EmulatedAds1115(new I2cConnectionSettings(1, 0x49))));
        Assert.Equal(15, sampler.Bits);
    }

    [Fact]
    public void Pwm_channel_quantises_to_whole_nanoseconds_and_validates()
    {
        var p = new VirtualPwmChannel(20_000);
        Assert.Equal(50_000, p.PeriodNs);
        p.DutyCycle = 0.123456789;
        Assert.Equal(6172, p.OnTimeNs);
        Assert.Equal(0.0, p.EffectiveDutyCycle); // not started
        p.Start();
        Assert.Equal(6172.0 / 50_000, p.EffectiveDutyCycle);
        Assert.Throws<ArgumentOutOfRangeException>(() => p.DutyCycle = 1.5);
        Assert.Throws<ArgumentOutOfRangeException>(() => p.DutyCycle = double.NaN);
    }

    [Fact]
    public void Gpio_decoder_counts_four_per_line_both_directions_and_latches_index()
    {
        var drv = new EmulatedGpioDriver();
        using var gpio = new GpioController(drv);
        using var dec = new GpioQuadratureDecoder(gpio, 17, 27, 5);
        dec.Start();
        // forward 3 lines: A/B Gray sequence 00 → 10 → 11 → 01 → 00
        for (int line = 0; line < 3; line++)
        {
            drv.Drive(17, true);
            drv.Drive(27, true);
            drv.Drive(17, false);
            drv.Drive(27, false);
        }
        dec.Sample(out long count, out int pulses, out _);
        Assert.Equal(12, count);
        Assert.Equal(0, pulses);
        drv.Drive(5, true);
        drv.Drive(5, false);
        // backward 5 counts
        drv.Drive(27, true);   // 00 → 01: −1
        drv.Drive(17, true);   // 01 → 11: −1
        drv.Drive(27, false);  // 11 → 10: −1
        drv.Drive(17, false);  // 10 → 00: −1
        drv.Drive(27, true);   // −1
        dec.Sample(out count, out pulses, out long atIndex);
        Assert.Equal(7, count);
        Assert.Equal(1, pulses);
        Assert.Equal(12, atIndex);
        Assert.Equal(0, dec.IllegalTransitions);
        Assert.Equal(18, dec.Edges); // 12 + 5 A/B edges, 1 Z rising edge
    }

    [Fact]
    public void Gpio_decoder_flags_a_lost_edge()
    {
        var drv = new EmulatedGpioDriver();
        using var gpio = new GpioController(drv);
        using var dec = new GpioQuadratureDecoder(gpio, 2, 3, -1);
        drv.Drive(2, true);    // the line is high before the decoder starts: not counted
        dec.Start();           // tracks state 10
        drv.Drive(2, false);   // 10 → 00: −1
        dec.Sample(out long c, out _, out _);
        Assert.Equal(-1, c);
        Assert.Equal(0, dec.IllegalTransitions);
        drv.DriveUnseen(2, true);  // a rising edge the edge detector misses (glitch shorter than its resolution)
        drv.Drive(2, false);       // … so the next event is a falling edge on a line already tracked low
        Assert.Equal(1, dec.IllegalTransitions);
        dec.Sample(out c, out _, out _);
        Assert.Equal(-1, c);       // no motion is invented from a contradictory edge
    }

    [Fact]
    public void Gpio_edges_do_not_allocate()
    {
        var drv = new EmulatedGpioDriver();
        using var gpio = new GpioController(drv);
        using var dec = new GpioQuadratureDecoder(gpio, 17, 27, 5);
        dec.Start();
        void Turn(int n)
        {
            for (int k = 0; k < n; k++)
            {
                drv.Drive(17, true); drv.Drive(27, true); drv.Drive(17, false); drv.Drive(27, false);
                if (k % 100 == 0) { drv.Drive(5, true); drv.Drive(5, false); }
            }
        }
        Turn(100);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Turn(10_000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        dec.Sample(out long count, out int pulses, out _);
        Assert.Equal(4 * 10_100, count);
        Assert.Equal(101, pulses);
    }
}

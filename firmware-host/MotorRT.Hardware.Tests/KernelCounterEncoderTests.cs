using System.Device.Gpio;
using MotorRT.Hardware.Emulation;
using MotorRT.Hardware.RaspberryPi;

namespace MotorRT.Hardware.Tests;

/// <summary>The counter-subsystem path against a file standing in for the sysfs <c>count</c> attribute.</summary>
public class KernelCounterEncoderTests
{
    [Fact]
    public void Reads_the_count_attribute_relative_to_start_latches_index_and_does_not_allocate()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "1000\n");
            var drv = new EmulatedGpioDriver();
            using var gpio = new GpioController(drv);
            using var enc = new KernelCounterEncoder(path, gpio, 5);
            enc.Start();
            enc.Sample(out long c, out int pulses, out _);
            Assert.Equal(0, c);
            File.WriteAllText(path, "1234\n");
            enc.Sample(out c, out pulses, out _);
            Assert.Equal(234, c);
            drv.Drive(5, true); // index pulse: latches the counter's value at the event
            File.WriteAllText(path, "-50\n");
            enc.Sample(out c, out pulses, out long atIndex);
            Assert.Equal(-1050, c);
            Assert.Equal(1, pulses);
            Assert.Equal(234, atIndex);
            for (int k = 0; k < 100; k++) enc.Sample(out _, out _, out _);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int k = 0; k < 10_000; k++) enc.Sample(out c, out _, out _);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Missing_counter_device_is_a_clear_error()
    {
        using var enc = new KernelCounterEncoder("/sys/bus/counter/devices/counter99/count0/count", null, -1);
        var e = Assert.Throws<IOException>(enc.Start);
        Assert.Contains("\"gpio\" encoder source", e.Message);
    }
}

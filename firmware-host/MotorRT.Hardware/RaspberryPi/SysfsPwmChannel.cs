using System.Buffers.Text;
using System.Device.Pwm;
using Microsoft.Win32.SafeHandles;

namespace MotorRT.Hardware.RaspberryPi;

/// <summary>
/// A Linux sysfs hardware PWM channel (<c>/sys/class/pwm/pwmchipN/pwmM</c>) that updates the duty cycle with one
/// pwrite of a pre-formatted decimal into an open handle: no allocation and no truncate per update (dotnet/iot's
/// own sysfs channel formats a string and truncates the file on every duty write). Export, period and enable go
/// through the same files at setup. On the Raspberry Pi 4 the two hardware channels are pwmchip0/pwm0 (GPIO 12 or
/// 18) and pwm1 (GPIO 13 or 19) with <c>dtoverlay=pwm-2chan</c>; the Pi 5's RP1 has four.
/// </summary>
public sealed class SysfsPwmChannel : PwmChannel
{
    private readonly string _channelPath;
    private readonly byte[] _text = new byte[24];
    private SafeFileHandle _duty;
    private int _frequency;
    private double _dutyCycle;
    private long _periodNs;

    /// <summary>Exports and configures channel <paramref name="channel"/> of chip <paramref name="chip"/>.</summary>
    public SysfsPwmChannel(int chip, int channel, int frequency, double dutyCycle)
    {
        string chipPath = $"/sys/class/pwm/pwmchip{chip}";
        _channelPath = $"{chipPath}/pwm{channel}";
        if (!Directory.Exists(chipPath))
        {
            throw new IOException($"{chipPath} not found: enable the hardware PWM overlay (e.g. dtoverlay=pwm-2chan)");
        }
        if (!Directory.Exists(_channelPath))
        {
            File.WriteAllText($"{chipPath}/export", channel.ToString(System.Globalization.CultureInfo.InvariantCulture));
            // udev needs a moment to hand the new files to the gpio group
            for (int i = 0; i < 50 && !File.Exists($"{_channelPath}/duty_cycle"); i++)
            {
                Thread.Sleep(10);
            }
        }
        _duty = File.OpenHandle($"{_channelPath}/duty_cycle", FileMode.Open, FileAccess.Write);
        WriteValue(_duty, 0);
        Frequency = frequency;
        DutyCycle = dutyCycle;
    }

    /// <inheritdoc />
    public override int Frequency
    {
        get => _frequency;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            long period = 1_000_000_000L / value;
            WriteValue(_duty, 0); // the kernel rejects a period shorter than the present on-time
            using (SafeFileHandle p = File.OpenHandle($"{_channelPath}/period", FileMode.Open, FileAccess.Write))
            {
                WriteValue(p, period);
            }
            _frequency = value;
            _periodNs = period;
            DutyCycle = _dutyCycle;
        }
    }

    /// <inheritdoc />
    public override double DutyCycle
    {
        get => _dutyCycle;
        set
        {
            if (!(value >= 0.0 && value <= 1.0))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Value must be between 0.0 and 1.0.");
            }
            WriteValue(_duty, (long)(_periodNs * value));
            _dutyCycle = value;
        }
    }

    /// <inheritdoc />
    public override void Start() => File.WriteAllText($"{_channelPath}/enable", "1");

    /// <inheritdoc />
    public override void Stop() => File.WriteAllText($"{_channelPath}/enable", "0");

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        try
        {
            WriteValue(_duty, 0);
            Stop();
        }
        catch (IOException)
        {
            // best effort on the way out
        }
        _duty.Dispose();
        base.Dispose(disposing);
    }

    private void WriteValue(SafeFileHandle handle, long value)
    {
        Utf8Formatter.TryFormat(value, _text, out int n);
        RandomAccess.Write(handle, _text.AsSpan(0, n), 0);
    }
}

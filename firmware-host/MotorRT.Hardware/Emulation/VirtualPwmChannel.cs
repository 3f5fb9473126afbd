using System.Device.Pwm;

namespace MotorRT.Hardware.Emulation;

/// <summary>
/// A virtual hardware PWM channel: holds what the code under test programmed (frequency, duty cycle, running) with the
/// resolution of the Linux PWM interface — period and on-time are whole nanoseconds, on-time truncated as the kernel
/// interface and dotnet/iot's sysfs channel do — so the emulated plant receives exactly the duty the pin would produce.
/// Validates like the real channel (duty cycle in [0, 1], frequency positive).
/// </summary>
public sealed class VirtualPwmChannel : PwmChannel
{
    private int _frequency;
    private double _dutyCycle;
    private long _periodNs;
    private long _onTimeNs;

    /// <summary>Creates a stopped channel.</summary>
    /// <param name="frequency">PWM frequency, in Hz.</param>
    /// <param name="dutyCycle">Initial duty cycle (0..1, dimensionless).</param>
    public VirtualPwmChannel(int frequency, double dutyCycle = 0.0)
    {
        Frequency = frequency;
        DutyCycle = dutyCycle;
    }

    /// <summary>True between <see cref="Start"/> and <see cref="Stop"/>.</summary>
    public bool Running { get; private set; }

    /// <summary>Duty-cycle writes since construction (each one a syscall on the real sysfs channel).</summary>
    public long DutyWrites { get; private set; }

    /// <summary>Programmed period, in ns.</summary>
    public long PeriodNs => _periodNs;

    /// <summary>Programmed on-time, in ns.</summary>
    public long OnTimeNs => _onTimeNs;

    /// <summary>The duty cycle the pin actually produces: on-time / period (0 when stopped), dimensionless.</summary>
    public double EffectiveDutyCycle => Running && _periodNs > 0 ? (double)_onTimeNs / _periodNs : 0.0;

    /// <inheritdoc />
    public override int Frequency
    {
        get => _frequency;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _frequency = value;
            _periodNs = 1_000_000_000L / value;
            _onTimeNs = (long)(_periodNs * _dutyCycle);
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
            _dutyCycle = value;
            _onTimeNs = (long)(_periodNs * value);
            DutyWrites++;
        }
    }

    /// <inheritdoc />
    public override void Start() => Running = true;

    /// <inheritdoc />
    public override void Stop() => Running = false;
}

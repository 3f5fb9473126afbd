namespace MotorRT.Hardware;

/// <summary>
/// The physical world behind emulated devices, for lock-step runs in CI: on real hardware time passes by itself, in
/// emulation a PWM period passes when the rig has written its command. A rig given a world reports
/// <c>IsLockStep = true</c>, calls <see cref="Start"/> when it opens and <see cref="EndPeriod"/> after every write.
/// </summary>
public interface IEmulatedWorld
{
    /// <summary>World time of the present sample, in ns.</summary>
    long NowNs { get; }

    /// <summary>Resets the world and presents the first sample on the emulated devices.</summary>
    void Start();

    /// <summary>Lets one PWM period pass with what the devices are driven with, then presents the next sample.</summary>
    void EndPeriod();
}

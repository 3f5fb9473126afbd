using MotorRT.Sim.Sensors;

namespace MotorRT.Sim.Rig;

/// <summary>How a <see cref="SimulatedRig"/> wraps its plant (from the config's <c>rig</c> section, type "sim").</summary>
public sealed record SimulatedRigOptions
{
    /// <summary>Defaults: one plant step per tick, one period of PWM delay, diode freewheeling, perfect sensors.</summary>
    public static SimulatedRigOptions Default { get; } = new();

    /// <summary>Plant steps per rig tick (≥ 1); the PWM period is sub-steps × plant τ.</summary>
    public int SubSteps { get; init; } = 1;

    /// <summary>
    /// PWM delay in periods: 1 (default) applies the command written at tick k over the plant steps of tick k+1, as a
    /// PWM peripheral with shadow registers does; 0 applies it at once (GEM's timing, for twin comparisons).
    /// </summary>
    public int PwmDelayPeriods { get; init; } = 1;

    /// <summary>How a disabled bridge is emulated.</summary>
    public BridgeOffModel BridgeOff { get; init; } = BridgeOffModel.DiodeFreewheel;

    /// <summary>
    /// Trip level of an emulated hardware over-current comparator, in A: when any sensed phase (or armature) current
    /// magnitude exceeds it, bit 1 of <c>RawSensorFrame.FaultInputs</c> is set. 0 = no comparator.
    /// </summary>
    public double OverCurrentComparator { get; init; }

    /// <summary>Constant deviations of the emulated sensors from their nominal description.</summary>
    public SensorDeviations SensorErrors { get; init; } = SensorDeviations.None;
}

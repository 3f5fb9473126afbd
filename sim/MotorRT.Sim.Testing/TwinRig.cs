using MotorRT.Contracts;
using MotorRT.Contracts.Sensors;
using MotorRT.Sim.Rig;
using MotorRT.Sim.Sensors;
using MotorRT.Sim.Spec;

namespace MotorRT.Sim.Testing;

/// <summary>
/// The rig of the loop and fault suites: a <see cref="SimulatedRig"/> over the twin, plus what a test needs around
/// it — a fault injected at a chosen tick (<see cref="InjectAtWrite"/>, <see cref="Inject"/>), a log of the bridge
/// state of every command written and of <see cref="IRigIo.DisableBridge"/> calls, and the frame-level faults no sensor
/// model emulates (<see cref="FreezeSequence"/>, <see cref="IndexShiftCounts"/>, <see cref="FaultInputs"/> kept across
/// <see cref="Open"/>, a free-running clock). Plant faults go through <see cref="Twin"/>'s <c>Disturbances</c>, sensor
/// faults through <see cref="Sensors"/>. Read and Write do not allocate.
/// </summary>
public sealed class TwinRig : BridgeLoggingRig
{
    private readonly SimulatedRig _inner;
    private long _frozenSequence;

    /// <summary>Wraps <paramref name="inner"/>; the bridge log holds <paramref name="logWrites"/> writes.</summary>
    public TwinRig(SimulatedRig inner, int logWrites = 1 << 20)
        : base(inner, logWrites)
    {
        _inner = inner;
    }

    /// <summary>
    /// The twin of <paramref name="spec"/> behind a simulated rig with the sensors <paramref name="sensors"/> (also the
    /// runtime's calibration). Idealised by default: no PWM delay (the command acts over the period it is written in)
    /// and perfect sensors; <paramref name="sensorErrors"/> adds the deviations of real hardware.
    /// </summary>
    /// <param name="spec">The plant.</param>
    /// <param name="sensors">Nominal sensors.</param>
    /// <param name="seed">Scenario seed for sensor noise.</param>
    /// <param name="sensorErrors">Constant deviations of the emulated sensors; null = perfect.</param>
    /// <param name="pwmDelayPeriods">0 (default) or 1 period, as a PWM with shadow registers.</param>
    public static TwinRig Create(PlantSpec spec, SensorSpec sensors, int seed = 1, SensorDeviations? sensorErrors = null, int pwmDelayPeriods = 0)
    {
        var options = new SimulatedRigOptions { PwmDelayPeriods = pwmDelayPeriods, SensorErrors = sensorErrors ?? SensorDeviations.None };
        return new TwinRig(new SimulatedRig(PhysicalSystem.Create(spec), sensors, options, seed));
    }

    /// <summary>Deviations of current channel a (armature): a constant offset and white noise, in counts.</summary>
    public static SensorDeviations CurrentErrors(double offsetCounts = 0, double noiseCounts = 0) =>
        new() { Current = [new AdcDeviation { OffsetCounts = offsetCounts, NoiseCounts = noiseCounts }] };

    /// <summary>The simulated rig inside.</summary>
    public SimulatedRig Inner => _inner;

    /// <summary>The twin (plant faults: <c>Twin.Disturbances</c>).</summary>
    public PhysicalSystem Twin => _inner.Twin ?? throw new InvalidOperationException("the simulated rig is not built over the twin");

    /// <summary>The sensor models (sensor faults: stuck-at, rails, drift, encoder disconnect and glitches).</summary>
    public SensorSuite Sensors => _inner.Sensors;

    /// <summary>True makes the rig report a free-running clock (<see cref="IsLockStep"/> false), as a real rig.</summary>
    public bool FreeRunning { get; set; }

    /// <inheritdoc />
    public override bool IsLockStep => !FreeRunning;

    /// <summary>The write before which <see cref="Inject"/> runs (it runs in the Read of that tick), counted from 0.</summary>
    public long InjectAtWrite { get; set; } = long.MaxValue;

    /// <summary>The fault to inject (once), called with this rig just before the frame of tick <see cref="InjectAtWrite"/> is sampled.</summary>
    public Action<TwinRig>? Inject { get; set; }

    /// <summary>Injected digital fault inputs OR-ed into every frame (bit 0 gate driver, bit 1 over-current), kept across <see cref="Open"/>.</summary>
    public uint FaultInputs;

    /// <summary>Fault: while true every frame repeats the last sequence number (a rig that stopped delivering fresh frames).</summary>
    public bool FreezeSequence;

    /// <summary>Fault: counts added to the encoder count latched at the index pulse (a noisy Z line), in counts.</summary>
    public long IndexShiftCounts;

    /// <inheritdoc />
    public override void Open()
    {
        base.Open();
        _frozenSequence = 0;
    }

    /// <inheritdoc />
    public override RigIoStatus Read(ref RawSensorFrame frame)
    {
        if (Writes == InjectAtWrite && Inject is { } inject)
        {
            Inject = null;
            inject(this);
        }
        RigIoStatus status = _inner.Read(ref frame);
        frame.FaultInputs |= FaultInputs;
        frame.EncoderCountAtIndex += IndexShiftCounts;
        if (FreezeSequence) frame.Sequence = _frozenSequence;
        else _frozenSequence = frame.Sequence;
        return status;
    }
}

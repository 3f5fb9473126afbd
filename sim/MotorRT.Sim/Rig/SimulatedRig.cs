using MotorRT.Contracts;
using MotorRT.Contracts.Sensors;
using MotorRT.Sim.Sensors;

namespace MotorRT.Sim.Rig;

/// <summary>
/// The simulated rig: the twin plus its sensor models behind the rig I/O boundary. Lock-step: each
/// <see cref="Write"/> advances the plant by one PWM period (<see cref="SimulatedRigOptions.SubSteps"/> plant steps),
/// and the next <see cref="Read"/> samples the sensors at the end of that period. With the default one-period PWM
/// delay, the command written at tick k is applied over the plant steps of tick k+1. Time comes only from the step
/// counter and noise only from the seed, so the same commands and seed give bit-identical frames.
/// Fault injection: <see cref="Sensors"/> (encoder disconnect and glitches, ADC stuck-at, rail saturation, offset
/// drift), <see cref="FaultInputs"/> (digital fault pins) and the plant's own disturbances on the object the rig was
/// built from. <see cref="Read"/> and <see cref="Write"/> do not allocate.
/// </summary>
public sealed class SimulatedRig : IRigIo
{
    private readonly IRigPlant _plant;
    // The twin's adapter when the plant is one (sealed: direct, inlinable calls per step instead of interface dispatch).
    private readonly PhysicalSystemPlant? _twinPlant;
    private readonly bool _finite;
    private readonly double[] _duty;
    private readonly int[] _states;
    private readonly OpenBridgeEmulator _openBridge;
    private readonly double _period;
    private readonly int _subSteps;
    private readonly int _delay;
    private readonly double _overCurrent;
    private SensorInputs _inputs;
    private ConverterCommand _pending;
    private ConverterCommand _applied;
    private long _tick;
    private bool _open;
    private volatile bool _forceOff;
    private bool _frozenValid;

    /// <summary>Builds the rig.</summary>
    /// <param name="plant">The plant (usually <see cref="PhysicalSystemPlant"/> over the twin).</param>
    /// <param name="sensors">Nominal sensor description (also the runtime's calibration).</param>
    /// <param name="options">Sub-steps, PWM delay, open-bridge model, sensor deviations; null = defaults.</param>
    /// <param name="seed">Scenario seed for sensor noise.</param>
    public SimulatedRig(IRigPlant plant, SensorSpec sensors, SimulatedRigOptions? options = null, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(plant);
        ArgumentNullException.ThrowIfNull(sensors);
        options ??= SimulatedRigOptions.Default;
        if (options.SubSteps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.SubSteps, "SubSteps must be at least 1");
        }
        if (options.PwmDelayPeriods is not (0 or 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.PwmDelayPeriods, "PwmDelayPeriods must be 0 or 1");
        }
        if (plant.ConverterChannels > Channels4.Length)
        {
            // A ConverterCommand carries four duties: the DFIM's two B6 bridges (six) would lose the rotor bridge silently.
            throw new ArgumentException($"the plant takes {plant.ConverterChannels} duty cycles; a ConverterCommand carries {Channels4.Length} (run a doubly-fed machine through PhysicalSystem or GemEnv, or with its finite converter)", nameof(plant));
        }
        _plant = plant;
        _twinPlant = plant as PhysicalSystemPlant;
        _finite = plant.IsFiniteConverter;
        Options = options;
        Sensors = new SensorSuite(sensors, plant.Machine, options.SensorErrors, seed);
        _subSteps = options.SubSteps;
        _delay = options.PwmDelayPeriods;
        _overCurrent = options.OverCurrentComparator;
        _period = plant.Tau * options.SubSteps;
        _duty = new double[plant.ConverterChannels];
        _states = new int[Math.Max(1, plant.SwitchingInputs)];
        _openBridge = new OpenBridgeEmulator(options.BridgeOff, plant.Machine, plant.Motor, plant.ConverterChannels, plant.Tau);
        Description = new RigDescription
        {
            Name = "sim",
            Machine = plant.Machine,
            ConverterChannels = plant.ConverterChannels,
            PwmPeriod = _period,
            RequiresLoopPeriod = true,
            EncoderLinesPerRevolution = sensors.Encoder?.LinesPerRevolution ?? 0,
        };
        _pending.SetSafe();
        _applied.SetSafe();
    }

    /// <summary>Builds the rig over the twin.</summary>
    /// <param name="twin">The plant twin.</param>
    /// <param name="sensors">Nominal sensor description (also the runtime's calibration).</param>
    /// <param name="options">Sub-steps, PWM delay, open-bridge model, sensor deviations; null = defaults.</param>
    /// <param name="seed">Scenario seed for sensor noise.</param>
    public SimulatedRig(PhysicalSystem twin, SensorSpec sensors, SimulatedRigOptions? options = null, int seed = 0)
        : this(new PhysicalSystemPlant(twin), sensors, options, seed)
    {
    }

    /// <inheritdoc />
    public RigDescription Description { get; }

    /// <summary>The twin behind the rig when it was built over one (plant faults: <c>Twin.Disturbances</c>), else null.</summary>
    public PhysicalSystem? Twin => (_plant as PhysicalSystemPlant)?.System;

    /// <inheritdoc />
    public bool IsLockStep => true;

    /// <summary>The options the rig was built with.</summary>
    public SimulatedRigOptions Options { get; }

    /// <summary>The plant behind the rig.</summary>
    public IRigPlant Plant => _plant;

    /// <summary>The sensor models, for fault injection (e.g. <c>Sensors.Encoder!.Disconnected = true</c>).</summary>
    public SensorSuite Sensors { get; }

    /// <summary>Injected digital fault inputs OR-ed into every frame (bit 0: gate-driver fault).</summary>
    public uint FaultInputs;

    /// <summary>
    /// Fault: the converter channel whose duty stops updating (−1 none): from the period it is set, the channel keeps
    /// the duty it last applied while the bridge stays enabled (a PWM peripheral that stopped taking new compare values).
    /// </summary>
    public int FrozenDutyChannel = -1;

    /// <summary>
    /// Fault (three-phase): motor leads b and c swapped between the converter (and its current sensors) and the
    /// machine: the converter's phase b drives the machine's phase c and its sensor b measures the machine's i_c.
    /// </summary>
    public bool PhaseOrderSwapped;

    /// <summary>Ticks (PWM periods) completed since <see cref="Open"/>.</summary>
    public long Tick => _tick;

    /// <summary>Rig time, in s (ticks × PWM period, from the counter only).</summary>
    public double Time => _tick * _period;

    /// <summary>The command applied over the most recent period (after the PWM delay and any forced disable).</summary>
    public ref readonly ConverterCommand AppliedCommand => ref _applied;

    /// <summary>Commands rejected since <see cref="Open"/> (non-finite duty, mode the converter cannot take); the rig opened the bridge for them.</summary>
    public long RejectedCommands { get; private set; }

    /// <inheritdoc />
    public void Open()
    {
        _plant.Reset();
        Sensors.Reset();
        _openBridge.Reset();
        _pending.SetSafe();
        _applied.SetSafe();
        _tick = 0;
        RejectedCommands = 0;
        _forceOff = false;
        FaultInputs = 0;
        FrozenDutyChannel = -1;
        PhaseOrderSwapped = false;
        _frozenValid = false;
        _open = true;
    }

    /// <inheritdoc />
    public RigIoStatus Read(ref RawSensorFrame frame)
    {
        if (!_open)
        {
            return RigIoStatus.DeviceError;
        }
        ReadSensorInputs();
        if (PhaseOrderSwapped && Sensors.Machine == MachineKind.ThreePhase)
        {
            (_inputs.CurrentB, _inputs.CurrentC) = (_inputs.CurrentC, _inputs.CurrentB);
        }
        double t = _tick * _period;
        Sensors.Sample(in _inputs, t, ref frame);
        frame.Sequence = _tick;
        frame.TimestampNs = (long)Math.Round(t * 1e9);
        uint faults = FaultInputs;
        if (_overCurrent > 0 && (Math.Abs(_inputs.CurrentA) > _overCurrent
            || (Sensors.Machine == MachineKind.ThreePhase && (Math.Abs(_inputs.CurrentB) > _overCurrent || Math.Abs(_inputs.CurrentC) > _overCurrent))))
        {
            faults |= 0b10;
        }
        frame.FaultInputs = faults;
        return RigIoStatus.Ok;
    }

    /// <inheritdoc />
    public RigIoStatus Write(in ConverterCommand command)
    {
        if (!_open)
        {
            return RigIoStatus.DeviceError;
        }
        if (_delay == 0)
        {
            _applied = command;
        }
        else
        {
            _applied = _pending;
            _pending = command;
        }
        if (_forceOff)
        {
            _forceOff = false;
            _applied.SetSafe();
        }
        if (_applied.BridgeEnable && !Accepts(in _applied))
        {
            RejectedCommands++;
            _applied.SetSafe();
        }
        for (int s = 0; s < _subSteps; s++)
        {
            StepOnce();
        }
        _tick++;
        return RigIoStatus.Ok;
    }

    /// <inheritdoc />
    public void DisableBridge() => _forceOff = true;

    /// <inheritdoc />
    public void Dispose() => _open = false;

    private void ReadSensorInputs()
    {
        if (_twinPlant is not null) _twinPlant.ReadSensorInputs(ref _inputs);
        else _plant.ReadSensorInputs(ref _inputs);
    }

    private void StepPlant()
    {
        if (_twinPlant is not null) _twinPlant.Step(_duty);
        else _plant.Step(_duty);
    }

    private bool Accepts(in ConverterCommand c)
    {
        if (c.Mode == CommandMode.SwitchingState)
        {
            return _finite && c.SwitchingState >= 0;
        }
        if (_finite)
        {
            return false;
        }
        for (int i = 0; i < _duty.Length && i < Channels4.Length; i++)
        {
            if (!double.IsFinite(c.Duty[i]))
            {
                return false;
            }
        }
        return true;
    }

    private void StepOnce()
    {
        if (_finite)
        {
            if (_applied.BridgeEnable)
            {
                // Multi converters (two sub-converters) take the states packed as s0 + 256·s1.
                _states[0] = _states.Length > 1 ? _applied.SwitchingState & 0xFF : _applied.SwitchingState;
                if (_states.Length > 1)
                {
                    _states[1] = _applied.SwitchingState >> 8;
                }
            }
            else
            {
                Array.Clear(_states);
            }
            _plant.StepSwitching(_states);
            return;
        }
        ReadSensorInputs();
        if (_applied.BridgeEnable)
        {
            for (int i = 0; i < _duty.Length; i++)
            {
                if (i == FrozenDutyChannel && _frozenValid) continue;
                _duty[i] = i < Channels4.Length ? Math.Clamp(_applied.Duty[i], -1.0, 1.0) : 0.0;
            }
            _frozenValid = FrozenDutyChannel >= 0;
            if (PhaseOrderSwapped && _duty.Length >= 3)
            {
                (_duty[1], _duty[2]) = (_duty[2], _duty[1]);
                StepPlant();
                (_duty[1], _duty[2]) = (_duty[2], _duty[1]);
                _openBridge.Remember(_duty, in _inputs);
                return;
            }
        }
        else
        {
            // The back-EMF estimate is only read here: it is updated from the step that just ended right before it is
            // used (the same arithmetic on the same remembered duty, current and u_dc as updating it before every step).
            _openBridge.Observe(in _inputs);
            _openBridge.Compute(in _inputs, _duty);
        }
        _openBridge.Remember(_duty, in _inputs);
        StepPlant();
    }
}

using System.Diagnostics;
using System.Runtime;
using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.References;
using MotorRT.Runtime.Safety;
using MotorRT.Runtime.Signals;
using MotorRT.Runtime.Telemetry;

namespace MotorRT.Runtime.Loop;

/// <summary>
/// The control loop: each tick reads a raw frame, estimates (signal chain), supervises, runs the controller and writes
/// the command — read → estimate → supervise → control → write. Every tick starts by presetting the command to its
/// safe value (bridge off, zero volts), so a tick that is cut short leaves the bridge harmless. Owns the drive state
/// machine (Idle → Calibrating → Armed → Running → Fault) and measures its own timing. Everything the hot path
/// touches is allocated in the constructor or at arm time; <see cref="RunTicks"/> does not allocate.
/// </summary>
public sealed class ControlLoop : IDisposable
{
    private readonly RuntimeConfig _config;
    private readonly IRigIo _rig;
    private readonly IController _controller;
    private readonly SignalChain _signals;
    private readonly Supervisor _supervisor;
    private readonly ReferenceSet _references;
    private readonly DriveStateMachine _states = new();
    private readonly TelemetryRing _ring;
    private readonly LatencyHistogram _compute = new();
    private readonly LatencyHistogram _jitter = new();
    private readonly LatencyHistogram _lateness = new();
    private readonly LatencyHistogram _controllerTime = new();
    private readonly double _period;
    private readonly long _periodNs;
    private readonly bool _threePhase;
    private readonly int _decimation;
    private readonly bool _lockStep;
    private readonly bool _enforceTiming;
    private readonly long _watchdogNs;

    private RawSensorFrame _frame;
    private MotorObservation _obs;
    private ConverterCommand _command;
    private long _tick;
    private long _runStartTick;
    private long _ticksCompleted;
    private long _ticksPlanned;
    private long _deadlineMisses;
    private long _controllerSaturated;
    private volatile bool _stopRequested;
    private volatile int _externalFault;
    private long _lastTickDoneNs;
    private volatile bool _watchdogActive;
    private TrackingStatistics _trackSpeed, _trackCurrentD, _trackCurrentQ, _trackExcitation;
    private IReadOnlyList<string> _rtReport = [];
    private List<string> _gcNotes = [];
    private bool _noGc;
    private TelemetryWriter? _writer;
    private Thread? _watchdog;
    private long _warmupTicks;
    private long _threadAlloc0;
    private long _processAlloc0;
    private int _gc0;
    private Stopwatch _wall = new();
    private readonly bool _measureController;
    private readonly bool _backpressure;
    private int _untilRecord;
    private long _warmWallNs;
    private long _startWallNs;

    /// <summary>Builds the loop. Nothing is opened or armed yet.</summary>
    /// <param name="config">Validated configuration.</param>
    /// <param name="rig">The rig (simulated, Raspberry Pi, remote HIL, replay).</param>
    /// <param name="controller">The controller to run.</param>
    /// <param name="motor">The machine as the controller knows it (pole pairs, limits for the supervisor).</param>
    public ControlLoop(RuntimeConfig config, IRigIo rig, IController controller, MotorParameters motor)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(rig);
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(motor);
        _config = config;
        _rig = rig;
        _controller = controller;
        _references = config.Reference;
        _period = config.Timing.Period;
        _periodNs = (long)Math.Round(_period * 1e9);
        RigDescription d = rig.Description;
        _threePhase = d.Machine == MachineKind.ThreePhase;
        if (motor.IsDc == _threePhase)
        {
            throw new ArgumentException($"the rig drives a {d.Machine} machine but the motor is a {motor.Type}", nameof(motor));
        }
        Mode = config.Timing.Mode switch
        {
            LoopMode.Auto => rig.IsLockStep ? LoopMode.LockStep : LoopMode.RealTime,
            LoopMode.LockStep when !rig.IsLockStep => throw new ArgumentException($"timing.mode is lock-step but rig \"{d.Name}\" is not lock-step", nameof(config)),
            var m => m,
        };
        _lockStep = Mode == LoopMode.LockStep;
        Limits = config.Limits.Resolve(motor, _period, config.Sensors.DcLink.FullScale);
        _enforceTiming = !_lockStep || Limits.EnforceTimingInLockStep;
        _watchdogNs = (long)(Limits.WatchdogTimeout * 1e9);
        _signals = new SignalChain(config.Sensors, d.Machine, motor.PolePairs, config.Estimator.PllBandwidth, _period);
        _supervisor = new Supervisor(Limits, config.Sensors, d.Machine, d.ConverterChannels, _period);
        _ring = new TelemetryRing(config.Telemetry.BufferSamples);
        _decimation = config.Telemetry.Decimation;
        _backpressure = config.Telemetry.LockStepBackpressure;
        _measureController = _enforceTiming || config.Timing.MeasureControllerTime;
        _obs.Period = _period;
        _command.SetSafe();
    }

    /// <summary>Lock-step or real-time, as resolved from the config and the rig.</summary>
    public LoopMode Mode { get; }

    /// <summary>Supervisor limits in force (config with defaults from the motor limits).</summary>
    public LimitsConfig Limits { get; }

    /// <summary>The drive state machine.</summary>
    public DriveStateMachine States => _states;

    /// <summary>Current state.</summary>
    public DriveState State => _states.State;

    /// <summary>The supervisor (fault log).</summary>
    public Supervisor Supervisor => _supervisor;

    /// <summary>The signal chain (calibration offsets, estimator).</summary>
    public SignalChain Signals => _signals;

    /// <summary>The telemetry ring the loop fills.</summary>
    public TelemetryRing Telemetry => _ring;

    /// <summary>The controller.</summary>
    public IController Controller => _controller;

    /// <summary>The rig.</summary>
    public IRigIo Rig => _rig;

    /// <summary>The observation of the most recent tick.</summary>
    public ref readonly MotorObservation Observation => ref _obs;

    /// <summary>The command written in the most recent tick.</summary>
    public ref readonly ConverterCommand LastCommand => ref _command;

    /// <summary>The raw frame of the most recent tick.</summary>
    public ref readonly RawSensorFrame LastFrame => ref _frame;

    /// <summary>Ticks completed in the current/last run (for progress displays; any thread).</summary>
    public long TicksCompleted => Volatile.Read(ref _ticksCompleted);

    /// <summary>Ticks the current/last run is to take.</summary>
    public long TicksPlanned => Volatile.Read(ref _ticksPlanned);

    /// <summary>Opens the rig (devices, links). Off the real-time path.</summary>
    public void Open() => _rig.Open();

    /// <summary>
    /// Idle → Calibrating → Armed: with the bridge off, averages <see cref="EstimatorConfig.CalibrationSamples"/> frames
    /// to measure the current-sensor offsets, checks them against the nominal zero, installs them. Returns true when Armed;
    /// on an implausible offset the drive goes to Fault (<see cref="FaultCode.CalibrationOffset"/>).
    /// </summary>
    public bool Calibrate()
    {
        if (!_states.BeginCalibration()) return false;
        var cal = new CurrentCalibration();
        long next = PreciseSleep.NowNs() + _periodNs;
        for (int i = 0; i < _config.Estimator.CalibrationSamples; i++)
        {
            if (!_lockStep) { PreciseSleep.Until(next, (long)(_config.Timing.SpinTime * 1e9)); next += _periodNs; }
            _command.SetSafe();
            RigIoStatus r = _rig.Read(ref _frame);
            if (r != RigIoStatus.Ok)
            {
                Trip(_supervisor.Record(FaultCode.RigIo, -1, 0, (double)r, 0));
                return false;
            }
            cal.Add(in _frame);
            _rig.Write(in _command);
        }
        double zero = _config.Sensors.Current.ZeroCounts;
        double max = _config.Estimator.MaxOffsetDeviation;
        int sensed = _config.Sensors.Current.PhasesSensed;
        double devA = Math.Abs(cal.OffsetA - zero);
        double devB = sensed >= 2 ? Math.Abs(cal.OffsetB - zero) : 0;
        double devC = _frame.PhaseCSensed ? Math.Abs(cal.OffsetC - zero) : 0;
        double worst = Math.Max(devA, Math.Max(devB, devC));
        if (worst > max)
        {
            Trip(_supervisor.Record(FaultCode.CalibrationOffset, -1, 0, worst, max));
            return false;
        }
        _signals.SetOffsets(cal.OffsetA, sensed >= 2 ? cal.OffsetB : zero, _frame.PhaseCSensed ? cal.OffsetC : zero);
        return _states.CompleteCalibration();
    }

    /// <summary>Asks the loop to stop safely: from now on every write is the safe command, then Idle. Any thread.</summary>
    public void RequestStop() => _stopRequested = true;

    /// <summary>True when the last run ended early on <see cref="RequestStop"/>.</summary>
    public bool StoppedEarly { get; private set; }

    /// <summary>
    /// Forces the bridge off now from any thread (signal handler, unhandled-exception handler, watchdog) and makes
    /// the loop trip with <paramref name="code"/> at its next tick.
    /// </summary>
    public void EmergencyStop(FaultCode code)
    {
        _rig.DisableBridge();
        _externalFault = (int)code;
    }

    /// <summary>Fault → Idle: clears the latch (the log is kept). Returns false unless in Fault.</summary>
    public bool ResetFault()
    {
        if (!_states.Reset()) return false;
        _supervisor.ClearLatch();
        _externalFault = 0;
        return true;
    }

    /// <summary>
    /// Armed → Running for the configured duration (or until stopped), then a safe stop: <see cref="Start"/>,
    /// <see cref="RunTicks"/>, <see cref="Finish"/>. Call it on the loop thread: the real-time settings apply to the
    /// calling thread. Writes telemetry to <paramref name="tracePath"/> when given (<c>.parquet</c> → Parquet, else CSV); returns the run's figures.
    /// </summary>
    public RunResult Run(string? tracePath = null)
    {
        Start(tracePath);
        RunTicks(_ticksPlanned);
        return Finish();
    }

    /// <summary>
    /// Armed → Running: applies the real-time settings to the calling thread, starts the telemetry writer (when
    /// <paramref name="tracePath"/> is given), takes the no-GC region if configured, resets controller, estimator and
    /// statistics. Everything allocated here is allocated before the first Running tick.
    /// </summary>
    public void Start(string? tracePath = null)
    {
        if (_states.State != DriveState.Armed)
        {
            throw new InvalidOperationException($"Start needs the Armed state, the drive is {_states.State}");
        }
        TimingConfig timing = _config.Timing;
        long total = timing.Duration > 0 ? (long)Math.Round(timing.Duration / _period) : long.MaxValue;
        _rtReport = RealTimeSetup.Apply(timing);
        _writer = tracePath is null ? null : TelemetryWriter.Open(_ring, tracePath);
        _watchdog = _enforceTiming ? new Thread(WatchdogRun) { IsBackground = true, Name = "motorrt-watchdog" } : null;

        _gcNotes = [];
        _noGc = false;
        if (timing.NoGcRegionBytes > 0)
        {
            try { _noGc = GC.TryStartNoGCRegion(timing.NoGcRegionBytes); _gcNotes.Add(_noGc ? $"no-GC region of {timing.NoGcRegionBytes} bytes held" : "no-GC region refused"); }
            catch (ArgumentOutOfRangeException e) { _gcNotes.Add($"no-GC region not started: {e.Message}"); }
            catch (InvalidOperationException e) { _gcNotes.Add($"no-GC region not started: {e.Message}"); }
        }

        ResetStatistics();
        _controller.Reset();
        _signals.ResetEstimator();
        _stopRequested = false;
        StoppedEarly = false;
        _supervisor.Rebase(in _frame);
        _runStartTick = _tick;
        Volatile.Write(ref _ticksCompleted, 0);
        Volatile.Write(ref _ticksPlanned, total);
        _warmupTicks = Math.Min(timing.WarmupTicks, total);
        _threadAlloc0 = GC.GetAllocatedBytesForCurrentThread();
        _processAlloc0 = GC.GetTotalAllocatedBytes(false);
        _states.Start();

        _gc0 = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
        // The watchdog arms on the first completed tick: the first tick also pays for JIT compilation.
        Volatile.Write(ref _lastTickDoneNs, 0);
        _watchdogActive = true;
        _watchdog?.Start();
        _wall = Stopwatch.StartNew();
        _startWallNs = PreciseSleep.NowNs();
        _warmWallNs = _warmupTicks == 0 ? _startWallNs : 0;
    }

    /// <summary>Safe stop after <see cref="RunTicks"/>: bridge off, Running → Idle (a latched fault stays), writer drained; returns the figures.</summary>
    public RunResult Finish()
    {
        long threadAlloc = GC.GetAllocatedBytesForCurrentThread() - _threadAlloc0;
        long processAlloc = GC.GetTotalAllocatedBytes(false) - _processAlloc0;
        _wall.Stop();
        long endWallNs = PreciseSleep.NowNs();
        _watchdogActive = false;
        int collections = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2) - _gc0;

        // Safe stop: bridge off first, then Idle (a latched fault stays).
        _command.SetSafe();
        _rig.Write(in _command);
        if (_states.State != DriveState.Fault) _states.Stop();

        if (_noGc)
        {
            if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) { GC.EndNoGCRegion(); }
            else { _gcNotes.Add("the no-GC region was lost during the run (a collection happened)"); }
        }
        _watchdog?.Join();
        _writer?.Complete();
        if (_writer?.Error is { } err) _gcNotes.Add($"telemetry writer failed: {err.Message} ({_writer.Lost} samples not written)");
        long rows = _writer?.Rows ?? 0;
        _writer = null;

        return new RunResult
        {
            Mode = Mode,
            Period = _period,
            Ticks = TicksCompleted,
            WallTime = _wall.Elapsed.TotalSeconds,
            WarmupTicks = Math.Min(_warmupTicks, TicksCompleted),
            WallTimeAfterWarmup = _warmWallNs > 0 ? (endWallNs - _warmWallNs) * 1e-9 : 0,
            DeadlineMisses = _deadlineMisses,
            Jitter = Summarise(_jitter),
            Lateness = Summarise(_lateness),
            TickCompute = Summarise(_compute),
            ControllerCompute = Summarise(_controllerTime),
            AllocatedBytesAfterWarmup = threadAlloc,
            ProcessAllocatedBytesAfterWarmup = processAlloc,
            GcCollectionsDuringRun = collections,
            Faults = _supervisor.Faults.ToArray(),
            FaultRecordsLost = _supervisor.LostRecords,
            FinalState = _states.State,
            StoppedEarly = StoppedEarly,
            ControllerName = _controller.Name,
            ControllerSaturatedTicks = _controllerSaturated,
            Tracking = TrackingResults(),
            TelemetryWritten = _ring.Written,
            TelemetryDropped = _ring.Dropped,
            TelemetryRows = rows,
            RealTimeReport = [.. _rtReport, .. _gcNotes],
            CurrentOffsets = [_signals.OffsetA, _signals.OffsetB, _signals.OffsetC],
        };
    }

    /// <summary>
    /// Runs <paramref name="count"/> ticks in the current state (lock-step: back to back; real-time: on absolute
    /// deadlines). The hot path: no allocation. Stops early on <see cref="RequestStop"/>.
    /// </summary>
    public void RunTicks(long count)
    {
        long spinNs = (long)(_config.Timing.SpinTime * 1e9);
        // Clock reads cost 20–130 ns on a VM: lock-step reads the clock once per tick (the end of one tick is the
        // start of the next, back to back); real-time reads it at wake-up (returned by the spin) and at the end.
        long previousStart = 0;
        long next = PreciseSleep.NowNs();
        long start = next;
        for (long k = 0; k < count; k++)
        {
            long late = 0;
            if (!_lockStep)
            {
                next += _periodNs;
                start = PreciseSleep.Until(next, spinNs);
                late = start - next;
                if (previousStart != 0) _jitter.Record(Math.Abs(start - previousStart - _periodNs));
                previousStart = start;
                _lateness.Record(late);
                if (late > _periodNs)
                {
                    // Far behind (e.g. the VM was descheduled): re-anchor instead of firing a burst of catch-up ticks.
                    next = start;
                }
            }
            bool running = Tick();
            long end = PreciseSleep.NowNs();
            long computeNs = end - start;
            start = end;
            _compute.Record(computeNs);
            bool missed = late + computeNs > _periodNs;
            if (missed) _deadlineMisses++;
            if (running)
            {
                FaultCode f = _supervisor.CheckDeadline(missed, _enforceTiming, in _obs);
                if (f != FaultCode.None) Trip(f);
            }
            Volatile.Write(ref _lastTickDoneNs, end);
            Volatile.Write(ref _ticksCompleted, _ticksCompleted + 1);
            if (_ticksCompleted == _warmupTicks)
            {
                // Allocation and timing are measured from the end of warm-up (JIT tiering, first-call paths) to the end of the run.
                _threadAlloc0 = GC.GetAllocatedBytesForCurrentThread();
                _processAlloc0 = GC.GetTotalAllocatedBytes(false);
                _compute.Clear();
                _jitter.Clear();
                _lateness.Clear();
                _controllerTime.Clear();
                _deadlineMisses = 0;
                _warmWallNs = end;
            }
            if (_stopRequested)
            {
                StoppedEarly = true;
                _command.SetSafe();
                _rig.Write(in _command);
                if (_states.State != DriveState.Fault) _states.Stop();
                break;
            }
        }
    }

    /// <summary>One tick: preset safe → read → estimate → supervise → control → write → record. Returns true when it ran the controller.</summary>
    private bool Tick()
    {
        _command.SetSafe();
        RigIoStatus read = _rig.Read(ref _frame);
        _obs.Tick = _tick - _runStartTick;
        _obs.Time = _obs.Tick * _period;
        _signals.Update(in _frame, ref _obs);
        _references.Evaluate(_obs.Time, ref _obs.Reference);

        bool running = _states.State == DriveState.Running;
        ControllerStatus status = ControllerStatus.Ok;
        if (running)
        {
            FaultCode fault = FaultCode.None;
            int external = _externalFault;
            if (external != 0) fault = _supervisor.Record((FaultCode)external, _obs.Tick, _obs.Time, double.NaN, double.NaN);
            if (fault == FaultCode.None) fault = _supervisor.CheckIo(read, in _obs);
            if (fault == FaultCode.None && read == RigIoStatus.Ok) fault = _supervisor.CheckFrame(in _frame, in _obs);
            if (fault == FaultCode.None && read == RigIoStatus.Ok)
            {
                long ns = 0;
                if (_measureController)
                {
                    long c0 = PreciseSleep.NowNs();
                    _controller.Compute(in _obs, ref _command);
                    ns = PreciseSleep.NowNs() - c0;
                    _controllerTime.Record(ns);
                }
                else
                {
                    _controller.Compute(in _obs, ref _command);
                }
                status = _controller.Status;
                if (status == ControllerStatus.Saturated) _controllerSaturated++;
                fault = _supervisor.CheckCommand(in _command, status, ns * 1e-9, _enforceTiming, in _obs);
            }
            // The watchdog or a signal may have disabled the bridge while this tick was late: do not re-enable it.
            external = _externalFault;
            if (fault == FaultCode.None && external != 0) fault = _supervisor.Record((FaultCode)external, _obs.Tick, _obs.Time, double.NaN, double.NaN);
            if (fault != FaultCode.None) Trip(fault);
        }
        if (!_states.BridgeAllowed || (read != RigIoStatus.Ok && running) || _stopRequested) _command.SetSafe();

        RigIoStatus written = _rig.Write(in _command);
        if (running && written != RigIoStatus.Ok)
        {
            FaultCode f = _supervisor.CheckIo(written, in _obs);
            if (f != FaultCode.None) Trip(f);
        }
        UpdateLastVoltage();
        if (running) Track();
        if (--_untilRecord <= 0)
        {
            _untilRecord = _decimation;
            Record(status);
        }
        _tick++;
        return running;
    }

    private void Trip(FaultCode code)
    {
        _command.SetSafe();
        _rig.DisableBridge();
        _states.Trip(code);
    }

    private void UpdateLastVoltage()
    {
        double udc = _obs.DcLinkVoltage;
        if (!_command.BridgeEnable || _command.Mode != CommandMode.DutyCycle)
        {
            _obs.LastVoltageD = 0;
            _obs.LastVoltageQ = 0;
            return;
        }
        if (!_threePhase)
        {
            _obs.LastVoltageD = _command.Duty[0] * udc;
            _obs.LastVoltageQ = 0;
            return;
        }
        double h = 0.5 * udc;
        SpaceVector.Clarke(_command.Duty[0] * h, _command.Duty[1] * h, _command.Duty[2] * h, out double alpha, out double beta);
        SpaceVector.Park(alpha, beta, _obs.ElectricalAngle, out double d, out double q);
        _obs.LastVoltageD = d;
        _obs.LastVoltageQ = q;
    }

    private void Track()
    {
        if (_references.Speed is not null) _trackSpeed.Add(_obs.Reference.Speed - _obs.MechanicalSpeed);
        if (_references.CurrentD is not null) _trackCurrentD.Add(_obs.Reference.CurrentD - (_threePhase ? _obs.CurrentD : _obs.CurrentA));
        if (_references.CurrentQ is not null) _trackCurrentQ.Add(_obs.Reference.CurrentQ - _obs.CurrentQ);
        if (_references.CurrentExcitation is not null) _trackExcitation.Add(_obs.Reference.CurrentExcitation - _obs.CurrentExcitation);
    }

    private void Record(ControllerStatus status)
    {
        if (_lockStep && _backpressure && _writer is not null)
        {
            // Nothing real waits on a lock-step plant: wait for the writer rather than drop.
            while (_ring.IsFull) Thread.Yield();
        }
        if (_ring.IsFull)
        {
            _ring.CountDrop();
            return;
        }
        // Filled in place: one copy of the observation, no temporary.
        ref TelemetrySample slot = ref _ring.NextSlot();
        slot.Tick = _obs.Tick;
        slot.Time = _obs.Time;
        slot.State = _states.State;
        slot.Fault = _states.LatchedFault;
        slot.Observation = _obs;
        slot.Command = _command;
        slot.ControllerStatus = status;
        _ring.Publish();
    }

    private void WatchdogRun()
    {
        int sleepMs = Math.Max(1, (int)(_watchdogNs / 4_000_000));
        while (_watchdogActive)
        {
            Thread.Sleep(sleepMs);
            long last = Volatile.Read(ref _lastTickDoneNs);
            long age = PreciseSleep.NowNs() - last;
            if (_watchdogActive && last != 0 && age > _watchdogNs && _states.State == DriveState.Running)
            {
                EmergencyStop(FaultCode.Watchdog);
            }
        }
    }

    private void ResetStatistics()
    {
        _compute.Clear();
        _jitter.Clear();
        _lateness.Clear();
        _controllerTime.Clear();
        _deadlineMisses = 0;
        _controllerSaturated = 0;
        _trackSpeed = default;
        _trackCurrentD = default;
        _trackCurrentQ = default;
        _trackExcitation = default;
    }

    private TrackingResult[] TrackingResults()
    {
        var list = new List<TrackingResult>();
        if (_references.Speed is not null) list.Add(new("speed", "rad/s", _trackSpeed.Rmse, _trackSpeed.MaxAbs));
        if (_references.CurrentD is not null) list.Add(new(_threePhase ? "current_d" : "current", "A", _trackCurrentD.Rmse, _trackCurrentD.MaxAbs));
        if (_references.CurrentQ is not null) list.Add(new("current_q", "A", _trackCurrentQ.Rmse, _trackCurrentQ.MaxAbs));
        if (_references.CurrentExcitation is not null) list.Add(new("current_excitation", "A", _trackExcitation.Rmse, _trackExcitation.MaxAbs));
        return [.. list];
    }

    private static DurationSummary Summarise(LatencyHistogram h) =>
        new(h.Count, h.Percentile(0.5), h.Percentile(0.99), h.Percentile(0.999), h.Max, h.Mean);

    /// <summary>Disables the bridge and disposes the rig.</summary>
    public void Dispose()
    {
        _watchdogActive = false;
        _rig.DisableBridge();
        _rig.Dispose();
    }
}

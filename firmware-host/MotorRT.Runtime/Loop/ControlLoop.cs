using System.Diagnostics;
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
/// safe value (bridge off, zero volts), so a tick that is cut short leaves the bridge harmless. The supervisor is
/// consulted in one order per tick: inputs (external fault, rig read, frame) before the controller, its command after
/// it, the rig write after writing, the deadline at the end of the tick. Owns the drive state machine (Idle →
/// Calibrating → Armed → Running → Fault); pacing (<see cref="LoopClock"/>), timing figures
/// (<see cref="LoopTimingStatistics"/>), the watchdog (<see cref="LoopWatchdog"/>), the no-GC region
/// (<see cref="NoGcRegion"/>) and tracking (<see cref="TrackingSet"/>) are their own types. Before the first Running
/// tick an arming warm-up runs the complete tick path with the bridge held off (<see cref="TimingConfig.ArmingWarmupTicks"/>).
/// Everything the hot path touches is allocated in the constructor or at arm time; <see cref="RunTicks"/> does not allocate.
/// </summary>
public sealed class ControlLoop : IDisposable
{
    private readonly RuntimeConfig _config;
    private readonly IRigIo _rig;
    private readonly IController _controller;
    private readonly SignalChain _signals;
    private readonly Supervisor _supervisor;
    private readonly Supervisor _warmupSupervisor;
    private readonly ReferenceSet _references;
    private readonly DriveStateMachine _states = new();
    private readonly TelemetryRing _ring;
    private readonly TelemetryRing _warmupRing = new(16);
    private readonly LoopTimingStatistics _timing = new();
    private readonly LoopClock _clock;
    private readonly LoopWatchdog? _watchdog;
    private readonly NoGcRegion _noGc = new();
    private readonly TrackingSet _tracking;
    private readonly double _period;
    private readonly long _periodNs;
    private readonly int _decimation;
    private readonly bool _lockStep;
    private readonly bool _enforceTiming;
    private readonly bool _measureController;

    /// <summary>
    /// Ticks between timed ticks: 1 where timing is enforced (real time, or <c>limits.enforce_timing_in_lock_step</c>);
    /// in plain lock-step every <see cref="LockStepTimingStride"/>-th tick is timed, since nothing there depends on the
    /// figures and three clock reads (≈ 23 ns each on this VM) were a fifth of a PMDC tick.
    /// </summary>
    private readonly int _timingStride;
    private bool _timedTick = true;

    /// <summary>In lock-step without enforced timing, one tick in this many is timed (tick and controller compute, deadline misses).</summary>
    public const int LockStepTimingStride = 64;
    private readonly bool _backpressure;

    private RawSensorFrame _frame;
    private MotorObservation _obs;
    private ConverterCommand _command;
    private ConverterCommand _warmupCommand;
    private long _tick;
    private long _runStartTick;
    private long _ticksCompleted;
    private long _ticksPlanned;
    private long _controllerSaturated;
    private volatile bool _stopRequested;
    private volatile int _externalFault;
    private IReadOnlyList<string> _rtReport = [];
    private List<string> _gcNotes = [];
    private TelemetryWriter? _writer;
    private long _warmupTicks;
    private long _threadAlloc0;
    private long _processAlloc0;
    private int _gc0;
    private readonly Stopwatch _wall = new();
    private int _untilRecord;
    private long _warmWallNs;
    private long _startWallNs;
    private long _armingWarmupDone;

    /// <summary>Builds the loop. Nothing is opened or armed yet.</summary>
    /// <param name="config">Validated configuration.</param>
    /// <param name="rig">The rig (simulated, Raspberry Pi, remote HIL, replay).</param>
    /// <param name="controller">The controller to run.</param>
    /// <param name="motor">The machine as the controller knows it (pole pairs, limits for the supervisor).</param>
    /// <exception cref="ArgumentException">The rig and motor disagree, the timing mode does not fit the rig, or the rig does not take the controller's command mode.</exception>
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
        bool threePhase = d.Machine == MachineKind.ThreePhase;
        if (motor.IsDc == threePhase)
        {
            throw new ArgumentException($"the rig drives a {d.Machine} machine but the motor is a {motor.Type}", nameof(motor));
        }
        if (!d.Capabilities.Accepts(controller.CommandMode))
        {
            throw new ArgumentException($"controller \"{controller.Name}\" writes {controller.CommandMode} commands, but rig \"{d.Name}\" takes only {d.Capabilities.Commands}: " +
                "choose a controller whose command mode the rig declares, or a rig that takes it", nameof(controller));
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
        // Lock-step: nothing measured from the wall clock may change the command or the trace.
        controller.EnforceWallClockBudget(_enforceTiming);
        _signals = new SignalChain(config.Sensors, d.Machine, motor.PolePairs, config.Estimator.PllBandwidth, _period);
        bool speedReferenced = config.Reference.Speed is not null;
        _supervisor = new Supervisor(Limits, config.Sensors, d.Machine, d.ConverterChannels, _period, motor, speedReferenced);
        _warmupSupervisor = new Supervisor(Limits, config.Sensors, d.Machine, d.ConverterChannels, _period, motor, speedReferenced);
        _ring = new TelemetryRing(config.Telemetry.BufferSamples);
        _decimation = config.Telemetry.Decimation;
        _backpressure = config.Telemetry.LockStepBackpressure;
        _measureController = _enforceTiming || config.Timing.MeasureControllerTime;
        _timingStride = _enforceTiming ? 1 : LockStepTimingStride;
        _clock = new LoopClock(_periodNs, (long)(config.Timing.EffectiveSpinTime * 1e9), _lockStep);
        _watchdog = _enforceTiming
            ? new LoopWatchdog((long)(Limits.WatchdogTimeout * 1e9), () => _states.State == DriveState.Running, () => EmergencyStop(FaultCode.Watchdog))
            : null;
        _tracking = new TrackingSet(_references, threePhase);
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

    /// <summary>Arming warm-up ticks run before the current/last run.</summary>
    public long ArmingWarmupTicksRun => _armingWarmupDone;

    /// <summary>
    /// A decimated copy of the telemetry for observers off the loop thread (the live view): handed to the trace writer
    /// at <see cref="Start"/>, whose thread feeds it; the loop thread never touches it. Set before <see cref="Start"/>;
    /// no effect on a run without a trace writer.
    /// </summary>
    public TelemetryTap? Tap { get; set; }

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
        _clock.Begin();
        for (int i = 0; i < _config.Estimator.CalibrationSamples; i++)
        {
            _clock.WaitForTick(_timing);
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
    /// <see cref="Run(string?)"/> with a trace writer the caller opens over the loop's ring (<paramref name="openWriter"/>
    /// gets <see cref="Telemetry"/>), e.g. a CSV writer over any stream. A writer that fails does not stop control:
    /// the run goes on, and <see cref="RunResult.TelemetryLost"/> and <see cref="RunResult.TelemetryError"/> report it.
    /// </summary>
    public RunResult Run(Func<TelemetryRing, TelemetryWriter> openWriter)
    {
        ArgumentNullException.ThrowIfNull(openWriter);
        StartWith(null, openWriter);
        RunTicks(_ticksPlanned);
        return Finish();
    }

    /// <summary>
    /// Armed → Running: applies the real-time settings to the calling thread, starts the telemetry writer (when
    /// <paramref name="tracePath"/> is given) and the watchdog, takes the no-GC region if configured (else collects
    /// gen 0 once, so the loop thread's allocation context is empty and its allocation count exact), runs the arming
    /// warm-up (the complete tick path with the bridge held off), resets controller and statistics. Everything allocated
    /// here is allocated before that collection, so before the first Running tick.
    /// </summary>
    public void Start(string? tracePath = null) => StartWith(tracePath, null);

    private void StartWith(string? tracePath, Func<TelemetryRing, TelemetryWriter>? openWriter)
    {
        if (_states.State != DriveState.Armed)
        {
            throw new InvalidOperationException($"Start needs the Armed state, the drive is {_states.State}");
        }
        TimingConfig timing = _config.Timing;
        long total = timing.Duration > 0 ? (long)Math.Round(timing.Duration / _period) : long.MaxValue;
        _rtReport = RealTimeSetup.Apply(timing);
        if (timing.ArmingWarmupTicks > 0)
        {
            // The warm-up cannot take the Running-only branches (trips, deadline checks, tracking): compile them now.
            JitPreparation.Prepare(typeof(ControlLoop), typeof(Supervisor), typeof(TrackingSet), typeof(TrackingStatistics),
                typeof(LoopTimingStatistics), typeof(LatencyHistogram), typeof(LoopClock), typeof(LoopWatchdog),
                typeof(DriveStateMachine), typeof(TelemetryRing), typeof(SignalChain), _controller.GetType(), _rig.GetType());
        }
        _writer = openWriter is not null ? openWriter(_ring) : tracePath is null ? null : TelemetryWriter.Open(_ring, tracePath);
        if (_writer is not null) _writer.Tap = Tap;
        _gcNotes = [];
        // Started before the collection below: from there to the end of the run the loop thread allocates nothing.
        _watchdog?.Start();
        // Every allocation of this thread happens above this line. The collection (the no-GC region's own, else a
        // gen-0 one, before Running) empties this thread's allocation context. The runtime's per-thread counter is only
        // exact for an empty context: when another thread's activity retires a part-used context, its unused remainder
        // (up to ~8 KB) is counted as allocated. Seen as a spurious 3–6 KB in allocated_bytes_after_warmup on a loaded VM.
        if (!_noGc.Enter(timing.NoGcRegionBytes)) GC.Collect(0, GCCollectionMode.Forced, blocking: true);

        // Cleared before the warm-up: a stop asked for during it must still stop the run at its first tick.
        _stopRequested = false;
        StoppedEarly = false;
        // Last before Running, so nothing but the resets below lies between the warm-up and the first Running tick.
        ArmingWarmup(timing.ArmingWarmupTicks);

        _timing.Clear();
        _tracking.Clear();
        _controllerSaturated = 0;
        _controller.Reset();
        // Flying start: after a warm-up the speed estimator has tracked the shaft, so it is not restarted from 0.
        if (_armingWarmupDone == 0) _signals.ResetEstimator();
        _supervisor.Rebase(in _frame);
        _runStartTick = _tick;
        _untilRecord = 0;
        Volatile.Write(ref _ticksCompleted, 0);
        Volatile.Write(ref _ticksPlanned, total);
        _warmupTicks = Math.Min(timing.WarmupTicks, total);
        _threadAlloc0 = GC.GetAllocatedBytesForCurrentThread();
        _processAlloc0 = GC.GetTotalAllocatedBytes(false);
        _states.Start();

        _gc0 = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
        _wall.Restart();
        _startWallNs = PreciseSleep.NowNs();
        _warmWallNs = _warmupTicks == 0 ? _startWallNs : 0;
    }

    /// <summary>
    /// The arming warm-up (Armed, before Running): <paramref name="ticks"/> ticks of the complete tick path — rig read,
    /// signal chain, supervisor checks (on a scratch supervisor, so nothing is latched), the controller into a scratch
    /// command (ONNX session included), the telemetry path into a scratch ring — while the rig gets the safe command
    /// (bridge held off). JIT compilation, first-call paths and caches are paid here, not in the first Running tick;
    /// the speed estimator tracks a shaft that already turns (flying start).
    /// </summary>
    private void ArmingWarmup(int ticks)
    {
        _armingWarmupDone = 0;
        if (ticks <= 0) return;
        _signals.ResetEstimator();
        _warmupSupervisor.Rebase(in _frame);
        _clock.Begin();
        for (int k = 0; k < ticks; k++)
        {
            _clock.WaitForTick(_timing);
            RigIoStatus read = ReadAndEstimate(k - ticks);
            _obs.LastVoltageD = 0;
            _obs.LastVoltageQ = 0;
            FaultCode fault = _warmupSupervisor.CheckInputs(FaultCode.None, read, in _frame, in _obs);
            _warmupCommand.SetSafe();
            long c0 = PreciseSleep.NowNs();
            _controller.Compute(in _obs, ref _warmupCommand);
            double seconds = (PreciseSleep.NowNs() - c0) * 1e-9;
            fault = _warmupSupervisor.CheckCommand(in _warmupCommand, _controller.Status, seconds, false, in _obs);
            _rig.Write(in _command);
            _clock.EndTick(out _);
            _ = fault;
            Record(_warmupRing, _controller.Status);
            if (_warmupRing.IsFull) DrainWarmupRing();
            _armingWarmupDone++;
            if (_stopRequested) break;
        }
        DrainWarmupRing();
        _warmupSupervisor.ClearLatch();
    }

    private void DrainWarmupRing()
    {
        while (_warmupRing.TryRead(out _))
        {
        }
    }

    /// <summary>Safe stop after <see cref="RunTicks"/>: bridge off, Running → Idle (a latched fault stays), writer drained; returns the figures.</summary>
    public RunResult Finish()
    {
        long threadAlloc = GC.GetAllocatedBytesForCurrentThread() - _threadAlloc0;
        long processAlloc = GC.GetTotalAllocatedBytes(false) - _processAlloc0;
        _wall.Stop();
        long endWallNs = PreciseSleep.NowNs();
        _watchdog?.Disarm();
        int collections = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2) - _gc0;

        // Safe stop: bridge off first, then Idle (a latched fault stays).
        _command.SetSafe();
        _rig.Write(in _command);
        if (_states.State != DriveState.Fault) _states.Stop();

        _noGc.Exit(_gcNotes);
        _watchdog?.Join();
        _writer?.Complete();
        string? writerError = _writer?.Error?.Message;
        if (writerError is not null) _gcNotes.Add($"telemetry writer failed: {writerError} ({_writer!.Lost} samples not written)");
        long rows = _writer?.Rows ?? 0;
        long lost = _writer?.Lost ?? 0;
        _writer = null;

        return new RunResult
        {
            Mode = Mode,
            Period = _period,
            Ticks = TicksCompleted,
            WallTime = _wall.Elapsed.TotalSeconds,
            ArmingWarmupTicks = _armingWarmupDone,
            WarmupTicks = Math.Min(_warmupTicks, TicksCompleted),
            WallTimeAfterWarmup = _warmWallNs > 0 ? (endWallNs - _warmWallNs) * 1e-9 : 0,
            DeadlineMisses = _timing.DeadlineMisses,
            TimingStride = _timingStride,
            Jitter = LoopTimingStatistics.Summarise(_timing.Jitter),
            Lateness = LoopTimingStatistics.Summarise(_timing.Lateness),
            TickCompute = LoopTimingStatistics.Summarise(_timing.Compute),
            ControllerCompute = LoopTimingStatistics.Summarise(_timing.Controller),
            AllocatedBytesAfterWarmup = threadAlloc,
            ProcessAllocatedBytesAfterWarmup = processAlloc,
            GcCollectionsDuringRun = collections,
            Faults = _supervisor.Faults.ToArray(),
            FaultRecordsLost = _supervisor.LostRecords,
            FinalState = _states.State,
            StoppedEarly = StoppedEarly,
            ControllerName = _controller.Name,
            ControllerSaturatedTicks = _controllerSaturated,
            Tracking = _tracking.Results(),
            TelemetryWritten = _ring.Written,
            TelemetryDropped = _ring.Dropped,
            TelemetryRows = rows,
            TelemetryLost = lost,
            TelemetryError = writerError,
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
        _clock.Begin();
        int stride = _timingStride;
        for (long k = 0; k < count; k++)
        {
            long late = _clock.WaitForTick(_timing);
            bool timed = stride == 1 || (_tick & (stride - 1)) == 0;
            _timedTick = timed;
            if (timed && stride != 1) _clock.MarkStart();
            bool running = Tick();
            long end = 0;
            if (timed)
            {
                long computeNs = _clock.EndTick(out end);
                _timing.Compute.Record(computeNs);
                bool missed = late + computeNs > _periodNs;
                if (running)
                {
                    // Timing trips and the summary's deadline misses count the same ticks: every Running tick (every
                    // timed one in plain lock-step, where nothing trips on them).
                    if (missed) _timing.CountDeadlineMiss();
                    FaultCode f = _supervisor.CheckDeadline(missed, _enforceTiming, in _obs);
                    if (f != FaultCode.None) Trip(f);
                }
                _watchdog?.TickDone(end);
            }
            Volatile.Write(ref _ticksCompleted, _ticksCompleted + 1);
            if (_ticksCompleted == _warmupTicks)
            {
                if (end == 0) end = PreciseSleep.NowNs();
                // Allocation and the histograms are measured from the end of the measurement warm-up to the end of the run.
                _threadAlloc0 = GC.GetAllocatedBytesForCurrentThread();
                _processAlloc0 = GC.GetTotalAllocatedBytes(false);
                _timing.ClearHistograms();
                _warmWallNs = end;
            }
            if (_stopRequested)
            {
                StoppedEarly = true;
                _command.SetSafe();
                _rig.Write(in _command);
                if (_states.State != DriveState.Fault) _states.Stop();
                _obs.Tick = _tick - _runStartTick; // the stop row: the trace ends with the bridge off (StopRecord)
                _obs.Time = _obs.Tick * _period;
                Record(_ring, ControllerStatus.Ok);
                break;
            }
        }
    }

    /// <summary>One tick: preset safe → read → estimate → supervise → control → write → record. Returns true when it ran the controller.</summary>
    private bool Tick()
    {
        RigIoStatus read = ReadAndEstimate(_tick - _runStartTick);

        bool running = _states.State == DriveState.Running;
        ControllerStatus status = ControllerStatus.Ok;
        if (running)
        {
            FaultCode fault = _supervisor.CheckInputs((FaultCode)_externalFault, read, in _frame, in _obs);
            if (fault == FaultCode.None && read == RigIoStatus.Ok)
            {
                long ns = 0;
                if (_measureController && _timedTick)
                {
                    long c0 = PreciseSleep.NowNs();
                    _controller.Compute(in _obs, ref _command);
                    ns = PreciseSleep.NowNs() - c0;
                    _timing.Controller.Record(ns);
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
            int external = _externalFault;
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
        // The controller reported the voltage it applied; the safe command reports zero.
        _obs.LastVoltageD = _command.VoltageD;
        _obs.LastVoltageQ = _command.VoltageQ;
        if (running) _tracking.Add(in _obs);
        if (--_untilRecord <= 0)
        {
            _untilRecord = _decimation;
            Record(_ring, status);
        }
        _tick++;
        return running;
    }

    /// <summary>Preset safe → read → estimate (signal chain) → references for loop tick <paramref name="tick"/>.</summary>
    private RigIoStatus ReadAndEstimate(long tick)
    {
        _command.SetSafe();
        RigIoStatus read = _rig.Read(ref _frame);
        _obs.Tick = tick;
        _obs.Time = tick * _period;
        _signals.Update(in _frame, ref _obs);
        _references.Evaluate(_obs.Time, ref _obs.Reference);
        return read;
    }

    private void Trip(FaultCode code)
    {
        _command.SetSafe();
        _rig.DisableBridge();
        _states.Trip(code);
    }

    private void Record(TelemetryRing ring, ControllerStatus status)
    {
        if (_lockStep && _backpressure && _writer is not null && ring == _ring)
        {
            // Nothing real waits on a lock-step plant: wait for the writer rather than drop.
            while (ring.IsFull) Thread.Yield();
        }
        if (ring.IsFull)
        {
            ring.CountDrop();
            return;
        }
        // Filled in place: one copy of the observation, no temporary.
        ref TelemetrySample slot = ref ring.NextSlot();
        slot.Tick = _obs.Tick;
        slot.Time = _obs.Time;
        slot.State = _states.State;
        slot.Fault = _states.LatchedFault;
        slot.Observation = _obs;
        slot.Command = _command;
        slot.ControllerStatus = status;
        ring.Publish();
    }

    /// <summary>Disables the bridge and disposes the rig.</summary>
    public void Dispose()
    {
        _watchdog?.Disarm();
        _rig.DisableBridge();
        _rig.Dispose();
    }
}

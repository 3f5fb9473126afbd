using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Loop;

namespace MotorRT.Runtime.Calibration;

/// <summary>The limits and durations every calibration run shares (SI units); each machine's options add their own.</summary>
public abstract record CalibrationOptions
{
    /// <summary>Largest armature (DC) or stator-vector (AC) current any step may draw, in A; exceeding it aborts the run (controller status Failed → supervisor trip).</summary>
    public required double CurrentLimit { get; init; }

    /// <summary>Largest armature (DC) or stator-vector (AC) voltage any step may apply, in V.</summary>
    public required double VoltageLimit { get; init; }

    /// <summary>Target mechanical speed of the spin-up (flux and inertia steps), in rad/s.</summary>
    public required double SpinSpeed { get; init; }

    /// <summary>Peak current the probe pulses (and the q-axis pulses) stop at (fraction of <see cref="CurrentLimit"/>, dimensionless).</summary>
    public double StepCurrentFraction { get; init; } = 0.5;

    /// <summary>Accelerating/braking (q) current of the spin-up and the braking (fraction of <see cref="CurrentLimit"/>, dimensionless).</summary>
    public double SpinCurrentFraction { get; init; } = 0.3;

    /// <summary>Length of one probe pulse, in s (DC: also of each voltage step; AC: the q segments last half as long).</summary>
    public double StepDuration { get; init; } = 0.006;

    /// <summary>Length of a speed hold, in s (DC default 0.6: the flux is measured over its last 40 %; AC default 1.0, see <see cref="PmsmCalibrationOptions"/>).</summary>
    public double HoldDuration { get; init; }

    /// <summary>Longest spin-up or spin-down, in s (then the run aborts).</summary>
    public double SpinTimeout { get; init; } = 20.0;
}

/// <summary>
/// The scaffold of a calibration procedure: one <see cref="IController"/> the runtime's <see cref="ControlLoop"/> runs
/// (so the supervisor and every limit stay active), a state machine over <typeparamref name="TPhase"/> with its tick
/// count, the abort, and the speed-step record of the mechanical fit. No allocation after the constructor.
/// </summary>
/// <typeparam name="TPhase">The phases of the procedure.</typeparam>
public abstract class CalibrationProcedure<TPhase> : IController where TPhase : struct, Enum
{
    private readonly TPhase _aborted;

    /// <summary>Creates the scaffold with its limits and the phase that means aborted.</summary>
    private protected CalibrationProcedure(CalibrationOptions options, TPhase aborted)
    {
        ArgumentNullException.ThrowIfNull(options);
        Limits = options;
        _aborted = aborted;
        Mech = new MechanicalRecord(options.SpinSpeed);
    }

    /// <summary>The run's limits and durations.</summary>
    private protected CalibrationOptions Limits { get; }

    /// <summary>Speed-step record (spin-up, holds, braking) for the J and friction fit.</summary>
    internal MechanicalRecord Mech { get; }

    /// <summary>Ticks since the current phase (or sub-phase) began.</summary>
    private protected long PhaseTicks;

    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public ControllerStatus Status { get; private protected set; }

    /// <summary>The current phase.</summary>
    public TPhase Phase { get; private protected set; }

    /// <summary>Why the run aborted (empty unless <see cref="Phase"/> is the aborted phase).</summary>
    public string AbortReason { get; private set; } = "";

    /// <summary>True once aborted.</summary>
    private protected bool Aborted => EqualityComparer<TPhase>.Default.Equals(Phase, _aborted);

    /// <summary>Length of one probe pulse at control period <paramref name="dt"/> (s), in ticks (at least 4).</summary>
    internal long StepTicks(double dt) => Math.Max(4, (long)Math.Round(Limits.StepDuration / dt));

    /// <inheritdoc/>
    public abstract void Reset();

    /// <inheritdoc/>
    public abstract void Compute(in MotorObservation observation, ref ConverterCommand command);

    /// <summary>Back to the first phase: status Ok, no abort reason, the tick count and the speed record cleared.</summary>
    private protected void ResetScaffold(TPhase first)
    {
        Phase = first;
        Status = ControllerStatus.Ok;
        AbortReason = "";
        PhaseTicks = 0;
        Mech.Reset();
    }

    /// <summary>Enters phase <paramref name="p"/> at tick 0.</summary>
    private protected void Enter(TPhase p)
    {
        Phase = p;
        PhaseTicks = 0;
    }

    /// <summary>Aborts with <paramref name="reason"/> (the first reason stays).</summary>
    private protected void Abort(string reason)
    {
        if (Aborted) return;
        AbortReason = reason;
        Phase = _aborted;
    }
}

/// <summary>
/// The speed-step record of a calibration: from the first sample above 5 % of the spin speed, every tenth tick, the
/// time, the speed and the running integrals ∫x dt, ∫y dt and ∫ω dt, x and y the torque-making currents (DC: x = i_a,
/// y = 0; AC: x = i_q, y = i_d·i_q). Fixed capacity; <see cref="Add"/> allocates nothing.
/// </summary>
internal sealed class MechanicalRecord(double spinSpeed)
{
    private const int Rows = 1 << 14;
    private const int Decimation = 10;
    private bool _started;
    private double _t, _sx, _sy, _sw;
    private int _dec;

    /// <summary>Time since the record started, in s.</summary>
    public double[] T { get; } = new double[Rows];

    /// <summary>Mechanical speed, in rad/s.</summary>
    public double[] W { get; } = new double[Rows];

    /// <summary>∫x dt, in A·s.</summary>
    public double[] IntX { get; } = new double[Rows];

    /// <summary>∫y dt, in A²·s (AC) or 0 (DC).</summary>
    public double[] IntY { get; } = new double[Rows];

    /// <summary>∫ω dt, in rad.</summary>
    public double[] IntW { get; } = new double[Rows];

    /// <summary>Rows filled.</summary>
    public int Count { get; private set; }

    /// <summary>Empties the record.</summary>
    public void Reset()
    {
        Count = 0;
        _started = false;
        _t = _sx = _sy = _sw = 0;
        _dec = 0;
    }

    /// <summary>One tick of period <paramref name="dt"/> (s) at currents <paramref name="x"/>, <paramref name="y"/> and speed <paramref name="w"/> (rad/s).</summary>
    public void Add(double x, double y, double w, double dt)
    {
        if (!_started)
        {
            if (w < 0.05 * spinSpeed) return;
            _started = true;
        }
        _t += dt;
        _sx += x * dt;
        _sy += y * dt;
        _sw += w * dt;
        if (++_dec < Decimation) return;
        _dec = 0;
        if (Count >= Rows) return;
        T[Count] = _t;
        W[Count] = w;
        IntX[Count] = _sx;
        IntY[Count] = _sy;
        IntW[Count] = _sw;
        Count++;
    }
}

/// <summary>One axis' current PI of the spin steps on the identified circuit: bandwidth 1/(20·dt), zero at R/L; the integral carries the back-EMF.</summary>
internal struct AxisCurrentPi
{
    /// <summary>The integral part, in V.</summary>
    public double Integral;

    /// <summary>The voltage for error <paramref name="e"/> (A) on R (Ω), L (H) at period <paramref name="dt"/> (s), the integral within ±<paramref name="limit"/> (V).</summary>
    public double Next(double e, double r, double l, double dt, double limit)
    {
        Integral = Math.Clamp(Integral + r / (20 * dt) * e * dt, -limit, limit);
        return Integral + l / (20 * dt) * e;
    }
}

/// <summary>What the DC and the synchronous-machine runs share: the loop with the procedure as its controller, and its opening.</summary>
public static class CalibrationLoop
{
    /// <summary>Builds the loop for <paramref name="rig"/> with <paramref name="procedure"/> as its controller.</summary>
    /// <param name="config">The validated config (limits, sensors, timing).</param>
    /// <param name="rig">The rig from the composition root.</param>
    /// <param name="nominal">The machine type and rated limits the supervisor checks (its parameters are not used by the fits).</param>
    /// <param name="procedure">The procedure (<see cref="DcCalibrationProcedure"/>, <see cref="PmsmCalibrationProcedure"/>).</param>
    public static ControlLoop Create(RuntimeConfig config, IRigIo rig, MotorParameters nominal, IController procedure) =>
        new(config, rig, procedure, nominal);

    /// <summary>Opens the rig, calls <paramref name="afterOpen"/> (tests inject rig faults there), calibrates the current offsets with the bridge off; true when they are good.</summary>
    internal static bool OpenAndCalibrate(ControlLoop loop, Action? afterOpen)
    {
        ArgumentNullException.ThrowIfNull(loop);
        loop.Open();
        afterOpen?.Invoke();
        return loop.Calibrate();
    }
}

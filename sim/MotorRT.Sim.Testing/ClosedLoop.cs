using MotorRT.Contracts;

namespace MotorRT.Sim.Testing;

/// <summary>Writes the references of step k into <paramref name="references"/>.</summary>
public delegate void ReferenceProfile(long k, ref References references);

/// <summary>
/// The one closed-loop harness of the test suites: an <see cref="IController"/> directly on a <see cref="TwinPlant"/>:
/// observation from the twin's state (ideal sensors), command applied <c>delay</c> steps later (0 = GEM's env loop;
/// 1 = a PWM written one period late, as a real rig), one plant step per tick. Records the traces the suites evaluate.
/// </summary>
public sealed class ClosedLoop
{
    private readonly TwinPlant _plant;
    private readonly IController _controller;
    private readonly int _delay;
    private readonly ConverterCommand[] _queue;

    /// <summary>Creates the harness; <paramref name="delay"/> in periods (0..3).</summary>
    public ClosedLoop(TwinPlant plant, IController controller, int delay)
    {
        _plant = plant;
        _controller = controller;
        _delay = delay;
        _queue = new ConverterCommand[delay + 1];
    }

    /// <summary>
    /// Makes <paramref name="command"/> the one the bridge is already applying and has pending (a running converter
    /// handing over to the controller: bumpless start), instead of the bridge off.
    /// </summary>
    public void Hold(in ConverterCommand command)
    {
        for (int i = 0; i < _queue.Length; i++) _queue[i] = command;
    }

    /// <summary>Observation of the last tick.</summary>
    public MotorObservation Observation;

    /// <summary>Worst controller status seen (Ok &lt; Saturated &lt; faults).</summary>
    public ControllerStatus WorstStatus { get; private set; }

    /// <summary>Runs <paramref name="steps"/> ticks; <paramref name="onStep"/> (optional) may change the plant (load steps) before tick k.</summary>
    /// <returns>Traces: [0] reference of the controlled quantity, [1] measured, [2] speed, [3] torque, [4] q current.</returns>
    public Trace Run(int steps, ReferenceProfile profile, Func<MotorObservation, double> reference, Func<TwinPlant, double> measured,
        Action<long, TwinPlant>? onStep = null)
    {
        var trace = new Trace(steps, _plant.Tau);
        for (int k = 0; k < steps; k++)
        {
            onStep?.Invoke(k, _plant);
            Tick(k, profile);
            trace.Reference[k] = reference(Observation);
            _plant.Step(in _queue[0]);
            trace.Measured[k] = measured(_plant);
            trace.Speed[k] = _plant.Omega;
            trace.Torque[k] = _plant.Torque;
        }
        return trace;
    }

    /// <summary>One tick without recording (for allocation measurements).</summary>
    public void Tick(long k, ReferenceProfile profile)
    {
        _plant.Observe(ref Observation);
        profile(k, ref Observation.Reference);
        // Shift first: _queue[0] is what the bridge applies over this period — the command of `delay` ticks ago.
        for (int i = 0; i < _delay; i++) _queue[i] = _queue[i + 1];
        ref ConverterCommand cmd = ref _queue[_delay];
        cmd.SetSafe();
        _controller.Compute(Observation, ref cmd);
        if (_controller.Status > WorstStatus) WorstStatus = _controller.Status;
    }

    /// <summary>Steps the plant with the command due now (for allocation measurements, after <see cref="Tick"/>).</summary>
    public void StepPlant() => _plant.Step(in _queue[0]);

    /// <summary>
    /// Bytes this thread allocates over <paramref name="ticks"/> ticks (controller + plant) after
    /// <paramref name="warmTicks"/> warm-up ticks — the zero-bytes-per-tick check of every controller suite.
    /// </summary>
    public long AllocatedBytes(ReferenceProfile profile, int warmTicks = 2000, int ticks = 10_000)
    {
        for (int k = 0; k < warmTicks; k++) { Tick(k, profile); StepPlant(); }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < ticks; k++) { Tick(k, profile); StepPlant(); }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}

/// <summary>Recorded signals of one run, one entry per step.</summary>
public sealed class Trace(int steps, double tau)
{
    /// <summary>Step time, s.</summary>
    public double Tau { get; } = tau;

    /// <summary>Reference of the controlled quantity.</summary>
    public double[] Reference { get; } = new double[steps];

    /// <summary>Controlled quantity, measured after the step.</summary>
    public double[] Measured { get; } = new double[steps];

    /// <summary>Speed, rad/s.</summary>
    public double[] Speed { get; } = new double[steps];

    /// <summary>Torque, N·m.</summary>
    public double[] Torque { get; } = new double[steps];

    /// <summary>
    /// Step-response figures of <paramref name="signal"/> (default: <see cref="Measured"/>) over [from, to) for a step
    /// from <paramref name="initial"/> to <paramref name="target"/> applied at step <paramref name="from"/>.
    /// </summary>
    public StepMetrics Step(int from, int to, double initial, double target, double[]? signal = null, double band = 0.02)
    {
        double[] y = signal ?? Measured;
        double span = target - initial;
        double dir = Math.Sign(span);
        int t10 = -1, t90 = -1, lastOutside = from;
        double peak = double.NegativeInfinity;
        for (int k = from; k < to; k++)
        {
            double progress = (y[k] - initial) / span;
            if (t10 < 0 && progress >= 0.1) t10 = k;
            if (t90 < 0 && progress >= 0.9) t90 = k;
            peak = Math.Max(peak, dir * (y[k] - target));
            if (Math.Abs(y[k] - target) > band * Math.Abs(span)) lastOutside = k;
        }
        int tail = Math.Max(1, (to - from) / 10);
        double sse = 0;
        for (int k = to - tail; k < to; k++) sse += y[k] - target;
        sse /= tail;
        return new StepMetrics(
            RiseTime: t10 >= 0 && t90 >= 0 ? (t90 - t10) * Tau : double.PositiveInfinity,
            Overshoot: Math.Max(0, peak) / Math.Abs(span),
            SettlingTime: (lastOutside + 1 - from) * Tau,
            SteadyStateError: Math.Abs(sse) / Math.Abs(span));
    }

    /// <summary>
    /// Response of <see cref="Measured"/> to a disturbance (a load step) at step <paramref name="from"/> while it should
    /// hold <paramref name="target"/>, over [from, to): the largest dip below the target and the time until it stays
    /// within <paramref name="band"/> (relative to the target) again.
    /// </summary>
    public DisturbanceMetrics Disturbance(int from, int to, double target, double band = 0.01)
    {
        double dip = 0;
        int lastOutside = from;
        for (int k = from; k < to; k++)
        {
            dip = Math.Max(dip, target - Measured[k]);
            if (Math.Abs(Measured[k] - target) > band * Math.Abs(target)) lastOutside = k;
        }
        return new DisturbanceMetrics(dip, (lastOutside - from + 1) * Tau);
    }

    /// <summary>RMS of reference − measured over [from, to).</summary>
    public double RmsError(int from, int to)
    {
        double s = 0;
        for (int k = from; k < to; k++) s += (Reference[k] - Measured[k]) * (Reference[k] - Measured[k]);
        return Math.Sqrt(s / (to - from));
    }

    /// <summary>Mean absolute reference − measured over [from, to).</summary>
    public double MeanAbsError(int from, int to)
    {
        double s = 0;
        for (int k = from; k < to; k++) s += Math.Abs(Reference[k] - Measured[k]);
        return s / (to - from);
    }
}

/// <summary>Step-response figures.</summary>
/// <param name="RiseTime">10 % → 90 %, s.</param>
/// <param name="Overshoot">Peak beyond the target over the step height (dimensionless).</param>
/// <param name="SettlingTime">Until the signal stays within the band (2 % of the step), s.</param>
/// <param name="SteadyStateError">Mean error over the last 10 % of the window over the step height (dimensionless).</param>
public readonly record struct StepMetrics(double RiseTime, double Overshoot, double SettlingTime, double SteadyStateError)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"rise {RiseTime * 1e3:F3} ms, overshoot {Overshoot * 100:F2} %, settling {SettlingTime * 1e3:F3} ms, ss error {SteadyStateError * 100:F3} %";
}

/// <summary>Disturbance-rejection figures.</summary>
/// <param name="Dip">Largest fall below the target, in the signal's unit (rad/s for speed).</param>
/// <param name="RecoveryTime">From the disturbance until the signal stays within the band, s.</param>
public readonly record struct DisturbanceMetrics(double Dip, double RecoveryTime);

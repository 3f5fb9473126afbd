using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Contracts.Sensors;

namespace MotorRT.Hardware.Emulation;

/// <summary>
/// What an emulated CAN smart drive (<see cref="EmulatedODrive"/>, <see cref="EmulatedMoteus"/>) has behind its
/// protocol: the plant (a lock-step rig of a permanently excited DC twin), stepped <see cref="InnerSteps"/> plant
/// periods per runtime period, and the board's inner PI current loop on the plant's armature current at the plant's
/// own period — bandwidth 1/(10 plant periods) from the motor's R and L (K_p = L·ω_c, K_i = R·ω_c), EMF fed forward,
/// back-calculation against the DC-link voltage. The board decides per plant step what the current set-point is
/// (<see cref="IInnerLoop.InnerStep"/>); this type measures, regulates and keeps the period count and the velocity
/// estimate, so the two boards are comparable. No allocation per step.
/// </summary>
internal sealed class EmulatedDrivePlant : IDisposable
{
    private readonly IRigIo _plant;
    private readonly double _amperesPerCount, _zeroCounts, _voltsPerCount;
    private readonly double _countsPerTurn;
    private readonly double _kp, _ki;
    private RawSensorFrame _frame;
    private double _integral;
    private long _lastCount;

    /// <summary>The board's part of a plant step.</summary>
    internal interface IInnerLoop
    {
        /// <summary>Sets <paramref name="cmd"/> for the next plant step from the present sample (<see cref="Frame"/>).</summary>
        void InnerStep(ref ConverterCommand cmd);
    }

    /// <summary>Builds the plant side of the board.</summary>
    /// <param name="plant">The plant rig (lock-step, DC machine, one converter channel); opened on <see cref="Start"/>.</param>
    /// <param name="motor">The plant's machine (permanently excited DC: r_a, l_a, ψ_e).</param>
    /// <param name="sensors">The plant's sensor scaling.</param>
    /// <param name="innerSteps">Plant steps (inner current-loop periods) per runtime period.</param>
    /// <param name="board">The board's name in error messages ("ODrive", "moteus").</param>
    public EmulatedDrivePlant(IRigIo plant, MotorParameters motor, SensorSpec sensors, int innerSteps, string board)
    {
        ArgumentNullException.ThrowIfNull(motor);
        ArgumentNullException.ThrowIfNull(sensors);
        if (motor.ExcitationFlux <= 0 || motor.ArmatureInductance <= 0)
        {
            throw new ArgumentException($"the emulated {board} drives a permanently excited DC twin (armature r_a, l_a and ψ_e); {motor.Type} has none", nameof(motor));
        }
        if (sensors.Encoder is null) throw new ArgumentException($"the emulated {board} needs sensors.encoder", nameof(sensors));
        _plant = plant;
        InnerSteps = innerSteps;
        _amperesPerCount = sensors.Current.AmperesPerCount;
        _zeroCounts = sensors.Current.ZeroCounts;
        _voltsPerCount = sensors.DcLink.VoltsPerCount;
        _countsPerTurn = sensors.Encoder.CountsPerRevolution;
        InnerPeriod = plant.Description.PwmPeriod;
        double wc = 1.0 / (10.0 * InnerPeriod);
        _kp = motor.ArmatureInductance * wc;
        _ki = motor.ArmatureResistance * wc;
        TorqueConstant = motor.ExcitationFlux;
        CurrentLimit = motor.Limits.Current;
    }

    /// <summary>Plant steps per runtime period.</summary>
    public int InnerSteps { get; }

    /// <summary>The plant's period (one inner current-loop period), in s.</summary>
    public double InnerPeriod { get; }

    /// <summary>The board's torque constant, in N·m/A (ψ_e of the twin; also the EMF constant, in V·s/rad).</summary>
    public double TorqueConstant { get; }

    /// <summary>The board's current limit, in A (the motor's).</summary>
    public double CurrentLimit { get; }

    /// <summary>The plant's last frame.</summary>
    public RawSensorFrame Frame => _frame;

    /// <summary>Runtime periods since <see cref="Start"/>.</summary>
    public long Period { get; private set; }

    /// <summary>The velocity estimate over the last runtime period, in rev/s (0 until the first period has passed).</summary>
    public double Velocity { get; private set; }

    /// <summary>The armature current of the present sample, in A.</summary>
    public double Current => (_frame.CurrentCountsA - _zeroCounts) * _amperesPerCount;

    /// <summary>The DC-link voltage of the present sample, in V.</summary>
    public double DcLinkVoltage => _frame.DcLinkCounts * _voltsPerCount;

    /// <summary>The position of the present sample, in rev.</summary>
    public double Position => _frame.EncoderCount / _countsPerTurn;

    /// <summary>True when <paramref name="current"/> (A) is beyond 1.5 × <see cref="CurrentLimit"/>: the board disarms.</summary>
    public bool IsOverCurrent(double current) => Math.Abs(current) > 1.5 * CurrentLimit;

    /// <summary>Opens the plant, takes its first sample, and resets the period count and the current loop (the velocity estimate is kept).</summary>
    public void Start()
    {
        _plant.Open();
        _plant.Read(ref _frame);
        _lastCount = _frame.EncoderCount;
        Period = 0;
        _integral = 0;
    }

    /// <summary>Sets the velocity estimate to 0 (rev/s).</summary>
    public void ResetVelocity() => Velocity = 0;

    /// <summary>Resets the current loop's integrator (on entering a current-controlled mode).</summary>
    public void ResetCurrentLoop() => _integral = 0;

    /// <summary>Lets one runtime period pass: <see cref="InnerSteps"/> plant steps, each commanded by <paramref name="board"/>; then updates <see cref="Period"/> and <see cref="Velocity"/>.</summary>
    public void Advance(IInnerLoop board)
    {
        var cmd = default(ConverterCommand);
        for (int k = 0; k < InnerSteps; k++)
        {
            board.InnerStep(ref cmd);
            _plant.Write(in cmd);
            _plant.Read(ref _frame);
        }
        Period++;
        Velocity = (_frame.EncoderCount - _lastCount) / _countsPerTurn / (Math.Max(1, InnerSteps) * InnerPeriod);
        _lastCount = _frame.EncoderCount;
    }

    /// <summary>
    /// One step of the PI current loop: regulates the measured <paramref name="current"/> (A) to <paramref name="reference"/>
    /// (A) with <paramref name="emf"/> (V) fed forward, the voltage limited to ±<paramref name="dcLink"/> (V > 0), and
    /// sets <paramref name="cmd"/> to the duty cycle, bridge enabled.
    /// </summary>
    /// <returns>The duty cycle (−1..1).</returns>
    public double DriveCurrent(double reference, double current, double dcLink, double emf, ref ConverterCommand cmd)
    {
        double e = reference - current;
        double v = _kp * e + _integral + emf;
        double u = Math.Clamp(v, -dcLink, dcLink);
        _integral += InnerPeriod * (_ki * e + (u - v) * (_ki / _kp));
        double d = u / dcLink;
        cmd.Mode = CommandMode.DutyCycle;
        cmd.Duty[0] = d;
        cmd.BridgeEnable = true;
        return d;
    }

    /// <summary>Disposes the plant.</summary>
    public void Dispose() => _plant.Dispose();
}

using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.PI;
using MotorRT.Policies.Tuning;

namespace MotorRT.Policies.Foc;

/// <summary>
/// What synchronous (<see cref="FocController"/>) and induction (<see cref="ScimFocController"/>) FOC share: the
/// automatic design, the dq current stage built from it, the speed stage on top and the torque demand of the torque
/// and speed modes. Each derived controller owns its frame, its torque → current mapping and its tick.
/// </summary>
public abstract class FocControllerBase : IController, ICascadeController
{
    private protected DqCurrentStage _current;
    private protected SpeedStage _speed;
    private protected bool _started;

    private protected FocControllerBase(MotorParameters motor, double period, ControlMode mode, CascadeOptions options, FocOptions foc)
    {
        Mode = mode;
        Options = options;
        Foc = foc;
        Name = ControlModes.TypeName("foc", mode);
        Design = MachineTuner.Design(motor, period, options, mode == ControlMode.Speed);
        PIGains dg = options.CurrentGains ?? new PIGains(Design.Current.Kp, Design.Current.Ki);
        PIGains qg = options.CurrentQGains ?? new PIGains(Design.CurrentQ!.Kp, Design.CurrentQ.Ki);
        _current = new DqCurrentStage(dg, qg, period, options.AntiWindup);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public ControllerStatus Status { get; private protected set; }

    /// <summary>What the controller follows.</summary>
    public ControlMode Mode { get; }

    /// <summary>Shared cascade options.</summary>
    public CascadeOptions Options { get; }

    /// <summary>FOC options (for the induction machine MTPA does not apply).</summary>
    public FocOptions Foc { get; }

    /// <summary>The automatic design (gains, bandwidths, phase margins).</summary>
    public CascadeDesign Design { get; }

    /// <summary>Torque limit (torque references and the speed loop's output), in N·m.</summary>
    public double TorqueLimit { get; private set; }

    /// <summary>d current reference of the last tick, in A (induction machine: the rotor-flux frame's flux current).</summary>
    public double CurrentReferenceD { get; private protected set; }

    /// <summary>q current reference of the last tick, in A (induction machine: the torque current).</summary>
    public double CurrentReferenceQ { get; private protected set; }

    /// <summary>Sets <see cref="TorqueLimit"/> (N·m) and, when the design has a speed loop, builds the speed stage over it.</summary>
    private protected void SetTorqueLimit(double torqueLimit, double period)
    {
        TorqueLimit = torqueLimit;
        if (Design.Speed is not null)
        {
            PIGains sg = Options.SpeedGains ?? new PIGains(Design.Speed.Kp, Design.Speed.Ki);
            _speed = new SpeedStage(sg, period, TorqueLimit, Options.AntiWindup, Options.SpeedReferenceFilter);
        }
    }

    /// <summary>
    /// The torque demand of the torque and speed modes, in N·m: speed mode runs the speed stage (started, bumpless from
    /// <paramref name="torqueEstimate"/> in N·m when enabled, on the first tick), torque mode clamps the reference to
    /// <see cref="TorqueLimit"/>; either sets <paramref name="limited"/> when it limited.
    /// </summary>
    private protected double TorqueDemand(in MotorObservation observation, double torqueEstimate, ref bool limited)
    {
        double torque;
        if (Mode == ControlMode.Speed)
        {
            double omega = observation.MechanicalSpeed;
            if (!_started)
            {
                if (Options.BumplessEnable) _speed.StartBumpless(omega, torqueEstimate);
                else _speed.Start(omega);
            }
            torque = _speed.Update(observation.Reference.Speed, omega);
            limited |= _speed.Saturated;
        }
        else
        {
            torque = Math.Clamp(observation.Reference.Torque, -TorqueLimit, TorqueLimit);
            limited |= torque != observation.Reference.Torque;
        }
        return torque;
    }

    /// <summary>
    /// Clamps the current references (A) into the circle of radius <paramref name="limit"/> (A) with d priority: i_d to
    /// ±limit, then i_q to what the circle leaves; true when either changed.
    /// </summary>
    private protected static bool ClampToCurrentCircle(ref double idRef, ref double iqRef, double limit)
    {
        double idc = Math.Clamp(idRef, -limit, limit);
        double iqMax = Math.Sqrt(limit * limit - idc * idc);
        double iqc = Math.Clamp(iqRef, -iqMax, iqMax);
        bool clamped = idc != idRef || iqc != iqRef;
        idRef = idc;
        iqRef = iqc;
        return clamped;
    }

    /// <inheritdoc />
    public abstract void Reset();

    /// <inheritdoc />
    public abstract void Compute(in MotorObservation observation, ref ConverterCommand command);
}

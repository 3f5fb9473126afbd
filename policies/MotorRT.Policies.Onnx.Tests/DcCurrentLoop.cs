using MotorRT.Contracts;
using MotorRT.Policies.Training.Imitation;

namespace MotorRT.Policies.Onnx.Tests;

/// <summary>
/// A self-contained imitation plant: the armature circuit of a permanently excited DC motor held at a speed that
/// changes per episode (L di/dt = u − R i − ψ ω, exact zero-order-hold discretisation), on a four-quadrant converter
/// (u = d·u_dc) at 60 V.
/// </summary>
internal sealed class DcCurrentLoop : IImitationPlant
{
    public const double R = 16e-3, L = 19e-6, Psi = 0.165, Ts = 1e-4, Udc = 60, CurrentLimit = 400, SpeedLimit = 418.879;

    private readonly double _a = Math.Exp(-Ts * R / L);
    private long _tick;

    public double Current { get; private set; }
    public double Speed { get; private set; }
    public double LastVoltage { get; private set; }

    public double Tau => Ts;

    public void Reset(int episode)
    {
        _tick = 0;
        Current = 0;
        LastVoltage = 0;
        Speed = 250.0 * Math.Sin(2.3 * episode + 0.4);
    }

    public void Observe(ref MotorObservation o)
    {
        o.Tick = _tick;
        o.Time = _tick * Ts;
        o.Period = Ts;
        o.CurrentA = Current;
        o.MechanicalSpeed = Speed;
        o.ElectricalSpeed = Speed;
        o.DcLinkVoltage = Udc;
        o.LastVoltageD = LastVoltage;
    }

    public void Step(in ConverterCommand command)
    {
        double u = command.BridgeEnable ? Math.Clamp(command.Duty[0], -1, 1) * Udc : 0.0;
        Current = _a * Current + (1 - _a) / R * (u - Psi * Speed);
        LastVoltage = u;
        _tick++;
    }
}

/// <summary>The expert: a discrete PI armature-current controller with EMF feed-forward and clamping anti-windup.</summary>
internal sealed class TestPiCurrentController : IController
{
    // Magnitude-optimum design for the plant pole L/R and a 1.5-period delay: Kp = L/(3T), integral time L/R.
    public const double Kp = DcCurrentLoop.L / (3 * DcCurrentLoop.Ts), KiT = DcCurrentLoop.R / 3; // V/A, V/A per step
    private double _integral;

    public string Name => "test-pi-current";

    public ControllerStatus Status { get; private set; }

    public void Reset() => _integral = 0;

    public void Compute(in MotorObservation o, ref ConverterCommand command)
    {
        double e = o.Reference.CurrentD - o.CurrentA;
        double u = Kp * e + _integral + DcCurrentLoop.Psi * o.MechanicalSpeed;
        double duty = u / o.DcLinkVoltage;
        bool saturated = duty > 1 || duty < -1;
        if (!saturated || Math.Sign(e) != Math.Sign(duty)) _integral += KiT * e;
        command.Mode = CommandMode.DutyCycle;
        command.BridgeEnable = true;
        command.Duty[0] = Math.Clamp(duty, -1, 1);
        Status = saturated ? ControllerStatus.Saturated : ControllerStatus.Ok;
    }
}

using MotorRT.Contracts;

namespace MotorRT.Policies.Onnx.Tests;

/// <summary>
/// A self-contained imitation task: the armature circuit of a permanently excited DC motor at a held speed
/// (L di/dt = u − R i − ψ ω, exact zero-order-hold discretisation) on a four-quadrant converter, and a discrete PI
/// current controller with EMF feed-forward and clamping anti-windup as the expert.
/// </summary>
internal sealed class DcCurrentLoop
{
    public const double R = 16e-3, L = 19e-6, Psi = 0.165, Tau = 1e-4, Udc = 60, CurrentLimit = 400, SpeedLimit = 418.879;
    public const double Kp = 0.08, KiT = 0.02; // V/A, V/A per step

    private readonly double _a = Math.Exp(-Tau * R / L);
    private double _integral;

    public double Current;
    public double Speed;
    public double LastVoltage;

    public void Reset(double speed)
    {
        Current = 0;
        Speed = speed;
        LastVoltage = 0;
        _integral = 0;
    }

    public MotorObservation Observe(long tick, double reference) => new()
    {
        Tick = tick,
        Time = tick * Tau,
        Period = Tau,
        CurrentA = Current,
        MechanicalSpeed = Speed,
        ElectricalSpeed = Speed,
        DcLinkVoltage = Udc,
        LastVoltageD = LastVoltage,
        Reference = new References { CurrentD = reference },
    };

    /// <summary>The expert: PI + EMF feed-forward; returns the duty.</summary>
    public double Expert(in MotorObservation o)
    {
        double e = o.Reference.CurrentD - o.CurrentA;
        double u = Kp * e + _integral + Psi * o.MechanicalSpeed;
        double duty = u / o.DcLinkVoltage;
        bool saturated = duty > 1 || duty < -1;
        if (!saturated || Math.Sign(e) != Math.Sign(duty)) _integral += KiT * e;
        return Math.Clamp(duty, -1, 1);
    }

    /// <summary>Applies a duty for one period.</summary>
    public void Step(double duty)
    {
        double u = Math.Clamp(duty, -1, 1) * Udc;
        Current = _a * Current + (1 - _a) / R * (u - Psi * Speed);
        LastVoltage = u;
    }

    /// <summary>Reference profile: a new random step every <paramref name="hold"/> ticks.</summary>
    public static double[] RandomSteps(int ticks, int hold, double amplitude, ulong seed)
    {
        var rng = new Format.SplitMix64(seed);
        var r = new double[ticks];
        double level = 0;
        for (int k = 0; k < ticks; k++)
        {
            if (k % hold == 0) level = amplitude * (2 * rng.NextDouble() - 1);
            r[k] = level;
        }
        return r;
    }
}

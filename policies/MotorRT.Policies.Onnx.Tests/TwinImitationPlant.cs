using MotorRT.Policies.Training.Imitation;
using MotorRT.Sim.Presets;
using MotorRT.Sim.Spec;
using MotorRT.Sim.Testing;

namespace MotorRT.Policies.Onnx.Tests;

/// <summary>
/// The imitation pipeline's plant: the twin of GEM's Cont-CC-PermExDc-v0 (60 V four-quadrant converter, GEM's default
/// permanently excited DC motor) holding a speed that changes per episode (GEM's ConstantSpeedLoad), ideal sensors.
/// The limits here are the encoder's normalisation of the test policy, not the motor's.
/// </summary>
internal sealed class TwinImitationPlant : IImitationPlant
{
    public const string Preset = "Cont-CC-PermExDc-v0";
    public const double Ts = 1e-4, Udc = 60, CurrentLimit = 400, SpeedLimit = 418.879;

    /// <summary>GEM's default PermExDc (r_a, l_a, ψ_e) the twin runs.</summary>
    public static MotorParameters Motor { get; } = GemPresets.Get(Preset).Motor;

    private TwinPlant _twin = TwinPlant.FromPreset(Preset);

    public double Tau => Ts;

    public void Reset(int episode) =>
        _twin = TwinPlant.FromPreset(Preset, new ConstantSpeedLoadSpec { Omega = 250.0 * Math.Sin(2.3 * episode + 0.4) });

    public void Observe(ref MotorObservation o) => _twin.Observe(ref o);

    public void Step(in ConverterCommand command) => _twin.Step(in command);
}

/// <summary>The expert: a discrete PI armature-current controller with EMF feed-forward and clamping anti-windup.</summary>
internal sealed class TestPiCurrentController : IController
{
    // Magnitude-optimum design for the plant pole L/R and a 1.5-period delay: Kp = L/(3T), integral time L/R.
    private static readonly double L = TwinImitationPlant.Motor.ArmatureInductance, R = TwinImitationPlant.Motor.ArmatureResistance;
    private static readonly double Psi = TwinImitationPlant.Motor.ExcitationFlux;
    public static readonly double Kp = L / (3 * TwinImitationPlant.Ts), KiT = R / 3; // V/A, V/A per step
    private double _integral;

    public string Name => "test-pi-current";

    public ControllerStatus Status { get; private set; }

    public void Reset() => _integral = 0;

    public void Compute(in MotorObservation o, ref ConverterCommand command)
    {
        double e = o.Reference.CurrentD - o.CurrentA;
        double u = Kp * e + _integral + Psi * o.MechanicalSpeed;
        double duty = u / o.DcLinkVoltage;
        bool saturated = duty > 1 || duty < -1;
        if (!saturated || Math.Sign(e) != Math.Sign(duty)) _integral += KiT * e;
        command.Mode = CommandMode.DutyCycle;
        command.BridgeEnable = true;
        command.Duty[0] = Math.Clamp(duty, -1, 1);
        Status = saturated ? ControllerStatus.Saturated : ControllerStatus.Ok;
    }
}

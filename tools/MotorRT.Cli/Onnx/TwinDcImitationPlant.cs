using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.Training.Imitation;
using MotorRT.Sim;
using MotorRT.Sim.Presets;
using MotorRT.Sim.Spec;

namespace MotorRT.Cli.Onnx;

/// <summary>
/// The twin (<see cref="PhysicalSystem"/>) of a GEM DC preset behind the ONNX imitation pipeline: each episode holds a
/// different speed (GEM's ConstantSpeedLoad, spread over ±<see cref="SpeedSpread"/> of the speed limit), the exact plant
/// outputs serve as sensors, and the duty of a tick acts over the next step (GEM's env-loop order).
/// </summary>
internal sealed class TwinDcImitationPlant : IImitationPlant
{
    private readonly PlantSpec _spec;
    private readonly double[] _action;
    private PhysicalSystem _twin;

    /// <summary>Fraction of the speed limit the held speeds spread over.</summary>
    public const double SpeedSpread = 0.5;

    public TwinDcImitationPlant(PlantSpec spec)
    {
        if (!spec.Motor.IsDc) throw new ArgumentException($"{spec.Name}: the DC imitation pipeline needs a DC machine, not {spec.Motor.Machine.Id}");
        _spec = spec;
        _twin = PhysicalSystem.Create(spec);
        _action = new double[_twin.ActionCount];
    }

    public MotorParameters Motor => _spec.Motor;

    public double SupplyVoltage => _spec.Supply.NominalVoltage;

    public double Tau => _twin.Tau;

    public void Reset(int episode)
    {
        double speed = SpeedSpread * _spec.Motor.Limits.Speed * Math.Sin(1.7 * episode + 0.3);
        _twin = PhysicalSystem.Create(_spec with { Load = new ConstantSpeedLoadSpec { Omega = speed } });
        _twin.Reset();
    }

    public void Observe(ref MotorObservation o) => _twin.Observe(ref o);

    public void Step(in ConverterCommand command)
    {
        for (int i = 0; i < _action.Length; i++) _action[i] = command.BridgeEnable ? command.Duty[i] : 0.0;
        _twin.Step(_action);
    }

    /// <summary>The preset's spec (GEM name such as Cont-CC-PermExDc-v0).</summary>
    public static PlantSpec Preset(string name) => GemPresets.Get(name);
}

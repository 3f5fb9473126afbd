using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Sim.Rig;
using MotorRT.Sim.Sensors;

namespace MotorRT.Sim.Tests;

/// <summary>
/// A small analytic plant for rig tests: per channel an R-L circuit with a constant back-EMF, integrated exactly
/// (i' = i·a + (u − e)/R·(1 − a), a = exp(−Rτ/L)), a shaft turning at constant speed. DC: channel 0 = armature;
/// three-phase: three star-connected legs (phase voltage = d·u_dc/2 minus the common mode).
/// </summary>
internal sealed class RlTestPlant : IRigPlant
{
    public const double R = 1.0, L = 1e-3, Udc = 100.0;
    private readonly double[] _i;
    private readonly double _a;
    private readonly double _omega;
    private readonly double _backEmf;

    public RlTestPlant(MachineKind machine, double tau = 1e-4, double omega = 0.0, double backEmf = 0.0)
    {
        Machine = machine;
        Tau = tau;
        _omega = omega;
        _backEmf = backEmf;
        ConverterChannels = machine == MachineKind.Dc ? 1 : 3;
        _i = new double[ConverterChannels];
        _a = Math.Exp(-R * tau / L);
        Motor = new MotorParameters
        {
            Type = machine == MachineKind.Dc ? MotorType.PermanentlyExcitedDc : MotorType.Pmsm,
            ArmatureInductance = L,
            ArmatureResistance = R,
            InductanceD = L,
            InductanceQ = L,
            StatorResistance = R,
            RotorInertia = 1e-3,
            PolePairs = 1,
            Limits = new MotorLimits { Current = 50, Voltage = Udc, Speed = 1000, Torque = 10 },
        };
    }

    public double Tau { get; }
    public long StepCount { get; private set; }
    public MachineKind Machine { get; }
    public MotorParameters Motor { get; }
    public int ConverterChannels { get; }
    public bool IsFiniteConverter => false;
    public int SwitchingInputs => 0;
    public double SupplyVoltage = Udc;
    public double LastDuty0;

    public double Current(int channel) => _i[channel];

    public void SetCurrent(int channel, double value) => _i[channel] = value;

    public void Reset()
    {
        Array.Clear(_i);
        StepCount = 0;
    }

    public void Step(ReadOnlySpan<double> duty)
    {
        LastDuty0 = duty[0];
        if (Machine == MachineKind.Dc)
        {
            double u = duty[0] * SupplyVoltage - _backEmf;
            _i[0] = _i[0] * _a + u / R * (1 - _a);
        }
        else
        {
            double cm = (duty[0] + duty[1] + duty[2]) / 3.0;
            for (int k = 0; k < 3; k++)
            {
                double u = (duty[k] - cm) * SupplyVoltage / 2.0;
                _i[k] = _i[k] * _a + u / R * (1 - _a);
            }
        }
        StepCount++;
    }

    public void StepSwitching(ReadOnlySpan<int> states) => throw new NotSupportedException();

    public void ReadSensorInputs(ref SensorInputs inputs)
    {
        inputs.CurrentA = _i[0];
        inputs.CurrentB = Machine == MachineKind.Dc ? 0 : _i[1];
        inputs.CurrentC = Machine == MachineKind.Dc ? 0 : _i[2];
        inputs.CurrentExcitation = 0;
        inputs.DcLinkVoltage = SupplyVoltage;
        inputs.MechanicalAngle = _omega * StepCount * Tau;
        inputs.ElectricalAngle = inputs.MechanicalAngle * Motor.PolePairs;
    }
}

using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Contracts.Sensors;
using MotorRT.Sim.Rig;
using MotorRT.Sim.Sensors;

namespace MotorRT.Hardware.Tests;

/// <summary>R-L legs with back-EMF from a shaft whose speed follows the torque (k·i), integrated exactly per step.</summary>
internal sealed class TestPlant : IRigPlant
{
    private const double R = 1.0, L = 1e-3, Udc = 100.0, K = 0.2, J = 2e-4;
    private readonly double[] _i;
    private readonly double _a;
    private double _omega, _theta;

    public TestPlant(MachineKind machine, double tau = 5e-5)
    {
        Machine = machine;
        Tau = tau;
        ConverterChannels = machine == MachineKind.Dc ? 1 : 3;
        _i = new double[ConverterChannels];
        _a = Math.Exp(-R * tau / L);
        Motor = new MotorParameters
        {
            Type = machine == MachineKind.Dc ? MotorType.PermanentlyExcitedDc : MotorType.Pmsm,
            ArmatureInductance = L, ArmatureResistance = R, InductanceD = L, InductanceQ = L, StatorResistance = R,
            RotorInertia = J, PolePairs = 2,
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

    public void Reset()
    {
        Array.Clear(_i);
        _omega = 0;
        _theta = 0;
        StepCount = 0;
    }

    public void Step(ReadOnlySpan<double> duty)
    {
        if (Machine == MachineKind.Dc)
        {
            double u = duty[0] * Udc - K * _omega;
            _i[0] = _i[0] * _a + u / R * (1 - _a);
            _omega += Tau * (K * _i[0] - 1e-3 * _omega) / J;
        }
        else
        {
            double cm = (duty[0] + duty[1] + duty[2]) / 3.0;
            for (int k = 0; k < 3; k++)
            {
                double u = (duty[k] - cm) * Udc / 2.0;
                _i[k] = _i[k] * _a + u / R * (1 - _a);
            }
            _omega += Tau * (K * 0.5 * (Math.Abs(_i[0]) + Math.Abs(_i[1]) + Math.Abs(_i[2])) - 1e-3 * _omega) / J;
        }
        _theta += _omega * Tau;
        StepCount++;
    }

    public void StepSwitching(ReadOnlySpan<int> states) => throw new NotSupportedException();

    public void ReadSensorInputs(ref SensorInputs inputs)
    {
        inputs.CurrentA = _i[0];
        inputs.CurrentB = Machine == MachineKind.Dc ? 0 : _i[1];
        inputs.CurrentC = Machine == MachineKind.Dc ? 0 : _i[2];
        inputs.DcLinkVoltage = Udc;
        inputs.MechanicalAngle = _theta;
        inputs.ElectricalAngle = _theta * Motor.PolePairs;
    }

    public static SensorSpec Sensors(MachineKind m, int bits = 12) => new()
    {
        Current = new CurrentSensorSpec { Bits = bits, AmperesPerCount = bits == 12 ? 0.02 : 0.08, ZeroCounts = bits == 12 ? 2048 : 512, PhasesSensed = m == MachineKind.Dc ? 1 : 3 },
        DcLink = new VoltageSensorSpec { Bits = bits, VoltsPerCount = bits == 12 ? 0.05 : 0.2 },
        Encoder = new EncoderSpec { LinesPerRevolution = 256 },
        HallSensors = m == MachineKind.ThreePhase,
    };

    public static SimulatedRig Rig(MachineKind m, int bits = 12, int seed = 1) =>
        new(new TestPlant(m), Sensors(m, bits), new SimulatedRigOptions { SensorErrors = new SensorDeviations { DcLink = new AdcDeviation { NoiseCounts = 1.0 } } }, seed);
}

using MotorRT.Contracts;
using MotorRT.Contracts.Sensors;
using MotorRT.Sim.Rig;
using MotorRT.Sim.Sensors;
using MotorRT.Sim.Testing;

namespace MotorRT.Hardware.Tests;

/// <summary>
/// The rig tests' plant and sensors: the twin's R-L configuration (<see cref="RlTwin"/>) behind a
/// <see cref="SimulatedRig"/>, so the emulated boards and the HIL link are compared with the one plant model. The shaft
/// turns at 100 rad/s (encoder and Hall sensors move); the DC machine has 10 V of back-EMF there.
/// </summary>
internal static class TestRigs
{
    /// <summary>The plant, step τ in s.</summary>
    public static PhysicalSystemPlant Plant(MachineKind m, double tau = 5e-5) =>
        RlTwin.Plant(m, tau, omega: 100, backEmf: m == MachineKind.Dc ? 10 : 0);

    public static SensorSpec Sensors(MachineKind m, int bits = 12) => new()
    {
        Current = new CurrentSensorSpec { Bits = bits, AmperesPerCount = bits == 12 ? 0.02 : 0.08, ZeroCounts = bits == 12 ? 2048 : 512, PhasesSensed = m == MachineKind.Dc ? 1 : 3 },
        DcLink = new VoltageSensorSpec { Bits = bits, VoltsPerCount = bits == 12 ? 0.05 : 0.2 },
        Encoder = new EncoderSpec { LinesPerRevolution = 256 },
        HallSensors = m == MachineKind.ThreePhase,
    };

    public static SimulatedRig Rig(MachineKind m, int bits = 12, int seed = 1, double tau = 5e-5) =>
        new(Plant(m, tau), Sensors(m, bits), new SimulatedRigOptions { SensorErrors = new SensorDeviations { DcLink = new AdcDeviation { NoiseCounts = 1.0 } } }, seed);
}

using MotorRT.Contracts;
using MotorRT.Contracts.Sensors;
using MotorRT.Sim.Presets;
using MotorRT.Sim.Rig;
using MotorRT.Sim.Sensors;
using MotorRT.Sim.Testing;

namespace MotorRT.Sim.Tests;

/// <summary>The simulated rig over the real twin (GEM presets).</summary>
public class SensorsTwinRigTests
{
    private static SensorSpec Pmsm => new()
    {
        Current = new CurrentSensorSpec { Bits = 12, AmperesPerCount = 0.5, ZeroCounts = 2048, PhasesSensed = 2 },
        DcLink = new VoltageSensorSpec { Bits = 12, VoltsPerCount = 0.25 },
        Encoder = new EncoderSpec { LinesPerRevolution = 1024 },
        HallSensors = true,
    };

    private static ConverterCommand Abc(double m, double angle) => TestCommands.ThreePhase(m, angle);

    [Fact]
    public void Pmsm_rig_frames_follow_the_twin_outputs()
    {
        var twin = PhysicalSystem.Create(GemPresets.Get("Cont-SC-PMSM-v0"));
        using var rig = new SimulatedRig(twin, Pmsm, new SimulatedRigOptions { PwmDelayPeriods = 0 });
        Assert.Same(twin, rig.Twin);
        Assert.Equal(3, rig.Description.ConverterChannels);
        Assert.Equal(twin.Tau, rig.Description.PwmPeriod);
        rig.Open();
        var f = default(RawSensorFrame);
        for (int k = 0; k < 3000; k++)
        {
            rig.Write(Abc(0.02, 2 * Math.PI * 30 * k * twin.Tau));
        }
        rig.Read(ref f);
        ref readonly PlantOutputs o = ref twin.Outputs;
        Assert.True(o.MechanicalAngle > 0.1, $"shaft angle {o.MechanicalAngle}");
        Assert.Equal((long)Math.Floor(o.MechanicalAngle * 4096 / (2 * Math.PI)), f.EncoderCount);
        Assert.Equal(HallSensorModel.State(o.Epsilon), f.HallState);
        Assert.InRange(f.CurrentCountsA, 2048 + (int)Math.Round(o.CurrentA / 0.5) - 1, 2048 + (int)Math.Round(o.CurrentA / 0.5) + 1);
        Assert.InRange(f.CurrentCountsA, 1, 4094); // not saturated: the comparison means something
        Assert.InRange(f.DcLinkCounts, (int)(o.SupplyVoltage / 0.25) - 1, (int)(o.SupplyVoltage / 0.25) + 1);
        Assert.False(f.PhaseCSensed);
    }

    [Fact]
    public void Disabled_bridge_lets_the_twin_currents_decay_to_zero()
    {
        var twin = PhysicalSystem.Create(GemPresets.Get("Cont-CC-PMSM-v0")); // shaft held at 100 rad/s by the load
        using var rig = new SimulatedRig(twin, Pmsm);
        rig.Open();
        for (int k = 0; k < 500; k++) rig.Write(Abc(0.3, 2 * Math.PI * 50 * k * twin.Tau));
        Assert.True(Math.Abs(twin.Outputs.CurrentA) + Math.Abs(twin.Outputs.CurrentB) > 1.0);
        var off = default(ConverterCommand);
        off.SetSafe();
        for (int k = 0; k < 200; k++) rig.Write(off);
        // back-EMF at 100 rad/s is below the DC link: the diodes block, the currents stay (near) zero
        Assert.InRange(twin.Outputs.CurrentA, -0.5, 0.5);
        Assert.InRange(twin.Outputs.CurrentB, -0.5, 0.5);
        Assert.InRange(twin.Outputs.CurrentC, -0.5, 0.5);
    }

    [Fact]
    public void Twin_rig_is_deterministic_and_allocation_free()
    {
        static (long[] Trace, long Allocated) Run(int seed)
        {
            var twin = PhysicalSystem.Create(GemPresets.Get("Cont-SC-PMSM-v0"));
            var errors = new SensorDeviations { Current = [new AdcDeviation { NoiseCounts = 2, OffsetCounts = 5 }, new AdcDeviation { NoiseCounts = 2 }] };
            using var rig = new SimulatedRig(twin, Pmsm, new SimulatedRigOptions { SensorErrors = errors }, seed);
            rig.Open();
            var f = default(RawSensorFrame);
            var trace = new long[2 * 12_000];
            long before = 0;
            for (int k = 0; k < 12_000; k++)
            {
                if (k == 2000) before = GC.GetAllocatedBytesForCurrentThread();
                rig.Read(ref f);
                trace[2 * k] = f.CurrentCountsA;
                trace[2 * k + 1] = f.EncoderCount;
                rig.Write(Abc(0.05 + 1e-5 * k, 2 * Math.PI * 20 * k * 1e-4));
            }
            return (trace, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        (long[] a, long allocA) = Run(11);
        (long[] b, _) = Run(11);
        (long[] c, _) = Run(12);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(0, allocA);
    }

    [Fact]
    public void Plant_disturbances_pass_through_the_twin()
    {
        var twin = PhysicalSystem.Create(GemPresets.Get("Cont-SC-PMSM-v0"));
        using var rig = new SimulatedRig(twin, Pmsm);
        rig.Open();
        rig.Twin!.Disturbances.SupplyVoltageScale = 0.5;
        var f = default(RawSensorFrame);
        rig.Write(Abc(0, 0));
        rig.Read(ref f);
        Assert.InRange(f.DcLinkCounts * 0.25, 0.5 * twin.Spec.Supply.NominalVoltage - 0.3, 0.5 * twin.Spec.Supply.NominalVoltage + 0.3);
    }
}

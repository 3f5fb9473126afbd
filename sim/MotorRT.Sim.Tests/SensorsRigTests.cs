using MotorRT.Contracts;
using MotorRT.Contracts.Sensors;
using MotorRT.Sim.Rig;
using MotorRT.Sim.Sensors;
using MotorRT.Sim.Testing;

namespace MotorRT.Sim.Tests;

public class SensorsRigTests
{
    internal static SensorSpec Spec(int phases = 2, bool hall = false) => new()
    {
        Current = new CurrentSensorSpec { Bits = 12, AmperesPerCount = 0.01, ZeroCounts = 2048, PhasesSensed = phases },
        DcLink = new VoltageSensorSpec { Bits = 12, VoltsPerCount = 0.05 },
        Encoder = new EncoderSpec { LinesPerRevolution = 1024 },
        HallSensors = hall,
    };

    private static ConverterCommand Duty(double d0, double d1 = 0, double d2 = 0)
    {
        var c = default(ConverterCommand);
        c.BridgeEnable = true;
        c.Duty[0] = d0;
        c.Duty[1] = d1;
        c.Duty[2] = d2;
        return c;
    }

    [Fact]
    public void A_continuous_dfim_is_refused_by_the_rig_and_its_finite_variant_accepted()
    {
        // Six duties (stator and rotor B6) do not fit a ConverterCommand: refused, not truncated to the stator bridge.
        var cont = new PhysicalSystemPlant(PhysicalSystem.Create(MotorRT.Sim.Presets.GemPresets.Get("Cont-CC-DFIM-v0")));
        var e = Assert.Throws<ArgumentException>(() => new SimulatedRig(cont, Spec(2)));
        Assert.Contains("6 duty cycles", e.Message);
        using var finite = new SimulatedRig(new PhysicalSystemPlant(PhysicalSystem.Create(MotorRT.Sim.Presets.GemPresets.Get("Finite-CC-DFIM-v0"))), Spec(2));
        Assert.Equal(MachineKind.ThreePhase, finite.Description.Machine);
    }

    [Fact]
    public void Pwm_delay_applies_the_command_of_tick_k_over_tick_k_plus_1()
    {
        var plant = RlTwin.Plant(MachineKind.Dc);
        using var rig = new SimulatedRig(plant, Spec(1));
        rig.Open();
        var f = default(RawSensorFrame);
        rig.Read(ref f);
        rig.Write(Duty(0.5));
        Assert.Equal(0.0, plant.LastDuty0());     // tick 0 ran with the safe command latched at Open
        Assert.False(rig.AppliedCommand.BridgeEnable);
        rig.Write(Duty(0.25));
        Assert.Equal(0.5, plant.LastDuty0());     // tick 1 runs with tick 0's command
        rig.Write(Duty(-0.1));
        Assert.Equal(0.25, plant.LastDuty0());

        var plant0 = RlTwin.Plant(MachineKind.Dc);
        using var rig0 = new SimulatedRig(plant0, Spec(1), new SimulatedRigOptions { PwmDelayPeriods = 0 });
        rig0.Open();
        rig0.Write(Duty(0.5));
        Assert.Equal(0.5, plant0.LastDuty0());
    }

    [Fact]
    public void Read_samples_the_state_after_the_period_with_time_from_the_counter()
    {
        var plant = RlTwin.Plant(MachineKind.Dc, tau: 1e-5);
        using var rig = new SimulatedRig(plant, Spec(1), new SimulatedRigOptions { SubSteps = 10, PwmDelayPeriods = 0 });
        Assert.Equal(1e-4, rig.Description.PwmPeriod, 15);
        Assert.True(rig.IsLockStep);
        rig.Open();
        var f = default(RawSensorFrame);
        for (int k = 0; k < 5; k++) rig.Write(Duty(0.1));
        rig.Read(ref f);
        Assert.Equal(50, plant.StepCount);
        Assert.Equal(5, f.Sequence);
        Assert.Equal(500_000, f.TimestampNs);
        // i(t) = (u/R)(1 − e^{−t R/L}) at t = 0.5 ms: 10 V / 1 Ω · (1 − e^{−0.5})
        double expected = 10.0 * (1 - Math.Exp(-0.5));
        Assert.Equal(2048 + (int)Math.Round(expected / 0.01), f.CurrentCountsA);
        Assert.Equal(2000, f.DcLinkCounts); // 100 V / 0.05 V/count
        Assert.Equal(-1, f.HallState);
    }

    [Fact]
    public void Disabled_bridge_freewheels_the_current_to_zero_without_chatter()
    {
        var plant = RlTwin.Plant(MachineKind.Dc);
        using var rig = new SimulatedRig(plant, Spec(1), new SimulatedRigOptions { PwmDelayPeriods = 0 });
        rig.Open();
        for (int k = 0; k < 100; k++) rig.Write(Duty(0.2)); // 20 A steady state
        Assert.InRange(plant.Current0(), 19.9, 20.1);
        var off = default(ConverterCommand);
        off.SetSafe();
        rig.Write(off);
        // diodes apply −u_dc while the current flows: i·a + (−100 V)/R·(1 − a) for one step
        double a = Math.Exp(-RlTwin.R * 1e-4 / RlTwin.L);
        Assert.Equal(-1.0, plant.LastDuty0());
        Assert.True(plant.Current0() < 19.9 * a);
        int steps = 1;
        while (plant.Current0() > 1e-3 && steps < 50) { rig.Write(off); steps++; }
        Assert.True(steps < 10, $"took {steps} steps");
        for (int k = 0; k < 20; k++)
        {
            rig.Write(off);
            Assert.InRange(plant.Current0(), -0.05, 0.05); // stays near zero, no sign flipping at full voltage
            Assert.InRange(Math.Abs(plant.LastDuty0()), 0, 0.05);
        }
    }

    [Fact]
    public void Disabled_bridge_rectifies_a_back_emf_above_the_dc_link()
    {
        var plant = RlTwin.Plant(MachineKind.Dc, backEmf: 150);
        using var rig = new SimulatedRig(plant, Spec(1), new SimulatedRigOptions { PwmDelayPeriods = 0 });
        rig.Open();
        var off = default(ConverterCommand);
        off.SetSafe();
        for (int k = 0; k < 200; k++) rig.Write(off);
        // e − u_dc = 50 V drives −50 A through the diodes
        Assert.InRange(plant.Current0(), -50.5, -49.5);
    }

    [Fact]
    public void Zero_volts_model_applies_zero_duty()
    {
        var plant = RlTwin.Plant(MachineKind.Dc);
        using var rig = new SimulatedRig(plant, Spec(1), new SimulatedRigOptions { PwmDelayPeriods = 0, BridgeOff = BridgeOffModel.ZeroVolts });
        rig.Open();
        for (int k = 0; k < 10; k++) rig.Write(Duty(0.2));
        var off = default(ConverterCommand);
        off.SetSafe();
        rig.Write(off);
        Assert.Equal(0.0, plant.LastDuty0());
    }

    [Fact]
    public void Disable_bridge_overrides_the_latched_command_and_nan_is_rejected()
    {
        var plant = RlTwin.Plant(MachineKind.Dc);
        using var rig = new SimulatedRig(plant, Spec(1));
        rig.Open();
        rig.Write(Duty(0.5));
        rig.DisableBridge();
        rig.Write(Duty(0.5));
        Assert.False(rig.AppliedCommand.BridgeEnable);
        Assert.Equal(0.0, plant.LastDuty0());
        rig.Write(Duty(double.NaN));
        Assert.Equal(0.5, plant.LastDuty0());
        rig.Write(Duty(0.5));
        Assert.False(rig.AppliedCommand.BridgeEnable);
        Assert.Equal(1, rig.RejectedCommands);
        Assert.True(double.IsFinite(plant.Current0()));
        rig.Write(Duty(3.0));
        rig.Write(Duty(0));
        Assert.Equal(1.0, plant.LastDuty0()); // clamped to the converter's range
    }

    [Fact]
    public void Three_phase_mapping_hall_encoder_and_comparator()
    {
        var plant = RlTwin.Plant(MachineKind.ThreePhase, omega: 100.0);
        using var rig = new SimulatedRig(plant, Spec(3, hall: true), new SimulatedRigOptions { PwmDelayPeriods = 0, OverCurrentComparator = 15 });
        rig.Open();
        var f = default(RawSensorFrame);
        for (int k = 0; k < 100; k++) rig.Write(Duty(0.2, -0.1, -0.1)); // u_a = 0.2·50 V − cm(0) = 10 V → 10 A
        rig.Read(ref f);
        Assert.True(f.PhaseCSensed);
        Assert.InRange(f.CurrentCountsA, 2048 + 999, 2048 + 1001);
        // The twin holds u_dq over a period (GEM's B6), so at 100 rad/s the phase voltages turn by ω·τ = 0.01 rad
        // within each period and i_b, i_c sit ≈ 0.04 A off −5 A: the mapping is checked against the plant's own
        // phase currents (±1 count), their values against the R-L steady state within 1 %.
        ref readonly PlantOutputs y = ref plant.System.Outputs;
        Assert.InRange(f.CurrentCountsB, 2048 + (int)Math.Round(y.CurrentB / 0.01) - 1, 2048 + (int)Math.Round(y.CurrentB / 0.01) + 1);
        Assert.InRange(f.CurrentCountsC, 2048 + (int)Math.Round(y.CurrentC / 0.01) - 1, 2048 + (int)Math.Round(y.CurrentC / 0.01) + 1);
        Assert.InRange(y.CurrentB, -5.05, -4.95);
        Assert.InRange(y.CurrentC, -5.05, -4.95);
        double theta = 100.0 * 100 * 1e-4;
        Assert.Equal((long)Math.Floor(theta * 4096 / (2 * Math.PI)), f.EncoderCount);
        Assert.Equal(HallSensorModel.State(theta), f.HallState);
        Assert.Equal(0u, f.FaultInputs);
        for (int k = 0; k < 100; k++) rig.Write(Duty(0.4, -0.2, -0.2));
        rig.FaultInputs = 1;
        rig.Read(ref f);
        Assert.Equal(0b11u, f.FaultInputs);
    }

    [Fact]
    public void Sensor_faults_reach_the_frame()
    {
        var plant = RlTwin.Plant(MachineKind.ThreePhase, omega: 100.0);
        using var rig = new SimulatedRig(plant, Spec(2));
        rig.Open();
        var f = default(RawSensorFrame);
        rig.Sensors.CurrentChannel(0).StuckAtCounts = 7;
        rig.Sensors.DcLink.ForcedRail = 1;
        rig.Sensors.Encoder!.Disconnected = true;
        rig.Write(Duty(0));
        rig.Read(ref f);
        long frozen = f.EncoderCount;
        for (int k = 0; k < 50; k++) rig.Write(Duty(0));
        rig.Read(ref f);
        Assert.Equal(7, f.CurrentCountsA);
        Assert.Equal(4095, f.DcLinkCounts);
        Assert.Equal(frozen, f.EncoderCount);
        Assert.False(f.PhaseCSensed);
        rig.Open(); // re-opening clears faults
        rig.Read(ref f);
        Assert.Equal(2048, f.CurrentCountsA);
    }

    [Fact]
    public void Same_seed_same_frames_different_seed_different_noise()
    {
        static long[] Run(int seed)
        {
            var plant = RlTwin.Plant(MachineKind.ThreePhase, omega: 50.0);
            var errors = new SensorDeviations { Current = [new AdcDeviation { NoiseCounts = 1.5 }, new AdcDeviation { NoiseCounts = 1.5 }], DcLink = new AdcDeviation { NoiseCounts = 3 } };
            using var rig = new SimulatedRig(plant, Spec(2), new SimulatedRigOptions { SensorErrors = errors }, seed);
            rig.Open();
            var f = default(RawSensorFrame);
            var trace = new long[3000];
            for (int k = 0; k < 1000; k++)
            {
                rig.Read(ref f);
                trace[3 * k] = f.CurrentCountsA;
                trace[3 * k + 1] = f.DcLinkCounts;
                trace[3 * k + 2] = f.EncoderCount;
                rig.Write(Duty(0.1 * Math.Sin(k * 0.01), 0, -0.1 * Math.Sin(k * 0.01)));
            }
            return trace;
        }
        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }

    [Fact]
    public void Read_and_write_do_not_allocate()
    {
        var plant = RlTwin.Plant(MachineKind.ThreePhase, omega: 80.0);
        var errors = new SensorDeviations { Current = [new AdcDeviation { NoiseCounts = 1 }] };
        using var rig = new SimulatedRig(plant, Spec(3, hall: true), new SimulatedRigOptions { SensorErrors = errors, SubSteps = 2 }, 3);
        rig.Open();
        var f = default(RawSensorFrame);
        var on = Duty(0.1, -0.05, -0.05);
        var off = default(ConverterCommand);
        off.SetSafe();
        for (int k = 0; k < 2000; k++) { rig.Read(ref f); rig.Write(k % 3 == 0 ? off : on); }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 10_000; k++) { rig.Read(ref f); rig.Write(k % 3 == 0 ? off : on); }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(12_000, rig.Tick);
    }

    [Fact]
    public void Sensor_suite_sampling_does_not_allocate()
    {
        var suite = new SensorSuite(Spec(3, hall: true), MachineKind.ThreePhase, new SensorDeviations { DcLink = new AdcDeviation { NoiseCounts = 2 } }, 1);
        var x = new SensorInputs { CurrentA = 1, CurrentB = -0.5, CurrentC = -0.5, DcLinkVoltage = 48 };
        var f = default(RawSensorFrame);
        for (int k = 0; k < 1000; k++) { x.MechanicalAngle = k * 1e-3; suite.Sample(in x, k * 1e-4, ref f); }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 10_000; k++) { x.MechanicalAngle = k * 1e-3; x.ElectricalAngle = k * 4e-3; suite.Sample(in x, k * 1e-4, ref f); }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

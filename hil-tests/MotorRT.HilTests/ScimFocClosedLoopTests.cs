using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.Foc;
using MotorRT.Policies.Pi;
using Xunit.Abstractions;

namespace MotorRT.HilTests;

/// <summary>Rotor-flux-oriented control of GEM's default SCIM (420 V): flux build-up, torque-current step, speed + load step.</summary>
public class FocScimClosedLoopTests(ITestOutputHelper output)
{
    private const double Ts = 1e-4;

    public static TheoryData<string> PlantKinds() => new(PiPresets.Plants);

    [Theory]
    [MemberData(nameof(PlantKinds))]
    public void Flux_Then_TorqueCurrentStep(string plantKind)
    {
        MotorParameters m = PiPresets.Scim;
        var plant = PiPresets.ConstantSpeed(m, 420, 100, plantKind);
        var c = ScimFocController.Create(m, Ts, ControlMode.Current);
        var loop = new PiLoopHarness(plant, c, 1);
        // Magnetise with i_sd = 2.5 A for 5 rotor time constants, then step i_sq 0 → 3 A.
        double tauR = (m.MainInductance + m.RotorLeakageInductance) / m.RotorResistance;
        int pre = (int)(5 * tauR / Ts), n = 300;
        loop.Run(pre, (long k, ref References r) => { r.CurrentD = 2.5; r.CurrentQ = 0; }, o => o.Reference.CurrentD, p => p.ArmatureOrDCurrent);
        // The torque (the twin's own torque equation on its true flux) is the orientation check that needs no access to
        // the plant's flux: T = 1.5·p·(l_m/l_r)·ψ_r·i_sq only when the controller's frame sits on the real rotor flux.
        double lr = m.MainInductance + m.RotorLeakageInductance;
        double expectedTorque = 1.5 * m.PolePairs * m.MainInductance / lr * (m.MainInductance * 2.5) * 3;
        Trace t = loop.Run(n, (long k, ref References r) => { r.CurrentD = 2.5; r.CurrentQ = 3; }, o => o.Reference.CurrentQ, p => p.Torque);
        StepMetrics s = t.Step(0, n, 0, expectedTorque);
        output.WriteLine($"[{plantKind}] SCIM observer flux after magnetising {c.EstimatedFlux:F4} V·s (l_m·2.5 A = {m.MainInductance * 2.5:F4}); torque step to i_sq = 3 A: expected {expectedTorque:F4} N·m, final {t.Measured[^1]:F4} N·m: {s}");
        Assert.Equal(m.MainInductance * 2.5, c.EstimatedFlux, 0.01 * m.MainInductance * 2.5);
        Assert.InRange(s.RiseTime, 0.1e-3, 1.5e-3);
        Assert.InRange(s.Overshoot, 0.0, 0.10);
        Assert.InRange(s.SteadyStateError, 0.0, 0.02);
        if (plant is PiPlantModel model)
        {
            Assert.Equal(m.MainInductance * 2.5, model.RotorFlux, 0.01 * m.MainInductance * 2.5);
            Assert.Equal(2.5, model.ArmatureOrDCurrent, 0.05); // the true flux-frame d current stays put
        }
    }

    [Theory]
    [MemberData(nameof(PlantKinds))]
    public void SpeedStep_WithLoadStep(string plantKind)
    {
        MotorParameters m = PiPresets.Scim;
        var plant = PiPresets.PolyLoad(m, 420, 0.01, 0.01, 0, 1e-5, plantKind);
        var c = ScimFocController.Create(m, Ts, ControlMode.Speed, new CascadeOptions { CurrentLimit = 5.5, LoadInertia = 1e-5 });
        var loop = new PiLoopHarness(plant, c, 1);
        const double speed = 150;
        int n = 6000, loadAt = 4000;
        double scale = 1 + 2.0 / (0.01 + 0.01 * speed); // +2 N·m
        Trace t = loop.Run(n, (long k, ref References r) => r.Speed = k < 1000 ? 0 : speed, o => o.Reference.Speed, p => p.Omega,
            (k, p) => p.LoadScale = k >= loadAt ? scale : 1);
        StepMetrics s = t.Step(1000, loadAt, 0, speed);
        double dip = 0;
        int recovered = loadAt;
        for (int k = loadAt; k < n; k++)
        {
            dip = Math.Max(dip, speed - t.Measured[k]);
            if (Math.Abs(t.Measured[k] - speed) > 0.01 * speed) recovered = k;
        }
        output.WriteLine($"[{plantKind}] SCIM speed 0→{speed} rad/s (after 0.1 s magnetising): {s}; load +2 N·m: dip {dip:F3} rad/s, back within 1 % after {(recovered - loadAt + 1) * Ts * 1e3:F1} ms, final {t.Measured[^1]:F3}");
        Assert.InRange(s.Overshoot, 0.0, 0.05);
        Assert.InRange(s.SettlingTime, 0.0, 0.25);
        Assert.InRange(dip, 0.0, 0.1 * speed);
        Assert.InRange(Math.Abs(t.Measured[^1] - speed), 0.0, 0.005 * speed);
        Assert.NotEqual(ControllerStatus.OutputInvalid, loop.WorstStatus);
    }

    [Theory]
    [MemberData(nameof(PlantKinds))]
    public void ZeroAllocationsPerTick(string plantKind)
    {
        MotorParameters m = PiPresets.Scim;
        var plant = PiPresets.PolyLoad(m, 420, 0.01, 0.01, 0, 1e-5, plantKind);
        var c = ScimFocController.Create(m, Ts, ControlMode.Speed);
        var loop = new PiLoopHarness(plant, c, 1);
        ReferenceProfile profile = (long k, ref References r) => r.Speed = 100 + 20 * Math.Sin(k * 1e-3);
        for (int k = 0; k < 2000; k++) { loop.Tick(k, profile); loop.StepPlant(); }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 10_000; k++) { loop.Tick(k, profile); loop.StepPlant(); }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

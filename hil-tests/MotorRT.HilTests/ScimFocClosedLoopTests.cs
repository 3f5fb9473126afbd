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

    [Fact]
    public void Flux_Then_TorqueCurrentStep()
    {
        MotorParameters m = PiPresets.Scim;
        var plant = PiPresets.ConstantSpeed(m, 420, 100);
        var c = ScimFocController.Create(m, Ts, ControlMode.Current);
        var loop = new PiLoopHarness(plant, c, 1);
        // Magnetise with i_sd = 2.5 A for 5 rotor time constants, then step i_sq 0 → 3 A.
        double tauR = (m.MainInductance + m.RotorLeakageInductance) / m.RotorResistance;
        int pre = (int)(5 * tauR / Ts), n = 300;
        loop.Run(pre, (long k, ref References r) => { r.CurrentD = 2.5; r.CurrentQ = 0; }, o => o.Reference.CurrentD, p => p.ArmatureOrDCurrent);
        double flux = plant.RotorFlux;
        Trace t = loop.Run(n, (long k, ref References r) => { r.CurrentD = 2.5; r.CurrentQ = 3; }, o => o.Reference.CurrentQ, p => p.QCurrent);
        StepMetrics s = t.Step(0, n, 0, 3);
        output.WriteLine($"SCIM rotor flux after magnetising {flux:F4} V·s (expected l_m·2.5 A = {m.MainInductance * 2.5:F4}), observer {c.EstimatedFlux:F4}; i_sq step: {s}; i_sd(true frame) {plant.ArmatureOrDCurrent:F3} A");
        Assert.Equal(m.MainInductance * 2.5, flux, 0.01 * m.MainInductance * 2.5);
        Assert.Equal(flux, c.EstimatedFlux, 0.01 * flux);
        Assert.InRange(s.RiseTime, 0.1e-3, 1.5e-3);
        Assert.InRange(s.Overshoot, 0.0, 0.10);
        Assert.InRange(s.SteadyStateError, 0.0, 0.01);
        Assert.Equal(2.5, plant.ArmatureOrDCurrent, 0.05); // orientation holds: the true flux-frame d current stays put
    }

    [Fact]
    public void SpeedStep_WithLoadStep()
    {
        MotorParameters m = PiPresets.Scim;
        var plant = PiPresets.PolyLoad(m, 420, 0.01, 0.01, 0, 1e-5);
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
        output.WriteLine($"SCIM speed 0→{speed} rad/s (after 0.1 s magnetising): {s}; load +2 N·m: dip {dip:F3} rad/s, back within 1 % after {(recovered - loadAt + 1) * Ts * 1e3:F1} ms, final {t.Measured[^1]:F3}");
        Assert.InRange(s.Overshoot, 0.0, 0.05);
        Assert.InRange(s.SettlingTime, 0.0, 0.25);
        Assert.InRange(dip, 0.0, 0.1 * speed);
        Assert.InRange(Math.Abs(t.Measured[^1] - speed), 0.0, 0.005 * speed);
        Assert.NotEqual(ControllerStatus.OutputInvalid, loop.WorstStatus);
    }

    [Fact]
    public void ZeroAllocationsPerTick()
    {
        MotorParameters m = PiPresets.Scim;
        var plant = PiPresets.PolyLoad(m, 420, 0.01, 0.01, 0, 1e-5);
        var c = ScimFocController.Create(m, Ts, ControlMode.Speed);
        var loop = new PiLoopHarness(plant, c, 1);
        ReferenceProfile profile = (long k, ref References r) => r.Speed = 100 + 20 * Math.Sin(k * 1e-3);
        for (int k = 0; k < 2000; k++) { loop.Tick(k, profile); loop.StepPlant(); }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 10_000; k++) { loop.Tick(k, profile); loop.StepPlant(); }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

using MotorRT.Policies.Foc;

namespace MotorRT.HilTests;

/// <summary>Rotor-flux-oriented control of GEM's default SCIM (420 V): flux build-up, torque-current step, speed + load step.</summary>
public class FocScimClosedLoopTests(ITestOutputHelper output)
{
    private const double Ts = 1e-4;

    [Fact]
    public void Flux_Then_TorqueCurrentStep()
    {
        MotorParameters m = GemPresets.DefaultMotor("SCIM");
        var plant = TwinPlant.ConstantSpeed(m, 420, 100);
        var c = ScimFocController.Create(m, Ts, ControlMode.Current);
        var loop = new ClosedLoop(plant, c, 1);
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
        output.WriteLine($"SCIM observer flux after magnetising {c.EstimatedFlux:F4} V·s (l_m·2.5 A = {m.MainInductance * 2.5:F4}); torque step to i_sq = 3 A: expected {expectedTorque:F4} N·m, final {t.Measured[^1]:F4} N·m: {s}");
        Assert.Equal(m.MainInductance * 2.5, c.EstimatedFlux, 0.01 * m.MainInductance * 2.5);
        Assert.InRange(s.RiseTime, 0.1e-3, 1.5e-3);
        Assert.InRange(s.Overshoot, 0.0, 0.10);
        Assert.InRange(s.SteadyStateError, 0.0, 0.02);
        // The twin's d/q currents are in its true rotor-flux frame; its torque then gives the true rotor flux. These
        // bounds are wider than the observer's 1 % above (they used to be checked only on the removed stand-in
        // plant): on the twin the observer's flux angle is ≈ 0.02 rad (1.1°) off the true one at 100 rad/s, which
        // turns (2.5 A, 3 A) into ≈ (2.44 A, 3.05 A) in the true frame, so the true flux settles ≈ 2.3 % below
        // l_m·2.5 A while the torque stays within 1 %.
        double trueFlux = plant.Torque / (1.5 * m.PolePairs * m.MainInductance / lr * plant.QCurrent);
        output.WriteLine($"twin: flux-frame i_d {plant.ArmatureOrDCurrent:F4} A, i_q {plant.QCurrent:F4} A, torque {plant.Torque:F4} N·m → rotor flux {trueFlux:F4} V·s");
        Assert.Equal(m.MainInductance * 2.5, trueFlux, 0.03 * m.MainInductance * 2.5);
        Assert.Equal(2.5, plant.ArmatureOrDCurrent, 0.1); // the true flux-frame d current stays put
    }

    [Fact]
    public void SpeedStep_WithLoadStep()
    {
        MotorParameters m = GemPresets.DefaultMotor("SCIM");
        var plant = TwinPlant.PolyLoad(m, 420, 0.01, 0.01, 0, 1e-5);
        var c = ScimFocController.Create(m, Ts, ControlMode.Speed, new CascadeOptions { CurrentLimit = 5.5, LoadInertia = 1e-5 });
        var loop = new ClosedLoop(plant, c, 1);
        const double speed = 150;
        int n = 6000, loadAt = 4000;
        double scale = 1 + 2.0 / (0.01 + 0.01 * speed); // +2 N·m
        Trace t = loop.Run(n, (long k, ref References r) => r.Speed = k < 1000 ? 0 : speed, o => o.Reference.Speed, p => p.Omega,
            (k, p) => p.LoadScale = k >= loadAt ? scale : 1);
        StepMetrics s = t.Step(1000, loadAt, 0, speed);
        DisturbanceMetrics d = t.Disturbance(loadAt, n, speed);
        output.WriteLine($"SCIM speed 0→{speed} rad/s (after 0.1 s magnetising): {s}; load +2 N·m: dip {d.Dip:F3} rad/s, back within 1 % after {d.RecoveryTime * 1e3:F1} ms, final {t.Measured[^1]:F3}");
        Assert.InRange(s.Overshoot, 0.0, 0.05);
        Assert.InRange(s.SettlingTime, 0.0, 0.25);
        Assert.InRange(d.Dip, 0.0, 0.1 * speed);
        Assert.InRange(Math.Abs(t.Measured[^1] - speed), 0.0, 0.005 * speed);
        Assert.NotEqual(ControllerStatus.OutputInvalid, loop.WorstStatus);
    }

    [Fact]
    public void ZeroAllocationsPerTick()
    {
        MotorParameters m = GemPresets.DefaultMotor("SCIM");
        var plant = TwinPlant.PolyLoad(m, 420, 0.01, 0.01, 0, 1e-5);
        var c = ScimFocController.Create(m, Ts, ControlMode.Speed);
        var loop = new ClosedLoop(plant, c, 1);
        Assert.Equal(0, loop.AllocatedBytes((long k, ref References r) => r.Speed = 100 + 20 * Math.Sin(k * 1e-3)));
    }
}

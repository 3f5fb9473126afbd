using MotorRT.Policies.Foc;

namespace MotorRT.HilTests;

/// <summary>
/// Closed-loop suites of the FOC on GEM's default PMSM and SynRM: d/q current steps at constant speed, speed steps with
/// a load step, field weakening above base speed, voltage (modulator) saturation without wind-up, zero allocations.
/// One period of command delay, controllers tuned for it.
/// </summary>
public class FocClosedLoopTests(ITestOutputHelper output)
{
    private const double Ts = 1e-4;

    public static TheoryData<string> Machines()
    {
        var data = new TheoryData<string>();
        foreach (string m in new[] { "PMSM", "SynRM" }) data.Add(m);
        return data;
    }

    private static MotorParameters Motor(string name) => name == "PMSM" ? GemPresets.DefaultMotor("PMSM") : GemPresets.DefaultMotor("SynRM");

    [Theory]
    [MemberData(nameof(Machines))]
    public void CurrentSteps_DecoupledAxes(string machine)
    {
        MotorParameters m = Motor(machine);
        // Cont-CC-PMSM: 300 V, 100 rad/s. SynRM: 420 V, 100 rad/s, its 18 A limit.
        double supply = machine == "PMSM" ? 300 : 420;
        (double d1, double q1) = machine == "PMSM" ? (-50.0, 100.0) : (6.0, 8.0);
        var plant = TwinPlant.ConstantSpeed(m, supply, 100);
        var c = FocController.Create(m, Ts, ControlMode.Current);
        var loop = new ClosedLoop(plant, c, 1);
        const int n = 300; // q step at 0, d step at 300
        Trace tq = loop.Run(n, (long k, ref References r) => { r.CurrentD = 0; r.CurrentQ = q1; }, o => o.Reference.CurrentQ, p => p.QCurrent);
        Trace td = loop.Run(n, (long k, ref References r) => { r.CurrentD = d1; r.CurrentQ = q1; }, o => o.Reference.CurrentD, p => p.ArmatureOrDCurrent);
        StepMetrics sq = tq.Step(0, n, 0, q1);
        StepMetrics sd = td.Step(0, n, 0, d1);
        output.WriteLine($"{machine} q 0→{q1} A: {sq}");
        output.WriteLine($"{machine} d 0→{d1} A: {sd}");
        foreach (StepMetrics s in new[] { sq, sd })
        {
            Assert.InRange(s.RiseTime, 0.2e-3, 1.0e-3);
            Assert.InRange(s.Overshoot, 0.0, 0.08);
            Assert.InRange(s.SettlingTime, 0.0, 3e-3);
            Assert.InRange(s.SteadyStateError, 0.0, 0.005);
        }
        Assert.NotEqual(ControllerStatus.OutputInvalid, loop.WorstStatus);
    }

    [Fact]
    public void CrossCoupling_QStepBarelyDisturbsD()
    {
        MotorParameters m = GemPresets.DefaultMotor("PMSM");
        double worst(bool decouple)
        {
            var plant = TwinPlant.ConstantSpeed(m, 300, 300);
            var c = FocController.Create(m, Ts, ControlMode.Current, new CascadeOptions { CurrentLimit = 400, Decoupling = decouple });
            var loop = new ClosedLoop(plant, c, 1);
            Trace t = loop.Run(300, (long k, ref References r) => { r.CurrentD = 0; r.CurrentQ = 150; }, o => o.Reference.CurrentD, p => p.ArmatureOrDCurrent);
            double w = 0;
            for (int k = 0; k < 300; k++) w = Math.Max(w, Math.Abs(t.Measured[k]));
            return w;
        }
        double with = worst(true), without = worst(false);
        output.WriteLine($"PMSM at 300 rad/s, q step 150 A: peak |i_d| with decoupling {with:F2} A, without {without:F2} A");
        Assert.True(with < 0.5 * without, "decoupling must reduce the d-axis disturbance of a q step");
        Assert.InRange(with, 0.0, 15.0);
    }

    /// <summary>
    /// The speed cascade on the machine's twin as GEM's Cont-SC-PMSM: 420 V, polynomial load a 0.01, b 0.01, load
    /// J 1e-5 (SynRM: the same load on 420 V), one period of command delay.
    /// </summary>
    private static ClosedLoop SpeedLoop(string machine)
    {
        MotorParameters m = Motor(machine);
        var plant = TwinPlant.PolyLoad(m, 420, 0.01, 0.01, 0, 1e-5);
        var c = FocController.Create(m, Ts, ControlMode.Speed, new CascadeOptions { CurrentLimit = m.Limits.Current, LoadInertia = 1e-5 });
        return new ClosedLoop(plant, c, 1);
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void SpeedStep_WithLoadStep(string machine)
    {
        ClosedLoop loop = SpeedLoop(machine);
        double speed = machine == "PMSM" ? 200 : 150, loadStep = machine == "PMSM" ? 50 : 2;
        int n = machine == "PMSM" ? 4000 : 3000, loadAt = n / 2;
        double scale = 1 + loadStep / (0.01 + 0.01 * speed);
        Trace t = loop.Run(n, (long k, ref References r) => r.Speed = speed, o => o.Reference.Speed, p => p.Omega,
            (k, p) => p.LoadScale = k >= loadAt ? scale : 1);
        StepMetrics s = t.Step(0, loadAt, 0, speed);
        DisturbanceMetrics d = t.Disturbance(loadAt, n, speed);
        output.WriteLine($"{machine} speed 0→{speed} rad/s: {s}");
        output.WriteLine($"{machine} load step {loadStep} N·m: dip {d.Dip:F3} rad/s, back within 1 % after {d.RecoveryTime * 1e3:F2} ms, final error {Math.Abs(t.Measured[n - 1] - speed):F4} rad/s");
        Assert.InRange(s.Overshoot, 0.0, 0.05);
        Assert.InRange(s.SteadyStateError, 0.0, 0.005);
        Assert.InRange(s.SettlingTime, 0.0, loadAt * Ts * 0.8);
        Assert.InRange(d.Dip, 0.0, 0.05 * speed);
        Assert.InRange(d.RecoveryTime, 0.0, 0.05);
        Assert.InRange(Math.Abs(t.Measured[n - 1] - speed), 0.0, 0.005 * speed);
    }

    [Fact]
    public void FieldWeakening_ReachesSpeedAboveBaseSpeed()
    {
        // 100 V DC link: linear voltage amplitude 57.7 V, so the magnet alone (ψ_p·ω_el) reaches it at ~290 rad/s.
        MotorParameters m = GemPresets.DefaultMotor("PMSM");
        double baseSpeed = 100 / Math.Sqrt(3) / (m.PermanentMagnetFlux * m.PolePairs);
        double target = 1.8 * baseSpeed;
        FocController Make(bool fw) => FocController.Create(m, Ts, ControlMode.Speed, new CascadeOptions { CurrentLimit = 400, LoadInertia = 1e-5 },
            new FocOptions { FieldWeakening = fw, Mtpa = fw }); // without: i_d = 0, no flux reduction at all
        (double final, double idFinal) Run(bool fw)
        {
            var plant = TwinPlant.PolyLoad(m, 100, 0.01, 0.01, 0, 1e-5);
            var loop = new ClosedLoop(plant, Make(fw), 1);
            Trace t = loop.Run(8000, (long k, ref References r) => r.Speed = target, o => o.Reference.Speed, p => p.Omega);
            Assert.NotEqual(ControllerStatus.OutputInvalid, loop.WorstStatus);
            return (t.Measured[^1], plant.ArmatureOrDCurrent);
        }
        (double withFw, double id) = Run(true);
        (double withoutFw, _) = Run(false);
        output.WriteLine($"base speed {baseSpeed:F1} rad/s, target {target:F1}: with field weakening {withFw:F2} rad/s (i_d {id:F1} A), with i_d = 0 {withoutFw:F2} rad/s");
        Assert.InRange(withFw, 0.995 * target, 1.005 * target);
        Assert.True(id < -20, "field weakening must drive a negative d current");
        Assert.True(withoutFw < 0.97 * target, "without field weakening the target must be out of reach, else the test proves nothing");
    }

    [Fact]
    public void ModulatorSaturation_NoWindup()
    {
        // 60 V DC link at 250 rad/s (ω_el·ψ_p = 49.5 V > u_dc/√3 = 34.6 V): a q step of 200 A cannot be reached; then
        // the reference returns to a reachable point and the currents must follow without a long wind-up tail.
        MotorParameters m = GemPresets.DefaultMotor("PMSM");
        var plant = TwinPlant.ConstantSpeed(m, 140, 250);
        var c = FocController.Create(m, Ts, ControlMode.Current, new CascadeOptions { CurrentLimit = 400 },
            new FocOptions { ModulationLimit = 2 / Math.Sqrt(3) });
        var loop = new ClosedLoop(plant, c, 1);
        Trace t = loop.Run(1000, (long k, ref References r) => { r.CurrentD = -60; r.CurrentQ = k < 500 ? 400 : 50; }, o => o.Reference.CurrentQ, p => p.QCurrent);
        Assert.Equal(ControllerStatus.Saturated, loop.WorstStatus);
        Assert.True(t.Measured[499] < 390, $"the q current must be voltage-limited, got {t.Measured[499]:F1} A");
        StepMetrics down = t.Step(500, 1000, t.Measured[499], 50);
        output.WriteLine($"after modulator saturation at {t.Measured[499]:F1} A → 50 A: {down}; modulation scale {c.ModulationScale:F3}");
        Assert.InRange(down.SettlingTime, 0.0, 3e-3);
        Assert.InRange(down.Overshoot, 0.0, 0.10);
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void ClosedLoop_ZeroAllocationsPerTick(string machine)
    {
        ClosedLoop loop = SpeedLoop(machine);
        Assert.Equal(0, loop.AllocatedBytes((long k, ref References r) => r.Speed = 100 + 50 * Math.Sin(k * 1e-3)));
    }
}

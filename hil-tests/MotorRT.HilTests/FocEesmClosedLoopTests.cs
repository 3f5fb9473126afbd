using MotorRT.Policies.Foc;

namespace MotorRT.HilTests;

/// <summary>
/// FOC of an externally excited synchronous machine on the sim's twin (GEM's EESM model, multi converter B6 + 4QC).
/// GEM's default EESM is unstable (σ = 1 − 1.5·l_m²/(l_d·l_e) &lt; 0, MODELS.md), so this suite uses GEM's parameters with
/// the excitation inductance doubled (σ = 0.34).
/// </summary>
public class FocEesmClosedLoopTests(ITestOutputHelper output)
{
    private const double Ts = 1e-4;

    internal static MotorParameters StableEesm => new()
    {
        Type = MotorType.Eesm, PolePairs = 3, InductanceD = 0.00166, InductanceQ = 0.00035, MainInductance = 0.001589, ExcitationInductance = 2 * 0.00174,
        RotorInertia = 0.3883, StatorResistance = 0.01555, ExcitationResistance = 0.0072, ExcitationTransferRatio = 65.21,
        Limits = new MotorLimits { Speed = 12000.0 * Math.PI / 30, Torque = 0, Current = 150, Voltage = 160, ExcitationCurrent = 150 },
    };

    [Fact]
    public void Excitation_Then_CurrentSteps()
    {
        MotorParameters m = StableEesm;
        var plant = TwinPlant.For(m, 300, new MotorRT.Sim.Spec.ConstantSpeedLoadSpec { Omega = 100 });
        var c = FocController.Create(m, Ts, ControlMode.Current, new CascadeOptions { CurrentLimit = 150, ExcitationCurrent = 50 });
        // The real one-period command delay. Without the inductance-matrix decoupling (the d axis and the excitation
        // share the main flux) i_e overshot ~97 % and collapsed at this delay.
        var loop = new ClosedLoop(plant, c, 1);
        Trace ex = loop.Run(2000, (long k, ref References r) => { r.CurrentD = 0; r.CurrentQ = 0; }, o => 50, p => p.ExcitationCurrent);
        StepMetrics se = ex.Step(0, 2000, 0, 50);
        Trace tq = loop.Run(500, (long k, ref References r) => { r.CurrentD = 0; r.CurrentQ = 80; }, o => o.Reference.CurrentQ, p => p.QCurrent);
        StepMetrics sq = tq.Step(0, 500, 0, 80);
        Trace td = loop.Run(500, (long k, ref References r) => { r.CurrentD = -40; r.CurrentQ = 80; }, o => o.Reference.CurrentD, p => p.ArmatureOrDCurrent);
        StepMetrics sd = td.Step(0, 500, 0, -40);
        output.WriteLine($"EESM excitation 0→50 A: {se}; q 0→80 A: {sq}; d 0→−40 A: {sd}; i_e at end {plant.ExcitationCurrent:F2} A");
        Assert.InRange(se.Overshoot, 0.0, 0.05);
        Assert.InRange(se.SteadyStateError, 0.0, 0.01);
        Assert.InRange(sq.Overshoot, 0.0, 0.10);
        Assert.InRange(sq.SteadyStateError, 0.0, 0.01);
        Assert.InRange(sd.Overshoot, 0.0, 0.10);
        Assert.InRange(sd.SteadyStateError, 0.0, 0.01);
        Assert.InRange(plant.ExcitationCurrent, 49, 51);
    }
}

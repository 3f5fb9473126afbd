using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.Cascades;
using MotorRT.Policies.Foc;
using MotorRT.Policies.Pi;
using Xunit.Abstractions;

namespace MotorRT.HilTests;

/// <summary>
/// Our cascades against a re-implementation of GEM's <c>gem_controllers</c> design (<see cref="PiGemReplica"/>) on the
/// sim's GEM-exact twin (<see cref="PiTwinPlant"/>), the same deterministic reference profile, GEM's env loop timing (the action computed from
/// the state at t_k is applied over [t_k, t_k+1), no extra delay; our controllers accordingly use delay_periods = 0).
/// The numbers printed here are the table in policies/README.md.
/// </summary>
public class PiGemComparisonTests(ITestOutputHelper output)
{
    private const double Ts = 1e-4;

    private static double StepProfile(long k, double[] levels, int hold) => levels[Math.Min((int)(k / hold), levels.Length - 1)];

    private (double Ours, double Gem) Compare(string label, Func<IPiPlant> plant, IController ours, IController gem, int steps,
        ReferenceProfile profile, Func<MotorObservation, double> reference, Func<IPiPlant, double> measured, string unit,
        Func<MotorObservation, double>? reference2 = null, Func<IPiPlant, double>? measured2 = null)
    {
        double Rms(IController c)
        {
            var p = plant();
            var loop = new PiLoopHarness(p, c, 0);
            Trace t = loop.Run(steps, profile, reference, measured);
            double e = t.RmsError(0, steps);
            if (reference2 is not null)
            {
                var p2 = plant();
                c.Reset();
                var loop2 = new PiLoopHarness(p2, c, 0);
                Trace t2 = loop2.Run(steps, profile, reference2, measured2!);
                e = Math.Sqrt(e * e + t2.RmsError(0, steps) * t2.RmsError(0, steps));
            }
            return e;
        }
        ours.Reset();
        gem.Reset();
        double o = Rms(ours), g = Rms(gem);
        output.WriteLine($"| {label} | {o:G4} {unit} | {g:G4} {unit} | {o / g:F2} |");
        return (o, g);
    }

    private static CascadeOptions Opt(MotorParameters m, double jLoad) => new() { CurrentLimit = m.Limits.Current, DelayPeriods = 0, LoadInertia = jLoad };

    [Fact]
    public void PermExDc_CurrentControl()
    {
        MotorParameters m = PiPresets.PermExDc;
        double[] levels = [0, 50, 120, -80, 20, 150, -150, 0, 100, 30];
        var (o, g) = Compare("Cont-CC-PermExDc (i steps 0…±150 A every 10 ms, 100 rad/s)", () => PiPresets.ConstantSpeed(m, 60, 100, "twin"),
            DcCascadeController.Create(m, Ts, ControlMode.Current, Opt(m, 0)), new PiGemReplica(m, Ts, false, m.RotorInertia, 60), 1000,
            (long k, ref References r) => r.CurrentD = StepProfile(k, levels, 100), ob => ob.Reference.CurrentD, p => p.ArmatureOrDCurrent, "A");
        Assert.True(o < g, $"ours {o} vs GEM design {g}");
    }

    [Fact]
    public void PermExDc_SpeedControl()
    {
        MotorParameters m = PiPresets.PermExDc;
        double[] levels = [0, 50, 120, -50, 100, 30];
        var (o, g) = Compare("Cont-SC-PermExDc (ω steps −50…120 rad/s every 250 ms, no load torque, load J 1e-4)", () => PiPresets.PolyLoad(m, 60, 0, 0, 0, 1e-4, "twin"),
            DcCascadeController.Create(m, Ts, ControlMode.Speed, Opt(m, 1e-4)), new PiGemReplica(m, Ts, true, m.RotorInertia + 1e-4, 60), 15000,
            (long k, ref References r) => r.Speed = StepProfile(k, levels, 2500), ob => ob.Reference.Speed, p => p.Omega, "rad/s");
        Assert.True(o < g, $"ours {o} vs GEM design {g}");
    }

    [Fact]
    public void SeriesDc_SpeedControl()
    {
        MotorParameters m = PiPresets.SeriesDc;
        double[] levels = [0, 50, 150, 100, 200, 80, 120];
        var (o, g) = Compare("Cont-SC-SeriesDc (ω steps 0…200 rad/s every 100 ms, poly load)", () => PiPresets.PolyLoad(m, 60, 0.01, 0.05, 0, 1e-4, "twin"),
            DcCascadeController.Create(m, Ts, ControlMode.Speed, Opt(m, 1e-4)), new PiGemReplica(m, Ts, true, m.RotorInertia + 1e-4, 60), 7000,
            (long k, ref References r) => r.Speed = StepProfile(k, levels, 1000), ob => ob.Reference.Speed, p => p.Omega, "rad/s");
        Assert.True(o < g, $"ours {o} vs GEM design {g}");
    }

    [Fact]
    public void ShuntDc_SpeedControl()
    {
        MotorParameters m = PiPresets.ShuntDc;
        double[] levels = [0, 30, 60, 20, 80, 40];
        var (o, g) = Compare("Cont-SC-ShuntDc (ω steps 0…80 rad/s every 150 ms, poly load)", () => PiPresets.PolyLoad(m, 60, 0.05, 0.01, 0, 1e-4, "twin"),
            DcCascadeController.Create(m, Ts, ControlMode.Speed, Opt(m, 1e-4)), new PiGemReplica(m, Ts, true, m.RotorInertia + 1e-4, 60), 9000,
            (long k, ref References r) => r.Speed = StepProfile(k, levels, 1500), ob => ob.Reference.Speed, p => p.Omega, "rad/s");
        Assert.True(o < g, $"ours {o} vs GEM design {g}");
    }

    [Fact]
    public void Pmsm_CurrentControl()
    {
        MotorParameters m = PiPresets.Pmsm;
        double[] d = [0, -50, -100, -20, 0, -150, -60];
        double[] q = [0, 50, 100, 200, -150, 120, 0];
        var ours = FocController.Create(m, Ts, ControlMode.Current, Opt(m, 0));
        var gem = new PiGemReplica(m, Ts, false, m.RotorInertia, 150);
        var (o, g) = Compare("Cont-CC-PMSM (i_d/i_q steps every 10 ms, 300 V, 100 rad/s; RMS of the d and q errors)",
            () => PiPresets.ConstantSpeed(m, 300, 100, "twin"), ours, gem, 700,
            (long k, ref References r) => { r.CurrentD = StepProfile(k, d, 100); r.CurrentQ = StepProfile(k, q, 100); },
            ob => ob.Reference.CurrentD, p => p.ArmatureOrDCurrent, "A", ob => ob.Reference.CurrentQ, p => p.QCurrent);
        Assert.True(o < g, $"ours {o} vs GEM design {g}");
    }
}

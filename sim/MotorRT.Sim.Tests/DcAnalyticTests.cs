using MotorRT.Sim.Spec;
using static MotorRT.Sim.Tests.TestPlants;

namespace MotorRT.Sim.Tests;

/// <summary>DC machines against closed-form steady states, the electrical time constant and the energy balance.</summary>
public sealed class DcAnalyticTests
{
    [Fact]
    public void PermEx_steady_state_current_at_constant_speed()
    {
        var sys = PhysicalSystem.Create(Accurate(WithConstantSpeed(Preset("Cont-CC-PermExDc-v0"), 100)));
        Run(sys, 300, 0.5);
        var m = sys.Motor;
        double expected = (0.5 * 60 - m.ExcitationFlux * 100) / m.ArmatureResistance;
        Assert.Equal(expected, sys.Outputs.CurrentA, 1e-6 * Math.Abs(expected));
        Assert.Equal(m.ExcitationFlux * expected, sys.Outputs.Torque, 1e-6 * Math.Abs(expected));
    }

    [Fact]
    public void PermEx_electrical_time_constant_is_L_over_R()
    {
        var spec = Accurate(WithConstantSpeed(Preset("Cont-CC-PermExDc-v0"), 0)) with { Tau = 1e-5 };
        var sys = PhysicalSystem.Create(spec);
        var m = sys.Motor;
        double te = m.ArmatureInductance / m.ArmatureResistance;
        double iss = 0.1 * 60 / m.ArmatureResistance;
        int steps = (int)Math.Round(te / spec.Tau);
        Run(sys, steps, 0.1);
        double t = steps * spec.Tau;
        Assert.Equal(iss * (1 - Math.Exp(-t / te)), sys.Outputs.CurrentA, 1e-7 * iss);
        Assert.InRange(sys.Outputs.CurrentA / iss, 0.62, 0.64); // ≈ 1 − 1/e after one time constant
    }

    [Fact]
    public void PermEx_steady_speed_with_viscous_load()
    {
        double b = 0.05;
        var spec = Accurate(Preset("Cont-SC-PermExDc-v0") with { Load = new PolynomialLoadSpec { B = b, LoadInertia = 0 } });
        var sys = PhysicalSystem.Create(spec);
        Run(sys, 40000, 0.5); // 4 s ≫ mechanical time constant j·r_a/ψ² ≈ 15 ms
        var m = sys.Motor;
        double u = 0.5 * 60;
        double omega = m.ExcitationFlux * u / (m.ArmatureResistance * b + m.ExcitationFlux * m.ExcitationFlux);
        Assert.Equal(omega, sys.Outputs.Omega, 1e-6 * omega);
        Assert.Equal(b * omega, sys.Outputs.Torque, 1e-5 * b * omega);
    }

    [Fact]
    public void ExtEx_steady_state_currents()
    {
        var spec = Accurate(WithConstantSpeed(Preset("Cont-CC-ExtExDc-v0"), 50));
        var sys = PhysicalSystem.Create(spec);
        Run(sys, 8000, 0.2, 0.5); // excitation τ = l_e/r_e ≈ 34 ms: 0.8 s ≈ 24 τ
        var m = sys.Motor;
        double ie = 0.5 * 60 / m.ExcitationResistance;
        double ia = (0.2 * 60 - m.MutualInductance * 50 * ie) / m.ArmatureResistance;
        Assert.Equal(ie, sys.Outputs.CurrentExcitation, 1e-5 * ie);
        Assert.Equal(ia, sys.Outputs.CurrentA, 1e-5 * Math.Abs(ia));
        Assert.Equal(m.MutualInductance * ia * ie, sys.Outputs.Torque, 1e-5 * Math.Abs(m.MutualInductance * ia * ie));
    }

    [Fact]
    public void Series_steady_state_current()
    {
        var sys = PhysicalSystem.Create(Accurate(WithConstantSpeed(Preset("Cont-SC-SeriesDc-v0"), 100)));
        Run(sys, 6000, 0.5); // τ = (l_a + l_e)/(r_a + r_e + l_e'·ω) ≈ 23 ms
        var m = sys.Motor;
        double i = 0.5 * 60 / (m.ArmatureResistance + m.ExcitationResistance + m.MutualInductance * 100);
        Assert.Equal(i, sys.Outputs.CurrentA, 1e-6 * i);
        Assert.Equal(m.MutualInductance * i * i, sys.Outputs.Torque, 1e-6 * m.MutualInductance * i * i);
    }

    [Fact]
    public void Shunt_steady_state_currents()
    {
        var sys = PhysicalSystem.Create(Accurate(WithConstantSpeed(Preset("Cont-SC-ShuntDc-v0"), 100)));
        Run(sys, 3000, 0.5);
        var m = sys.Motor;
        double u = 30, ie = u / m.ExcitationResistance, ia = (u - m.MutualInductance * 100 * ie) / m.ArmatureResistance;
        Assert.Equal(ie, State(sys, "i_e"), 1e-5 * ie);
        Assert.Equal(ia, State(sys, "i_a"), 1e-5 * Math.Abs(ia));
        Assert.Equal(ia + ie, sys.Outputs.CurrentA, 1e-5 * Math.Abs(ia + ie));
    }

    [Fact]
    public void ExtEx_energy_balance_input_equals_losses_plus_work_plus_magnetic_energy()
    {
        // Fine steps so the trapezoidal quadrature of the powers is exact to well below the tolerance.
        var spec = Accurate(Preset("Cont-SC-ExtExDc-v0") with { Load = new PolynomialLoadSpec { A = 0.5, B = 0.02, LoadInertia = 1e-3 }, Tau = 2e-6 });
        var sys = PhysicalSystem.Create(spec);
        var m = sys.Motor;
        double[] a = [0.4, 0.8];
        double ein = 0, ecu = 0, emech = 0;
        double P(double ia, double ie, double ua, double ue) => ua * ia + ue * ie;
        double ia0 = 0, ie0 = 0, w0 = 0, t0 = 0;
        for (int k = 0; k < 20000; k++)
        {
            sys.Step(a);
            double ia = sys.Outputs.CurrentA, ie = sys.Outputs.CurrentExcitation, w = sys.Outputs.Omega, t = sys.Outputs.Torque;
            double ua = sys.Outputs.VoltageA, ue = sys.Outputs.VoltageExcitation;
            double h = spec.Tau;
            ein += 0.5 * h * (P(ia0, ie0, ua, ue) + P(ia, ie, ua, ue));
            ecu += 0.5 * h * (m.ArmatureResistance * (ia0 * ia0 + ia * ia) + m.ExcitationResistance * (ie0 * ie0 + ie * ie));
            emech += 0.5 * h * (t0 * w0 + t * w);
            ia0 = ia; ie0 = ie; w0 = w; t0 = t;
        }
        double emag = 0.5 * m.ArmatureInductance * ia0 * ia0 + 0.5 * m.ExcitationInductance * ie0 * ie0;
        Assert.True(emech > 0.01 * ein, "the test must convert a noticeable share into mechanical work");
        Assert.Equal(ein, ecu + emech + emag, 1e-4 * ein);
    }
}

using System.Numerics;
using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Sim.Motors;
using MotorRT.Sim.Spec;
using static MotorRT.Sim.Tests.TestPlants;

namespace MotorRT.Sim.Tests;

/// <summary>Three-phase machines against the dq steady state, the torque formula and the induction machine's slip curve.</summary>
public sealed class AcAnalyticTests
{
    /// <summary>Steps with duties that make GEM's held u_dq (start-of-step angle) exactly (ud, uq).</summary>
    private static void StepDq(PhysicalSystem sys, double ud, double uq, double[] buf)
    {
        double eps = sys.Outputs.Epsilon;
        SpaceVector.DqToAbc(ud, uq, eps, out double a, out double b, out double c);
        double half = sys.Spec.Supply.NominalVoltage / 2;
        buf[0] = a / half; buf[1] = b / half; buf[2] = c / half;
        sys.Step(buf);
    }

    [Theory]
    [InlineData("Cont-CC-PMSM-v0", 20.0, 40.0, 100.0)]
    [InlineData("Cont-CC-SynRM-v0", 30.0, 60.0, 50.0)]
    public void Synchronous_machine_reaches_dq_steady_state(string preset, double ud, double uq, double omega)
    {
        var sys = PhysicalSystem.Create(Accurate(WithConstantSpeed(Preset(preset), omega)));
        var m = sys.Motor;
        double wel = m.PolePairs * omega;
        // [r_s, −ω_el·l_q; ω_el·l_d, r_s]·[i_d; i_q] = [u_d; u_q − ω_el·ψ_p]
        double a11 = m.StatorResistance, a12 = -wel * m.InductanceQ, a21 = wel * m.InductanceD, a22 = m.StatorResistance;
        double b1 = ud, b2 = uq - wel * m.PermanentMagnetFlux;
        double det = a11 * a22 - a12 * a21;
        double id = (b1 * a22 - a12 * b2) / det, iq = (a11 * b2 - a21 * b1) / det;
        var buf = new double[3];
        double tauE = Math.Max(m.InductanceD, m.InductanceQ) / m.StatorResistance;
        int steps = (int)(25 * tauE / sys.Tau);
        for (int k = 0; k < steps; k++) StepDq(sys, ud, uq, buf);
        double scale = Math.Sqrt(id * id + iq * iq);
        Assert.Equal(id, sys.Outputs.CurrentD, 1e-6 * scale);
        Assert.Equal(iq, sys.Outputs.CurrentQ, 1e-6 * scale);
        double torque = 1.5 * m.PolePairs * (m.PermanentMagnetFlux + (m.InductanceD - m.InductanceQ) * id) * iq;
        Assert.Equal(torque, sys.Outputs.Torque, 1e-6 * Math.Abs(torque) + 1e-9);
        // phase currents are the inverse transform of i_dq; they sum to zero
        Assert.Equal(0, sys.Outputs.CurrentA + sys.Outputs.CurrentB + sys.Outputs.CurrentC, 1e-9);
    }

    [Fact]
    public void Pmsm_torque_formula_holds_every_step()
    {
        var sys = PhysicalSystem.Create(Preset("Cont-SC-PMSM-v0"));
        var m = sys.Motor;
        double[] a = [0.3, -0.1, -0.2];
        for (int k = 0; k < 500; k++)
        {
            sys.Step(a);
            var o = sys.Outputs;
            double t = 1.5 * m.PolePairs * (m.PermanentMagnetFlux + (m.InductanceD - m.InductanceQ) * o.CurrentD) * o.CurrentQ;
            Assert.Equal(t, o.Torque, 1e-12 * Math.Max(1, Math.Abs(t)));
        }
    }

    [Theory]
    [InlineData(140.0)]  // motoring, slip > 0
    [InlineData(157.07963267948966)] // synchronous: no torque
    [InlineData(170.0)]  // generating, slip < 0
    public void Scim_steady_state_torque_matches_phasor_solution(double omega)
    {
        double f = 100, ws = 2 * Math.PI * f, amp = 100; // stator phase amplitude, V
        var spec = WithConstantSpeed(Preset("Cont-CC-SCIM-v0"), omega) with { Tau = 1e-5 };
        var sys = PhysicalSystem.Create(spec);
        var m = sys.Motor;
        double half = spec.Supply.NominalVoltage / 2;
        var buf = new double[3];
        int steps = 150_000; // 1.5 s ≫ τ_r ≈ 0.11 s
        for (int k = 0; k < steps; k++)
        {
            // sample at the middle of the step: the held voltage is then the best zero-order fit of the sinusoid
            double th = ws * (k + 0.5) * spec.Tau;
            buf[0] = amp * Math.Cos(th) / half;
            buf[1] = amp * Math.Cos(th - 2 * Math.PI / 3) / half;
            buf[2] = amp * Math.Cos(th + 2 * Math.PI / 3) / half;
            sys.Step(buf);
        }
        // phasor solution of the stator-frame model: jω_s·I = −I/τ_σ + (a13 − j·a14·ω)·Ψ + U/(σ l_s); jω_s·Ψ = (l_m/τ_r)·I − Ψ/τ_r + j·p·ω·Ψ
        double ls = m.MainInductance + m.StatorLeakageInductance, lr = m.MainInductance + m.RotorLeakageInductance;
        double sigma = (ls * lr - m.MainInductance * m.MainInductance) / (ls * lr);
        double tauR = lr / m.RotorResistance;
        double tauSig = sigma * ls / (m.StatorResistance + m.RotorResistance * m.MainInductance * m.MainInductance / (lr * lr));
        double a13 = m.MainInductance * m.RotorResistance / (sigma * ls * lr * lr), a14 = m.MainInductance * m.PolePairs / (sigma * lr * ls);
        var j = Complex.ImaginaryOne;
        Complex psiPerI = (m.MainInductance / tauR) / (j * ws + 1 / tauR - j * m.PolePairs * omega);
        Complex current = (amp / (sigma * ls)) / (j * ws + 1 / tauSig - (a13 - j * a14 * omega) * psiPerI);
        Complex psi = psiPerI * current;
        double torque = 1.5 * m.PolePairs * m.MainInductance / lr * (psi.Real * current.Imaginary - psi.Imaginary * current.Real);
        double ratedScale = 1.5 * m.PolePairs * m.MainInductance / lr * psi.Magnitude * current.Magnitude;
        Assert.Equal(torque, sys.Outputs.Torque, 0.01 * ratedScale + 1e-3);
        double slip = (ws - m.PolePairs * omega) / ws;
        Assert.Equal(Math.Sign(slip), Math.Abs(slip) < 1e-9 ? 0 : Math.Sign(sys.Outputs.Torque));
    }

    [Fact]
    public void Dfim_with_zero_rotor_voltage_is_the_scim_of_the_same_parameters()
    {
        // Zero rotor duty puts 0 V on every rotor phase (a short-circuited rotor): the DFIM's stator side must then be
        // the squirrel-cage machine of the same parameters, step for step.
        PlantSpec dfim = Accurate(WithConstantSpeed(Preset("Cont-CC-DFIM-v0"), 120));
        PlantSpec scim = dfim with { Motor = dfim.Motor with { Type = MotorRT.Contracts.Machines.MotorType.Scim }, Converter = new ConverterSpec { Kind = ConverterKind.ContB6Bridge } };
        var a = PhysicalSystem.Create(dfim);
        var b = PhysicalSystem.Create(scim);
        var rng = new Random(7);
        double[] da = new double[6], db = new double[3];
        string[] compare = ["omega", "torque", "i_sa", "i_sb", "i_sc", "i_sd", "i_sq", "u_sa", "u_sb", "u_sc", "u_sd", "u_sq", "epsilon"];
        double worst = 0;
        for (int k = 0; k < 3000; k++)
        {
            for (int p = 0; p < 3; p++) da[p] = db[p] = 0.5 * Math.Cos(2 * Math.PI * 50 * k * dfim.Tau - p * 2.0944) + 0.05 * (rng.NextDouble() - 0.5);
            a.Step(da);
            b.Step(db);
            foreach (string n in compare) worst = Math.Max(worst, Math.Abs(State(a, n) - State(b, n)) / Math.Max(1, Math.Abs(State(b, n))));
            Assert.Equal(0.0, State(a, "u_ra"));
            Assert.Equal(0.0, State(a, "u_rq"));
        }
        Assert.True(worst <= 1e-12, $"DFIM with a shorted rotor differs from the SCIM by {worst:E2}");
        Assert.True(Math.Abs(State(a, "torque")) > 0.1); // the comparison ran with flux and torque built up
        // The rotor currents are what the flux and the stator current imply: i_r = (ψ_r − l_m·i_s)/l_r, |i_r| ≈ the stator's at load.
        Assert.True(Math.Abs(State(a, "i_rd")) + Math.Abs(State(a, "i_rq")) > 0.1);
    }

    [Fact]
    public void Eesm_defaults_have_negative_sigma_as_gem_3_0_2()
    {
        var model = new EesmModel(EesmParameters.Gem);
        Assert.True(model.Sigma < 0, "GEM 3.0.2's EESM defaults give σ = 1 − l_M²/(l_d·l_E) < 0 (documented defect)");
    }

    [Fact]
    public void Eesm_with_consistent_parameters_reaches_excitation_steady_state()
    {
        // A physically consistent EESM (σ > 0): the excitation current settles at u_e/r_e at standstill with zero stator voltage.
        var spec = Accurate(WithConstantSpeed(Preset("Cont-CC-EESM-v0"), 0));
        spec = spec with { Motor = spec.Motor with { MainInductance = 0.0005 } };
        var model = new EesmModel((EesmParameters)spec.Motor.ToTyped());
        Assert.True(model.Sigma > 0);
        var sys = PhysicalSystem.Create(spec);
        double[] a = [0, 0, 0, 0.05];
        Run(sys, 20000, a);
        double ie = 0.05 * spec.Supply.NominalVoltage / spec.Motor.ExcitationResistance;
        Assert.Equal(ie, sys.Outputs.CurrentExcitation, 1e-3 * ie);
        Assert.Equal(0, sys.Outputs.Torque, 1e-6);
    }
}

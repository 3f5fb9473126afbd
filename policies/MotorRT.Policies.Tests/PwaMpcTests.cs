using MotorRT.Contracts;
using MotorRT.Policies.Pwa;

namespace MotorRT.Policies.Tests;

public class PwaMpcTests
{
    private const double Period = 1e-4;

    [Fact]
    public void HorizonOneMpcEqualsTheClosedFormClippedOneStepLaw()
    {
        var motor = TestMotors.Pmsm;
        var options = new PmsmMpcOptions { DcLinkVoltage = 300, Horizon = 1, CurrentRange = 100, SpeedRange = 200 };
        PwaLaw law = PwaSynthesis.PmsmCurrentMpc(motor, Period, options);
        PwaValidator.Validate(law);
        Assert.Equal(9, law.RegionCount); // 3 per axis: free, upper, lower
        double uMax = 300 / Math.Sqrt(6);
        double[] l = [motor.InductanceD, motor.InductanceQ];
        var rng = new Random(5);
        double[] lo = law.BoxMin(), hi = law.BoxMax();
        var theta = new double[6];
        var u = new double[2];
        for (int i = 0; i < 5000; i++)
        {
            for (int j = 0; j < 6; j++) theta[j] = lo[j] + (hi[j] - lo[j]) * rng.NextDouble();
            Assert.True(law.Evaluate(theta, u, true, out _) >= 0);
            for (int axis = 0; axis < 2; axis++)
            {
                // argmin_u q(a·x + b(u − e) − r)² + ρ(u − R·r − e)², ρ = b²q, then clipped (1-D convex QP).
                double a = Math.Exp(-motor.StatorResistance * Period / l[axis]);
                double b = (1 - a) / motor.StatorResistance;
                double x = theta[axis], r = theta[2 + axis], e = theta[4 + axis];
                double rho = b * b;
                double free = (b * (r - a * x + b * e) + rho * (motor.StatorResistance * r + e)) / (b * b + rho);
                Assert.Equal(Math.Clamp(free, -uMax, uMax), u[axis], 9);
            }
        }
    }

    [Fact]
    public void DelayCompensatedHorizonOneMpcOptimisesFromThePredictedCurrent()
    {
        var motor = TestMotors.Pmsm;
        var options = new PmsmMpcOptions { DcLinkVoltage = 300, Horizon = 1, CurrentRange = 100, SpeedRange = 200, DelayCompensation = true };
        PwaLaw law = PwaSynthesis.PmsmCurrentMpc(motor, Period, options);
        PwaValidator.Validate(law);
        Assert.Equal(8, law.ParameterCount);
        Assert.Equal(ObservationQuantity.LastVoltageQ, law.Parameters[7].Quantity);
        double uMax = 300 / Math.Sqrt(6);
        double[] l = [motor.InductanceD, motor.InductanceQ];
        var rng = new Random(7);
        double[] lo = law.BoxMin(), hi = law.BoxMax();
        var theta = new double[8];
        var u = new double[2];
        for (int i = 0; i < 3000; i++)
        {
            for (int j = 0; j < 8; j++) theta[j] = lo[j] + (hi[j] - lo[j]) * rng.NextDouble();
            Assert.True(law.Evaluate(theta, u, true, out _) >= 0);
            for (int axis = 0; axis < 2; axis++)
            {
                double a = Math.Exp(-motor.StatorResistance * Period / l[axis]);
                double b = (1 - a) / motor.StatorResistance;
                double r = theta[2 + axis], e = theta[4 + axis];
                double x = a * theta[axis] + b * (theta[6 + axis] - e); // the current when the new move starts acting
                double rho = b * b;
                double free = (b * (r - a * x + b * e) + rho * (motor.StatorResistance * r + e)) / (b * b + rho);
                Assert.Equal(Math.Clamp(free, -uMax, uMax), u[axis], 9);
            }
        }
    }

    [Fact]
    public void HorizonTwoMpcSatisfiesTheKktConditionsOfItsQp()
    {
        // Independent check: solve the box-constrained QP for each θ by projected coordinate descent on the same cost,
        // written out directly from the model (not from the synthesis code's matrices), and compare the first move.
        var motor = TestMotors.Pmsm;
        var options = new PmsmMpcOptions { DcLinkVoltage = 300, Horizon = 2, CurrentRange = 100, SpeedRange = 200 };
        PwaLaw law = PwaSynthesis.PmsmCurrentMpc(motor, Period, options);
        PwaValidationReport report = PwaValidator.Validate(law);
        Assert.True(law.RegionCount > 9, $"{law.RegionCount} regions");
        Assert.True(report.LargestJump < 1e-6);
        double uMax = 300 / Math.Sqrt(6);
        double[] l = [motor.InductanceD, motor.InductanceQ];
        var rng = new Random(6);
        double[] lo = law.BoxMin(), hi = law.BoxMax();
        var theta = new double[6];
        var u = new double[2];
        for (int i = 0; i < 400; i++)
        {
            for (int j = 0; j < 6; j++) theta[j] = lo[j] + (hi[j] - lo[j]) * rng.NextDouble();
            Assert.True(law.Evaluate(theta, u, true, out _) >= 0);
            for (int axis = 0; axis < 2; axis++)
            {
                double a = Math.Exp(-motor.StatorResistance * Period / l[axis]);
                double b = (1 - a) / motor.StatorResistance;
                double x = theta[axis], r = theta[2 + axis], e = theta[4 + axis];
                double rho = b * b, uss = motor.StatorResistance * r + e;
                double Cost(double u0, double u1)
                {
                    double x1 = a * x + b * (u0 - e);
                    double x2 = a * x1 + b * (u1 - e);
                    return (x1 - r) * (x1 - r) + (x2 - r) * (x2 - r) + rho * ((u0 - uss) * (u0 - uss) + (u1 - uss) * (u1 - uss));
                }
                // Exact 1-D minimisation along each coordinate (the cost is quadratic in each), projected on the box.
                double v0 = 0, v1 = 0;
                for (int it = 0; it < 4000; it++)
                {
                    v0 = LineMin(t => Cost(t, v1), uMax);
                    v1 = LineMin(t => Cost(v0, t), uMax);
                }
                Assert.Equal(v0, u[axis], 4);
            }
        }
    }

    private static double LineMin(Func<double, double> f, double limit)
    {
        // Quadratic through three points gives the exact minimiser of a 1-D quadratic.
        double f0 = f(0), fp = f(1), fm = f(-1);
        double curvature = fp + fm - 2 * f0;
        double t = -(fp - fm) / (2 * curvature);
        return Math.Clamp(t, -limit, limit);
    }

    [Fact]
    public void MpcCurrentControllerTracksStepsOnAnExactDqModel()
    {
        // The loop on the dq model itself (RK4, constant speed): the twin's closed loop is in hil-tests.
        var motor = TestMotors.Pmsm;
        PwaLaw law = PwaSynthesis.PmsmCurrentMpc(motor, Period, new PmsmMpcOptions { DcLinkVoltage = 300, CurrentRange = 200, SpeedRange = 200 });
        law.BuildTree();
        var controller = new PwaController(law, motor, Period);
        double id = 0, iq = 0, omegaEl = 3 * 100.0, eps = 0;
        var cmd = new ConverterCommand();
        double maxErrAfterSettling = 0;
        for (int k = 0; k < 2000; k++)
        {
            double refQ = k < 1000 ? 50 : -80, refD = k < 1000 ? -20 : 0;
            var obs = new MotorObservation
            {
                CurrentD = id, CurrentQ = iq, ElectricalAngle = SpaceVector.WrapToPi(eps), ElectricalSpeed = omegaEl,
                MechanicalSpeed = 100, DcLinkVoltage = 300, Period = Period,
                Reference = new References { CurrentD = refD, CurrentQ = refQ },
            };
            cmd.SetSafe();
            controller.Compute(in obs, ref cmd);
            Assert.True(controller.Status is ControllerStatus.Ok or ControllerStatus.Saturated, $"tick {k}: {controller.Status}");
            Foc.SpaceVectorModulator.VoltageOf(cmd.Duty[0], cmd.Duty[1], cmd.Duty[2], 300, out double ua, out double ub);
            SpaceVector.Park(ua, ub, eps, out double ud, out double uq);
            // integrate over one period with the dq voltage fixed in the rotor frame at the start angle (as the law assumes)
            const int sub = 20;
            double h = Period / sub;
            for (int s = 0; s < sub; s++)
            {
                (double dd1, double dq1) = Deriv(motor, id, iq, ud, uq, omegaEl);
                (double dd2, double dq2) = Deriv(motor, id + 0.5 * h * dd1, iq + 0.5 * h * dq1, ud, uq, omegaEl);
                (double dd3, double dq3) = Deriv(motor, id + 0.5 * h * dd2, iq + 0.5 * h * dq2, ud, uq, omegaEl);
                (double dd4, double dq4) = Deriv(motor, id + h * dd3, iq + h * dq3, ud, uq, omegaEl);
                id += h / 6 * (dd1 + 2 * dd2 + 2 * dd3 + dd4);
                iq += h / 6 * (dq1 + 2 * dq2 + 2 * dq3 + dq4);
            }
            eps += omegaEl * Period;
            if (k % 1000 >= 30) maxErrAfterSettling = Math.Max(maxErrAfterSettling, Math.Max(Math.Abs(refD - id), Math.Abs(refQ - iq)));
        }
        Assert.True(maxErrAfterSettling < 0.5, $"steady error {maxErrAfterSettling} A");
    }

    private static (double, double) Deriv(Contracts.Machines.MotorParameters m, double id, double iq, double ud, double uq, double w) =>
        ((ud - m.StatorResistance * id + w * m.InductanceQ * iq) / m.InductanceD,
         (uq - m.StatorResistance * iq - w * m.InductanceD * id - w * m.PermanentMagnetFlux) / m.InductanceQ);
}

using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.Pwa;
using MotorRT.Sim.Testing;

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
        ForSamples(law, seed: 5, count: 5000, (theta, u) =>
        {
            for (int axis = 0; axis < 2; axis++)
            {
                Assert.Equal(OneStepMove(motor, axis, theta[axis], theta[2 + axis], theta[4 + axis]), u[axis], 9);
            }
        });
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
        ForSamples(law, seed: 7, count: 3000, (theta, u) =>
        {
            for (int axis = 0; axis < 2; axis++)
            {
                (double a, double b) = Axis(motor, axis);
                double e = theta[4 + axis];
                double x = a * theta[axis] + b * (theta[6 + axis] - e); // the current when the new move starts acting
                Assert.Equal(OneStepMove(motor, axis, x, theta[2 + axis], e), u[axis], 9);
            }
        });
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
        ForSamples(law, seed: 6, count: 400, (theta, u) =>
        {
            for (int axis = 0; axis < 2; axis++)
            {
                (double a, double b) = Axis(motor, axis);
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
                    v0 = LineMin(t => Cost(t, v1), VoltageLimit);
                    v1 = LineMin(t => Cost(v0, t), VoltageLimit);
                }
                Assert.Equal(v0, u[axis], 4);
            }
        });
    }

    /// <summary>Linear voltage limit of the 300 V B6 bridge, u_dc/√6, in V.</summary>
    private static readonly double VoltageLimit = 300 / Math.Sqrt(6);

    /// <summary>Evaluates the law at <paramref name="count"/> points drawn uniformly (seeded) from its box; hands each θ and its move to <paramref name="check"/>.</summary>
    private static void ForSamples(PwaLaw law, int seed, int count, Action<double[], double[]> check)
    {
        var rng = new Random(seed);
        double[] lo = law.BoxMin(), hi = law.BoxMax();
        var theta = new double[law.ParameterCount];
        var u = new double[law.OutputCount];
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < theta.Length; j++) theta[j] = lo[j] + (hi[j] - lo[j]) * rng.NextDouble();
            Assert.True(law.Evaluate(theta, u, true, out _) >= 0);
            check(theta, u);
        }
    }

    /// <summary>Exact zero-order-hold discretisation of one dq axis at the period: i⁺ = a·i + b·(u − e).</summary>
    private static (double A, double B) Axis(MotorParameters m, int axis)
    {
        double a = Math.Exp(-m.StatorResistance * Period / (axis == 0 ? m.InductanceD : m.InductanceQ));
        return (a, (1 - a) / m.StatorResistance);
    }

    /// <summary>
    /// The horizon-1 move in V: argmin_u q(a·x + b(u − e) − r)² + ρ(u − R·r − e)², ρ = b²q (a 1-D convex QP), clipped
    /// to the voltage limit.
    /// </summary>
    private static double OneStepMove(MotorParameters m, int axis, double x, double r, double e)
    {
        (double a, double b) = Axis(m, axis);
        double rho = b * b;
        double free = (b * (r - a * x + b * e) + rho * (m.StatorResistance * r + e)) / (b * b + rho);
        return Math.Clamp(free, -VoltageLimit, VoltageLimit);
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
    public void MpcCurrentControllerTracksStepsOnTheTwin()
    {
        // The twin of the same PMSM at a held 100 rad/s on 300 V, ideal sensors, no command delay (the u_dq of a step
        // is held in the rotor frame at the start angle, as the law assumes); the full suites are in hil-tests.
        var motor = TestMotors.Pmsm;
        PwaLaw law = PwaSynthesis.PmsmCurrentMpc(motor, Period, new PmsmMpcOptions { DcLinkVoltage = 300, CurrentRange = 200, SpeedRange = 200 });
        law.BuildTree();
        var plant = TwinPlant.ConstantSpeed(motor, 300, 100);
        var loop = new ClosedLoop(plant, new PwaController(law, motor, Period), delay: 0);
        ReferenceProfile profile = (long k, ref References r) =>
        {
            r.CurrentQ = k < 1000 ? 50 : -80;
            r.CurrentD = k < 1000 ? -20 : 0;
        };
        double maxErrAfterSettling = 0;
        for (int k = 0; k < 2000; k++)
        {
            loop.Tick(k, profile);
            loop.StepPlant();
            References r = loop.Observation.Reference;
            if (k % 1000 >= 30) maxErrAfterSettling = Math.Max(maxErrAfterSettling, Math.Max(Math.Abs(r.CurrentD - plant.ArmatureOrDCurrent), Math.Abs(r.CurrentQ - plant.QCurrent)));
        }
        Assert.True(loop.WorstStatus <= ControllerStatus.Saturated, $"worst status {loop.WorstStatus}");
        Assert.True(maxErrAfterSettling < 0.5, $"steady error {maxErrAfterSettling} A");
    }
}

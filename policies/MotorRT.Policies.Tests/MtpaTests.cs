using MotorRT.Contracts.Machines;
using MotorRT.Policies.Foc;

namespace MotorRT.Policies.Tests;

public class MtpaTests
{
    private static OperatingPoint For(MotorParameters m) => new()
    {
        PolePairs = m.PolePairs, Ld = m.InductanceD, Lq = m.InductanceQ, CurrentLimit = m.Limits.Current, Mtpa = true,
        FieldWeakening = true, VoltageMargin = 0.9,
    };

    /// <summary>Brute force: the smallest current magnitude producing torque T, by scanning the current angle.</summary>
    private static (double id, double iq, double mag) BruteForce(OperatingPoint op, double psi, double torque)
    {
        double best = double.MaxValue, bd = 0, bq = 0;
        for (int n = 1; n < 200000; n++)
        {
            double beta = Math.PI * n / 200000.0; // current angle from +d; id = i·cos β, iq = i·sin β
            double c = Math.Cos(beta), s = Math.Sin(beta);
            double k = 1.5 * op.PolePairs * (psi * s + (op.Ld - op.Lq) * c * s); // T = k1·i + k2·i²
            double k1 = 1.5 * op.PolePairs * psi * s, k2 = 1.5 * op.PolePairs * (op.Ld - op.Lq) * c * s;
            double i;
            if (Math.Abs(k2) < 1e-15) { if (k1 <= 0) continue; i = torque / k1; }
            else
            {
                double disc = k1 * k1 + 4 * k2 * torque;
                if (disc < 0) continue;
                double r1 = (-k1 + Math.Sqrt(disc)) / (2 * k2), r2 = (-k1 - Math.Sqrt(disc)) / (2 * k2);
                i = double.MaxValue;
                if (r1 > 0) i = Math.Min(i, r1);
                if (r2 > 0) i = Math.Min(i, r2);
                if (i == double.MaxValue) continue;
            }
            _ = k;
            if (i < best) { best = i; bd = i * c; bq = i * s; }
        }
        return (bd, bq, best);
    }

    [Theory]
    [InlineData(5.0)]
    [InlineData(50.0)]
    [InlineData(150.0)]
    public void Pmsm_MatchesBruteForceOptimum(double torque)
    {
        OperatingPoint op = For(TestMotors.Pmsm);
        op.MtpaPoint(torque, 0.066, out double id, out double iq);
        Assert.Equal(torque, op.Torque(id, iq, 0.066), 6);
        var (bd, bq, mag) = BruteForce(op, 0.066, torque);
        Assert.Equal(mag, Math.Sqrt(id * id + iq * iq), mag * 1e-4);
        Assert.Equal(bd, id, Math.Max(1e-2 * mag, 0.05));
        Assert.Equal(bq, iq, Math.Max(1e-2 * mag, 0.05));
        Assert.True(id < 0);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(10.0)]
    public void SynRm_Is45Degrees(double torque)
    {
        OperatingPoint op = For(TestMotors.SynRm);
        op.MtpaPoint(torque, 0.0, out double id, out double iq);
        Assert.Equal(torque, op.Torque(id, iq, 0.0), 9);
        Assert.Equal(id, iq, 9); // L_d > L_q: i_d = i_q > 0
        op.MtpaPoint(-torque, 0.0, out double id2, out double iq2);
        Assert.Equal(id, id2, 12);
        Assert.Equal(-iq, iq2, 12);
        var (_, _, mag) = BruteForce(op, 0.0, torque);
        Assert.Equal(mag, Math.Sqrt(id * id + iq * iq), mag * 1e-4);
    }

    [Fact]
    public void Eesm_ReluctanceAddsWithPositiveD()
    {
        OperatingPoint op = For(TestMotors.Eesm);
        double psi = 0.001589 * 100;
        op.MtpaPoint(100.0, psi, out double id, out double iq);
        Assert.True(id > 0);
        var (_, _, mag) = BruteForce(op, psi, 100.0);
        Assert.Equal(mag, Math.Sqrt(id * id + iq * iq), mag * 1e-4);
    }

    [Fact]
    public void CurrentCircle_AndMaxTorque()
    {
        OperatingPoint op = For(TestMotors.Pmsm);
        double tMax = op.MaxMtpaTorque(0.066);
        op.MtpaPoint(tMax, 0.066, out double id, out double iq);
        Assert.Equal(400.0, Math.Sqrt(id * id + iq * iq), 1e-6);
        Assert.True(op.Select(10 * tMax, 0.066, tMax, 0.0, 1e9, out double id2, out double iq2));
        Assert.Equal(400.0, Math.Sqrt(id2 * id2 + iq2 * iq2), 1e-6);
    }

    [Fact]
    public void FieldWeakening_StaysInsideVoltageEllipse()
    {
        OperatingPoint op = For(TestMotors.Pmsm);
        double tMax = op.MaxMtpaTorque(0.066);
        double uMax = 300 / Math.Sqrt(3);
        foreach (double omegaEl in new[] { 1000.0, 2000.0, 3000.0, 5000.0 })
        {
            op.Select(60.0, 0.066, tMax, omegaEl, uMax, out double id, out double iq);
            double flux = Math.Sqrt(Math.Pow(0.066 + 3.7e-4 * id, 2) + Math.Pow(1.2e-3 * iq, 2));
            Assert.True(flux * omegaEl <= 0.9 * uMax * (1 + 1e-9), $"ω_el {omegaEl}: |ψ|ω = {flux * omegaEl} V");
            Assert.True(id * id + iq * iq <= 400.0 * 400.0 * (1 + 1e-9));
        }
        // Below base speed nothing changes: the MTPA point is returned.
        op.Select(60.0, 0.066, tMax, 100.0, uMax, out double idLow, out double iqLow);
        op.MtpaPoint(60.0, 0.066, out double idM, out double iqM);
        Assert.Equal(idM, idLow, 12);
        Assert.Equal(iqM, iqLow, 12);
    }
}

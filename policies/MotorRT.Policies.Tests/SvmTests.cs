using MotorRT.Contracts;
using MotorRT.Policies.Foc;

namespace MotorRT.Policies.Tests;

public class SvmTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.4)]
    [InlineData(1.3)]
    [InlineData(2.9)]
    [InlineData(-2.0)]
    public void LinearRange_ReproducesVectorExactly(double angle)
    {
        const double udc = 400;
        foreach (double m in new[] { 0.1, 0.5, 0.99, 1.0 })
        {
            double r = m * udc / Math.Sqrt(3);
            double alpha = r * Math.Cos(angle), beta = r * Math.Sin(angle);
            Channels4 duty = default;
            double k = SpaceVectorModulator.Modulate(alpha, beta, udc, ref duty);
            Assert.Equal(1.0, k, 12);
            for (int i = 0; i < 3; i++) Assert.InRange(duty[i], -1.0 - 1e-12, 1.0 + 1e-12);
            SpaceVectorModulator.VoltageOf(duty[0], duty[1], duty[2], udc, out double a2, out double b2);
            Assert.Equal(alpha, a2, 9);
            Assert.Equal(beta, b2, 9);
            // Centred (min-max) zero sequence: the largest and smallest duties are symmetric about zero.
            double max = Math.Max(duty[0], Math.Max(duty[1], duty[2])), min = Math.Min(duty[0], Math.Min(duty[1], duty[2]));
            Assert.Equal(0.0, max + min, 12);
        }
    }

    [Fact]
    public void AtLinearLimit_DutySpreadIsFull()
    {
        Channels4 duty = default;
        double r = 400 / Math.Sqrt(3); // towards the middle of a hexagon edge (30°) the circle touches the hexagon
        SpaceVectorModulator.Modulate(r * Math.Cos(Math.PI / 6), r * Math.Sin(Math.PI / 6), 400, ref duty);
        double max = Math.Max(duty[0], Math.Max(duty[1], duty[2])), min = Math.Min(duty[0], Math.Min(duty[1], duty[2]));
        Assert.Equal(2.0, max - min, 12);
    }

    [Theory]
    [InlineData(0.0, 1.0)]           // towards a hexagon corner: 2/3·u_dc reachable exactly
    [InlineData(Math.PI / 6, 0.8)]   // towards an edge middle: only u_dc/√3
    [InlineData(0.3, 0.9)]
    public void OverModulation_KeepsAngleAndLandsOnHexagon(double angle, double magnitudePer23Udc)
    {
        const double udc = 300;
        double r = 1.2 * magnitudePer23Udc * 2.0 / 3.0 * udc; // beyond the hexagon
        Channels4 duty = default;
        double k = SpaceVectorModulator.Modulate(r * Math.Cos(angle), r * Math.Sin(angle), udc, ref duty);
        Assert.True(k < 1.0);
        SpaceVectorModulator.VoltageOf(duty[0], duty[1], duty[2], udc, out double a, out double b);
        Assert.Equal(angle, Math.Atan2(b, a), 9);
        // Hexagon boundary in direction θ (φ = angle from the nearest edge middle at 30° + n·60°): |u| = u_dc/(√3·cos φ).
        double phi = (angle - Math.PI / 6) - Math.Round((angle - Math.PI / 6) / (Math.PI / 3)) * Math.PI / 3;
        Assert.Equal(udc / (Math.Sqrt(3) * Math.Cos(phi)), Math.Sqrt(a * a + b * b), 9);
        double max = Math.Max(duty[0], Math.Max(duty[1], duty[2])), min = Math.Min(duty[0], Math.Min(duty[1], duty[2]));
        Assert.Equal(2.0, max - min, 9);
    }

    [Fact]
    public void GemConvention_PhaseVoltageIsDutyTimesHalfDcLink()
    {
        Channels4 duty = default;
        const double udc = 420;
        SpaceVectorModulator.Modulate(100, 0, udc, ref duty);
        // α = 100 V → a = 100 V, b = c = −50 V; min-max offset −25 V → d_a = 75/210, d_b = d_c = −75/210.
        Assert.Equal(75.0 / 210.0, duty[0], 12);
        Assert.Equal(-75.0 / 210.0, duty[1], 12);
        Assert.Equal(-75.0 / 210.0, duty[2], 12);
    }
}

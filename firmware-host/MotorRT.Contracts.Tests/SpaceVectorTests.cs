using MotorRT.Contracts;

namespace MotorRT.Contracts.Tests;

public class SpaceVectorTests
{
    [Theory]
    [InlineData(10.0, 0.3)]
    [InlineData(-4.0, 2.9)]
    [InlineData(7.5, -1.2)]
    public void BalancedSinusoid_MapsToConstantDq(double amplitude, double epsilon)
    {
        // A balanced set i_x = I·cos(ε − k·2π/3) is a pure d-axis current of amplitude I (amplitude invariance).
        double a = amplitude * Math.Cos(epsilon);
        double b = amplitude * Math.Cos(epsilon - 2 * Math.PI / 3);
        double c = amplitude * Math.Cos(epsilon + 2 * Math.PI / 3);
        SpaceVector.AbcToDq(a, b, c, epsilon, out double d, out double q);
        Assert.Equal(amplitude, d, 12);
        Assert.Equal(0.0, q, 12);
    }

    [Fact]
    public void DqToAbc_RoundTrips()
    {
        SpaceVector.DqToAbc(3.0, -2.0, 1.1, out double a, out double b, out double c);
        Assert.Equal(0.0, a + b + c, 12);
        SpaceVector.AbcToDq(a, b, c, 1.1, out double d, out double q);
        Assert.Equal(3.0, d, 12);
        Assert.Equal(-2.0, q, 12);
    }

    [Fact]
    public void PowerInvariance_ThreeHalvesFactor()
    {
        // With the amplitude-invariant transform, p = u_a·i_a + u_b·i_b + u_c·i_c = 1.5·(u_d·i_d + u_q·i_q).
        SpaceVector.DqToAbc(12.0, 30.0, 0.7, out double ua, out double ub, out double uc);
        SpaceVector.DqToAbc(-5.0, 8.0, 0.7, out double ia, out double ib, out double ic);
        double pAbc = ua * ia + ub * ib + uc * ic;
        double pDq = 1.5 * (12.0 * -5.0 + 30.0 * 8.0);
        Assert.Equal(pDq, pAbc, 9);
    }

    [Fact]
    public void TwoPhaseClarke_MatchesThreePhaseWhenBalanced()
    {
        SpaceVector.Clarke(4.0, -1.0, -3.0, out double alpha3, out double beta3);
        SpaceVector.ClarkeTwoPhase(4.0, -1.0, out double alpha2, out double beta2);
        Assert.Equal(alpha3, alpha2, 12);
        Assert.Equal(beta3, beta2, 12);
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(Math.PI, -Math.PI)]
    [InlineData(-Math.PI, -Math.PI)]
    [InlineData(3 * Math.PI + 0.5, -Math.PI + 0.5)]
    [InlineData(-7.0, -7.0 + 2 * Math.PI)]
    public void WrapToPi_LandsInHalfOpenInterval(double angle, double expected)
    {
        double wrapped = SpaceVector.WrapToPi(angle);
        Assert.InRange(wrapped, -Math.PI, Math.PI - 1e-15);
        Assert.Equal(expected, wrapped, 12);
    }

    [Fact]
    public void SafeCommand_IsZeroVoltsBridgeOff()
    {
        var cmd = new ConverterCommand { BridgeEnable = true, Mode = CommandMode.SwitchingState, SwitchingState = 5 };
        cmd.Duty[0] = 0.4;
        cmd.Duty[3] = -0.2;
        cmd.SetSafe();
        Assert.False(cmd.BridgeEnable);
        Assert.Equal(CommandMode.DutyCycle, cmd.Mode);
        for (int i = 0; i < Channels4.Length; i++) Assert.Equal(0.0, cmd.Duty[i]);
    }
}

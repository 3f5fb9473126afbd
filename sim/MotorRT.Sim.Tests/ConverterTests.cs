using MotorRT.Sim.Converters;
using MotorRT.Sim.Solvers;
using MotorRT.Sim.Spec;

namespace MotorRT.Sim.Tests;

/// <summary>Truth tables of GEM's converters (normalised output voltage for an action and current sign).</summary>
public sealed class ConverterTests
{
    private static double[] Convert(PowerConverter c, params double[] currents)
    {
        Vec6 i = default, u = default;
        for (int k = 0; k < currents.Length; k++) i[k] = currents[k];
        c.Convert(in i, ref u);
        var r = new double[c.ChannelCount];
        for (int k = 0; k < r.Length; k++) r[k] = u[k];
        return r;
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++) Assert.Equal(expected[k], actual[k], 1e-12);
    }

    private static PowerConverter Make(ConverterKind kind, double til = 0, params ConverterKind[] subs) =>
        new(new ConverterSpec { Kind = kind, InterlockingTime = til, SubConverters = subs }, 1e-4);

    [Theory]
    [InlineData(0.5, 10, 0.5)]
    [InlineData(-0.3, 10, -0.3)]
    [InlineData(1.7, -5, 1.0)]
    [InlineData(-2.0, 5, -1.0)]
    public void Cont4QC_is_duty_times_supply_and_clipped(double a, double i, double u)
    {
        var c = Make(ConverterKind.ContFourQuadrant);
        c.SetDuties([a]);
        Assert.Equal(u, Convert(c, i)[0], 12);
    }

    [Fact]
    public void Cont4QC_interlocking_cancels_inside_and_shows_at_full_duty()
    {
        var c = Make(ConverterKind.ContFourQuadrant, til: 1e-5); // t_il/τ = 0.1
        c.SetDuties([0.5]);
        Assert.Equal(0.5, Convert(c, 10)[0], 12);
        c.SetDuties([1.0]);
        Assert.Equal(0.9, Convert(c, 10)[0], 12);   // upper leg 1 − 0.1, lower leg clipped at 0
        Assert.Equal(0.9, Convert(c, -10)[0], 12);  // GEM feeds both legs +i: upper clip(1.1) = 1, lower 0 + 0.1
    }

    [Fact]
    public void Cont1QC_and_2QC_depend_on_current_sign()
    {
        var one = Make(ConverterKind.ContOneQuadrant);
        one.SetDuties([0.3]);
        Assert.Equal(0.3, Convert(one, 1)[0], 12);
        Assert.Equal(1.0, Convert(one, -1)[0], 12);
        var two = Make(ConverterKind.ContTwoQuadrant, til: 2e-5);
        two.SetDuties([0.5]);
        Assert.Equal(0.3, Convert(two, 1)[0], 12);
        Assert.Equal(0.7, Convert(two, -1)[0], 12);
        Assert.Equal(0.5, Convert(two, 0)[0], 12);
    }

    [Fact]
    public void ContB6_phase_voltage_is_half_duty()
    {
        var c = Make(ConverterKind.ContB6Bridge);
        c.SetDuties([0.2, -0.4, 1.0]);
        AssertClose([0.1, -0.2, 0.5], Convert(c, 1, -1, 0));
    }

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(1, 1.0)]
    [InlineData(2, -1.0)]
    [InlineData(3, 0.0)]
    public void Finite4QC_states(int s, double u)
    {
        var c = Make(ConverterKind.FiniteFourQuadrant);
        c.SetSwitching([s]);
        Assert.Equal(u, Convert(c, 3)[0], 12);
        Assert.Equal(u, Convert(c, -3)[0], 12);
    }

    [Fact]
    public void FiniteB6_state_bits_are_phases_abc()
    {
        var c = Make(ConverterKind.FiniteB6Bridge);
        for (int s = 0; s < 8; s++)
        {
            c.SetSwitching([s]);
            double[] u = Convert(c, 1, 1, 1);
            Assert.Equal((s & 4) != 0 ? 0.5 : -0.5, u[0]);
            Assert.Equal((s & 2) != 0 ? 0.5 : -0.5, u[1]);
            Assert.Equal((s & 1) != 0 ? 0.5 : -0.5, u[2]);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => c.SetSwitching([8]));
    }

    [Fact]
    public void Finite2QC_and_1QC_free_wheel_by_current_sign()
    {
        var two = Make(ConverterKind.FiniteTwoQuadrant);
        two.SetSwitching([0]);
        Assert.Equal(0.0, Convert(two, 1)[0]);
        Assert.Equal(1.0, Convert(two, -1)[0]);
        two.SetSwitching([1]);
        Assert.Equal(1.0, Convert(two, 1)[0]);
        two.SetSwitching([2]);
        Assert.Equal(0.0, Convert(two, -1)[0]);
        var one = Make(ConverterKind.FiniteOneQuadrant);
        one.SetSwitching([0]);
        Assert.Equal(0.0, Convert(one, 1)[0]);
        Assert.Equal(1.0, Convert(one, -1)[0]);
    }

    [Fact]
    public void Finite_interlocking_follows_gem_pattern()
    {
        var c = Make(ConverterKind.FiniteTwoQuadrant, til: 1e-6);
        Assert.False(c.SetSwitching([1]));       // from state 0: no interlocking
        Assert.True(c.SetSwitching([2]));        // 1 → 2: GEM splits the step and keeps the leg open (state 0)
        Assert.Equal(1.0, Convert(c, -1)[0]);    // open leg: negative current flows through the upper diode
        Assert.False(c.SetSwitching([2]));       // from state 0 the new state applies at once
        Assert.Equal(0.0, Convert(c, -1)[0]);
    }

    [Fact]
    public void Multi_converter_concatenates_channels_and_checks_families()
    {
        var c = Make(ConverterKind.ContMulti, 0, ConverterKind.ContB6Bridge, ConverterKind.ContFourQuadrant);
        Assert.Equal(4, c.ChannelCount);
        c.SetDuties([0.2, 0.4, -0.6, 0.5]);
        AssertClose([0.1, 0.2, -0.3, 0.5], Convert(c, 1, 1, 1, 1));
        Assert.Throws<ArgumentException>(() => Make(ConverterKind.ContMulti, 0, ConverterKind.ContB6Bridge, ConverterKind.FiniteFourQuadrant));
    }

    [Fact]
    public void Supply_current_of_4QC_is_duty_times_current()
    {
        var c = Make(ConverterKind.ContFourQuadrant);
        c.SetDuties([0.6]);
        Vec6 i = default;
        i[0] = 10;
        Assert.Equal(6.0, c.SupplyCurrent(in i), 12);
    }
}

using MotorRT.Contracts.Sensors;
using MotorRT.Sim.Sensors;

namespace MotorRT.Sim.Tests;

public class SensorsEncoderTests
{
    private const double TwoPi = 2 * Math.PI;

    private static EncoderModel Enc(int lines = 1024, int dir = 1, bool index = true) =>
        new(new EncoderSpec { LinesPerRevolution = lines, Direction = dir, HasIndex = index });

    [Fact]
    public void Counts_four_per_line_from_the_unwrapped_angle()
    {
        var e = Enc();
        Assert.Equal(4096, e.CountsPerRevolution);
        e.Update(0.0);
        Assert.Equal(0, e.Count);
        e.Update(TwoPi * 10.5 / 4096);
        Assert.Equal(10, e.Count);
        e.Update(TwoPi * 3.25);            // 3¼ revolutions, unwrapped
        Assert.Equal(3 * 4096 + 1024, e.Count);
        e.Update(-TwoPi * 0.1 / 4096);     // just below zero → −1 (floor)
        Assert.Equal(-1, e.Count);
    }

    [Fact]
    public void Direction_minus_one_reverses_counts()
    {
        var e = Enc(dir: -1);
        e.Update(0);
        e.Update(TwoPi * 100.5 / 4096);
        Assert.Equal(-101, e.Count);
    }

    [Fact]
    public void Index_pulses_once_per_revolution_both_directions_and_latches()
    {
        var e = Enc(lines: 100); // 400 counts / rev
        e.Update(TwoPi * 0.5 / 400);
        Assert.Equal(0, e.IndexPulses); // starting on the index count does not count
        double step = TwoPi / 400 * 7.3; // not commensurate with a revolution
        double theta = 0.5 * TwoPi / 400;
        for (int k = 0; k < 200; k++) { theta += step; e.Update(theta); }
        int revs = (int)Math.Floor(theta / TwoPi);
        Assert.Equal(revs, e.IndexPulses);
        Assert.Equal(revs * 400L, e.CountAtIndex);
        // backwards through two index positions: 400·revs and 400·(revs−1), both entered from above
        int before = e.IndexPulses;
        while (theta >= (revs - 1) * TwoPi - 0.5 * TwoPi / 400)
        {
            theta -= step;
            e.Update(theta);
        }
        Assert.Equal(before + 2, e.IndexPulses);
        Assert.Equal((revs - 1) * 400L, e.CountAtIndex);
    }

    [Fact]
    public void Index_enters_from_below_and_above_exactly_once()
    {
        var e = Enc(lines: 1); // 4 counts / rev
        double q = TwoPi / 4;
        e.Update(-0.5 * q);       // count −1
        e.Update(0.5 * q);        // enters 0 from below
        Assert.Equal(1, e.IndexPulses);
        e.Update(1.5 * q);        // count 1: leaves
        e.Update(0.5 * q);        // back to 0 from above: enters again
        Assert.Equal(2, e.IndexPulses);
        e.Update(0.6 * q);        // stays on 0
        Assert.Equal(2, e.IndexPulses);
        e.Update(-0.5 * q);       // leaves downwards: no pulse
        Assert.Equal(2, e.IndexPulses);
        Assert.Equal(0, e.CountAtIndex);
    }

    [Fact]
    public void No_index_channel_means_no_pulses()
    {
        var e = Enc(index: false);
        for (int k = 0; k < 100; k++) e.Update(k * 0.7);
        Assert.Equal(0, e.IndexPulses);
    }

    /// <summary>A 100-line encoder (400 counts per revolution) turned from 0 to 10.5 counts; <paramref name="count"/> is one count, in rad.</summary>
    private static EncoderModel At10Counts(out double count)
    {
        EncoderModel e = Enc(lines: 100);
        count = TwoPi / 400;
        e.Update(0);
        e.Update(10.5 * count);
        return e;
    }

    [Fact]
    public void Disconnect_freezes_and_loses_the_movement_meanwhile()
    {
        EncoderModel e = At10Counts(out double c);
        Assert.Equal(10, e.Count);
        e.Disconnected = true;
        e.Update(50.5 * c);
        e.Update(900.5 * c);           // passes index positions: not seen
        Assert.Equal(10, e.Count);
        Assert.Equal(0, e.IndexPulses);
        e.Disconnected = false;
        e.Update(905.5 * c);
        Assert.Equal(15, e.Count);     // resumes from where it froze
    }

    [Fact]
    public void Glitch_offsets_count_and_index_latch()
    {
        EncoderModel e = At10Counts(out double c);
        e.InjectGlitch(3);
        e.Update(11.5 * c);
        Assert.Equal(14, e.Count);
        e.Update(401.5 * c);
        Assert.Equal(1, e.IndexPulses);
        Assert.Equal(403, e.CountAtIndex); // the decoder latches its (wrong) count at the physical index
    }
}

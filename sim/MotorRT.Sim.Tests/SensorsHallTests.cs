using MotorRT.Sim.Sensors;

namespace MotorRT.Sim.Tests;

public class SensorsHallTests
{
    [Fact]
    public void Walks_the_six_state_sequence_with_one_bit_change_per_sector()
    {
        int[] expected = [0b101, 0b100, 0b110, 0b010, 0b011, 0b001];
        for (int s = 0; s < 12; s++)
        {
            double e = (s + 0.5) * Math.PI / 3 - 2 * Math.PI; // also negative angles
            Assert.Equal(expected[s % 6], HallSensorModel.State(e));
        }
        for (int s = 0; s < 6; s++)
        {
            int diff = expected[s] ^ expected[(s + 1) % 6];
            Assert.Equal(1, System.Numerics.BitOperations.PopCount((uint)diff));
        }
    }

    [Fact]
    public void Ha_is_high_for_the_positive_half_of_phase_a()
    {
        for (double e = -Math.PI; e < Math.PI; e += 0.01)
        {
            bool ha = (HallSensorModel.State(e) & 0b100) != 0;
            Assert.Equal(Math.Sin(e) > 0 || e == 0, ha);
        }
    }
}

namespace MotorRT.Sim.Sensors;

/// <summary>
/// Three digital Hall sensors 120° electrical apart, aligned with the phase axes: H_A is high for ε ∈ [0, π),
/// H_B for ε ∈ [2π/3, 5π/3), H_C for ε ∈ [4π/3, 2π) ∪ [0, π/3) (ε the electrical angle, GEM convention).
/// The state is packed as H_A = bit 2, H_B = bit 1, H_C = bit 0 (the <c>RawSensorFrame.HallState</c> layout),
/// so it walks 5 (101), 4 (100), 6 (110), 2 (010), 3 (011), 1 (001) over one electrical revolution.
/// </summary>
public static class HallSensorModel
{
    /// <summary>The three-bit Hall state for an electrical angle in rad (any range).</summary>
    public static int State(double electricalAngle)
    {
        double e = electricalAngle % (2.0 * Math.PI);
        if (e < 0)
        {
            e += 2.0 * Math.PI;
        }
        int sector = (int)(e * (3.0 / Math.PI)); // 60° sectors 0..5
        if (sector > 5)
        {
            sector = 5;
        }
        return sector switch
        {
            0 => 0b101,
            1 => 0b100,
            2 => 0b110,
            3 => 0b010,
            4 => 0b011,
            _ => 0b001,
        };
    }
}

namespace MotorRT.Sim.Sensors;

/// <summary>
/// A deterministic, allocation-free Gaussian noise source: SplitMix64 for uniform bits, Box–Muller for the normal
/// deviate. Same seed → same sequence on every machine (only IEEE double arithmetic, no platform RNG).
/// </summary>
public struct SeededNoise
{
    private ulong _state;
    private double _spare;
    private bool _hasSpare;

    /// <summary>Creates a source for <paramref name="seed"/> and a per-channel <paramref name="stream"/> number,
    /// so that channels sharing one scenario seed get independent sequences.</summary>
    public SeededNoise(int seed, int stream)
    {
        _state = Mix(((ulong)(uint)seed << 32) ^ (ulong)(uint)stream ^ 0x9E3779B97F4A7C15UL);
        _spare = 0;
        _hasSpare = false;
    }

    /// <summary>A uniform deviate in (0, 1] (dimensionless).</summary>
    public double NextUniform()
    {
        _state += 0x9E3779B97F4A7C15UL;
        ulong z = Mix(_state);
        // 53 random bits, shifted away from zero so the logarithm in Box–Muller is finite.
        return ((z >> 11) + 1) * (1.0 / 9007199254740992.0);
    }

    /// <summary>A standard normal deviate (mean 0, standard deviation 1, dimensionless).</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }
        double u1 = NextUniform();
        double u2 = NextUniform();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        double phi = 2.0 * Math.PI * u2;
        _spare = r * Math.Sin(phi);
        _hasSpare = true;
        return r * Math.Cos(phi);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

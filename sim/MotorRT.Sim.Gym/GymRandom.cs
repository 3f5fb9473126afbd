using MotorRT.Sim.Noise;

namespace MotorRT.Sim.Gym;

/// <summary>
/// The seeded random stream of an environment component (the sim's xoshiro256** generator). It does not reproduce
/// numpy's streams — GEM rollouts are matched by replaying their references — but a seed gives the same episode on
/// every run and .NET version. Allocation-free.
/// </summary>
public struct GymRandom
{
    private GaussianNoise _g;

    /// <summary>Seeds the stream.</summary>
    public GymRandom(ulong seed) => _g = new GaussianNoise(seed);

    /// <summary>The seed of child stream <paramref name="index"/> of <paramref name="seed"/> (like numpy's SeedSequence.spawn, different numbers).</summary>
    public static ulong Derive(ulong seed, int index)
    {
        ulong z = seed ^ (0x9E3779B97F4A7C15UL * (ulong)(index + 1));
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextUniform() => (_g.NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

    /// <summary>Uniform in [<paramref name="low"/>, <paramref name="high"/>), as GEM draws its ranges: (high − low)·U + low.</summary>
    public double Uniform(double low, double high) => (high - low) * NextUniform() + low;

    /// <summary>Normal sample with mean 0 and standard deviation <paramref name="sigma"/>.</summary>
    public double Normal(double sigma) => sigma * _g.NextGaussian();

    /// <summary>Triangular distribution on [<paramref name="left"/>, <paramref name="right"/>] with its mode (numpy's inverse CDF).</summary>
    public double Triangular(double left, double mode, double right)
    {
        double u = NextUniform(), width = right - left, leftBase = mode - left, ratio = leftBase / width;
        return u <= ratio ? left + Math.Sqrt(u * leftBase * width) : right - Math.Sqrt((1.0 - u) * (right - mode) * width);
    }

    /// <summary>Integer in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public int Integer(int low, int high) => low + (int)Math.Floor(NextUniform() * (high - low));
}

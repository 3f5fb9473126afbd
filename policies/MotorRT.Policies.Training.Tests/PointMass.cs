using MotorRT.Policies.Training.Export;
using MotorRT.Policies.Training.Rl;

namespace MotorRT.Policies.Training.Tests;

/// <summary>A 1-D point mass to steer onto a random target: x ← x + 0.2·u, reward −(x − target)², 50 steps.</summary>
internal sealed class PointMass : IRlEnvironment
{
    private SplitMix64 _rng = new(1);
    private double _x, _target;
    private int _k;

    public int ObservationSize => 2;

    public int ActionSize => 1;

    public void Reset(ulong? seed, Span<float> observation)
    {
        if (seed is { } s) _rng = new SplitMix64(s);
        _x = 2 * _rng.NextDouble() - 1;
        _target = 2 * _rng.NextDouble() - 1;
        _k = 0;
        Observe(observation);
    }

    public RlStep Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        _x = Math.Clamp(_x + 0.2 * Math.Clamp(action[0], -1f, 1f), -2, 2);
        _k++;
        Observe(observation);
        double e = _x - _target;
        return new RlStep(-e * e, false, _k >= 50);
    }

    private void Observe(Span<float> o)
    {
        o[0] = (float)_x;
        o[1] = (float)_target;
    }
}

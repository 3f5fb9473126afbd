using System.Runtime.CompilerServices;
using MotorRT.Sim.Spec;

namespace MotorRT.Sim.Loads;

/// <summary>A mechanical load: the speed derivative given the motor torque. Structs, so plants specialise per load.</summary>
public interface ILoadModel
{
    /// <summary>True when the load imposes the speed (constant or external speed) instead of reacting to torque.</summary>
    bool ImposesSpeed { get; }

    /// <summary>Speed at reset, in rad/s.</summary>
    double InitialSpeed { get; }

    /// <summary>dω/dt in rad/s² at time t (s), speed ω (rad/s), motor torque (N·m); the load torque is multiplied by <paramref name="loadScale"/>.</summary>
    double Derivative(double t, double omega, double torque, double loadScale);
}

/// <summary>GEM's PolynomialStaticLoad, see <see cref="PolynomialLoadSpec"/>.</summary>
public readonly struct PolynomialLoad : ILoadModel
{
    /// <summary>GEM's τ_d of the ramp around standstill, in s.</summary>
    public const double DecayTime = 1e-3;

    private readonly double _a, _b, _c, _invJ, _omegaLim, _linear;

    /// <summary>Builds the load for a total inertia <paramref name="jTotal"/> (kg·m²) = rotor + load.</summary>
    public PolynomialLoad(PolynomialLoadSpec spec, double jTotal)
    {
        _a = spec.A; _b = spec.B; _c = spec.C; _invJ = 1.0 / jTotal;
        _omegaLim = spec.A / jTotal * DecayTime;
        _linear = jTotal / DecayTime;
    }

    /// <inheritdoc/>
    public bool ImposesSpeed => false;
    /// <inheritdoc/>
    public double InitialSpeed => 0;

    /// <summary>The static load torque T_L(ω) in N·m (GEM's ramp below ω_lim).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double LoadTorque(double omega)
    {
        double sign = omega > 0 ? 1 : omega < 0 ? -1 : 0;
        double a = Math.Abs(omega) > _omegaLim ? sign * _a : _linear * omega;
        return sign * _c * omega * omega + _b * omega + a;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Derivative(double t, double omega, double torque, double loadScale) =>
        (torque - loadScale * LoadTorque(omega)) * _invJ;
}

/// <summary>GEM's ConstantSpeedLoad: dω/dt = 0, ω held at its reset value.</summary>
public readonly struct ConstantSpeedLoad : ILoadModel
{
    private readonly double _omega;

    /// <summary>Holds <paramref name="omega"/> (rad/s).</summary>
    public ConstantSpeedLoad(double omega) => _omega = omega;

    /// <inheritdoc/>
    public bool ImposesSpeed => true;
    /// <inheritdoc/>
    public double InitialSpeed => _omega;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Derivative(double t, double omega, double torque, double loadScale) => 0.0;
}

/// <summary>GEM's ExternalSpeedLoad over a piecewise-linear profile, see <see cref="ExternalSpeedLoadSpec"/>.</summary>
public readonly struct ExternalSpeedLoad : ILoadModel
{
    private readonly double[] _times, _speeds;
    private readonly double _lag;

    /// <summary>Builds the load; the arrays are copied.</summary>
    public ExternalSpeedLoad(ExternalSpeedLoadSpec spec)
    {
        if (spec.Times.Length == 0 || spec.Times.Length != spec.Speeds.Length)
            throw new ArgumentException("external speed profile: times and speeds must be non-empty and of equal length", nameof(spec));
        for (int i = 1; i < spec.Times.Length; i++)
            if (!(spec.Times[i] > spec.Times[i - 1]))
                throw new ArgumentException("external speed profile: times must be strictly increasing", nameof(spec));
        if (!(spec.LagTime > 0)) throw new ArgumentException("external speed profile: lag time must be > 0 s", nameof(spec));
        _times = (double[])spec.Times.Clone();
        _speeds = (double[])spec.Speeds.Clone();
        _lag = spec.LagTime;
    }

    /// <inheritdoc/>
    public bool ImposesSpeed => true;
    /// <inheritdoc/>
    public double InitialSpeed => Profile(0);

    /// <summary>The profile speed at time t (s), in rad/s; linear between samples, held outside.</summary>
    public double Profile(double t)
    {
        double[] ts = _times;
        if (t <= ts[0]) return _speeds[0];
        int last = ts.Length - 1;
        if (t >= ts[last]) return _speeds[last];
        int lo = 0, hi = last;
        while (hi - lo > 1)
        {
            int mid = (lo + hi) >> 1;
            if (ts[mid] <= t) lo = mid; else hi = mid;
        }
        double f = (t - ts[lo]) / (ts[hi] - ts[lo]);
        return _speeds[lo] + f * (_speeds[hi] - _speeds[lo]);
    }

    /// <inheritdoc/>
    public double Derivative(double t, double omega, double torque, double loadScale) => (Profile(t + _lag) - omega) / _lag;
}

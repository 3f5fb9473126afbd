namespace MotorRT.Policies.PI;

/// <summary>
/// First-order reference prefilter 1/(1 + s·T), discretised exactly for a held input:
/// <c>y_k = y_(k−1) + (1 − e^(−T_s/T))·(r_k − y_(k−1))</c>. Unit passes through (rad/s in, rad/s out).
/// </summary>
public struct ReferenceFilter
{
    private double _value;
    private bool _initialized;

    /// <summary>Creates the filter for time constant <paramref name="timeConstant"/> (s) at period <paramref name="period"/> (s); T = 0 passes through.</summary>
    public ReferenceFilter(double timeConstant, double period)
    {
        Coefficient = timeConstant > 0 ? 1.0 - Math.Exp(-period / timeConstant) : 1.0;
    }

    /// <summary>The factor 1 − e^(−T_s/T) (dimensionless, 1 = no filtering).</summary>
    public double Coefficient { get; }

    /// <summary>Filtered value after the last <see cref="Update"/>.</summary>
    public readonly double Value => _value;

    /// <summary>Forgets the state; the next <see cref="Update"/> starts at its own input (no step), unless <see cref="Preset"/> is called first.</summary>
    public void Reset()
    {
        _value = 0.0;
        _initialized = false;
    }

    /// <summary>Sets the state (bumpless enable: start the filtered reference at the measured value).</summary>
    public void Preset(double value)
    {
        _value = value;
        _initialized = true;
    }

    /// <summary>Advances one period with input <paramref name="reference"/>; returns the filtered reference.</summary>
    public double Update(double reference)
    {
        if (!_initialized)
        {
            _value = reference;
            _initialized = true;
            return _value;
        }
        _value += Coefficient * (reference - _value);
        return _value;
    }
}

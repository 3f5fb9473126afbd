using MotorRT.Contracts.Configuration;

namespace MotorRT.Policies.PI;

/// <summary>A pair of PI gains as given in a config file (overrides of the automatic tuning).</summary>
/// <param name="Kp">Proportional gain (output unit per input unit).</param>
/// <param name="Ki">Integral gain (output unit per input unit and second).</param>
public sealed record PIGains(double Kp, double Ki)
{
    /// <summary>Reads an optional <c>{"kp": ..., "ki": ...}</c> object; null when absent. Strict: unknown keys fail.</summary>
    public static PIGains? Read(JsonSection parent, string key, string unit)
    {
        JsonSection? s = parent.OptionalSection(key);
        if (s is null)
        {
            return null;
        }
        double kp = s.Number("kp", 0.0, 1e9, unit);
        double ki = s.Number("ki", 0.0, 1e12, unit + "/s");
        s.EnsureNoUnknownKeys();
        return new PIGains(kp, ki);
    }
}

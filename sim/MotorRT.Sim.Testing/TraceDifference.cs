namespace MotorRT.Sim.Testing;

/// <summary>How far one recorded trace is from another sampled at the same tick times (keys: tick time in µs).</summary>
public static class TraceDifference
{
    /// <summary>
    /// Largest and RMS |run − reference| over the samples of <paramref name="run"/>, in the traces' unit, and the sample
    /// count; a time of <paramref name="run"/> that <paramref name="reference"/> lacks throws, naming the time.
    /// </summary>
    public static (double Max, double Rms, int N) Of(IReadOnlyDictionary<long, double> run, IReadOnlyDictionary<long, double> reference)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(reference);
        double sum = 0, max = 0;
        int n = 0;
        foreach ((long t, double w) in run)
        {
            if (!reference.TryGetValue(t, out double r)) throw new InvalidOperationException($"t = {t} µs missing in the reference trace");
            double d = Math.Abs(w - r);
            sum += d * d;
            max = Math.Max(max, d);
            n++;
        }
        return (max, Math.Sqrt(sum / n), n);
    }
}

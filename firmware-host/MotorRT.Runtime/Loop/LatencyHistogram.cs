using System.Numerics;

namespace MotorRT.Runtime.Loop;

/// <summary>
/// A pre-allocated log-linear histogram of non-negative integer durations (ns): exact below 128 ns, then 64
/// sub-buckets per power of two (relative resolution ≤ 1.6 %), up to 2⁴⁰ ns. Recording is O(1) and allocation-free;
/// the exact maximum, minimum and sum are kept beside the buckets.
/// </summary>
public sealed class LatencyHistogram
{
    private const int Linear = 128;
    private const int SubBuckets = 64;
    private const int MaxShift = 34;
    private readonly long[] _counts = new long[Linear + MaxShift * SubBuckets];

    /// <summary>Number of values recorded.</summary>
    public long Count { get; private set; }

    /// <summary>Largest value recorded, in ns.</summary>
    public long Max { get; private set; }

    /// <summary>Sum of the values, in ns.</summary>
    public double Sum { get; private set; }

    /// <summary>Records one value in ns (negative values count as 0).</summary>
    public void Record(long value)
    {
        if (value < 0) value = 0;
        _counts[Index(value)]++;
        Count++;
        Sum += value;
        if (value > Max) Max = value;
    }

    /// <summary>Forgets everything.</summary>
    public void Clear()
    {
        Array.Clear(_counts);
        Count = 0;
        Max = 0;
        Sum = 0;
    }

    /// <summary>The value below which a fraction <paramref name="q"/> (0…1) of the records lie, in ns (bucket midpoint; exact max for q = 1).</summary>
    public double Percentile(double q)
    {
        if (Count == 0) return 0;
        if (q >= 1.0) return Max;
        long rank = (long)Math.Ceiling(q * Count);
        if (rank < 1) rank = 1;
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return Math.Min(Midpoint(i), Max);
        }
        return Max;
    }

    /// <summary>Mean of the recorded values, in ns.</summary>
    public double Mean => Count == 0 ? 0 : Sum / Count;

    private static int Index(long v)
    {
        if (v < Linear) return (int)v;
        int msb = 63 - BitOperations.LeadingZeroCount((ulong)v);
        int shift = msb - 6;
        if (shift > MaxShift) return Linear + MaxShift * SubBuckets - 1;
        return Linear + (shift - 1) * SubBuckets + (int)((v >> shift) - SubBuckets);
    }

    private static double Midpoint(int i)
    {
        if (i < Linear) return i;
        int shift = (i - Linear) / SubBuckets + 1;
        long sub = (i - Linear) % SubBuckets + SubBuckets;
        long lo = sub << shift;
        return lo + ((1L << shift) - 1) / 2.0;
    }
}

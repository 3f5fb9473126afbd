namespace MotorRT.Runtime.Loop;

/// <summary>Tracking error of one controlled quantity (reference − measurement), accumulated per Running tick.</summary>
public struct TrackingStatistics
{
    private double _sumSquares;

    /// <summary>Samples accumulated.</summary>
    public long Count;

    /// <summary>Largest |error| seen, in the unit of the quantity.</summary>
    public double MaxAbs;

    /// <summary>Adds one error sample.</summary>
    public void Add(double error)
    {
        _sumSquares += error * error;
        Count++;
        double a = Math.Abs(error);
        if (a > MaxAbs || double.IsNaN(a)) MaxAbs = a;
    }

    /// <summary>Root-mean-square error, in the unit of the quantity.</summary>
    public readonly double Rmse => Count == 0 ? 0 : Math.Sqrt(_sumSquares / Count);
}

using System.Globalization;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Runtime.References;

/// <summary>
/// A reference signal r(t) in the unit of the quantity it drives (A, rad/s, N·m). Evaluated once per tick on the
/// real-time path: <see cref="At"/> never allocates. Built once from config by <see cref="ProfileSection.Build"/>.
/// </summary>
public abstract class ReferenceProfile
{
    /// <summary>The value at loop time <paramref name="time"/> (s since Running began).</summary>
    public abstract double At(double time);

    /// <summary>Largest |r(t)| the profile can produce (for range checks against the machine limits).</summary>
    public abstract double MaxAbs { get; }
}

/// <summary>Piecewise-constant reference: value[i] from times[i] on (value[0] before times[0]).</summary>
public sealed class StepsProfile : ReferenceProfile
{
    private readonly double[] _times;
    private readonly double[] _values;
    private int _cursor;

    /// <summary>Creates the staircase; <paramref name="times"/> in s, strictly increasing.</summary>
    public StepsProfile(double[] times, double[] values)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(values);
        if (times.Length != values.Length || times.Length == 0) throw new ArgumentException("times and values must have the same, non-zero length");
        _times = times;
        _values = values;
    }

    /// <inheritdoc />
    public override double At(double time)
    {
        // A cursor, not a scan: loop time advances by one period per tick, so the step index moves by 0 or 1 (O(1)).
        int i = _cursor;
        while (i + 1 < _times.Length && time >= _times[i + 1]) i++;
        while (i > 0 && time < _times[i]) i--;
        _cursor = i;
        return _values[i];
    }

    /// <inheritdoc />
    public override double MaxAbs { get { double m = 0; foreach (double v in _values) m = Math.Max(m, Math.Abs(v)); return m; } }
}

/// <summary>Linear ramp from <c>from</c> at <c>start</c> to <c>to</c> at <c>end</c>, held before and after.</summary>
public sealed class RampProfile(double from, double to, double start, double end) : ReferenceProfile
{
    /// <inheritdoc />
    public override double At(double time) =>
        time <= start ? from : time >= end ? to : from + (to - from) * (time - start) / (end - start);

    /// <inheritdoc />
    public override double MaxAbs => Math.Max(Math.Abs(from), Math.Abs(to));
}

/// <summary>offset + amplitude·sin(2π·f·(t − start) + phase) from <c>start</c> on; offset before.</summary>
public sealed class SineProfile(double offset, double amplitude, double frequency, double phase, double start) : ReferenceProfile
{
    /// <inheritdoc />
    public override double At(double time) =>
        time < start ? offset : offset + amplitude * Math.Sin(2 * Math.PI * frequency * (time - start) + phase);

    /// <inheritdoc />
    public override double MaxAbs => Math.Abs(offset) + Math.Abs(amplitude);
}

/// <summary>The sum of several profiles (e.g. a ramp plus a sine).</summary>
public sealed class SumProfile(ReferenceProfile[] terms) : ReferenceProfile
{
    /// <inheritdoc />
    public override double At(double time)
    {
        double sum = 0;
        foreach (ReferenceProfile t in terms) sum += t.At(time);
        return sum;
    }

    /// <inheritdoc />
    public override double MaxAbs { get { double m = 0; foreach (ReferenceProfile t in terms) m += t.MaxAbs; return m; } }
}

/// <summary>
/// A profile sampled from a CSV file with a header row: column <c>time</c> (s, increasing) and the named value column.
/// Linear interpolation between rows; the first value before the first row and the last after the last row.
/// </summary>
public sealed class CsvProfile : ReferenceProfile
{
    private readonly double[] _times;
    private readonly double[] _values;
    private int _cursor;

    /// <summary>Creates the profile from samples (times in s, strictly increasing).</summary>
    public CsvProfile(double[] times, double[] values)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(values);
        if (times.Length == 0 || times.Length != values.Length) throw new ArgumentException("need one value per time, at least one row");
        _times = times;
        _values = values;
    }

    /// <summary>Reads <paramref name="file"/> (relative to the config) and its <paramref name="column"/>; <paramref name="s"/> locates the profile section.</summary>
    public static CsvProfile Load(string file, string column, ConfigScope s)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(column);
        string path = Path.IsPathRooted(file) ? file : Path.Combine(s.BaseDirectory, file);
        if (!File.Exists(path)) throw s.Error("file", $"CSV profile \"{path}\" not found", "give the path relative to the config file");
        string[] lines = File.ReadAllLines(path);
        if (lines.Length < 2) throw s.Error("file", $"\"{path}\" has no data rows", "add a header row and at least one data row");
        string[] header = lines[0].Split(',', StringSplitOptions.TrimEntries);
        int tCol = Array.IndexOf(header, "time");
        int vCol = Array.IndexOf(header, column);
        if (tCol < 0) throw s.Error("file", $"\"{path}\" has no \"time\" column", "name the time column (s) \"time\" in the header");
        if (vCol < 0) throw s.Error("column", $"\"{path}\" has no column \"{column}\"", $"use one of: {string.Join(", ", header)}");
        var times = new List<double>();
        var values = new List<double>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            string[] cells = lines[i].Split(',', StringSplitOptions.TrimEntries);
            if (cells.Length <= Math.Max(tCol, vCol)
                || !double.TryParse(cells[tCol], NumberStyles.Float, CultureInfo.InvariantCulture, out double t)
                || !double.TryParse(cells[vCol], NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                || !double.IsFinite(t) || !double.IsFinite(v))
            {
                throw s.Error("file", $"\"{path}\" line {i + 1} is not two finite numbers in columns time and {column}", "correct that row");
            }
            if (times.Count > 0 && t <= times[^1]) throw s.Error("file", $"\"{path}\" line {i + 1}: time does not increase", "sort rows by strictly increasing time");
            times.Add(t);
            values.Add(v);
        }
        return new CsvProfile(times.ToArray(), values.ToArray());
    }

    /// <inheritdoc />
    public override double At(double time)
    {
        if (time <= _times[0]) { _cursor = 0; return _values[0]; }
        int n = _times.Length;
        if (time >= _times[n - 1]) return _values[n - 1];
        // The loop's time only moves forward, so a cursor makes this O(1) per tick; it rewinds if time goes back.
        if (_cursor >= n - 1 || _times[_cursor] > time) _cursor = 0;
        while (_times[_cursor + 1] < time) _cursor++;
        int i = _cursor;
        double a = (time - _times[i]) / (_times[i + 1] - _times[i]);
        return _values[i] + a * (_values[i + 1] - _values[i]);
    }

    /// <inheritdoc />
    public override double MaxAbs { get { double m = 0; foreach (double v in _values) m = Math.Max(m, Math.Abs(v)); return m; } }
}

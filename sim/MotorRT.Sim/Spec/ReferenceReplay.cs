using System.Globalization;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Sim.Spec;

/// <summary>Max error of one state column of a reference case.</summary>
/// <param name="Column">The column (state) name.</param>
/// <param name="MaxAbsError">max |twin − reference| over all rows, in the column's unit.</param>
/// <param name="Scale">max(|reference column|, 1e-3 of the unit): the error's denominator.</param>
/// <param name="WorstRow">1-based row (step) of the largest error.</param>
public sealed record ColumnError(string Column, double MaxAbsError, double Scale, int WorstRow)
{
    /// <summary>Error relative to the column's range (dimensionless).</summary>
    public double Relative => MaxAbsError / Scale;
}

/// <summary>The outcome of replaying one reference case.</summary>
/// <param name="Name">Case name.</param>
/// <param name="Steps">Rows replayed.</param>
/// <param name="Columns">Per-column errors in the CSV's order.</param>
/// <param name="Tolerance">The acceptance bound on <see cref="ColumnError.Relative"/>.</param>
public sealed record ReplayResult(string Name, int Steps, IReadOnlyList<ColumnError> Columns, double Tolerance)
{
    /// <summary>True when every column is within <see cref="Tolerance"/>.</summary>
    public bool Passed => Columns.All(c => c.Relative <= Tolerance);

    /// <summary>The largest relative error of the case.</summary>
    public double MaxRelative => Columns.Count == 0 ? 0 : Columns.Max(c => c.Relative);
}

/// <summary>
/// Replays a GEM reference case (shared/reference format: case.json + trajectory.csv) on the twin and measures, per state
/// column, max |twin − reference| / max(max |reference|, 1e-3). Angles (epsilon) are compared modulo 2π.
/// Load-time code (allocates freely); the stepping itself is the allocation-free plant.
/// </summary>
public static class ReferenceReplay
{
    /// <summary>The acceptance bound of shared/reference/README.md.</summary>
    public const double DefaultTolerance = 1e-6;

    /// <summary>Replays the case in <paramref name="caseDir"/>; bad input throws <see cref="ConfigException"/>.</summary>
    public static ReplayResult Run(string caseDir, double tolerance = DefaultTolerance)
    {
        string caseJson = Path.Combine(caseDir, "case.json");
        string csv = Path.Combine(caseDir, "trajectory.csv");
        if (!Directory.Exists(caseDir)) throw new ConfigException(caseDir, "", "case folder not found", "give a folder holding case.json and trajectory.csv");
        PlantSpecReader.CaseInfo info = PlantSpecReader.ReadCase(caseJson);
        if (!File.Exists(csv)) throw new ConfigException(csv, "", "file not found", "put the reference trajectory.csv next to case.json");
        string[] lines = File.ReadAllLines(csv);
        if (lines.Length < 2) throw new ConfigException(csv, "", "no data rows", "the file needs a header and one row per step");
        string[] header = lines[0].Split(',');
        var sys = PhysicalSystem.Create(info.Spec);
        var actionCols = new List<int>();
        var stateCols = new List<(int Csv, int State, string Name)>();
        for (int c = 0; c < header.Length; c++)
        {
            string h = header[c].Trim();
            if (h == "t") continue;
            if (h.StartsWith("action_", StringComparison.Ordinal)) { actionCols.Add(c); continue; }
            int idx = IndexOf(sys.StateNames, h);
            if (idx < 0) throw new ConfigException(csv, $"header.{h}", $"column '{h}' is not a state of this plant ({string.Join(", ", sys.StateNames)})", "use t, action_N and GEM state names");
            stateCols.Add((c, idx, h));
        }
        if (actionCols.Count != sys.ActionCount)
            throw new ConfigException(csv, "header", $"{actionCols.Count} action columns, the converter takes {sys.ActionCount}", "give one action_N column per converter input");
        int rows = lines.Length - 1;
        var reference = new double[rows, stateCols.Count];
        var twin = new double[rows, stateCols.Count];
        var duty = new double[actionCols.Count];
        var states = new int[actionCols.Count];
        for (int r = 0; r < rows; r++)
        {
            string[] f = lines[r + 1].Split(',');
            if (f.Length != header.Length) throw new ConfigException(csv, $"row {r + 2}", $"{f.Length} fields, header has {header.Length}", "fix the row");
            for (int a = 0; a < actionCols.Count; a++)
            {
                double v = Parse(f[actionCols[a]], csv, r);
                duty[a] = v;
                states[a] = (int)Math.Round(v);
            }
            if (sys.IsFinite) sys.StepSwitching(states); else sys.Step(duty);
            ReadOnlySpan<double> s = sys.State;
            for (int k = 0; k < stateCols.Count; k++)
            {
                reference[r, k] = Parse(f[stateCols[k].Csv], csv, r);
                twin[r, k] = s[stateCols[k].State];
            }
        }
        var errors = new List<ColumnError>();
        for (int k = 0; k < stateCols.Count; k++)
        {
            bool angle = stateCols[k].Name == "epsilon";
            double maxRef = 0, maxErr = 0;
            int worst = 1;
            for (int r = 0; r < rows; r++)
            {
                maxRef = Math.Max(maxRef, Math.Abs(reference[r, k]));
                double e = twin[r, k] - reference[r, k];
                if (angle) e = Math.IEEERemainder(e, 2 * Math.PI);
                e = Math.Abs(e);
                if (e > maxErr || double.IsNaN(e)) { maxErr = double.IsNaN(e) ? double.PositiveInfinity : e; worst = r + 1; }
            }
            errors.Add(new ColumnError(stateCols[k].Name, maxErr, Math.Max(maxRef, 1e-3), worst));
        }
        return new ReplayResult(info.Name, rows, errors, tolerance);
    }

    private static int IndexOf(IReadOnlyList<string> names, string n)
    {
        for (int i = 0; i < names.Count; i++) if (names[i] == n) return i;
        return -1;
    }

    private static double Parse(string s, string file, int row) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw new ConfigException(file, $"row {row + 2}", $"'{s}' is not a number", "write numbers in invariant format");
}

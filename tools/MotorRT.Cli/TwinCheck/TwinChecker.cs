using System.Globalization;
using MotorRT.Contracts.Configuration;
using MotorRT.Sim.Spec;

namespace MotorRT.Cli.TwinCheck;

/// <summary>The logic of <c>motorrt twin-check</c>, callable in-process (tests).</summary>
internal static class TwinChecker
{
    /// <summary>Replays every case; returns the exit code (0 all pass, 3 a case failed, 2 bad input).</summary>
    public static int Run(IReadOnlyList<string> caseDirs, double tolerance, TextWriter output, TextWriter error)
    {
        var inv = CultureInfo.InvariantCulture;
        if (!double.IsFinite(tolerance) || tolerance <= 0 || tolerance >= 1)
        {
            error.WriteLine(string.Create(inv, $"motorrt twin-check: --tolerance {tolerance}: out of range"));
            error.WriteLine("  fix: give a relative error bound in (0, 1), e.g. 1e-6");
            return 2;
        }
        int passed = 0, failed = 0;
        bool badInput = false;
        foreach (string dir in caseDirs)
        {
            try
            {
                ReplayResult r = ReferenceReplay.Run(dir, tolerance);
                output.WriteLine(string.Create(inv, $"case {r.Name} ({r.Steps} steps)"));
                foreach (ColumnError c in r.Columns)
                {
                    string verdict = c.Relative <= tolerance ? "ok" : "FAIL";
                    output.WriteLine(string.Create(inv, $"  {c.Column,-8} max rel err {c.Relative,10:E3}  (abs {c.MaxAbsError:E3} at step {c.WorstRow}, range {c.Scale:G6})  {verdict}"));
                }
                output.WriteLine(string.Create(inv, $"{(r.Passed ? "PASS" : "FAIL")} {r.Name}: max rel err {r.MaxRelative:E3} (tolerance {tolerance:G3})"));
                if (r.Passed) passed++; else failed++;
            }
            catch (ConfigException e)
            {
                error.WriteLine($"error: {e.Message}");
                output.WriteLine($"ERROR {dir}: bad input (see above)");
                badInput = true;
                failed++;
            }
        }
        output.WriteLine($"{passed} passed, {failed} failed");
        return badInput ? 2 : failed > 0 ? 3 : 0;
    }
}

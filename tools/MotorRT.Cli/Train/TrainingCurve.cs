using System.Globalization;
using System.Text;
using ScottPlot;

namespace MotorRT.Cli.Train;

/// <summary>One row of the training curve: a finished training episode or an evaluation of the deterministic policy.</summary>
/// <param name="Kind">"episode", "eval", or "law" (YANN-RL: the explicit MPC law alone, evaluated like the actor, at step 0).</param>
/// <param name="Step">Environment steps done when the row was taken.</param>
/// <param name="Episode">Training episodes finished.</param>
/// <param name="Return">Undiscounted return of the episode (GEM reward, dimensionless).</param>
/// <param name="Length">Steps of the episode.</param>
/// <param name="Terminated">True when a constraint violation ended it.</param>
/// <param name="WallSeconds">Training wall time so far, s.</param>
/// <param name="StepsPerSecond">Training throughput (environment steps incl. gradient steps) since the previous row, 1/s.</param>
/// <param name="Profile">Evaluations: tracking on the step profile (null for episodes and multi-reference environments).</param>
internal readonly record struct CurveRow(string Kind, long Step, int Episode, double Return, int Length, bool Terminated, double WallSeconds, double StepsPerSecond, ProfileResult? Profile = null);

/// <summary>The training curve as CSV and PNG (ScottPlot).</summary>
internal static class TrainingCurve
{
    /// <summary>Writes <c>training_curve.csv</c>.</summary>
    public static void WriteCsv(string path, IReadOnlyList<CurveRow> rows)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("kind,step,episode,return,length,terminated,wall_s,steps_per_s,profile_rmse,profile_max_error,profile_current_peak_a,profile_terminated\n");
        foreach (CurveRow r in rows)
        {
            sb.Append(inv, $"{r.Kind},{r.Step},{r.Episode},{r.Return:R},{r.Length},{(r.Terminated ? 1 : 0)},{r.WallSeconds:F3},{r.StepsPerSecond:F1}");
            if (r.Profile is { } p) sb.Append(inv, $",{p.Rmse:R},{p.MaxError:R},{p.CurrentPeak:R},{(p.Terminated ? 1 : 0)}\n");
            else sb.Append(",,,,\n");
        }
        MotorRT.Contracts.IO.AtomicFile.WriteAllText(path, sb.ToString());
    }

    /// <summary>Writes <c>training_curve.png</c>: episode returns and evaluation returns over environment steps.</summary>
    public static void WritePng(string path, IReadOnlyList<CurveRow> rows, string title)
    {
        var plot = new Plot();
        double[] ex = [.. rows.Where(r => r.Kind == "episode").Select(r => (double)r.Step)];
        double[] ey = [.. rows.Where(r => r.Kind == "episode").Select(r => r.Return)];
        double[] vx = [.. rows.Where(r => r.Kind == "eval").Select(r => (double)r.Step)];
        double[] vy = [.. rows.Where(r => r.Kind == "eval").Select(r => r.Return)];
        if (ex.Length > 0)
        {
            var s = plot.Add.ScatterPoints(ex, ey);
            s.LegendText = "training episode return (with exploration noise)";
        }
        if (vx.Length > 0)
        {
            var s = plot.Add.Scatter(vx, vy);
            s.LegendText = "evaluation return (deterministic policy, fixed seed)";
            s.LineWidth = 2f;
        }
        double[] px = [.. rows.Where(r => r.Profile is not null).Select(r => (double)r.Step)];
        double[] py = [.. rows.Where(r => r.Profile is not null).Select(r => r.Profile!.Value.Rmse)];
        if (px.Length > 0)
        {
            var s = plot.Add.Scatter(px, py);
            s.LegendText = "step-profile RMSE (right axis, SI unit of the controlled quantity)";
            s.LinePattern = LinePattern.Dashed;
            s.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "step-profile RMSE";
        }
        if (rows.FirstOrDefault(r => r.Kind == "law") is { Kind: "law" } law)
        {
            // YANN-RL: the explicit MPC law alone, the level the initialised actor starts from.
            var l = plot.Add.HorizontalLine(law.Return);
            l.LegendText = "evaluation return of the PWA law alone";
            l.LinePattern = LinePattern.Dotted;
            if (law.Profile is { } lp && px.Length > 0)
            {
                var lr = plot.Add.HorizontalLine(lp.Rmse);
                lr.LegendText = "step-profile RMSE of the PWA law alone (right axis)";
                lr.LinePattern = LinePattern.DenselyDashed;
                lr.Axes.YAxis = plot.Axes.Right;
            }
        }
        plot.Title(title);
        plot.XLabel("environment steps");
        plot.YLabel("return (GEM reward)");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 1200, 600);
    }
}

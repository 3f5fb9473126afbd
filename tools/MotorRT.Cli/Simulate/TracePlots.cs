using MotorRT.Contracts;
using MotorRT.Runtime.Telemetry;
using ScottPlot;

namespace MotorRT.Cli.Simulate;

/// <summary>PNG plots of a trace, CSV or Parquet (ScottPlot): references vs measured currents, speed, and the duty cycles.</summary>
internal static class TracePlots
{
    /// <summary>The files <see cref="Write"/> creates in its output folder.</summary>
    public static readonly string[] FileNames = ["currents.png", "speed.png", "duty.png"];

    public static IReadOnlyList<string> Write(string tracePath, string outDir, MachineKind machine, int channels)
    {
        Dictionary<string, double[]> c = TraceReader.ReadColumns(tracePath, ["time", "state", "ref_i_d", "ref_i_q", "ref_i_e", "i_a", "i_d", "i_q", "i_e", "ref_speed", "omega", "duty_0", "duty_1", "duty_2", "duty_3"]);
        double[] t = c["time"];
        var files = new List<string>();
        bool dc = machine == MachineKind.Dc;

        var currents = new Plot();
        if (dc)
        {
            Line(currents, t, c["i_a"], "i_a measured (A)");
            Line(currents, t, c["ref_i_d"], "i_a ref (A)");
            if (channels > 1) { Line(currents, t, c["i_e"], "i_e measured (A)"); Line(currents, t, c["ref_i_e"], "i_e ref (A)"); }
        }
        else
        {
            Line(currents, t, c["i_d"], "i_d measured (A)");
            Line(currents, t, c["i_q"], "i_q measured (A)");
            Line(currents, t, c["ref_i_d"], "i_d ref (A)");
            Line(currents, t, c["ref_i_q"], "i_q ref (A)");
        }
        Finish(currents, "Currents: reference vs measured", "current (A)");
        files.Add(Save(currents, outDir, "currents.png"));

        var speed = new Plot();
        Line(speed, t, c["omega"], "ω estimated (rad/s)");
        Line(speed, t, c["ref_speed"], "ω ref (rad/s)");
        Finish(speed, "Mechanical speed: reference vs estimated", "speed (rad/s)");
        files.Add(Save(speed, outDir, "speed.png"));

        var duty = new Plot();
        for (int k = 0; k < Math.Min(channels, 4); k++) Line(duty, t, c[$"duty_{k}"], $"duty {k}");
        Finish(duty, "Duty cycles", "duty (−1 … 1)");
        files.Add(Save(duty, outDir, "duty.png"));
        return files;
    }

    private static void Line(Plot p, double[] x, double[] y, string label)
    {
        var s = p.Add.SignalXY(x, y);
        s.LegendText = label;
        s.LineWidth = 1.5f;
        if (label.Contains("ref", StringComparison.Ordinal))
        {
            // References dashed and on top, so they stay visible where the measurement tracks them closely.
            s.LinePattern = LinePattern.Dashed;
            s.LineWidth = 2f;
        }
    }

    private static void Finish(Plot p, string title, string yLabel)
    {
        p.Title(title);
        p.XLabel("time (s)");
        p.YLabel(yLabel);
        p.ShowLegend(Alignment.UpperRight);
    }

    private static string Save(Plot p, string dir, string name)
    {
        string path = Path.Combine(dir, name);
        p.SavePng(path, 1400, 600);
        return path;
    }
}

using System.Globalization;
using MotorRT.Policies.Pwa;

namespace MotorRT.HilTests;

/// <summary>
/// Bumpless fallback: a PWA law whose box (±120 A) the −150 A step of the example leaves hands over to its FOC
/// fallback; the fallback starts from the state (integrators from the last applied voltage), so after the hand-over it
/// tracks within 2× of the same FOC controller running the whole example alone. Runtime path on the twin.
/// </summary>
public class PwaFallbackTests(ITestOutputHelper output)
{
    private static string RepoFile(string relative) => RepoFiles.Path(relative);

    /// <summary>RMS of ref_i_q − i_q over the trace rows from <paramref name="from"/> s on, in A.</summary>
    private static double RmsAfter(string trace, double from)
    {
        string[] lines = File.ReadAllLines(trace);
        string[] head = lines[0].Split(',');
        int time = Array.IndexOf(head, "time"), r = Array.IndexOf(head, "ref_i_q"), m = Array.IndexOf(head, "i_q");
        double sum = 0;
        int n = 0;
        foreach (string line in lines.Skip(1))
        {
            string[] c = line.Split(',');
            if (double.Parse(c[time], CultureInfo.InvariantCulture) < from) continue;
            double e = double.Parse(c[r], CultureInfo.InvariantCulture) - double.Parse(c[m], CultureInfo.InvariantCulture);
            sum += e * e;
            n++;
        }
        Assert.True(n > 100);
        return Math.Sqrt(sum / n);
    }

    private (double Rms, IController Controller, Runtime.Loop.RunResult Result) Run(string dir, string controllerJson, string name)
    {
        string json = File.ReadAllText(RepoFile("examples/pmsm-pwa-current.json"));
        int start = json.IndexOf("\"controller\": {", StringComparison.Ordinal);
        int end = json.IndexOf("},", start, StringComparison.Ordinal) + 2;
        json = json[..start] + "\"controller\": " + controllerJson + "," + json[end..];
        string path = Path.Combine(dir, name + ".json");
        File.WriteAllText(path, json);
        var config = Runtime.Configuration.RuntimeConfig.Load(path);
        TwinDrive d = TwinDrive.Calibrated(config);
        IController controller = d.Controller;
        using Runtime.Loop.ControlLoop loop = d.Loop;
        string trace = Path.Combine(dir, name + ".csv");
        Runtime.Loop.RunResult result = loop.Run(trace);
        Assert.Empty(result.Faults);
        double rms = RmsAfter(trace, 0.03); // from the −150 A step on
        output.WriteLine($"{name}: i_q RMS error after the step {rms:F2} A, final i_q {loop.Observation.CurrentQ:F1} A");
        return (rms, controller, result);
    }

    [Fact]
    public void The_fallback_takes_over_bumplessly_and_tracks_within_twice_the_controller_alone()
    {
        using var scratch = new ScratchFolder("pwa-fallback");
        string dir = scratch.Path;
        PwaLaw law = PwaSynthesis.PmsmCurrentMpc(GemPresets.DefaultMotor("PMSM"), 1e-4,
            new PmsmMpcOptions { DcLinkVoltage = 300, Horizon = 2, CurrentRange = 120 });
        File.WriteAllText(Path.Combine(dir, "law.json"), PwaLawFile.ToJson(law, "±120 A box"));
        (double alone, _, _) = Run(dir, """{ "type": "foc-current" }""", "alone");
        (double fallback, IController c, _) = Run(dir,
            """{ "type": "pwa", "law": "law.json", "angle_advance_periods": 0.5, "on_out_of_domain": "fallback", "fallback": { "type": "foc-current" } }""",
            "fallback");
        var pwa = Assert.IsType<PwaController>(c);
        output.WriteLine($"out-of-domain ticks {pwa.OutOfDomainTicks}, fallback episodes {pwa.FallbackEpisodes}");
        Assert.True(pwa.OutOfDomainTicks > 100, $"{pwa.OutOfDomainTicks} out-of-domain ticks");

        Assert.Equal(1, pwa.FallbackEpisodes); // the reference stays outside the box: one episode to the end
        Assert.Contains(pwa.Counters(), kv => kv.Key == "fallback_episodes" && kv.Value == pwa.FallbackEpisodes);
        Assert.True(fallback <= 2 * alone, $"fallback RMS {fallback:F2} A vs alone {alone:F2} A");
    }
}

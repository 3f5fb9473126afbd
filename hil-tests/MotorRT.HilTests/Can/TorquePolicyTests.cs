using System.Text.RegularExpressions;
using MotorRT.Contracts;
using MotorRT.Hardware;
using MotorRT.Policies.Onnx;
using MotorRT.Policies.Onnx.Sidecar;
using MotorRT.Policies.Pwa;
using MotorRT.Policies.Training.Export;
using MotorRT.Runtime.Composition;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Loop;
using MotorRT.Sim.Rig;

namespace MotorRT.HilTests.Can;

/// <summary>
/// Speed loops whose output is a torque set-point, from the two policy families that are not hand-written PIs: an ONNX
/// policy (<c>"meaning": "torque_setpoint"</c>) and a PWA law (<c>"output": { "meaning": "torque_setpoint" }</c>),
/// each run through examples/pmdc-speed-odrive.json (the ODrive CAN rig over the socket pair, the emulated board over
/// the twin, 1 kHz) with the controller swapped. Both implement T* = K_p·(ω* − ω) clipped to ±20 N·m; so does
/// <c>pi-speed-torque</c> with <c>ki</c> 0 and no prefilter, which is the reference trace. The steady state is also
/// checked against the analytic one: K_p·(ω* − ω) = a + b·ω (the example's polynomial load), so
/// ω = (K_p·ω* − a)/(K_p + b).
/// </summary>
public class TorquePolicyTests(ITestOutputHelper output)
{
    private const double Kp = 2.0, TorqueLimit = 20.0, SpeedScale = 400.0;
    private const double LoadA = 0.5, LoadB = 0.05;           // the example's polynomial load, N·m and N·m·s/rad
    private static readonly DriveRegistry Registry = DriveRegistry.Create([new SimRigKind(), .. HardwareRigKinds.All]);

    private static string WithController(string controllerJson)
    {
        string text = File.ReadAllText(RepoFiles.Example("pmdc-speed-odrive.json"));
        return Regex.Replace(text, "\"controller\": \\{[^}]*\\}", "\"controller\": " + controllerJson);
    }

    /// <summary>Runs the drive tick by tick and returns the estimated speed per tick (rad/s).</summary>
    private static double[] Run(string configPath, string json, out IController controller, out long allocated)
    {
        RuntimeConfig config = RuntimeConfig.Parse(configPath, json);
        Drive d = DriveBuilder.Build(config, Registry);
        using ControlLoop loop = d.Loop;
        controller = loop.Controller;
        loop.Open();
        Assert.True(loop.Calibrate(), "calibration failed");
        loop.Start();
        int ticks = (int)Math.Round(config.Timing.Duration * config.Timing.Frequency);
        var speed = new double[ticks];
        for (int k = 0; k < 200; k++) { loop.RunTicks(1); speed[k] = loop.Observation.MechanicalSpeed; }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 200; k < ticks; k++) { loop.RunTicks(1); speed[k] = loop.Observation.MechanicalSpeed; }
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(DriveState.Running, loop.State);
        Assert.Equal(CommandMode.TorqueSetpoint, loop.LastCommand.Mode);
        return speed;
    }

    private static double Rms(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.Sqrt(s / a.Length);
    }

    /// <summary>Mean speed over the last 50 ms before <paramref name="t"/> (s).</summary>
    private static double Settled(double[] speed, double t) => speed.Skip((int)(t * 1000) - 50).Take(50).Average();

    private void AssertSteadyStates(string name, double[] speed)
    {
        foreach ((double t, double reference) in new[] { (0.5, 50.0), (1.0, 100.0) })
        {
            double analytic = (Kp * reference - LoadA) / (Kp + LoadB);
            double measured = Settled(speed, t);
            output.WriteLine($"{name}: ω* {reference} rad/s → ω {measured:F3} rad/s (analytic {analytic:F3}); error {reference - measured:F3} vs {reference - analytic:F3}");
            Assert.InRange(measured, analytic - 0.05, analytic + 0.05);
        }
    }

    [Fact]
    public void Onnx_and_pwa_torque_policies_track_like_the_equivalent_pi_on_the_odrive_rig()
    {
        using var dir = new ScratchFolder("torque");
        string configPath = Path.Combine(dir.Path, "speed.json");

        // The PI reference: P only, same clamp.
        double[] pi = Run(configPath, WithController($"{{ \"type\": \"pi-speed-torque\", \"kp\": {Kp}, \"ki\": 0, \"torque_limit\": {TorqueLimit}, \"speed_reference_filter\": false }}"), out _, out _);
        AssertSteadyStates("pi-speed-torque", pi);

        // ONNX: a = (K_p·L/T_lim)·(x_ref − x_ω), clipped to [−1, 1], times T_lim.
        float w = (float)(Kp * SpeedScale / TorqueLimit);
        MlpOnnxWriter.Save(new Mlp([new MlpLayer(2, 1, [-w, w], [0f], MlpActivation.Identity)]), Path.Combine(dir.Path, "p.onnx"));
        File.WriteAllText(Path.Combine(dir.Path, "p.json"), $$"""
            { "format": "{{OnnxPolicySpec.FormatTag}}", "model": "p.onnx", "input": { "name": "input" }, "output": { "name": "actions" },
              "observation": [ { "quantity": "MechanicalSpeed", "limit": {{SpeedScale}} }, { "quantity": "ReferenceSpeed", "limit": {{SpeedScale}} } ],
              "action": { "meaning": "torque_setpoint", "postprocess": "clip", "torqueLimit": {{TorqueLimit}} } }
            """);
        double[] onnx = Run(configPath, WithController("{ \"type\": \"onnx\", \"sidecar\": \"p.json\", \"fallback\": \"zero_voltage\" }"), out IController policy, out long onnxAllocated);
        Assert.IsType<OnnxPolicy>(policy);
        (policy as IDisposable)?.Dispose();
        AssertSteadyStates("onnx torque_setpoint", onnx);

        // PWA: one region over the box, T* = −K_p·ω + K_p·ω*, clipped by the law's [min, max].
        WriteProportionalSpeedLaw(Path.Combine(dir.Path, "law.json"));
        double[] pwa = Run(configPath, WithController("{ \"type\": \"pwa\", \"law\": \"law.json\" }"), out IController pwaController, out long pwaAllocated);
        Assert.IsType<PwaController>(pwaController);
        AssertSteadyStates("pwa torque_setpoint", pwa);

        double onnxDiff = Rms(onnx, pi), pwaDiff = Rms(pwa, pi);
        output.WriteLine($"RMS speed difference to the PI trace: ONNX {onnxDiff:E2} rad/s (float32 network), PWA {pwaDiff:E2} rad/s; allocated after tick 200: ONNX {onnxAllocated} B, PWA {pwaAllocated} B");
        Assert.True(onnxDiff < 0.05, $"ONNX trace differs from the PI's by {onnxDiff} rad/s RMS");
        Assert.True(pwaDiff < 1e-6, $"PWA trace differs from the PI's by {pwaDiff} rad/s RMS");
        Assert.Equal(0, onnxAllocated);
        Assert.Equal(0, pwaAllocated);
    }

    [Fact]
    public void A_torque_policy_on_a_rig_that_takes_only_duties_is_refused_before_arming()
    {
        using var dir = new ScratchFolder("torque");
        WriteProportionalSpeedLaw(Path.Combine(dir.Path, "law.json"));
        string text = File.ReadAllText(RepoFiles.Example("pmdc-speed-sim.json"));
        string json = Regex.Replace(text, "\"controller\": \\{[^}]*\\}", "\"controller\": { \"type\": \"pwa\", \"law\": \"law.json\" }");
        var e = Assert.Throws<MotorRT.Contracts.Configuration.ConfigException>(() =>
        {
            Drive d = DriveBuilder.Build(RuntimeConfig.Parse(Path.Combine(dir.Path, "speed.json"), json), Registry);
            d.Loop.Dispose();
        });
        output.WriteLine(e.Message);
        Assert.Contains("controller.type", e.Message);
        Assert.Contains("TorqueSetpoint", e.Message);
        Assert.Contains("odrive", e.Message);
    }

    /// <summary>One region over the box: T* = −K_p·ω + K_p·ω*, clipped to ±<see cref="TorqueLimit"/> by the law's [min, max].</summary>
    private static void WriteProportionalSpeedLaw(string path)
    {
        var region = new PwaRegion([[1, 0], [-1, 0], [0, 1], [0, -1]], [420, 420, 420, 420], [[-Kp, Kp]], [0]);
        var law = new PwaLaw("p-law.json", [new(ObservationQuantity.MechanicalSpeed, -420, 420), new(ObservationQuantity.ReferenceSpeed, -420, 420)],
            PwaOutputMeaning.TorqueSetpoint, [-TorqueLimit], [TorqueLimit], [region], true, 1e-9);
        File.WriteAllText(path, PwaLawFile.ToJson(law, "P speed loop, torque set-point"));
    }
}

using MotorRT.Policies.Pwa;

namespace MotorRT.HilTests;

/// <summary>
/// The explicit-MPC (PWA) current controller for GEM's default PMSM closes the loop on the twin (Cont-CC-PMSM-v0:
/// B6 bridge, 300 V, constant 100 rad/s, τ = 1e-4 s, RK4): the law is synthesised from the twin's own motor parameters
/// (exact mpQP, N = 2, 81 regions), evaluated through the search tree, and the observation is built from the plant's
/// outputs each step (exact sensors, no command delay — GEM's timing: the action from the state at t_k acts over
/// [t_k, t_k+1)).
/// </summary>
public class PwaClosedLoopTests(ITestOutputHelper output)
{
    private static (PhysicalSystem Plant, PwaController Controller) Build(bool sequential, int horizon = 2)
    {
        PhysicalSystem plant = PhysicalSystem.Create(GemPresets.Get("Cont-CC-PMSM-v0"));
        var options = new PmsmMpcOptions { DcLinkVoltage = 300, Horizon = horizon, CurrentRange = 240 };
        PwaLaw law = PwaSynthesis.PmsmCurrentMpc(plant.Motor, plant.Tau, options);
        PwaValidator.Validate(law, samples: 1000);
        law.BuildTree();
        // Half a period of angle advance: the twin holds the αβ voltage over the step while the rotor turns ω_el·τ.
        var controller = new PwaController(law, plant.Motor, plant.Tau, sequential, angleAdvancePeriods: 0.5);
        return (plant, controller);
    }

    private static void Observe(PhysicalSystem plant, ref MotorObservation o, double refD, double refQ)
    {
        plant.Observe(ref o);
        o.Reference.CurrentD = refD;
        o.Reference.CurrentQ = refQ;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MpcCurrentControllerTracksDqStepsOnTheTwin(bool sequential)
    {
        (PhysicalSystem plant, PwaController controller) = Build(sequential);
        plant.Reset();
        controller.Reset();
        var o = new MotorObservation();
        var cmd = new ConverterCommand();
        var duty = new double[3];
        // Steps: q 0→100 A, d 0→−50 A, q 100→−150 A, back to zero; 300 steps (30 ms) each. With |u_q| ≤ 122 V the
        // current slews at most ≈ 10 A per step, so the 250 A step takes ≈ 2.5 ms: settled errors are taken from 4 ms.
        (double d, double q)[] refs = [(0, 100), (-50, 100), (-50, -150), (0, 0)];
        const int per = 300;
        double worstSettled = 0, overshoot = 0;
        int outOfDomain = 0, saturated = 0;
        for (int s = 0; s < refs.Length; s++)
        {
            (double rd, double rq) = refs[s];
            double q0 = plant.Outputs.CurrentQ;
            for (int k = 0; k < per; k++)
            {
                Observe(plant, ref o, rd, rq);
                cmd.SetSafe();
                controller.Compute(in o, ref cmd);
                if (controller.Status == ControllerStatus.OutOfDomain) outOfDomain++;
                if (controller.Status == ControllerStatus.Saturated) saturated++;
                Assert.True(cmd.BridgeEnable);
                duty[0] = cmd.Duty[0]; duty[1] = cmd.Duty[1]; duty[2] = cmd.Duty[2];
                plant.Step(duty);
                double eq = plant.Outputs.CurrentQ - rq, ed = plant.Outputs.CurrentD - rd;
                if (k >= 40) worstSettled = Math.Max(worstSettled, Math.Max(Math.Abs(eq), Math.Abs(ed)));
                double stepQ = rq - q0;
                if (Math.Abs(stepQ) > 1) overshoot = Math.Max(overshoot, (plant.Outputs.CurrentQ - rq) * Math.Sign(stepQ) / Math.Abs(stepQ));
            }
        }
        output.WriteLine($"{controller.Name}: worst |error| from 4 ms after each step {worstSettled:F3} A, q overshoot {overshoot:P1}, saturated ticks {saturated}");
        Assert.Equal(0, outOfDomain);
        Assert.True(worstSettled < 0.5, $"tracking error {worstSettled} A 4 ms after a step");
        Assert.True(overshoot < 0.10, $"overshoot {overshoot:P1}");
        Assert.True(controller.LastRegion >= 0);
    }

    [Fact]
    public void ALargeStepSaturatesTheVoltageAndStillSettles()
    {
        (PhysicalSystem plant, PwaController controller) = Build(false);
        plant.Reset();
        var o = new MotorObservation();
        var cmd = new ConverterCommand();
        var duty = new double[3];
        int regionsSeen = 0;
        var seen = new HashSet<int>();
        double err = double.NaN;
        for (int k = 0; k < 400; k++)
        {
            Observe(plant, ref o, 0, 220);
            cmd.SetSafe();
            controller.Compute(in o, ref cmd);
            Assert.NotEqual(ControllerStatus.OutOfDomain, controller.Status);
            if (seen.Add(controller.LastRegion)) regionsSeen++;
            duty[0] = cmd.Duty[0]; duty[1] = cmd.Duty[1]; duty[2] = cmd.Duty[2];
            plant.Step(duty);
            err = plant.Outputs.CurrentQ - 220;
        }
        output.WriteLine($"regions visited {regionsSeen}, final q error {err:F3} A");
        Assert.True(regionsSeen >= 2, "a 220 A step must leave the unconstrained region (voltage limit active)");
        Assert.True(Math.Abs(err) < 1.0);
    }
}

public class PwaExampleConfigTests
{
    private static string RepoFile(string relative) => RepoFiles.Path(relative);

    [Fact]
    public void ExampleConfigLoadsAndTheFactoryBuildsThePwaController()
    {
        Runtime.Configuration.RuntimeConfig config = Runtime.Configuration.RuntimeConfig.Load(RepoFile("examples/pmsm-pwa-current.json"));
        IController controller = Runtime.ControllerFactory.Create(config.Controller, config.Motor!, 1.0 / config.Timing.Frequency);
        var pwa = Assert.IsType<PwaController>(controller);
        Assert.Equal(81, pwa.Law.RegionCount);
        Assert.NotNull(pwa.Law.Tree);
        Assert.Contains("pwa", Runtime.ControllerFactory.Types);
    }

    [Fact]
    public void ExampleLawMatchesAFreshSynthesis()
    {
        PwaLaw shipped = PwaLawFile.Load(RepoFile("examples/laws/pmsm-current-mpc.json"));
        PwaLaw fresh = PwaSynthesis.PmsmCurrentMpc(GemPresets.DefaultMotor("PMSM"), 1e-4, new PmsmMpcOptions { DcLinkVoltage = 300, Horizon = 2 });
        Assert.Equal(fresh.RegionCount, shipped.RegionCount);
        var rng = new Random(9);
        double[] lo = fresh.BoxMin(), hi = fresh.BoxMax();
        var t = new double[6];
        var u1 = new double[2];
        var u2 = new double[2];
        for (int i = 0; i < 2000; i++)
        {
            for (int j = 0; j < 6; j++) t[j] = lo[j] + (hi[j] - lo[j]) * rng.NextDouble();
            Assert.True(shipped.Evaluate(t, u1, false, out _) >= 0);
            Assert.True(fresh.Evaluate(t, u2, true, out _) >= 0);
            Assert.Equal(u2[0], u1[0], 9);
            Assert.Equal(u2[1], u1[1], 9);
        }
    }

    [Fact]
    public void FactoryBuildsAFallbackControllerWhenConfigured()
    {
        using var scratch = new ScratchFolder("pwa");
        string dir = scratch.Path;
        File.WriteAllText(Path.Combine(dir, "law.json"), PwaLawFile.ToJson(PwaSynthesis.GridBenchmarkLaw(3), "grid"));
        string json = """
            { "type": "pwa", "law": "law.json", "search": "sequential", "on_out_of_domain": "fallback",
              "fallback": { "type": "foc-current" } }
            """;
        var section = Contracts.Configuration.RawSection.Parse(Path.Combine(dir, "config.json"), json);
        IController c = Runtime.ControllerFactory.Create(section, GemPresets.DefaultMotor("PMSM"), 1e-4);
        var pwa = Assert.IsType<PwaController>(c);
        var o = new MotorObservation { DcLinkVoltage = 300, Period = 1e-4, Reference = new References { CurrentQ = 50 } }; // error 50 A: outside the ±10 A box
        var cmd = new ConverterCommand();
        pwa.Compute(in o, ref cmd);
        Assert.Equal(1, pwa.OutOfDomainTicks);
        Assert.NotEqual(ControllerStatus.OutOfDomain, pwa.Status);
        Assert.True(cmd.BridgeEnable); // the FOC fallback drove the bridge

        string bad = """{ "type": "pwa", "law": "law.json", "on_out_of_domain": "fallback" }""";
        var e = Assert.Throws<Contracts.Configuration.ConfigException>(() =>
            Runtime.ControllerFactory.Create(Contracts.Configuration.RawSection.Parse(Path.Combine(dir, "bad.json"), bad), GemPresets.DefaultMotor("PMSM"), 1e-4));
        Assert.Equal("fallback", e.Field);
    }
}

public class PwaRuntimeTests(ITestOutputHelper output)
{
    private static string RepoFile(string relative) => RepoFiles.Path(relative);

    /// <summary>
    /// The example config through the whole runtime: SimulatedRig (ADC/encoder models, GEM timing: no PWM delay),
    /// signal chain, supervisor, the PWA controller built by the factory, lock-step loop.
    /// </summary>
    [Fact]
    public void ExampleConfigRunsThroughTheRuntimeAndTheSimulatedRig()
    {
        var config = Runtime.Configuration.RuntimeConfig.Load(RepoFile("examples/pmsm-pwa-current.json"));
        TwinDrive d = TwinDrive.Calibrated(config);
        var controller = (PwaController)d.Controller;
        using Runtime.Loop.ControlLoop loop = d.Loop;
        Runtime.Loop.RunResult result = loop.Run();
        foreach (var t in result.Tracking) output.WriteLine($"{t.Quantity}: RMSE {t.Rmse:F3} {t.Unit}, max {t.MaxAbs:F3} {t.Unit}");
        output.WriteLine($"state {result.FinalState}, faults {result.Faults.Length}, allocated {result.AllocatedBytesAfterWarmup} B, controller compute p50 {result.ControllerCompute.P50}, final i_d {loop.Observation.CurrentD:F2} A, i_q {loop.Observation.CurrentQ:F2} A");
        Assert.Empty(result.Faults);
        Assert.NotEqual(Runtime.Safety.DriveState.Fault, result.FinalState);
        Assert.Equal(0, result.AllocatedBytesAfterWarmup);
        Assert.True(controller.LastRegion >= 0);
        Assert.Equal(0, controller.OutOfDomainTicks);
        // The run ends 20 ms into the last step (i_d* = −50 A, i_q* = −150 A): settled to ADC resolution (0.25 A/count).
        Assert.InRange(loop.Observation.CurrentD, -51.5, -48.5);
        Assert.InRange(loop.Observation.CurrentQ, -151.5, -148.5);
        // RMSE over the whole run is dominated by the voltage-limited slews (≈ 10 A per tick at 122 V): bounded, not zero.
        foreach (var t in result.Tracking)
        {
            if (t.Quantity == "current_q") Assert.InRange(t.Rmse, 0.0, 40.0);
            if (t.Quantity == "current_d") Assert.InRange(t.Rmse, 0.0, 5.0);
        }
    }

    /// <summary>
    /// The same run with the SimulatedRig's default one-period PWM delay, controlled by the delay-compensating MPC
    /// (θ also holds the previous command): settles to the same accuracy with bounded overshoot.
    /// </summary>
    [Fact]
    public void DelayCompensatedMpcRunsWithThePwmDelayOfTheSimulatedRig()
    {
        using var scratch = new ScratchFolder("pwa-delay");
        string dir = scratch.Path;
        PwaLaw law = PwaSynthesis.PmsmCurrentMpc(GemPresets.DefaultMotor("PMSM"), 1e-4,
            new PmsmMpcOptions { DcLinkVoltage = 300, Horizon = 1, DelayCompensation = true, CurrentRange = 300, SpeedRange = 150 });
        File.WriteAllText(Path.Combine(dir, "law.json"), PwaLawFile.ToJson(law, "delay-compensated"));
        string json = File.ReadAllText(RepoFile("examples/pmsm-pwa-current.json"))
            .Replace("\"pwm_delay_periods\": 0", "\"pwm_delay_periods\": 1")
            .Replace("laws/pmsm-current-mpc.json", "law.json")
            .Replace("\"angle_advance_periods\": 0.5", "\"angle_advance_periods\": 1.5");
        string path = Path.Combine(dir, "config.json");
        File.WriteAllText(path, json);
        var config = Runtime.Configuration.RuntimeConfig.Load(path);
        TwinDrive d = TwinDrive.Calibrated(config);
        var controller = Assert.IsType<PwaController>(d.Controller);
        Assert.Equal(8, controller.Law.ParameterCount);
        using Runtime.Loop.ControlLoop loop = d.Loop;
        Runtime.Loop.RunResult result = loop.Run();
        foreach (var t in result.Tracking) output.WriteLine($"{t.Quantity}: RMSE {t.Rmse:F3} {t.Unit}, max {t.MaxAbs:F3} {t.Unit}");
        output.WriteLine($"final i_d {loop.Observation.CurrentD:F2} A, i_q {loop.Observation.CurrentQ:F2} A, faults {result.Faults.Length}");
        Assert.Empty(result.Faults);
        Assert.Equal(0, controller.OutOfDomainTicks);
        Assert.InRange(loop.Observation.CurrentD, -51.5, -48.5);
        Assert.InRange(loop.Observation.CurrentQ, -151.5, -148.5);
    }
}

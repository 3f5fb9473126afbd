using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Sim.Presets;
using MotorRT.Sim.Spec;
using static MotorRT.Sim.Tests.TestPlants;

namespace MotorRT.Sim.Tests;

/// <summary>Allocation-free steps, determinism, noise, mechanical angle, disturbances, presets and config reading.</summary>
public sealed class PlantBehaviourTests
{
    public static TheoryData<string, string> AllMachines() => new()
    {
        { "Cont-CC-PermExDc-v0", "rk4" }, { "Cont-CC-PermExDc-v0", "euler" }, { "Cont-CC-PermExDc-v0", "dopri" },
        { "Cont-SC-ExtExDc-v0", "rk4" }, { "Cont-SC-SeriesDc-v0", "dopri" }, { "Cont-SC-ShuntDc-v0", "rk4" },
        { "Cont-SC-PMSM-v0", "rk4" }, { "Cont-CC-PMSM-v0", "dopri" }, { "Cont-SC-SynRM-v0", "rk4" }, { "Cont-CC-EESM-v0", "euler" },
        { "Cont-CC-SCIM-v0", "rk4" }, { "Cont-CC-DFIM-v0", "dopri" }, { "Finite-TC-DFIM-v0", "rk4" }, { "Finite-CC-PMSM-v0", "rk4" }, { "Finite-SC-ExtExDc-v0", "rk4" }, { "Finite-CC-PermExDc-v0", "euler" },
    };

    private static PlantSpec WithSolver(PlantSpec s, string solver) => s with
    {
        Solver = solver switch { "euler" => SolverSpec.Euler, "dopri" => SolverSpec.DormandPrinceTight, _ => SolverSpec.Rk4 },
    };

    private static void StepOnce(PhysicalSystem sys, double[] duty, int[] states, long k)
    {
        if (sys.IsFinite)
        {
            for (int i = 0; i < states.Length; i++) states[i] = (int)(((k >> 3) + i) % 2) + 1;
            sys.StepSwitching(states);
        }
        else
        {
            for (int i = 0; i < duty.Length; i++) duty[i] = 0.2 * Math.Sin(0.01 * k + i * 2.0944);
            sys.Step(duty);
        }
    }

    [Theory]
    [MemberData(nameof(AllMachines))]
    public void Step_allocates_nothing(string preset, string solver)
    {
        var spec = WithSolver(Preset(preset), solver);
        if (preset.Contains("EESM")) spec = spec with { Motor = spec.Motor with { MainInductance = 0.0005 } }; // stable variant
        var sys = PhysicalSystem.Create(spec with { Converter = spec.Converter with { InterlockingTime = spec.Tau * 0.01 } });
        var duty = new double[sys.ActionCount];
        var states = new int[sys.ActionCount];
        sys.Disturbances.LoadTorqueScale = 0.5;
        for (long k = 0; k < 2000; k++) StepOnce(sys, duty, states, k);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (long k = 0; k < 10_000; k++)
        {
            if (k == 5000) sys.Disturbances.OpenPhase = 0;
            StepOnce(sys, duty, states, k);
        }
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);
        Assert.True(double.IsFinite(sys.Outputs.Omega));
    }

    [Fact]
    public void Same_seed_gives_bit_identical_noisy_trace_and_noise_is_off_by_default()
    {
        PlantSpec noisy = Preset("Cont-SC-PMSM-v0") with { Noise = new NoiseSpec { Level = 0.01, Seed = 42 } };
        double[] Trace(PlantSpec s)
        {
            var sys = PhysicalSystem.Create(s);
            var list = new List<double>();
            double[] a = [0.2, -0.1, -0.1];
            for (int k = 0; k < 200; k++) { sys.Step(a); list.AddRange(sys.State.ToArray()); }
            return [.. list];
        }
        double[] t1 = Trace(noisy), t2 = Trace(noisy), t3 = Trace(noisy with { Noise = noisy.Noise with { Seed = 43 } }), clean = Trace(Preset("Cont-SC-PMSM-v0"));
        Assert.Equal(t1, t2);
        Assert.NotEqual(t1, t3);
        Assert.NotEqual(t1, clean);
        Assert.Equal(clean, Trace(Preset("Cont-SC-PMSM-v0")));
        // noise is observation noise: of the order of level · limit
        double diff = 0;
        for (int i = 0; i < t1.Length; i += 14) diff = Math.Max(diff, Math.Abs(t1[i] - clean[i]));
        Assert.InRange(diff, 0.1, 30); // omega: σ = 0.01 · 419 rad/s
    }

    [Fact]
    public void Reset_restores_the_initial_state_and_time_comes_from_the_counter()
    {
        var sys = PhysicalSystem.Create(Preset("Cont-SC-SeriesDc-v0"));
        double[] first = sys.State.ToArray();
        Run(sys, 123, 0.4);
        Assert.Equal(123, sys.StepCount);
        Assert.Equal(123 * 1e-4, sys.Time, 15);
        sys.Reset();
        Assert.Equal(0, sys.StepCount);
        Assert.Equal(first, sys.State.ToArray());
    }

    [Fact]
    public void Mechanical_angle_is_unwrapped_for_dc_and_consistent_with_epsilon_for_ac()
    {
        var dc = PhysicalSystem.Create(WithConstantSpeed(Preset("Cont-CC-PermExDc-v0"), 100));
        Run(dc, 1000, 0.1);
        Assert.Equal(100 * 0.1, dc.Outputs.MechanicalAngle, 1e-9);
        Assert.Equal(0, dc.Outputs.Epsilon);

        var ac = PhysicalSystem.Create(Preset("Cont-CC-PMSM-v0"));
        Run(ac, 3000, 0.3, -0.15, -0.15);
        Assert.Equal(100 * 0.3, ac.Outputs.MechanicalAngle, 1e-9);
        double theta = ac.Outputs.MechanicalAngle;
        Assert.True(Math.Abs(theta) > 2 * Math.PI, "the test must turn the rotor more than one revolution");
        Assert.Equal(0, Math.IEEERemainder(SpaceVector.WrapToPi(ac.Motor.PolePairs * theta) - ac.Outputs.Epsilon, 2 * Math.PI), 1e-9);
    }

    [Fact]
    public void Locked_rotor_holds_speed_and_angle_and_release_restores_constant_speed()
    {
        var sys = PhysicalSystem.Create(Preset("Cont-SC-PermExDc-v0"));
        Run(sys, 2000, 0.5);
        Assert.True(sys.Outputs.Omega > 10);
        sys.Disturbances.LockedRotor = true;
        Run(sys, 1, 0.5);
        double angle = sys.Outputs.MechanicalAngle;
        Run(sys, 500, 0.5);
        Assert.Equal(0, sys.Outputs.Omega);
        Assert.Equal(angle, sys.Outputs.MechanicalAngle);
        Assert.Equal(0.5 * 60 / sys.Motor.ArmatureResistance, sys.Outputs.CurrentA, 1.0); // stall current: no back-EMF

        var cs = PhysicalSystem.Create(Preset("Cont-CC-PermExDc-v0"));
        cs.Disturbances.LockedRotor = true;
        Run(cs, 10, 0.1);
        Assert.Equal(0, cs.Outputs.Omega);
        cs.Disturbances.LockedRotor = false;
        Run(cs, 1, 0.1);
        Assert.Equal(100, cs.Outputs.Omega);
    }

    [Fact]
    public void Load_torque_scale_zero_means_load_lost()
    {
        double Speed(double scale)
        {
            var sys = PhysicalSystem.Create(Preset("Cont-SC-PermExDc-v0") with { Load = new PolynomialLoadSpec { A = 2, B = 0.1, LoadInertia = 1e-3 } });
            sys.Disturbances.LoadTorqueScale = scale;
            Run(sys, 5000, 0.5);
            return sys.Outputs.Omega;
        }
        Assert.True(Speed(0) > Speed(1) + 1);
        Assert.Equal(1.0, PlantDisturbances.None.LoadTorqueScale);
        Assert.Equal(1.0, new PlantDisturbances().SupplyVoltageScale);
        Assert.Equal(-1, PlantDisturbances.None.OpenPhase);
    }

    [Fact]
    public void Supply_scale_and_source_resistance_sag_the_dc_link()
    {
        var sys = PhysicalSystem.Create(WithConstantSpeed(Preset("Cont-CC-PermExDc-v0"), 0));
        sys.Disturbances.SupplyVoltageScale = 0.5;
        Run(sys, 1, 0.5);
        Assert.Equal(30, sys.Outputs.SupplyVoltage, 12);
        Assert.Equal(15, sys.Outputs.VoltageA, 12);

        var r = PhysicalSystem.Create(WithConstantSpeed(Preset("Cont-CC-PermExDc-v0"), 0) with { Supply = new SupplySpec { NominalVoltage = 60, SourceResistance = 0.05 } });
        Run(r, 200, 0.05);
        double iSup = 0.05 * r.Outputs.CurrentA; // 4QC: i_sup = d·i
        Assert.True(r.Outputs.SupplyCurrent > 1);
        Assert.Equal(60 - 0.05 * r.Outputs.SupplyCurrent, r.Outputs.SupplyVoltage, 0.05 * 1.0); // i_sup evaluated at the step start
        Assert.True(r.Outputs.SupplyVoltage < 60);
        Assert.Equal(iSup, r.Outputs.SupplyCurrent, 0.05 * iSup);
    }

    [Theory]
    [InlineData("Cont-SC-PMSM-v0", 0)]
    [InlineData("Cont-SC-PMSM-v0", 1)]
    [InlineData("Cont-CC-SCIM-v0", 2)]
    public void Open_phase_carries_no_current(string preset, int phase)
    {
        var sys = PhysicalSystem.Create(preset.Contains("SCIM") ? WithConstantSpeed(Preset(preset), 50) : Preset(preset));
        double[] a = new double[3];
        for (int k = 0; k < 400; k++) { a[0] = 0.3 * Math.Cos(0.05 * k); a[1] = 0.3 * Math.Cos(0.05 * k - 2.0944); a[2] = 0.3 * Math.Cos(0.05 * k + 2.0944); sys.Step(a); }
        sys.Disturbances.OpenPhase = phase;
        double maxOpen = 0, maxOther = 0;
        for (int k = 400; k < 1400; k++)
        {
            a[0] = 0.3 * Math.Cos(0.05 * k); a[1] = 0.3 * Math.Cos(0.05 * k - 2.0944); a[2] = 0.3 * Math.Cos(0.05 * k + 2.0944);
            sys.Step(a);
            double[] i = [sys.Outputs.CurrentA, sys.Outputs.CurrentB, sys.Outputs.CurrentC];
            maxOpen = Math.Max(maxOpen, Math.Abs(i[phase]));
            maxOther = Math.Max(maxOther, Math.Abs(i[(phase + 1) % 3]));
        }
        Assert.True(maxOther > 1, $"the healthy phases must carry current ({maxOther})");
        Assert.True(maxOpen < 1e-9 * maxOther + 1e-12, $"open phase current {maxOpen}");
    }

    [Fact]
    public void Open_phase_index_a_machine_lacks_is_ignored()
    {
        double Run1(int open)
        {
            var sys = PhysicalSystem.Create(Preset("Cont-SC-PMSM-v0"));
            sys.Disturbances.OpenPhase = open;
            Run(sys, 200, 0.3, -0.1, -0.2);
            return sys.Outputs.CurrentC;
        }
        Assert.Equal(Run1(-1), Run1(3));
        Assert.NotEqual(0, Run1(3));
    }

    [Fact]
    public void Dc_open_armature_stops_the_current()
    {
        var sys = PhysicalSystem.Create(Preset("Cont-CC-PermExDc-v0"));
        Run(sys, 100, 0.9);
        Assert.True(Math.Abs(sys.Outputs.CurrentA) > 1);
        sys.Disturbances.OpenPhase = 0;
        Run(sys, 10, 0.9);
        Assert.Equal(0, sys.Outputs.CurrentA);
        Assert.Equal(0, sys.Outputs.Torque);
    }

    [Fact]
    public void Every_preset_builds_and_steps()
    {
        foreach (string name in GemPresets.Names)
        {
            var sys = PhysicalSystem.Create(GemPresets.Get(name));
            if (sys.IsFinite) sys.StepSwitching(new int[sys.ActionCount]); else sys.Step(new double[sys.ActionCount]);
            Assert.Equal(1, sys.StepCount);
            Assert.Equal(name.StartsWith("Finite", StringComparison.Ordinal) ? 1e-5 : 1e-4, sys.Tau);
            Assert.True(double.IsFinite(sys.State[0]), name);
        }
        Assert.Contains("Cont-CC-PermExDc-v0", GemPresets.Names);
        Assert.Throws<ArgumentException>(() => GemPresets.Get("Cont-CC-Nope-v0"));
    }

    [Fact]
    public void Preset_limits_match_gem()
    {
        Assert.Equal(160.6123626293421, GemPresets.Get("Cont-CC-PMSM-v0").Motor.Limits.Torque, 1e-9);
        Assert.Equal(300, GemPresets.Get("Cont-CC-PMSM-v0").Supply.NominalVoltage);
        Assert.Equal(420, GemPresets.Get("Cont-SC-PMSM-v0").Supply.NominalVoltage);
        var sc = (PolynomialLoadSpec)GemPresets.Get("Cont-SC-SeriesDc-v0").Load;
        Assert.Equal((0.01, 0.05, 1e-4), (sc.A, sc.B, sc.LoadInertia));
    }

    [Fact]
    public void FromConfig_reads_preset_and_overrides_strictly()
    {
        var ok = RawSection.Parse("cfg.json", """
            { "preset": "Cont-SC-PMSM-v0", "motor_parameter": { "r_s": 0.02 }, "supply": { "u_nominal": 400, "source_resistance": 0.1 },
              "load": { "type": "polynomial", "a": 0.1, "b": 0.01, "j_load": 0.001 }, "solver": { "name": "euler", "substeps": 4 },
              "noise": { "level": 0.001, "seed": 7 } }
            """);
        PlantSpec spec = PlantSpecReader.FromConfig(ok);
        Assert.Equal(0.02, spec.Motor.StatorResistance);
        Assert.Equal(0.066, spec.Motor.PermanentMagnetFlux);
        Assert.Equal(400, spec.Supply.NominalVoltage);
        Assert.Equal(4, spec.Solver.Substeps);
        Assert.Equal(7UL, spec.Noise.Seed);

        var typo = RawSection.Parse("cfg.json", """{ "preset": "Cont-SC-PMSM-v0", "suply": {} }""");
        var e1 = Assert.Throws<ConfigException>(() => PlantSpecReader.FromConfig(typo));
        Assert.Equal("suply", e1.Field);
        var badParam = RawSection.Parse("cfg.json", """{ "preset": "Cont-SC-PMSM-v0", "motor_parameter": { "r_a": 1 } }""");
        var e2 = Assert.Throws<ConfigException>(() => PlantSpecReader.FromConfig(badParam));
        Assert.Equal("motor_parameter.r_a", e2.Field);
        var badPreset = RawSection.Parse("cfg.json", """{ "preset": "Cont-CC-Foo-v0" }""");
        Assert.Equal("preset", Assert.Throws<ConfigException>(() => PlantSpecReader.FromConfig(badPreset)).Field);
        var badRange = RawSection.Parse("cfg.json", """{ "preset": "Cont-SC-PMSM-v0", "supply": { "u_nominal": -1 } }""");
        Assert.Equal("supply.u_nominal", Assert.Throws<ConfigException>(() => PlantSpecReader.FromConfig(badRange)).Field);
    }

    [Fact]
    public void External_speed_load_follows_the_profile_with_lag()
    {
        var spec = Preset("Cont-CC-PermExDc-v0") with { Load = new ExternalSpeedLoadSpec { Times = [0, 0.1], Speeds = [0, 100], LagTime = 1e-3 } };
        var sys = PhysicalSystem.Create(spec);
        Run(sys, 500, 0.0); // t = 0.05 s: profile 50 rad/s; first-order lag of 1 ms behind a ramp of 1000 rad/s² → ω ≈ profile(t)
        Assert.Equal(50, sys.Outputs.Omega, 0.2);
    }

    [Fact]
    public void Create_rejects_inconsistent_specs()
    {
        var pmsmOn4qc = Preset("Cont-CC-PMSM-v0") with { Converter = new ConverterSpec { Kind = ConverterKind.ContFourQuadrant } };
        Assert.Contains("channel", Assert.Throws<ArgumentException>(() => PhysicalSystem.Create(pmsmOn4qc)).Message);
        var sys = PhysicalSystem.Create(Preset("Finite-CC-PMSM-v0"));
        Assert.Throws<InvalidOperationException>(() => sys.Step([0.1, 0.1, 0.1]));
    }
}

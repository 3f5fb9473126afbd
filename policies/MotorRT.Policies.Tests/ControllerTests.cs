using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.Cascades;
using MotorRT.Policies.Foc;
using MotorRT.Policies.PI;
using MotorRT.Sim.Testing;

namespace MotorRT.Policies.Tests;

public class ControllerTests
{
    private const double Ts = 1e-4;

    public static TheoryData<string, string> AllTypes()
    {
        var data = new TheoryData<string, string>();
        foreach (string t in new[] { "pi-dc-current", "pi-dc-torque", "pi-dc-speed", "pi-dc-position" })
        {
            foreach (string m in new[] { "permex", "extex", "series", "shunt" }) data.Add(t, m);
        }
        foreach (string t in new[] { "foc-current", "foc-torque", "foc-speed", "foc-position" })
        {
            foreach (string m in new[] { "pmsm", "synrm", "eesm", "scim" }) data.Add(t, m);
        }
        return data;
    }

    internal static MotorParameters Motor(string name) => name switch
    {
        "permex" => TestMotors.PermExDc,
        "extex" => TestMotors.ExtExDc,
        "series" => TestMotors.SeriesDc,
        "shunt" => TestMotors.ShuntDc,
        "pmsm" => TestMotors.Pmsm,
        "synrm" => TestMotors.SynRm,
        "scim" => TestMotors.Scim,
        _ => TestMotors.Eesm,
    };

    private static readonly MotorRT.Contracts.Composition.ControllerFamilies PIFamilies =
        new(new MotorRT.Policies.Cascades.DcCascadeFamily(), new MotorRT.Policies.Foc.FocFamily());

    private static IController Make(string type, string motor, string extra = "") =>
        PIFamilies.Create(RawSection.Parse("t.json", $"{{\"type\":\"{type}\"{extra}}}"), Motor(motor), Ts);

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void EveryController_ZeroAllocationsPerTick_AndValidOutput(string type, string motor)
    {
        string extra = motor is "extex" or "eesm" ? ",\"excitation_current\":50" : "";
        IController c = Make(type, motor, extra);
        var obs = new MotorObservation { Period = Ts, DcLinkVoltage = 300 };
        var cmd = new ConverterCommand();
        c.Reset();
        for (int k = 0; k < 11_000; k++)
        {
            if (k == 1000)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int j = 0; j < 10_000; j++)
                {
                    Fill(ref obs, j);
                    cmd.SetSafe();
                    c.Compute(obs, ref cmd);
                }
                Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
                break;
            }
            Fill(ref obs, k);
            cmd.SetSafe();
            c.Compute(obs, ref cmd);
        }
        Assert.True(c.Status is ControllerStatus.Ok or ControllerStatus.Saturated, c.Status.ToString());
        Assert.True(cmd.BridgeEnable);
        for (int i = 0; i < 4; i++) Assert.InRange(cmd.Duty[i], -1.0, 1.0);
    }

    private static void Fill(ref MotorObservation obs, int k)
    {
        double e = SpaceVector.WrapToPi(0.01 * k);
        obs.Tick = k;
        obs.ElectricalAngle = e;
        obs.ElectricalSpeed = 100;
        obs.MechanicalSpeed = 30 + Math.Sin(0.001 * k);
        SpaceVector.DqToAbc(-3, 5 * Math.Sin(0.002 * k), e, out obs.CurrentA, out obs.CurrentB, out obs.CurrentC);
        // As the runtime's signal chain does: αβ and dq once per tick, in the observation.
        SpaceVector.Clarke(obs.CurrentA, obs.CurrentB, obs.CurrentC, out obs.CurrentAlpha, out obs.CurrentBeta);
        SpaceVector.Park(obs.CurrentAlpha, obs.CurrentBeta, e, out obs.CurrentD, out obs.CurrentQ);
        obs.CurrentExcitation = 40;
        obs.Reference.CurrentD = 2;
        obs.Reference.CurrentQ = 4;
        obs.Reference.Torque = 3;
        obs.Reference.Speed = 40;
    }

    [Theory]
    [InlineData("pi-dc-current", "permex", ",\"kp \":1", "kp ")] // unknown keys
    [InlineData("pi-dc-current", "permex", ",\"current_gains\":{\"kp\":1,\"ki\":2,\"kd\":3}", "current_gains.kd")]
    [InlineData("foc-speed", "pmsm", ",\"modulation_limit\":1.5", "modulation_limit")] // out of range or not allowed
    [InlineData("pi-dc-speed", "permex", ",\"current_limit\":1000", "current_limit")]
    [InlineData("pi-dc-speed", "permex", ",\"anti_windup\":\"clamp\"", "anti_windup")]
    [InlineData("foc-current", "permex", "", "type")]
    public void Config_ABadKeyOrValueNamesTheField(string type, string motor, string extra, string field)
    {
        var e = Assert.Throws<ConfigException>(() => Make(type, motor, extra));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void Config_SectionErrorsNameTheFileAndTheJsonPath()
    {
        RawSection Controller(string section) => RawSection.Parse("c.json", $"{{ \"controller\": {section} }}").Section("controller");
        var e = Assert.Throws<ConfigException>(() => PIFamilies.Create(Controller("""{ "type": "foc-speed", "current_gains": { "kp": -1, "ki": 1 } }"""), Motor("pmsm"), Ts));
        Assert.Equal("controller.current_gains.kp", e.Field);
        Assert.StartsWith("c.json: controller.current_gains.kp: value -1 V/A is out of range. Fix: use a value in [0, ", e.Message);
        e = Assert.Throws<ConfigException>(() => PIFamilies.Create(Controller("""{ "type": "foc-speed", "speed_gains": { "kp": 1, "ki": 1e13 } }"""), Motor("pmsm"), Ts));
        Assert.Equal("controller.speed_gains.ki", e.Field);
        Assert.Contains("N·m/rad", e.Message);
        e = Assert.Throws<ConfigException>(() => PIFamilies.Create(Controller("""{ "type": "foc-speed", "mtpaa": true }"""), Motor("pmsm"), Ts));
        Assert.Equal("controller.mtpaa", e.Field);
        Assert.Contains("unknown key", e.Message);
        Assert.Contains("mtpa", e.Fix);
        e = Assert.Throws<ConfigException>(() => PIFamilies.Create(Controller("""{ "type": "foc-speed", "rotor_flux": 0.5 }"""), Motor("pmsm"), Ts));
        Assert.Equal("controller.rotor_flux", e.Field);
        Assert.NotNull(PIFamilies.Create(Controller("""{ "type": "foc-speed", "rotor_flux": 0.5 }"""), Motor("scim"), Ts));

        // A duplicate key: found by the file parser, and by the section reader on an element parsed elsewhere.
        const string dup = """{ "type": "pi-dc-current", "current_gains": { "kp": 1, "kp": 2, "ki": 3 } }""";
        e = Assert.Throws<ConfigException>(() => Controller(dup));
        Assert.Equal("controller.current_gains.kp", e.Field);
        Assert.Contains("duplicate key", e.Message);
        using var doc = System.Text.Json.JsonDocument.Parse(dup);
        e = Assert.Throws<ConfigException>(() => PIFamilies.Create(new RawSection("c.json", "controller", doc.RootElement), Motor("permex"), Ts));
        Assert.StartsWith("controller.current_gains", e.Field);
        Assert.Contains("c.json", e.Message);
    }

    [Fact]
    public void EveryFamilyExposesItsSectionRecord()
    {
        var families = new MotorRT.Contracts.Composition.ControllerFamilies(new OpenLoop.OpenLoopVoltageFamily(), new DcCascadeFamily(), new FocFamily(), new Pwa.PwaFamily());
        foreach (MotorRT.Contracts.Composition.IControllerFamily f in families.All)
        {
            Assert.True(typeof(MotorRT.Contracts.Composition.ControllerSection).IsAssignableFrom(f.Section.Type), f.Section.Type.Name);
            Assert.Contains(f.Section.Properties, p => p.Name == "type");
        }
    }

    [Fact]
    public void Config_GainOverridesAreUsed()
    {
        var c = (DcCascadeController)Make("pi-dc-current", "permex", ",\"current_gains\":{\"kp\":0.5,\"ki\":20}");
        Assert.Equal(0.5, c.CurrentLoop.Kp);
        Assert.Equal(20, c.CurrentLoop.Ki);
    }

    [Fact]
    public void InvalidDcLink_ReportsOutOfDomainAndLeavesSafeCommand()
    {
        IController c = Make("foc-current", "pmsm");
        var obs = new MotorObservation { DcLinkVoltage = double.NaN };
        var cmd = new ConverterCommand();
        cmd.SetSafe();
        c.Compute(obs, ref cmd);
        Assert.Equal(ControllerStatus.OutOfDomain, c.Status);
        Assert.False(cmd.BridgeEnable);
    }

    [Fact]
    public void PermExDc_CurrentStep_OnTheTwin()
    {
        // The twin of the machine at a held 100 rad/s on 60 V, one-period command delay as designed.
        MotorParameters m = TestMotors.PermExDc;
        var c = DcCascadeController.Create(m, Ts, ControlMode.Current);
        var plant = TwinPlant.ConstantSpeed(m, 60, 100);
        // The converter held the back-EMF before the step (i = 0 in equilibrium); bumpless enable starts from it.
        var held = new ConverterCommand { BridgeEnable = true };
        held.Duty[0] = m.ExcitationFlux * 100 / 60;
        plant.Step(in held);
        var loop = new ClosedLoop(plant, c, delay: 1);
        loop.Hold(in held);
        Trace t = loop.Run(400, (long k, ref References r) => r.CurrentD = 50, o => o.Reference.CurrentD, p => p.ArmatureOrDCurrent);
        Assert.Equal(50, t.Measured[^1], 0.05);
        Assert.InRange(t.Measured.Max(), 49.9, 50 * 1.10); // MO: at most a few % overshoot
    }

    [Fact]
    public void Foc_BumplessEnableFromHeldVoltage()
    {
        var c = FocController.Create(TestMotors.Pmsm, Ts, ControlMode.Current, new CascadeOptions { CurrentLimit = 400, Decoupling = false },
            new FocOptions { AngleAdvancePeriods = 0 });
        var obs = new MotorObservation { DcLinkVoltage = 300, LastVoltageD = -5, LastVoltageQ = 20 };
        var cmd = new ConverterCommand();
        c.Compute(obs, ref cmd);
        Assert.Equal(-5, c.VoltageD, 9);
        Assert.Equal(20, c.VoltageQ, 9);
    }

    [Fact]
    public void TorqueModes_UseTheTorqueEquation()
    {
        var foc = FocController.Create(TestMotors.Pmsm, Ts, ControlMode.Torque);
        var obs = new MotorObservation { DcLinkVoltage = 300 };
        obs.Reference.Torque = 50;
        var cmd = new ConverterCommand();
        foc.Compute(obs, ref cmd);
        foc.OperatingPoint.MtpaPoint(50, 0.066, out double id, out double iq);
        Assert.Equal(id, foc.CurrentReferenceD, 9);
        Assert.Equal(iq, foc.CurrentReferenceQ, 9);
        Assert.True(id < 0 && iq > 0);

        var dc = DcCascadeController.Create(TestMotors.PermExDc, Ts, ControlMode.Torque);
        obs.Reference.Torque = 3.3;
        dc.Compute(obs, ref cmd);
        Assert.Equal(20.0, dc.CurrentReference, 9);

        var series = DcCascadeController.Create(TestMotors.SeriesDc, Ts, ControlMode.Torque);
        obs.Reference.Torque = 0.0017 * 100 * 100;
        series.Compute(obs, ref cmd);
        Assert.Equal(100.0, series.CurrentReference, 9);
        obs.Reference.Torque = -1; // a series machine cannot make negative torque by current
        series.Compute(obs, ref cmd);
        Assert.Equal(0.0, series.CurrentReference, 12);
    }

    [Fact]
    public void Eesm_UnphysicalSigmaIsAConfigError()
    {
        MotorParameters gemDefault = TestMotors.Eesm with { ExcitationTransferRatio = 65.21 }; // σ = 1 − 1.5·l_m²/(l_d·l_e) < 0
        var e = Assert.Throws<ConfigException>(() => PIFamilies.Create(
            RawSection.Parse("t.json", "{\"type\":\"foc-current\",\"excitation_current\":50}"), gemDefault, Ts));
        Assert.Contains("σ", e.Message);
        MotorParameters stable = gemDefault with { ExcitationInductance = 2 * 0.00174 };
        Assert.NotNull(PIFamilies.Create(RawSection.Parse("t.json", "{\"type\":\"foc-current\",\"excitation_current\":50}"), stable, Ts));
    }
}

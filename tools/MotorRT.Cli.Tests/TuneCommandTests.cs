using System.Globalization;
using MotorRT.Cli.Commands;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.PI;
using MotorRT.Policies.Tuning;
using MotorRT.Sim;
using MotorRT.Sim.Spec;

namespace MotorRT.Cli.Tests;

public class TuneCommandTests
{
    private static string Example(string name) => ExampleFiles.Path(name);

    private static string Write(string json) => ExampleFiles.WriteTemp("tune", json);

    /// <summary>The machine of an example's plant preset, straight from the twin (independent of the command).</summary>
    private static MotorParameters PlantMotor(string example) =>
        PhysicalSystem.Create(PlantSpecReader.FromConfig(RawSection.Parse(Example(example), File.ReadAllText(Example(example))).Optional("plant")!.Value)).Motor;

    private static string G5(double v) => v.ToString("G5", CultureInfo.InvariantCulture);

    private static (int Code, string Out, string Err) Tune(string path)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = TuneCommand.Run(path, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Tunes a copy of examples/<paramref name="example"/> with <paramref name="find"/> replaced by <paramref name="replacement"/>.</summary>
    private static (int Code, string Out, string Err) TuneEdited(string example, string find, string replacement)
    {
        string text = File.ReadAllText(Example(example));
        Assert.Contains(find, text); // the edit must apply, else the test checks the unedited example
        return Tune(Write(text.Replace(find, replacement, StringComparison.Ordinal)));
    }

    [Fact]
    public void PmdcCurrentExamplePrintsTheDesignedArmatureGains()
    {
        var (code, text, err) = Tune(Example("pmdc-current.json"));
        Assert.True(code == 0, err);
        MotorParameters motor = PlantMotor("pmdc-current.json");
        Assert.Equal(MotorType.PermanentlyExcitedDc, motor.Type);
        // timing.frequency 10 kHz → T_s = 100 µs; default delay 1 period → T_σ = 150 µs.
        CascadeDesign design = MachineTuner.Design(motor, 1e-4, new CascadeOptions(), withSpeedLoop: false);
        CurrentLoopDesign expected = LoopTuner.CurrentLoop("armature current", 0.016, 19e-6, 1e-4, 1.0);
        Assert.Equal(expected.Kp, design.Current.Kp, 12);
        Assert.Contains($"current: K_p = {G5(design.Current.Kp)} V/A, K_i = {G5(design.Current.Ki)} V/(A·s) (designed)", text);
        Assert.Contains("K_p = 0.063333 V/A", text); // l_a/(2·T_σ) = 19e-6 / 3e-4
        Assert.Contains("control period 100 µs", text);
        Assert.Contains("Cont-CC-PermExDc-v0", text);
        Assert.Contains("magnitude optimum", text);
        Assert.Contains("phase margin", text);
        Assert.Contains("bandwidth", text);
        Assert.DoesNotContain("speed:", text);
    }

    [Fact]
    public void PmsmSpeedExamplePrintsTheDesignedDqAndSpeedGains()
    {
        var (code, text, err) = Tune(Example("pmsm-speed.json"));
        Assert.True(code == 0, err);
        MotorParameters motor = PlantMotor("pmsm-speed.json");
        Assert.Equal(MotorType.Pmsm, motor.Type);
        CascadeDesign design = MachineTuner.Design(motor, 1e-4, new CascadeOptions(), withSpeedLoop: true);
        Assert.NotNull(design.CurrentQ);
        Assert.NotNull(design.Speed);
        Assert.Contains($"current d: K_p = {G5(design.Current.Kp)} V/A, K_i = {G5(design.Current.Ki)} V/(A·s) (designed)", text);
        Assert.Contains($"current q: K_p = {G5(design.CurrentQ!.Kp)} V/A, K_i = {G5(design.CurrentQ.Ki)} V/(A·s) (designed)", text);
        Assert.Contains($"speed: K_p = {G5(design.Speed!.Kp)} N·m·s/rad, K_i = {G5(design.Speed.Ki)} N·m/rad (designed)", text);
        // d/q current loops by MO: K_p = L/(2·T_σ), T_σ = 150 µs.
        Assert.Equal(motor.InductanceD / 3e-4, design.Current.Kp, 9);
        Assert.Equal(motor.InductanceQ / 3e-4, design.CurrentQ.Kp, 9);
        Assert.Contains("symmetric optimum", text);
        Assert.Contains("phase margin", text);
    }

    [Fact]
    public void ConfigOverridesAreMarked()
    {
        var (code, output, err) = TuneEdited("pmdc-current.json", "\"controller\": { \"type\": \"pi-dc-current\" }", "\"controller\": { \"type\": \"pi-dc-current\", \"current_gains\": { \"kp\": 0.05, \"ki\": 40 } }");
        Assert.True(code == 0, err);
        Assert.Contains("K_p = 0.05 V/A, K_i = 40 V/(A·s) (config; design was 0.063333", output);
    }

    // The old tune-only "period" key is no longer part of the schema (the period comes from timing); only PI families tune.
    [Theory]
    [InlineData("pmdc-current.json", "\"controller\": { \"type\": \"pi-dc-current\" }", "\"controller\": { \"type\": \"pi-dc-current\", \"kp\": 1 }", "controller.kp", "unknown key")]
    [InlineData("pmsm-speed.json", "\"seed\": 1", "\"seed\": 1, \"period\": 1e-4", "period", "unknown key")]
    [InlineData("pmsm-speed.json", "\"plant\": { \"preset\": \"Cont-SC-PMSM-v0\" }", "\"plant\": { \"preset\": \"Cont-SC-PMSM-v0\", \"bogus\": 1 }", "plant.bogus", "")]
    [InlineData("pmdc-current.json", "\"controller\": { \"type\": \"pi-dc-current\" }", "\"controller\": { \"type\": \"onnx\" }", "controller.type", "")]
    public void ABadConfigIsAnErrorNamingTheField(string example, string find, string replace, string field, string problem)
    {
        var (code, _, err) = TuneEdited(example, find, replace);
        Assert.Equal(2, code);
        Assert.Contains(field, err);
        Assert.Contains(problem, err);
    }
}

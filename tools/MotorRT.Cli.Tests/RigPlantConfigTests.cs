namespace MotorRT.Cli.Tests;

/// <summary>
/// The typed <c>rig</c> and <c>plant</c> sections through the CLI: an unknown key, a wrong <c>rig.type</c> and an
/// out-of-range value exit 2 with one line naming the file, the JSON path, the value and the fix (data/bad).
/// </summary>
[Collection("simulate-gc")]
public class RigPlantConfigTests
{
    private static string Data
    {
        get
        {
            string dir = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(dir, "MotorRT.sln"))) dir = Path.GetDirectoryName(dir)!;
            return Path.Combine(dir, "tools", "MotorRT.Cli.Tests", "data", "bad");
        }
    }

    private static string Simulate(string file)
    {
        string tmp = Directory.CreateTempSubdirectory("motorrt-rigcfg").FullName;
        var stderr = new StringWriter();
        int rc = Program.Run(["simulate", Path.Combine(Data, file), "--out", Path.Combine(tmp, "o"), "--no-plots"], TextWriter.Null, stderr);
        Directory.Delete(tmp, true);
        string err = stderr.ToString();
        Assert.True(rc == 2, $"{file}: exit {rc}\n{err}");
        ErrorContractTests.AssertShape(err, file);
        Assert.Contains(file, err);
        return err;
    }

    [Fact]
    public void A_wrong_rig_type_lists_the_valid_types()
    {
        string err = Simulate("rig-wrong-type.json");
        Assert.Contains("rig.type: unknown rig type \"simulator\"", err);
        foreach (string type in new[] { "sim", "raspberry-pi", "remote", "replay" }) Assert.Contains(type, err);
    }

    /// <summary>An unknown key names its path and the known keys; an out-of-range value its path, the value and the range.</summary>
    [Theory]
    [InlineData("rig-unknown-key.json", "rig.sub_step: unknown key", "sub_steps")]
    [InlineData("pi-unknown-key.json", "rig.adc.spi_speed: unknown key", "clock_hz")]
    [InlineData("plant-unknown-key.json", "plant.suply: unknown key", "supply")]
    [InlineData("plant-negative-voltage.json", "plant.supply.u_nominal: value -48 V is out of range", "[0.001, 100000] V")]
    [InlineData("rig-out-of-range.json", "rig.sub_steps: value 0 is out of range", "[1, 1000]")]
    [InlineData("plant-load-unknown-type.json", "plant.load.type: unknown value \"fan\"", "polynomial, constant_speed, external_speed")]
    public void A_bad_key_or_value_names_its_path_the_problem_and_the_fix(string file, string problem, string fix)
    {
        string err = Simulate(file);
        Assert.Contains(problem, err);
        Assert.Contains(fix, err);
    }
}

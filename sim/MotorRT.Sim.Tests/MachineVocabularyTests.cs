using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Sim.Presets;
using MotorRT.Sim.Spec;

namespace MotorRT.Sim.Tests;

/// <summary>The twin's presets and readers speak the machine types' vocabulary (one identifier, GEM names as aliases).</summary>
public class MachineVocabularyTests
{
    [Fact]
    public void Default_motors_come_from_the_machine_types_by_any_name()
    {
        MotorParameters byEnv = GemPresets.DefaultMotor("PermExDc");
        Assert.Equal(byEnv, GemPresets.DefaultMotor("permex-dc"));
        Assert.Equal(byEnv, GemPresets.DefaultMotor("DcPermanentlyExcitedMotor"));
        Assert.Equal(PermExDcParameters.Gem, byEnv.ToTyped());
        Assert.Equal(PmsmParameters.Gem, GemPresets.Get("Cont-CC-PMSM-v0").Motor.ToTyped());
        Assert.Equal(ShuntDcParameters.Gem, GemPresets.Get("Cont-SC-ShuntDc-v0").Motor.ToTyped());
    }

    [Fact]
    public void Plant_overrides_set_typed_fields_by_GEM_name_and_name_the_machine_type_when_wrong()
    {
        PlantSpec spec = PlantSpecReader.FromConfig(RawSection.Parse("plant.json",
            """{ "preset": "Cont-CC-PermExDc-v0", "motor_parameter": { "psi_e": 0.2, "r_a": 0.02 } }"""));
        var m = (PermExDcParameters)spec.Motor.ToTyped();
        Assert.Equal(0.2, m.ExcitationFlux);
        Assert.Equal(0.02, m.ArmatureResistance);
        Assert.Equal(PermExDcParameters.Gem.ArmatureInductance, m.ArmatureInductance);

        var e = Assert.Throws<ConfigException>(() => PlantSpecReader.FromConfig(RawSection.Parse("plant.json",
            """{ "preset": "Cont-CC-PermExDc-v0", "motor_parameter": { "psi_p": 0.2 } }""")));
        Assert.Contains("permex-dc", e.Message);
        Assert.Contains("psi_e", e.Message);
    }
}

using MotorRT.Contracts;
using MotorRT.Contracts.Machines;

namespace MotorRT.Contracts.Tests.Machines;

public class MachineTypesTests
{
    [Fact]
    public void Every_name_of_a_built_in_type_resolves_to_one_descriptor()
    {
        Assert.Equal(9, MachineTypes.All.Count(t => t.Legacy is not null));
        foreach (MotorType legacy in Enum.GetValues<MotorType>())
        {
            MachineType t = MachineTypes.Of(legacy);
            string env = t.GemEnvironmentName;
            foreach (string name in (string[])[t.Id, t.GemClassName, env, env.ToUpperInvariant(), $"Cont-CC-{env}-v0", $"Finite-SC-{env}-v0"])
                Assert.Same(t, MachineTypes.Resolve(name));
            Assert.Same(t, t.Defaults.Machine);
            Assert.Equal(legacy, t.Defaults.ToMotorParameters().Type);
        }
        Assert.Equal("permex-dc", MachineTypes.Resolve("DcPermanentlyExcitedMotor").Id);
        Assert.Equal("pmsm", MachineTypes.Resolve("Cont-SC-PMSM-v0").Id);
        Assert.Equal("shunt-dc", MachineTypes.Resolve("DcShuntMotor").Id);
    }

    [Fact]
    public void An_unknown_name_lists_the_identifiers()
    {
        var e = Assert.Throws<ArgumentException>(() => MachineTypes.Resolve("stepper"));
        Assert.Contains("stepper", e.Message);
        Assert.Contains("permex-dc", e.Message);
        Assert.Contains("pmsm", e.Message);
        Assert.False(MachineTypes.TryResolve("Cont-CC-Stepper-v0", out _));
    }

    [Fact]
    public void Gem_defaults_round_trip_through_the_flat_record()
    {
        foreach (MachineType t in MachineTypes.All)
        {
            if (t.Legacy is null) continue;
            MotorParameters flat = t.Defaults.ToMotorParameters()!;
            Assert.Equal(t.Defaults, flat.ToTyped());
            foreach (MachineParameterField f in t.Parameters)
                Assert.True(f.Get(t.Defaults) > 0, $"{t.Id}.{f.GemName} default");
        }
    }

    [Fact]
    public void Gem_defaults_carry_GEMs_numbers()
    {
        Assert.Equal(0.165, PermExDcParameters.Gem.ExcitationFlux);
        Assert.Equal(0.0025, ShuntDcParameters.Gem.RotorInertia);
        Assert.Equal(0.4, ShuntDcParameters.Gem.ExcitationResistance);
        Assert.Equal(0, SeriesDcParameters.Gem.Limits.ExcitationCurrent);
        Assert.Equal(0.066, PmsmParameters.Gem.PermanentMagnetFlux);
        Assert.True(PmsmParameters.Gem.Limits.Torque > 0);
        Assert.Equal(65.21, EesmParameters.Gem.ExcitationTransferRatio);
    }

    [Fact]
    public void Observation_torque_uses_GEMs_equations()
    {
        var o = new MotorObservation { CurrentA = 10, CurrentD = -5, CurrentQ = 20, CurrentExcitation = 2 };
        Assert.Equal(0.165 * 10, PermExDcParameters.Gem.ElectricalTorque(in o), 12);
        Assert.Equal(0.0017 * 10 * 10, SeriesDcParameters.Gem.ElectricalTorque(in o), 12);
        Assert.Equal(0.0017 * 10 * 2, ExtExDcParameters.Gem.ElectricalTorque(in o), 12);
        Assert.Equal(1.5 * 3 * (0.066 + (3.7e-4 - 1.2e-3) * -5) * 20, PmsmParameters.Gem.ElectricalTorque(in o), 12);
        Assert.True(double.IsNaN(ScimParameters.Gem.ElectricalTorque(in o)));
        Assert.False(ObservationQuantities.CanRead(ObservationQuantity.Torque, ScimParameters.Gem));
    }
}

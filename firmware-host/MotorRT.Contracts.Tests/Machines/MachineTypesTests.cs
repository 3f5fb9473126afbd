using MotorRT.Contracts;
using MotorRT.Contracts.Machines;

namespace MotorRT.Contracts.Tests.Machines;

public class MachineTypesTests
{
    [Theory]
    [InlineData("permex-dc", MotorType.PermanentlyExcitedDc)]
    [InlineData("PermExDc", MotorType.PermanentlyExcitedDc)]
    [InlineData("DcPermanentlyExcitedMotor", MotorType.PermanentlyExcitedDc)]
    [InlineData("Cont-CC-PermExDc-v0", MotorType.PermanentlyExcitedDc)]
    [InlineData("Finite-SC-SeriesDc-v0", MotorType.SeriesDc)]
    [InlineData("extex-dc", MotorType.ExternallyExcitedDc)]
    [InlineData("DcShuntMotor", MotorType.ShuntDc)]
    [InlineData("PMSM", MotorType.Pmsm)]
    [InlineData("SynchronousReluctanceMotor", MotorType.SynRm)]
    [InlineData("Cont-TC-EESM-v0", MotorType.Eesm)]
    [InlineData("scim", MotorType.Scim)]
    [InlineData("DoublyFedInductionMotor", MotorType.Dfim)]
    public void Every_name_of_a_built_in_type_resolves_to_one_descriptor(string name, MotorType legacy)
    {
        MachineType t = MachineTypes.Resolve(name);
        Assert.Equal(legacy, t.Legacy);
        Assert.Same(t, MachineTypes.Of(legacy));
        Assert.Same(t, t.Defaults.Machine);
        Assert.Equal(legacy, t.Defaults.ToMotorParameters()!.Type);
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

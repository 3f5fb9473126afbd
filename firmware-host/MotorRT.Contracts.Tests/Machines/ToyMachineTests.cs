using MotorRT.Contracts;
using MotorRT.Contracts.Machines;

namespace MotorRT.Contracts.Tests.Machines;

/// <summary>
/// A machine type registered from outside the contracts, as docs/guides/adding-a-motor-type.md describes: one record
/// (parameters, GEM-style defaults, descriptor, torque equation) and one registration line prove the seams.
/// </summary>
public sealed record ToyDcParameters : MachineParameters
{
    /// <summary>Torque constant k_t, in N·m/A.</summary>
    public required double TorqueConstant { get; init; }

    public static ToyDcParameters Defaults { get; } = new()
    {
        TorqueConstant = 0.05, RotorInertia = 1e-4,
        Limits = new MotorLimits { Current = 10, Voltage = 24, Speed = 300, Torque = 0.5 },
    };

    public static MachineType Type { get; } = new()
    {
        Id = "toy-dc",
        GemClassName = "ToyDcMotor",
        GemEnvironmentName = "ToyDc",
        Aliases = ["toy"],
        Family = MachineKind.Dc,
        Defaults = Defaults,
        Parameters =
        [
            MachineParameterField.Of<ToyDcParameters>("k_t", "N·m/A", p => p.TorqueConstant, (p, v) => p with { TorqueConstant = v }),
            MachineParameterField.Of<ToyDcParameters>("j_rotor", "kg·m²", p => p.RotorInertia, (p, v) => p with { RotorInertia = v }),
        ],
    };

    public override MachineType Machine => Type;

    public override double ElectricalTorque(in MotorObservation o) => TorqueConstant * o.CurrentA;
}

public class ToyMachineTests
{
    static ToyMachineTests() => MachineTypes.Register(ToyDcParameters.Type);

    [Theory]
    [InlineData("toy-dc")]
    [InlineData("ToyDcMotor")]
    [InlineData("toy")]
    [InlineData("TOY-DC")]
    [InlineData("Cont-CC-ToyDc-v0")]
    public void A_registered_type_resolves_by_every_name(string name)
    {
        MachineType t = MachineTypes.Resolve(name);
        Assert.Same(ToyDcParameters.Type, t);
        Assert.Equal(typeof(ToyDcParameters), t.ParameterType);
        Assert.Equal(MachineKind.Dc, t.Family);
        Assert.Contains(t, MachineTypes.All);
    }

    [Fact]
    public void Its_parameters_are_set_through_its_fields_and_its_torque_equation_reads_observations()
    {
        MachineType t = MachineTypes.Resolve("toy");
        MachineParameters p = t.Field("k_t")!.With(t.Defaults, 0.2);
        var o = new MotorObservation { CurrentA = 3.0 };
        Assert.Equal(0.6, ObservationQuantities.Read(ObservationQuantity.Torque, in o, p), 12);
        Assert.True(ObservationQuantities.CanRead(ObservationQuantity.Torque, p));
        Assert.Equal(0.05, t.Field("k_t")!.Get(t.Defaults));
        Assert.Null(t.Field("r_a"));
        Assert.Throws<NotSupportedException>(() => p.ToMotorParameters());
    }

    [Fact]
    public void A_name_clash_with_a_built_in_type_is_refused()
    {
        var clash = new MachineType
        {
            Id = "toy-clash", GemClassName = "DcPermanentlyExcitedMotor", GemEnvironmentName = "ToyClash",
            Family = MachineKind.Dc, Defaults = ToyDcParameters.Defaults, Parameters = [],
        };
        var e = Assert.Throws<ArgumentException>(() => MachineTypes.Register(clash));
        Assert.Contains("permex-dc", e.Message);
    }
}

using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;

namespace MotorRT.Contracts.Composition;

/// <summary>The controller families a composition knows, by <c>controller.type</c>; each registered once.</summary>
public sealed class ControllerFamilies : TypeRegistry<ControllerFamilies, IControllerFamily>
{
    /// <summary>Creates a registry holding <paramref name="families"/>.</summary>
    public ControllerFamilies(params IEnumerable<IControllerFamily> families)
        : base("controller", f => f.Types, families ?? throw new ArgumentNullException(nameof(families)))
    {
    }

    /// <summary>Builds the controller <c>section.type</c> names; an unknown type names the field and the known types.</summary>
    public IController Create(RawSection section, MotorParameters motor, double period)
    {
        ArgumentNullException.ThrowIfNull(motor);
        string type = TypeOf(section);
        return Find(type)!.Create(new ControllerRequest(type, section, motor, period, this));
    }
}

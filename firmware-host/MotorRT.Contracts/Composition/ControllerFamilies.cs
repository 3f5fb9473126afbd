using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;

namespace MotorRT.Contracts.Composition;

/// <summary>The controller families a composition knows, by <c>controller.type</c>; each registered once.</summary>
public sealed class ControllerFamilies
{
    private readonly List<IControllerFamily> _families = [];

    /// <summary>Creates a registry holding <paramref name="families"/>.</summary>
    public ControllerFamilies(params IEnumerable<IControllerFamily> families)
    {
        ArgumentNullException.ThrowIfNull(families);
        foreach (IControllerFamily f in families) Add(f);
    }

    /// <summary>Every registered family, in registration order.</summary>
    public IReadOnlyList<IControllerFamily> All => _families;

    /// <summary>Every registered <c>controller.type</c>.</summary>
    public IReadOnlyList<string> Types => _families.SelectMany(f => f.Types).ToArray();

    /// <summary>Registers a family; a type claimed twice is a programming error.</summary>
    public ControllerFamilies Add(IControllerFamily family)
    {
        ArgumentNullException.ThrowIfNull(family);
        foreach (string t in family.Types)
        {
            if (Find(t) is not null) throw new InvalidOperationException($"controller type \"{t}\" is registered twice");
        }
        _families.Add(family);
        return this;
    }

    /// <summary>The family building <paramref name="type"/>, or null.</summary>
    public IControllerFamily? Find(string type) => _families.FirstOrDefault(f => f.Types.Contains(type));

    /// <summary>
    /// The <c>type</c> of a controller section, checked: an object with a string <c>type</c> that a registered family
    /// builds; else an error naming the field and the known types.
    /// </summary>
    public string TypeOf(RawSection section) => section.KnownType("controller", Types);

    /// <summary>Builds the controller <c>section.type</c> names; an unknown type names the field and the known types.</summary>
    public IController Create(RawSection section, MotorParameters motor, double period)
    {
        ArgumentNullException.ThrowIfNull(motor);
        string type = TypeOf(section);
        return Find(type)!.Create(new ControllerRequest(type, section, motor, period, this));
    }
}

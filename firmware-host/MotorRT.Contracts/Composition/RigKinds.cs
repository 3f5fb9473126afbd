using MotorRT.Contracts.Configuration;

namespace MotorRT.Contracts.Composition;

/// <summary>The rig kinds a composition knows, by <c>rig.type</c>; each registered once.</summary>
public sealed class RigKinds : TypeRegistry<RigKinds, IRigKind>
{
    /// <summary>Creates a registry holding <paramref name="kinds"/>.</summary>
    public RigKinds(params IEnumerable<IRigKind> kinds)
        : base("rig", k => [k.Type], kinds ?? throw new ArgumentNullException(nameof(kinds)))
    {
    }

    /// <summary>Builds the rig <c>request.Section.type</c> names; an unknown type names the field and the known types.</summary>
    public RigBuild Create(RigRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Of(request.Section).Create(request);
    }

    /// <summary>The kind <c>section.type</c> names; a missing, mistyped or unknown type names the field and the known types.</summary>
    public IRigKind Of(RawSection section) => Find(TypeOf(section))!;
}

using MotorRT.Contracts.Configuration;

namespace MotorRT.Contracts.Composition;

/// <summary>The rig kinds a composition knows, by <c>rig.type</c>; each registered once.</summary>
public sealed class RigKinds
{
    private readonly List<IRigKind> _kinds = [];

    /// <summary>Creates a registry holding <paramref name="kinds"/>.</summary>
    public RigKinds(params IEnumerable<IRigKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        foreach (IRigKind k in kinds) Add(k);
    }

    /// <summary>Every registered kind, in registration order.</summary>
    public IReadOnlyList<IRigKind> All => _kinds;

    /// <summary>Every registered <c>rig.type</c>.</summary>
    public IReadOnlyList<string> Types => _kinds.Select(k => k.Type).ToArray();

    /// <summary>Registers a kind; a second kind with the same type is a programming error.</summary>
    public RigKinds Add(IRigKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (Find(kind.Type) is not null) throw new InvalidOperationException($"rig kind \"{kind.Type}\" is registered twice");
        _kinds.Add(kind);
        return this;
    }

    /// <summary>The kind of <paramref name="type"/>, or null.</summary>
    public IRigKind? Find(string type) => _kinds.FirstOrDefault(k => k.Type == type);

    /// <summary>Builds the rig <c>request.Section.type</c> names; an unknown type names the field and the known types.</summary>
    public RigBuild Create(RigRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Of(request.Section).Create(request);
    }

    /// <summary>The kind <c>section.type</c> names; a missing, mistyped or unknown type names the field and the known types.</summary>
    public IRigKind Of(RawSection section) => Find(section.KnownType("rig", Types))!;
}

using MotorRT.Contracts.Configuration;

namespace MotorRT.Contracts.Composition;

/// <summary>
/// What the registries of a composition (<see cref="RigKinds"/>, <see cref="ControllerFamilies"/>) share: entries in
/// registration order, each claiming one or more values of a section's <c>type</c>; a type claimed twice is a
/// programming error; lookup by type; and the checked <c>type</c> of a section (<see cref="RawSection.KnownType"/>).
/// Used while composing a run, not per tick.
/// </summary>
/// <typeparam name="TSelf">The registry type (what <see cref="Add"/> returns).</typeparam>
/// <typeparam name="TEntry">What is registered (a rig kind, a controller family).</typeparam>
public abstract class TypeRegistry<TSelf, TEntry>
    where TSelf : TypeRegistry<TSelf, TEntry>
    where TEntry : class
{
    private readonly List<TEntry> _entries = [];
    private readonly string _what;
    private readonly Func<TEntry, IEnumerable<string>> _typesOf;

    /// <summary>Creates a registry holding <paramref name="entries"/>.</summary>
    /// <param name="what">What the type chooses, in messages ("rig", "controller").</param>
    /// <param name="typesOf">The types an entry claims.</param>
    /// <param name="entries">The entries, registered in this order.</param>
    private protected TypeRegistry(string what, Func<TEntry, IEnumerable<string>> typesOf, IEnumerable<TEntry> entries)
    {
        _what = what;
        _typesOf = typesOf;
        foreach (TEntry e in entries) Add(e);
    }

    /// <summary>Every registered entry, in registration order.</summary>
    public IReadOnlyList<TEntry> All => _entries;

    /// <summary>Every registered type, in registration order.</summary>
    public IReadOnlyList<string> Types => _entries.SelectMany(_typesOf).ToArray();

    /// <summary>Registers an entry; a type claimed twice is a programming error.</summary>
    public TSelf Add(TEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        foreach (string t in _typesOf(entry))
        {
            if (Find(t) is not null) throw new InvalidOperationException($"{_what} type \"{t}\" is registered twice");
        }
        _entries.Add(entry);
        return (TSelf)this;
    }

    /// <summary>The entry claiming <paramref name="type"/>, or null.</summary>
    public TEntry? Find(string type) => _entries.FirstOrDefault(e => _typesOf(e).Contains(type));

    /// <summary>
    /// The <c>type</c> of <paramref name="section"/>, checked: an object with a string <c>type</c> that an entry claims;
    /// else an error naming the field and the known types.
    /// </summary>
    public string TypeOf(RawSection section) => section.KnownType(_what, Types);
}

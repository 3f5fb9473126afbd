using System.Globalization;

namespace MotorRT.Contracts.Machines;

/// <summary>
/// The registry of machine types: each type is registered once (one line below for the built-in ones, or
/// <see cref="Register"/> from elsewhere) and found by any of its names with <see cref="Resolve"/>: the identifier
/// (<c>permex-dc</c>), GEM's class name (<c>DcPermanentlyExcitedMotor</c>), GEM's environment motor name
/// (<c>PermExDc</c>) or a whole GEM environment id (<c>Cont-CC-PermExDc-v0</c>), case-insensitive.
/// </summary>
public static class MachineTypes
{
    private static readonly object Gate = new();
    private static volatile MachineType[] _all = [];
    private static volatile Dictionary<string, MachineType> _byName = new(StringComparer.OrdinalIgnoreCase);
    private static readonly MachineType?[] ByLegacy = new MachineType?[Enum.GetValues<MotorType>().Length];

    static MachineTypes()
    {
        Register(PermExDcParameters.Type);
        Register(ExtExDcParameters.Type);
        Register(SeriesDcParameters.Type);
        Register(ShuntDcParameters.Type);
        Register(PmsmParameters.Type);
        Register(SynRmParameters.Type);
        Register(EesmParameters.Type);
        Register(ScimParameters.Type);
        Register(DfimParameters.Type);
    }

    /// <summary>Every registered machine type, in registration order.</summary>
    public static IReadOnlyList<MachineType> All => _all;

    /// <summary>The identifiers of every registered type (for messages and --help texts).</summary>
    public static string Identifiers => string.Join(", ", _all.Select(t => t.Id));

    /// <summary>
    /// Registers a machine type; throws <see cref="ArgumentException"/> when one of its names is taken by another type.
    /// Registering the same descriptor twice is a no-op.
    /// </summary>
    public static void Register(MachineType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        lock (Gate)
        {
            if (Array.IndexOf(_all, type) >= 0) return;
            var names = new Dictionary<string, MachineType>(_byName, StringComparer.OrdinalIgnoreCase);
            foreach (string n in type.Names)
            {
                if (names.TryGetValue(n, out MachineType? other) && other != type)
                    throw new ArgumentException($"machine type name \"{n}\" of {type.Id} is already used by {other.Id}");
                names[n] = type;
            }
            if (type.Legacy is { } legacy) ByLegacy[(int)legacy] = type;
            _byName = names;
            _all = [.. _all, type];
        }
    }

    /// <summary>Finds a type by any of its names or a GEM environment id; false when none matches.</summary>
    public static bool TryResolve(string? name, out MachineType type)
    {
        type = null!;
        if (string.IsNullOrWhiteSpace(name)) return false;
        if (_byName.TryGetValue(name.Trim(), out MachineType? t)) { type = t; return true; }
        // GEM environment ids: {Cont|Finite}-{CC|SC|TC}-{Motor}-v0
        string[] parts = name.Trim().Split('-');
        if (parts.Length == 4 && parts[3].StartsWith('v') && parts[0] is "Cont" or "Finite" && parts[1] is "CC" or "SC" or "TC"
            && _byName.TryGetValue(parts[2], out t) && string.Equals(t.GemEnvironmentName, parts[2], StringComparison.OrdinalIgnoreCase))
        {
            type = t;
            return true;
        }
        return false;
    }

    /// <summary>Finds a type by any of its names; throws <see cref="ArgumentException"/> listing the identifiers when none matches.</summary>
    public static MachineType Resolve(string name) =>
        TryResolve(name, out MachineType t) ? t
            : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"unknown machine type \"{name}\"; use one of: {Identifiers} (GEM class names and environment ids are accepted too)"));

    /// <summary>The registered type of a built-in <see cref="MotorType"/>.</summary>
    public static MachineType Of(MotorType type)
    {
        _ = _all; // the static constructor has run
        return ByLegacy[(int)type] ?? throw new ArgumentOutOfRangeException(nameof(type), type, "no machine type registered");
    }
}

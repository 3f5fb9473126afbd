namespace MotorRT.Contracts.Machines;

/// <summary>
/// A registered machine type: its one identifier (used in configs, case files and CLI output), the names accepted as
/// aliases (GEM's class name, GEM's environment motor name, …), its family, its parameter record type with GEM's
/// defaults, and the GEM-named parameters files may set. Register new types with <see cref="MachineTypes.Register"/>.
/// </summary>
public sealed class MachineType
{
    /// <summary>The identifier, lower-case with dashes (e.g. <c>permex-dc</c>); what configs and CLI output use.</summary>
    public required string Id { get; init; }

    /// <summary>GEM 3.0.2's motor class name (e.g. <c>DcPermanentlyExcitedMotor</c>), accepted as an alias.</summary>
    public required string GemClassName { get; init; }

    /// <summary>The motor part of GEM's environment ids (e.g. <c>PermExDc</c> in Cont-CC-PermExDc-v0), accepted as an alias.</summary>
    public required string GemEnvironmentName { get; init; }

    /// <summary>Further accepted names (case-insensitive, like all names).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>DC or three-phase: decides the converter channels, the signal chain and the controller family.</summary>
    public required MachineKind Family { get; init; }

    /// <summary>GEM's default parameters and limits of this machine type (an instance of <see cref="ParameterType"/>).</summary>
    public required MachineParameters Defaults { get; init; }

    /// <summary>The sealed parameter record of this machine type.</summary>
    public Type ParameterType => Defaults.GetType();

    /// <summary>The parameters files may set, by GEM name (<c>motor_parameter</c> keys), in GEM's order.</summary>
    public required IReadOnlyList<MachineParameterField> Parameters { get; init; }

    /// <summary>The value of the closed <see cref="MotorType"/> enum for built-in types; null for registered extensions.</summary>
    public MotorType? Legacy { get; init; }

    /// <summary>One-line description for listings (GEM's class and what the machine is).</summary>
    public string Description { get; init; } = "";

    /// <summary>Every name this type answers to: the identifier first, then GEM's names, then the aliases.</summary>
    public IEnumerable<string> Names
    {
        get
        {
            yield return Id;
            yield return GemClassName;
            yield return GemEnvironmentName;
            foreach (string a in Aliases) yield return a;
        }
    }

    /// <summary>The parameter named <paramref name="gemName"/> (e.g. <c>r_a</c>), or null when this type has none by that name.</summary>
    public MachineParameterField? Field(string gemName)
    {
        foreach (MachineParameterField f in Parameters) if (f.GemName == gemName) return f;
        return null;
    }

    /// <summary>The GEM names of <see cref="Parameters"/>, for error messages.</summary>
    public string ParameterNames => string.Join(", ", Parameters.Select(p => p.GemName));

    /// <inheritdoc/>
    public override string ToString() => Id;

    /// <summary>A descriptor: identifier, GEM class name, GEM environment motor name, family, defaults, file fields, description.</summary>
    public static MachineType Create(string id, string gemClassName, string gemEnvironmentName, MachineKind family, MachineParameters defaults,
        IReadOnlyList<MachineParameterField> parameters, string description, MotorType? legacy = null, params string[] aliases) => new()
    {
        Id = id, GemClassName = gemClassName, GemEnvironmentName = gemEnvironmentName, Family = family, Defaults = defaults,
        Parameters = parameters, Description = description, Legacy = legacy, Aliases = aliases,
    };
}

/// <summary>
/// One parameter of a machine type as files name it (GEM's <c>motor_parameter</c> key), with a typed getter and a
/// non-destructive setter on the machine's parameter record: readers stay at the file boundary, records stay typed.
/// </summary>
public sealed class MachineParameterField
{
    private readonly Func<MachineParameters, double> _get;
    private readonly Func<MachineParameters, double, MachineParameters> _with;

    private MachineParameterField(string gemName, string unit, bool required, Func<MachineParameters, double> get,
        Func<MachineParameters, double, MachineParameters> with)
    {
        GemName = gemName; Unit = unit; Required = required; _get = get; _with = with;
    }

    /// <summary>GEM's name of the parameter (e.g. <c>r_a</c>, <c>psi_p</c>).</summary>
    public string GemName { get; }

    /// <summary>SI unit, as messages print it ("" for dimensionless).</summary>
    public string Unit { get; }

    /// <summary>True when a GEM case file must give it (false when GEM has a default a case may omit, e.g. the EESM's k).</summary>
    public bool Required { get; }

    /// <summary>The value in <paramref name="p"/>, in <see cref="Unit"/>.</summary>
    public double Get(MachineParameters p) => _get(p);

    /// <summary>A copy of <paramref name="p"/> with this parameter set to <paramref name="value"/> (in <see cref="Unit"/>).</summary>
    public MachineParameters With(MachineParameters p, double value) => _with(p, value);

    /// <summary>Declares a parameter of the record type <typeparamref name="T"/>.</summary>
    public static MachineParameterField Of<T>(string gemName, string unit, Func<T, double> get, Func<T, double, T> with, bool required = true)
        where T : MachineParameters =>
        new(gemName, unit, required, p => get((T)p), (p, v) => with((T)p, v));
}

using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Policies.Pwa;

/// <summary>
/// The keys a law file shares with an import header (<see cref="PwaImport"/>): θ definition, output, continuity,
/// tolerance and domain, as written in the file. Read by <see cref="ConfigFile"/> (strict); the cross-field checks
/// (row lengths against θ, box ordering, the tolerance's upper bound) run when <see cref="PwaLawFile"/> builds the law.
/// </summary>
public abstract record PwaLawHead
{
    /// <summary>Optional free text.</summary>
    [ConfigField("Free text describing the law.")]
    public string? Description { get; init; }

    /// <summary>Optional notes (any JSON value; documentation only).</summary>
    [ConfigField("Notes (any JSON value; documentation only).")]
    public JsonElement? Notes { get; init; }

    /// <summary>θ, in order.</summary>
    [ConfigField("The parameter vector θ, in order: one SI quantity each with its declared box.")]
    public required PwaParameterSection[] Parameters { get; init; }

    /// <summary>Meaning and clip of the outputs.</summary>
    [ConfigField("What the outputs mean and where they are clipped.")]
    public required PwaOutputSection Output { get; init; }

    /// <summary>True when the law claims continuity across shared facets (checked at load).</summary>
    [ConfigField("The law claims continuity across shared facets (checked at load).")]
    public required bool Continuous { get; init; }

    /// <summary>Membership tolerance, a distance in θ; absent = 1e-9 × the largest box half-width.</summary>
    [ConfigField("Membership tolerance, a Euclidean distance in θ (SI units of the parameters); absent = 1e-9 × the largest box half-width.", Min = 0)]
    public double? Tolerance { get; init; }

    /// <summary>Where the law is defined; absent = the parameter box.</summary>
    [ConfigField("Where the law is defined; absent = the parameter box.")]
    public PwaDomainSection? Domain { get; init; }
}

/// <summary>A law file (<c>"format": "motorrt-pwa-law/1"</c>) as written; see policies/README.md, "PWA laws".</summary>
public sealed record PwaLawDocument : PwaLawHead
{
    /// <summary>Optional reference to a JSON Schema (editors only).</summary>
    [JsonPropertyName("$schema")]
    [ConfigField("JSON Schema of this file (for editors; ignored by the loader).")]
    public string? Schema { get; init; }

    /// <summary>The format tag, <see cref="PwaLawFile.Format"/>.</summary>
    [ConfigField("Format tag of the file.", Choices = PwaLawFile.Format)]
    public required string Format { get; init; }

    /// <summary>Where the law came from (any JSON value; documentation only).</summary>
    [ConfigField("Where the law came from (any JSON value; documentation only).")]
    public JsonElement? Source { get; init; }

    /// <summary>Build the binary search tree at load (default true).</summary>
    [JsonPropertyName("searchTree")]
    [ConfigField("Build the binary search tree at load.")]
    public bool SearchTree { get; init; } = true;

    /// <summary>The regions, in the order that defines the tie rule.</summary>
    [ConfigField("The regions H·θ ≤ k with their affine laws u = F·θ + g, in the order that defines the tie rule.")]
    public required PwaRegionSection[] Regions { get; init; }
}

/// <summary>One element of θ.</summary>
public sealed record PwaParameterSection
{
    /// <summary>The observed quantity (a name of <see cref="Contracts.ObservationQuantity"/>).</summary>
    [ConfigField("The observed SI quantity (a name of MotorRT.Contracts.ObservationQuantity).")]
    public required string Quantity { get; init; }

    /// <summary>Lower bound of the declared box, in the quantity's SI unit.</summary>
    [ConfigField("Lower bound of the declared parameter box, in the quantity's SI unit.")]
    public required double Min { get; init; }

    /// <summary>Upper bound of the declared box, in the quantity's SI unit.</summary>
    [ConfigField("Upper bound of the declared parameter box, in the quantity's SI unit.")]
    public required double Max { get; init; }

    /// <summary>The quantity's unit (documentation only).</summary>
    [ConfigField("The quantity's SI unit (documentation only).")]
    public string? Unit { get; init; }

    /// <summary>A display name (documentation only).</summary>
    [ConfigField("A display name (documentation only).")]
    public string? Name { get; init; }
}

/// <summary>Meaning and clip of the law's outputs.</summary>
public sealed record PwaOutputSection
{
    /// <summary>What the outputs mean (one of <see cref="PwaLawFile.MeaningNames"/>).</summary>
    [ConfigField("What the outputs mean.", Choices = "duty_dc,duty_abc,voltage_dc,voltage_dq,torque_setpoint")]
    public required string Meaning { get; init; }

    /// <summary>Lower clip per output, in the meaning's SI unit (duty: dimensionless).</summary>
    [ConfigField("Lower clip per output, in the meaning's SI unit (V for voltages, N·m for torque set-points; duties dimensionless).")]
    public required double[] Min { get; init; }

    /// <summary>Upper clip per output.</summary>
    [ConfigField("Upper clip per output (one value per element of min).")]
    public required double[] Max { get; init; }
}

/// <summary>One region H·θ ≤ k with its affine law u = F·θ + g.</summary>
public sealed record PwaRegionSection
{
    /// <summary>Facet rows, one per inequality, n numbers each.</summary>
    [JsonPropertyName("H")]
    [ConfigField("Facet rows of H·θ ≤ k: one row per inequality, one number per parameter.")]
    public required double[][] H { get; init; }

    /// <summary>Facet offsets, one per row of H.</summary>
    [JsonPropertyName("k")]
    [ConfigField("Facet offsets, one per row of H.")]
    public required double[] K { get; init; }

    /// <summary>Gain rows, one per output, n numbers each.</summary>
    [JsonPropertyName("F")]
    [ConfigField("Gain rows of u = F·θ + g: one row per output, one number per parameter.")]
    public required double[][] F { get; init; }

    /// <summary>Offsets, one per row of F.</summary>
    [JsonPropertyName("g")]
    [ConfigField("Output offsets, one per row of F.")]
    public required double[] G { get; init; }

    /// <summary>The active constraints of the QP (documentation only).</summary>
    [JsonPropertyName("activeSet")]
    [ConfigField("The QP's active constraints in this region (any JSON value; documentation only).")]
    public JsonElement? ActiveSet { get; init; }

    /// <summary>Notes (documentation only).</summary>
    [ConfigField("Notes (any JSON value; documentation only).")]
    public JsonElement? Notes { get; init; }
}

/// <summary>The optional <c>"domain"</c> key (see <see cref="PwaDomainFile"/>).</summary>
public sealed record PwaDomainSection
{
    /// <summary><c>box</c>, <c>polytope</c> or <c>regions</c>.</summary>
    [ConfigField("box: the parameter box; polytope: the box ∩ H·θ ≤ k; regions: the (convex) union of the regions.", Choices = "box,polytope,regions")]
    public required string Kind { get; init; }

    /// <summary>Facet rows (polytope; optional for regions).</summary>
    [JsonPropertyName("H")]
    [ConfigField("Facet rows of the domain H·θ ≤ k, one number per parameter (polytope; optional for regions).")]
    public double[][]? H { get; init; }

    /// <summary>Facet offsets, one per row of H.</summary>
    [JsonPropertyName("k")]
    [ConfigField("Facet offsets, one per row of H.")]
    public double[]? K { get; init; }

    /// <summary>Notes (documentation only).</summary>
    [ConfigField("Notes (any JSON value; documentation only).")]
    public JsonElement? Notes { get; init; }
}

/// <summary>An import header: the law file's θ, output, continuity, tolerance and domain (no regions).</summary>
public sealed record PwaImportHeaderDocument : PwaLawHead
{
    /// <summary>Ignored (headers are often copied from a law file).</summary>
    [ConfigField("Ignored in a header.")]
    public JsonElement? Format { get; init; }

    /// <summary>Optional reference to a JSON Schema (editors only).</summary>
    [JsonPropertyName("$schema")]
    [ConfigField("JSON Schema of this file (for editors; ignored by the loader).")]
    public string? Schema { get; init; }
}

/// <summary>MPT3's exported arrays (see <see cref="PwaImport"/>).</summary>
public sealed record Mpt3ArraysDocument
{
    /// <summary>Stacked facet rows: nested rows or a flat row-major array.</summary>
    [JsonPropertyName("H")]
    public required JsonElement H { get; init; }

    /// <summary>Facet offsets, one per row of H.</summary>
    [JsonPropertyName("K")]
    [ConfigField("Facet offsets, one per row of H (MPT_K).")]
    public required double[] K { get; init; }

    /// <summary>Constraint count per region.</summary>
    [JsonPropertyName("NC")]
    [ConfigField("Constraint count per region.", Min = 1, Max = int.MaxValue)]
    public required double[] NC { get; init; }

    /// <summary>Stacked gain blocks: nested rows or a flat row-major array.</summary>
    [JsonPropertyName("F")]
    public required JsonElement F { get; init; }

    /// <summary>Offsets matching F.</summary>
    [JsonPropertyName("G")]
    [ConfigField("Offsets matching the rows of F (MPT_G).")]
    public required double[] G { get; init; }

    /// <summary>Ignored bookkeeping keys.</summary>
    public JsonElement? Nx { get; init; }

    /// <summary>Ignored.</summary>
    public JsonElement? Nu { get; init; }

    /// <summary>Ignored.</summary>
    public JsonElement? Nr { get; init; }

    /// <summary>Ignored.</summary>
    public JsonElement? Notes { get; init; }

    /// <summary>Ignored.</summary>
    public JsonElement? Format { get; init; }
}

/// <summary>PPOPT critical regions (see <see cref="PwaImport"/>).</summary>
public sealed record PpoptDocument
{
    /// <summary>The solution's critical regions.</summary>
    public required PpoptRegion[] CriticalRegions { get; init; }

    /// <summary>Ignored.</summary>
    public JsonElement? Notes { get; init; }

    /// <summary>Ignored.</summary>
    public JsonElement? Format { get; init; }
}

/// <summary>One PPOPT <c>CriticalRegion</c>: E·θ ≤ f, optimiser x = A·θ + b.</summary>
public sealed record PpoptRegion
{
    /// <summary>Facet rows.</summary>
    [JsonPropertyName("E")]
    [ConfigField("Facet rows of E·θ ≤ f.")]
    public required double[][] E { get; init; }

    /// <summary>Facet offsets: [v, …] or a numpy column [[v], …].</summary>
    [JsonPropertyName("f")]
    public required JsonElement F { get; init; }

    /// <summary>Optimiser gain rows.</summary>
    [JsonPropertyName("A")]
    [ConfigField("Optimiser gain rows of x = A·θ + b.")]
    public required double[][] A { get; init; }

    /// <summary>Optimiser offsets: [v, …] or a numpy column [[v], …].</summary>
    [JsonPropertyName("b")]
    public required JsonElement B { get; init; }

    /// <summary>Ignored (PPOPT's C).</summary>
    [JsonPropertyName("C")]
    public JsonElement? C { get; init; }

    /// <summary>Ignored (PPOPT's d).</summary>
    [JsonPropertyName("d")]
    public JsonElement? D { get; init; }

    /// <summary>Ignored.</summary>
    public JsonElement? ActiveSet { get; init; }

    /// <summary>Ignored.</summary>
    public JsonElement? OmegaSet { get; init; }

    /// <summary>Ignored.</summary>
    public JsonElement? LambdaSet { get; init; }

    /// <summary>Ignored.</summary>
    public JsonElement? RegularSet { get; init; }

    /// <summary>Ignored.</summary>
    public JsonElement? Notes { get; init; }
}

/// <summary>Source-generated System.Text.Json metadata of the PWA file formats.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PwaLawDocument))]
[JsonSerializable(typeof(PwaImportHeaderDocument))]
[JsonSerializable(typeof(Mpt3ArraysDocument))]
[JsonSerializable(typeof(PpoptDocument))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(double[][]))]
[JsonSerializable(typeof(double[]))]
public sealed partial class PwaJson : JsonSerializerContext
{
    /// <summary>The loader's options over this context (<see cref="ConfigFile.Options"/>).</summary>
    public static JsonSerializerOptions ConfigOptions => s_configOptions ??= ConfigFile.Options(Default);

    private static JsonSerializerOptions? s_configOptions;

    /// <summary>The metadata of <typeparamref name="T"/> under <see cref="ConfigOptions"/> (strict).</summary>
    public static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)ConfigOptions.GetTypeInfo(typeof(T));
}

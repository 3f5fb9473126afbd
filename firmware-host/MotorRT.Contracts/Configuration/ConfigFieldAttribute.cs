namespace MotorRT.Contracts.Configuration;

/// <summary>
/// Documents one field of a configuration record and its allowed range. The loader checks the range
/// (<see cref="ConfigValidator"/>) and the schema exporter (<see cref="ConfigSchema"/>) writes description, unit,
/// minimum, maximum and choices into the JSON Schema, so the docs and the checks come from one place.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class ConfigFieldAttribute(string description) : Attribute
{
    /// <summary>What the field means (one sentence, for the schema and the reference doc).</summary>
    public string Description { get; } = description;

    /// <summary>Smallest allowed value (numbers; applied to each element of a number array).</summary>
    public double Min { get; set; } = double.NegativeInfinity;

    /// <summary>Largest allowed value (numbers; applied to each element of a number array).</summary>
    public double Max { get; set; } = double.PositiveInfinity;

    /// <summary>SI unit of the value ("" for none), named in messages and docs.</summary>
    public string Unit { get; set; } = "";

    /// <summary>Comma-separated allowed values of a string field ("" = any string).</summary>
    public string Choices { get; set; } = "";

    /// <summary>The allowed values of <see cref="Choices"/> as an array (empty = any).</summary>
    public string[] ChoiceList => Choices.Length == 0 ? [] : Choices.Split(',');
}

namespace MotorRT.Contracts.Configuration;

/// <summary>Where a configuration object sits (file and JSON path), for cross-field checks that name the field.</summary>
/// <param name="File">The file being read.</param>
/// <param name="Path">JSON path of the object ("" for the root).</param>
public readonly record struct ConfigScope(string File, string Path)
{
    /// <summary>JSON path of a child key.</summary>
    public string PathOf(string key) => Path.Length == 0 ? key : key.StartsWith('[') ? Path + key : $"{Path}.{key}";

    /// <summary>The scope of a child object.</summary>
    public ConfigScope Child(string key) => new(File, PathOf(key));

    /// <summary>Builds an error about a field of this object.</summary>
    public ConfigException Error(string key, string problem, string fix) => new(File, PathOf(key), problem, fix);

    /// <summary>Directory of the file (relative paths in the file are resolved against it).</summary>
    public string BaseDirectory => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(File)) ?? ".";
}

/// <summary>A configuration record with checks across its fields, run after every field's range check passed.</summary>
public interface IConfigValidation
{
    /// <summary>Throws a <see cref="ConfigException"/> from <paramref name="scope"/> when the fields do not fit together.</summary>
    void Validate(ConfigScope scope);
}

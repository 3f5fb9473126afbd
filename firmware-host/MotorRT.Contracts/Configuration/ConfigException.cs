namespace MotorRT.Contracts.Configuration;

/// <summary>
/// Bad input found while loading a file (config, case, PWA law, ONNX sidecar), before anything is armed.
/// The message always names the file, the field (a JSON path such as <c>controller.gains.kp</c>) and the fix.
/// </summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the error; <see cref="Exception.Message"/> reads "FILE: FIELD: PROBLEM. Fix: FIX".</summary>
    public ConfigException(string file, string field, string problem, string fix, Exception? inner = null)
        : base($"{file}: {(field.Length == 0 ? "(root)" : field)}: {problem}. Fix: {fix}", inner)
    {
        File = file;
        Field = field;
        Problem = problem;
        Fix = fix;
    }

    /// <summary>The file that holds the bad input.</summary>
    public string File { get; }

    /// <summary>The JSON path of the offending field ("" for the document root).</summary>
    public string Field { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }

    /// <summary>How to fix it.</summary>
    public string Fix { get; }
}

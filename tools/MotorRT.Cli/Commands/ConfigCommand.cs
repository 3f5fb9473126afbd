using System.CommandLine;
using MotorRT.Cli.Rigs;
using MotorRT.Contracts.Configuration;
using MotorRT.Runtime.Configuration;

namespace MotorRT.Cli.Commands;

/// <summary>
/// <c>motorrt config schema [-o file]</c>: prints the JSON Schema of a runtime config (the one shipped as
/// docs/motorrt-config.schema.json); <c>motorrt config reference [-o file]</c>: the markdown reference made from it
/// (docs/config-reference.md). Both list the rig kinds and controller families this program registers.
/// <c>motorrt config pwa-law-schema|onnx-sidecar-schema</c>: the schemas of the PWA law and ONNX sidecar files
/// (docs/motorrt-pwa-law.schema.json, docs/motorrt-onnx-sidecar.schema.json).
/// </summary>
internal static class ConfigCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("config", "JSON Schemas of the runtime config, PWA law and ONNX sidecar files, and the generated config reference.");
        command.Subcommands.Add(Sub("schema", "Print the JSON Schema of a runtime config (docs/motorrt-config.schema.json).", Schema));
        command.Subcommands.Add(Sub("reference", "Print the markdown config reference generated from the schema (docs/config-reference.md).", Reference));
        command.Subcommands.Add(Sub("pwa-law-schema", "Print the JSON Schema of a PWA law file (docs/motorrt-pwa-law.schema.json).", PwaLawSchema));
        command.Subcommands.Add(Sub("onnx-sidecar-schema", "Print the JSON Schema of an ONNX policy sidecar (docs/motorrt-onnx-sidecar.schema.json).", OnnxSidecarSchema));
        return command;
    }

    /// <summary>The schema text (indented, final newline).</summary>
    public static string Schema() => ConfigSchema.ToText(RuntimeConfigSchema.Export(CliDrive.Registry));

    /// <summary>The reference text.</summary>
    public static string Reference() => RuntimeConfigSchema.Reference(CliDrive.Registry);

    /// <summary>The PWA law file's schema text.</summary>
    public static string PwaLawSchema() => ConfigSchema.ToText(Policies.Pwa.PwaLawFile.Schema());

    /// <summary>The ONNX sidecar's schema text.</summary>
    public static string OnnxSidecarSchema() => ConfigSchema.ToText(Policies.Onnx.Sidecar.OnnxPolicySpec.Schema());

    private static Command Sub(string name, string description, Func<string> text)
    {
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of standard output." };
        var command = new Command(name, description) { output };
        command.SetAction(parse =>
        {
            string content = text();
            string? path = parse.GetValue(output);
            if (path is null)
            {
                Console.Out.Write(content);
                return 0;
            }
            string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is not null) Directory.CreateDirectory(dir);
            File.WriteAllText(path, content);
            Console.WriteLine($"wrote {path}");
            return 0;
        });
        return command;
    }
}

using System.Text.Json;
using MotorRT.Policies.Onnx.Sidecar;

namespace MotorRT.Policies.Training.Export;

/// <summary>Writes sidecar JSON files (the inverse of <see cref="OnnxPolicySpec.Load"/>, through the same <see cref="OnnxSidecarDocument"/>) and model + sidecar pairs.</summary>
public static class SidecarWriter
{
    /// <summary>Serialises <paramref name="spec"/> as sidecar JSON naming <paramref name="modelFileName"/> (relative to the sidecar).</summary>
    public static string ToJson(OnnxPolicySpec spec, string modelFileName, string? notes = null) =>
        JsonSerializer.Serialize(OnnxSidecarDocument.From(spec, modelFileName, notes), OnnxSidecarJson.WriteDocument) + "\n";

    /// <summary>
    /// The spec of a generated policy package (no model path yet: <see cref="WritePackage"/> names the model and takes the
    /// tensor names from its export options): observation <paramref name="observation"/>, action <paramref name="action"/>,
    /// <paramref name="origin"/> standing in for the sidecar file in messages.
    /// </summary>
    public static OnnxPolicySpec PackageSpec(ObservationEntry[] observation, ActionSpec action, string origin = "(generated)") => new()
    {
        SidecarFile = origin,
        ModelPath = "",
        InputName = "input",
        OutputName = "actions",
        Observation = observation,
        Action = action,
    };

    /// <summary>
    /// Writes <paramref name="mlp"/> as <c>{baseName}.onnx</c> and its sidecar as <c>{baseName}.json</c> into
    /// <paramref name="directory"/>; the spec's model path and names are taken from the export options. Returns the sidecar path.
    /// </summary>
    public static string WritePackage(Mlp mlp, string directory, string baseName, OnnxPolicySpec spec, MlpExportOptions? export = null, string? notes = null)
    {
        export ??= new MlpExportOptions();
        Directory.CreateDirectory(directory);
        string modelFile = baseName + ".onnx";
        MlpOnnxWriter.Save(mlp, Path.Combine(directory, modelFile), export);
        string sidecarPath = Path.Combine(directory, baseName + ".json");
        MotorRT.Contracts.IO.AtomicFile.WriteAllText(sidecarPath, ToJson(spec with { InputName = export.InputName, OutputName = export.OutputName }, modelFile, notes));
        return sidecarPath;
    }
}

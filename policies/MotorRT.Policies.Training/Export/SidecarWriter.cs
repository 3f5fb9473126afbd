using System.Text;
using System.Text.Json;
using MotorRT.Policies.Onnx.Sidecar;

namespace MotorRT.Policies.Training.Export;

/// <summary>Writes sidecar JSON files (the inverse of <see cref="OnnxPolicySpec.Load"/>) and model + sidecar pairs.</summary>
public static class SidecarWriter
{
    /// <summary>Serialises <paramref name="spec"/> as sidecar JSON naming <paramref name="modelFileName"/> (relative to the sidecar).</summary>
    public static string ToJson(OnnxPolicySpec spec, string modelFileName, string? notes = null)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", OnnxPolicySpec.FormatTag);
            w.WriteString("model", modelFileName);
            w.WriteStartObject("input");
            w.WriteString("name", spec.InputName);
            w.WriteString("elementType", "float32");
            w.WriteEndObject();
            w.WriteStartObject("output");
            if (spec.OutputName is not null) w.WriteString("name", spec.OutputName);
            else w.WriteNumber("index", spec.OutputIndex);
            w.WriteEndObject();
            w.WriteStartArray("observation");
            foreach (ObservationEntry e in spec.Observation)
            {
                w.WriteStartObject();
                w.WriteString("quantity", e.Quantity.ToString());
                w.WriteNumber("limit", e.Limit);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (spec.VecNormalize is { } vn)
            {
                w.WriteStartObject("vecNormalize");
                WriteArray(w, "mean", vn.Mean);
                WriteArray(w, "var", vn.Variance);
                w.WriteNumber("clipObs", vn.Clip);
                w.WriteNumber("epsilon", vn.Epsilon);
                w.WriteEndObject();
            }
            ActionSpec a = spec.Action;
            w.WriteStartObject("action");
            w.WriteString("meaning", a.Meaning switch
            {
                ActionMeaning.DutyDc => "duty_dc",
                ActionMeaning.DutyAbc => "duty_abc",
                ActionMeaning.VoltageDc => "voltage_dc",
                ActionMeaning.VoltageDq => "voltage_dq",
                _ => "current_reference",
            });
            w.WriteString("postprocess", a.Postprocess switch
            {
                ActionPostprocess.Clip => "clip",
                ActionPostprocess.Unscale => "unscale",
                _ => "none",
            });
            WriteArray(w, "low", a.Low);
            WriteArray(w, "high", a.High);
            WriteArray(w, "validRange", [a.ValidMin, a.ValidMax]);
            if (a.Meaning is ActionMeaning.VoltageDc or ActionMeaning.VoltageDq) w.WriteNumber("voltageLimit", a.VoltageLimit);
            if (a.Meaning == ActionMeaning.VoltageDq) w.WriteNumber("angleAdvance", a.AngleAdvance);
            if (a.Meaning == ActionMeaning.CurrentReference) w.WriteNumber("currentLimit", a.CurrentLimit);
            w.WriteEndObject();
            if (notes is not null) w.WriteString("notes", notes);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

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

    private static void WriteArray(Utf8JsonWriter w, string name, double[] values)
    {
        w.WriteStartArray(name);
        foreach (double v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }
}

using System.Text.Json;
using MotorRT.Sim.Testing;

namespace MotorRT.Policies.Onnx.Tests;

/// <summary>A temporary folder holding a model and its sidecar.</summary>
internal sealed class TestFiles : IDisposable
{
    private readonly ScratchFolder _folder = new("onnx");

    public string Directory => _folder.Path;

    public string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string WriteJson(string name, object value) => WriteText(name, JsonSerializer.Serialize(value, new JsonSerializerOptions { WriteIndented = true }));

    public string WriteText(string name, string text)
    {
        string path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => _folder.Dispose();

    public static MotorParameters PermExDc => PermExDcParameters.Gem.ToMotorParameters() with
    {
        Limits = new MotorLimits { Current = 400, Voltage = 60, Speed = 4000 * Math.PI / 30, Torque = 66 },
    };

    /// <summary>A one-layer linear "policy" y = W x + b with given weights (rows = outputs).</summary>
    public static Mlp Linear(float[,] w, float[] b, MlpActivation act = MlpActivation.Identity)
    {
        int outputs = w.GetLength(0), inputs = w.GetLength(1);
        var flat = new float[outputs * inputs];
        for (int o = 0; o < outputs; o++) for (int i = 0; i < inputs; i++) flat[o * inputs + i] = w[o, i];
        return new Mlp([new MlpLayer(inputs, outputs, flat, b, act)]);
    }
}

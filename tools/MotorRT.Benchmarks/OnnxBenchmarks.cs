using BenchmarkDotNet.Attributes;
using MotorRT.Contracts;
using MotorRT.Policies.Onnx;
using MotorRT.Policies.Training;
using MotorRT.Policies.Training.Export;

namespace MotorRT.Benchmarks;

/// <summary>
/// Tick time of an ONNX policy: the 8-64-64-2 Tanh MLP (<see cref="BenchmarkPolicies"/>) through
/// <see cref="OnnxPolicy.Compute"/> (encode, IOBinding run, validate, post-process, duty), against the same network's
/// plain C# forward pass as a baseline. Target: ≤ 3 µs median, 0 B allocated per tick.
/// Run: <c>dotnet run -c Release --project tools/MotorRT.Benchmarks -- --filter '*Onnx*'</c>.
/// </summary>
[MemoryDiagnoser]
public class OnnxBenchmarks
{
    private string _directory = "";
    private OnnxPolicy? _policy;
    private Mlp? _mlp;
    private MotorObservation _observation;
    private ConverterCommand _command;
    private readonly float[] _input = new float[8];
    private readonly float[] _output = new float[2];

    /// <summary>Writes the model and creates the session (outside the measurement).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "motorrt-onnx-bench-" + Environment.ProcessId);
        _policy = BenchmarkPolicies.CreateMlp8x64x64x2(_directory);
        _mlp = BenchmarkPolicies.Mlp8x64x64x2();
        _observation = BenchmarkPolicies.SampleObservation();
        _policy.Compute(_observation, ref _command);
        _policy.EncodedInput.CopyTo(_input);
    }

    /// <summary>One control tick through ONNX Runtime.</summary>
    [Benchmark]
    public double OnnxPolicyTick()
    {
        _policy!.Compute(_observation, ref _command);
        return _command.Duty[0];
    }

    /// <summary>The same network evaluated by MotorRT's C# forward pass (baseline).</summary>
    [Benchmark(Baseline = true)]
    public float CSharpForward()
    {
        _mlp!.Forward(_input, _output);
        return _output[0];
    }

    /// <summary>Releases the session and deletes the generated files.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _policy?.Dispose();
        try { Directory.Delete(_directory, true); } catch (IOException) { }
    }
}

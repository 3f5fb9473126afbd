using BenchmarkDotNet.Attributes;
using MotorRT.Contracts;
using MotorRT.Policies.Onnx;
using MotorRT.Policies.Training;
using MotorRT.Policies.Training.Export;
using MotorRT.Policies.Onnx.Format;
using MotorRT.Policies.Onnx.Native;

namespace MotorRT.Benchmarks;

/// <summary>
/// Tick time of an ONNX policy: the 8-64-64-2 Tanh MLP (<see cref="BenchmarkPolicies"/>) through
/// <see cref="OnnxPolicy.Compute"/> (encode, evaluate, validate, post-process, duty) on the native MLP path (default,
/// target ≤ 1 µs) and forced onto ONNX Runtime (IOBinding run, ≤ 3 µs), against the same network's plain C# forward
/// pass as a baseline. 0 B allocated per tick.
/// Run: <c>dotnet run -c Release --project tools/MotorRT.Benchmarks -- --filter '*Onnx*'</c>.
/// </summary>
[MemoryDiagnoser]
public class OnnxBenchmarks
{
    private string _directory = "";
    private OnnxPolicy? _policy;
    private OnnxPolicy? _ortPolicy;
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
        _ortPolicy = BenchmarkPolicies.CreateMlp8x64x64x2(_directory + "-ort", inference: OnnxInference.OnnxRuntime);
        _ortPolicy.Compute(_observation, ref _command);
        _mlp = BenchmarkPolicies.Mlp8x64x64x2();
        _observation = BenchmarkPolicies.SampleObservation();
        _policy.Compute(_observation, ref _command);
        _policy.EncodedInput.CopyTo(_input);
    }

    /// <summary>One control tick as loaded by default: the native MLP path (NativeMlp).</summary>
    [Benchmark]
    public double OnnxPolicyTick()
    {
        _policy!.Compute(_observation, ref _command);
        return _command.Duty[0];
    }

    /// <summary>One control tick forced onto ONNX Runtime (IOBinding run).</summary>
    [Benchmark]
    public double OnnxRuntimeTick()
    {
        _ortPolicy!.Compute(_observation, ref _command);
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
        _ortPolicy?.Dispose();
        try { Directory.Delete(_directory, true); } catch (IOException) { }
        try { Directory.Delete(_directory + "-ort", true); } catch (IOException) { }
    }
}

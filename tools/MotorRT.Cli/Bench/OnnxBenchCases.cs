using System.Diagnostics;
using MotorRT.Contracts;
using MotorRT.Policies.Onnx;
using MotorRT.Policies.Training;
using MotorRT.Policies.Onnx.Native;

namespace MotorRT.Cli.Bench;

/// <summary>
/// ONNX policy tick: <see cref="OnnxPolicy.Compute"/> of the 8-64-64-2 Tanh MLP (<see cref="BenchmarkPolicies"/>, the
/// same workload as tools/MotorRT.Benchmarks/OnnxBenchmarks.cs): encode, evaluate, validate, post-process, duty —
/// "onnx-mlp-8-64-64-2" as loaded by default (the native MLP path, target ≤ 1 µs median), "-ort" forced onto ONNX
/// Runtime's IOBinding run (target ≤ 3 µs). A tick that allocates fails the case (0 B per tick is part of the contract).
/// </summary>
internal static class OnnxBenchCases
{
    /// <summary>The ONNX cases.</summary>
    public static IEnumerable<BenchCase> Create()
    {
        yield return new BenchCase("onnx-mlp-8-64-64-2", "controller", 100_000, n => RunMlp(n, OnnxInference.Auto));
        yield return new BenchCase("onnx-mlp-8-64-64-2-ort", "controller", 100_000, n => RunMlp(n, OnnxInference.OnnxRuntime));
    }

    /// <summary>Runs <paramref name="n"/> policy ticks after set-up and warm-up; returns their elapsed seconds.</summary>
    public static double RunMlp(long n, OnnxInference inference = OnnxInference.Auto)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"motorrt-bench-onnx-{Environment.ProcessId}");
        try
        {
            using OnnxPolicy policy = BenchmarkPolicies.CreateMlp8x64x64x2(dir, inference: inference);
            MotorObservation obs = BenchmarkPolicies.SampleObservation();
            var cmd = new ConverterCommand();
            for (int k = 0; k < 2_000; k++) policy.Compute(obs, ref cmd);
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            long t0 = Stopwatch.GetTimestamp();
            for (long k = 0; k < n; k++)
            {
                obs.CurrentA = 120.0 + (k & 0xFF) * 0.1;
                policy.Compute(obs, ref cmd);
            }
            double elapsed = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            if (allocated != 0)
            {
                throw new InvalidOperationException($"onnx-mlp-8-64-64-2 allocated {allocated} B over {n} ticks; the tick must not allocate");
            }
            return elapsed;
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }
}

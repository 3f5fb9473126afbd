using BenchmarkDotNet.Attributes;
using MotorRT.Contracts;
using MotorRT.Policies.Pwa;

namespace MotorRT.Benchmarks;

/// <summary>
/// Per-tick compute of the PWA (explicit MPC) controller: θ from the observation, region search (sequential or the
/// binary search tree), the affine law, inverse Park and SVM. Grid laws with 9, 25, 49 regions (2-D, current errors →
/// u_dq) and the PMSM current explicit MPC (6-D, N = 2, 81 regions). Each invocation takes the next of 1024
/// pre-drawn observations spread uniformly over the law's box, so every region is visited and branches vary.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class PwaBenchmarks
{
    private const double Ts = 1e-4;
    private PwaController _controller = null!;
    private MotorObservation[] _observations = null!;
    private ConverterCommand _cmd;
    private int _k;

    /// <summary>Number of regions: 9, 25, 49 (grid laws) or 81 (the PMSM current MPC, N = 2).</summary>
    [Params(9, 25, 49, 81)]
    public int Regions { get; set; }

    /// <summary>Search: "tree" or "sequential".</summary>
    [Params("tree", "sequential")]
    public string Search { get; set; } = "tree";

    [GlobalSetup]
    public void Setup()
    {
        (_controller, _observations) = PwaBenchmarkWorkload.Create(Regions, Search == "sequential");
    }

    [Benchmark(Description = "PWA controller tick")]
    public double Tick()
    {
        _k = (_k + 1) & 1023;
        _controller.Compute(in _observations[_k], ref _cmd);
        return _cmd.Duty[0];
    }
}

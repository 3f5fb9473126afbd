using BenchmarkDotNet.Attributes;
using MotorRT.Bench;
using MotorRT.Runtime.Loop;
using MotorRT.Runtime.Rigs;

namespace MotorRT.Benchmarks;

/// <summary>
/// The control loop's own overhead per tick (preset → read → signal chain → references → supervisor → write →
/// tracking → telemetry sample), with a controller that does nothing and a rig with no plant
/// (<see cref="ConstantFrameRig"/>); and the full closed-loop tick against the twin (simulated rig with sensors, RK4
/// plant step, PI current loop, supervisor, telemetry) — lock-step speed = 100 µs / tick time at 10 kHz. The same loops
/// as <c>motorrt bench</c>'s loop cases (<see cref="LoopFixtures"/>).
/// Lock-step, so no sleeping: each invocation runs 10 000 ticks.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class LoopBenchmarks
{
    private const int Ticks = 10_000;
    private ControlLoop _loop = null!;
    private ControlLoop _twin = null!;

    [GlobalSetup]
    public void Setup()
    {
        _loop = LoopFixtures.Overhead();
        _twin = LoopFixtures.Twin(LoopFixtures.PmdcPiCurrent);
    }

    [Benchmark(OperationsPerInvoke = Ticks)]
    public void LoopTickPiCurrentAgainstTwin() => _twin.RunTicks(Ticks);

    [Benchmark(OperationsPerInvoke = Ticks)]
    public void LoopTickWithoutController() => _loop.RunTicks(Ticks);

    [GlobalCleanup]
    public void Cleanup()
    {
        _loop.Finish();
        _twin.Finish();
    }
}

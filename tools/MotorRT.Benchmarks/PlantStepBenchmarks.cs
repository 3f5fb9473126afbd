using BenchmarkDotNet.Attributes;
using MotorRT.Sim;
using MotorRT.Sim.Presets;
using MotorRT.Sim.Spec;

namespace MotorRT.Benchmarks;

/// <summary>
/// One plant step (τ = 1e-4 s) of the twin: PermExDc on a 4QC with RK4 and with Euler, PMSM on a B6 with RK4.
/// Each invocation runs 10 000 steps (OperationsPerInvoke), so the reported time is per step.
/// </summary>
[MemoryDiagnoser]
public class PlantStepBenchmarks
{
    private const int Steps = 10_000;
    private PhysicalSystem _dcRk4 = null!, _dcEuler = null!, _pmsm = null!;
    private readonly double[] _duty = [0.3];
    private readonly double[] _abc = new double[3 * 200];

    [GlobalSetup]
    public void Setup()
    {
        _dcRk4 = PhysicalSystem.Create(GemPresets.Get("Cont-CC-PermExDc-v0") with { Solver = SolverSpec.Rk4 });
        _dcEuler = PhysicalSystem.Create(GemPresets.Get("Cont-CC-PermExDc-v0") with { Solver = SolverSpec.Euler });
        _pmsm = PhysicalSystem.Create(GemPresets.Get("Cont-CC-PMSM-v0"));
        for (int k = 0; k < 200; k++)
            for (int x = 0; x < 3; x++)
                _abc[3 * k + x] = 0.2 * Math.Cos(2 * Math.PI * k / 200 - x * 2 * Math.PI / 3);
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public double PermExDc_4QC_Rk4()
    {
        _dcRk4.Reset();
        for (int k = 0; k < Steps; k++) _dcRk4.Step(_duty);
        return _dcRk4.Outputs.CurrentA;
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public double PermExDc_4QC_Euler()
    {
        _dcEuler.Reset();
        for (int k = 0; k < Steps; k++) _dcEuler.Step(_duty);
        return _dcEuler.Outputs.CurrentA;
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public double Pmsm_B6_Rk4()
    {
        _pmsm.Reset();
        for (int k = 0; k < Steps; k++) _pmsm.Step(_abc.AsSpan(3 * (k % 200), 3));
        return _pmsm.Outputs.CurrentD;
    }
}

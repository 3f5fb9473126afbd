using System.Diagnostics;
using MotorRT.Sim;
using MotorRT.Sim.Presets;
using MotorRT.Sim.Spec;

namespace MotorRT.Cli.Bench;

/// <summary>Plant-step cases: one step per τ = 1e-4 s with a slowly varying input (the twin's hot path).</summary>
internal static class PlantBenchCases
{
    /// <summary>PermExDc on a 4QC with RK4 and with Euler; PMSM on a B6 with RK4.</summary>
    public static IEnumerable<BenchCase> Create()
    {
        yield return new BenchCase("permexdc-4qc-rk4", "plant", 2_000_000, n => RunDc(SolverSpec.Rk4, n));
        yield return new BenchCase("permexdc-4qc-euler", "plant", 4_000_000, n => RunDc(SolverSpec.Euler, n));
        yield return new BenchCase("pmsm-b6-rk4", "plant", 1_000_000, RunPmsm);
    }

    /// <summary>A plant-step benchmark of the Cont-CC-PermExDc-v0 plant with the given solver; returns elapsed s.</summary>
    public static double RunDc(SolverSpec solver, long n)
    {
        var sys = PhysicalSystem.Create(GemPresets.Get("Cont-CC-PermExDc-v0") with { Solver = solver });
        Span<double> a = stackalloc double[1];
        for (int k = 0; k < 20_000; k++) { a[0] = 0.3; sys.Step(a); }
        sys.Reset();
        long t0 = Stopwatch.GetTimestamp();
        for (long k = 0; k < n; k++)
        {
            if ((k & 0x3FFF) == 0) sys.Reset();
            a[0] = 0.3 + 0.1 * ((k >> 8) & 1);
            sys.Step(a);
        }
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    /// <summary>A plant-step benchmark of the Cont-CC-PMSM-v0 plant (RK4) fed a rotating voltage; returns elapsed s.</summary>
    public static double RunPmsm(long n)
    {
        var sys = PhysicalSystem.Create(GemPresets.Get("Cont-CC-PMSM-v0"));
        // 200 samples of one 50 Hz period of a rotating duty vector (0.2), precomputed so only the plant is timed.
        const int Period = 200;
        var table = new double[3 * Period];
        for (int k = 0; k < Period; k++)
            for (int x = 0; x < 3; x++)
                table[3 * k + x] = 0.2 * Math.Cos(2 * Math.PI * k / Period - x * 2 * Math.PI / 3);
        for (int k = 0; k < 20_000; k++) sys.Step(table.AsSpan(3 * (k % Period), 3));
        sys.Reset();
        long t0 = Stopwatch.GetTimestamp();
        int j = 0;
        for (long k = 0; k < n; k++)
        {
            if ((k & 0x3FFF) == 0) sys.Reset();
            sys.Step(table.AsSpan(3 * j, 3));
            if (++j == Period) j = 0;
        }
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }
}

namespace MotorRT.Cli.Bench;

/// <summary>
/// One <c>motorrt bench</c> case. <see cref="Run"/> performs the given number of iterations (after its own set-up) and
/// returns the wall-clock seconds the iterations took (exclude set-up). <see cref="Kind"/> decides the reported figure:
/// "plant" → plant_steps_per_s (iterations / s); "writer" → rows_per_s (iterations / s); "controller" and "loop" →
/// tick_ns (ns per iteration).
/// </summary>
/// <param name="Name">Short unique name, e.g. "permexdc-4qc-rk4".</param>
/// <param name="Kind">"plant", "writer", "controller" or "loop".</param>
/// <param name="Iterations">Iterations per repeat (the whole repeat should take ~0.1–0.5 s).</param>
/// <param name="Run">Runs N iterations, returns their elapsed seconds.</param>
public sealed record BenchCase(string Name, string Kind, long Iterations, Func<long, double> Run);

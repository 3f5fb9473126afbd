using System.Globalization;
using MotorRT.Cli.Errors;

namespace MotorRT.Cli.Sweep;

/// <summary>
/// <c>--shard i/n</c>: the deterministic slice of the combinations whose index mod <c>n</c> is <c>i</c>. <c>auto/n</c>
/// takes <c>i</c> from <c>$SLURM_ARRAY_TASK_ID</c> (Slurm job array, <c>--array=0-(n-1)</c>) or
/// <c>$JOB_COMPLETION_INDEX</c> (Kubernetes Indexed Job).
/// </summary>
internal readonly record struct SweepShard(int Index, int Count)
{
    /// <summary>The whole grid.</summary>
    public static SweepShard All => new(0, 1);

    /// <summary>Whether combination <paramref name="combination"/> belongs to this shard.</summary>
    public bool Contains(int combination) => combination % Count == Index;

    /// <summary>Parses <paramref name="text"/> (null: the whole grid); <paramref name="env"/> reads environment variables.</summary>
    public static SweepShard Parse(string? text, Func<string, string?> env)
    {
        if (text is null) return All;
        string[] parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
        {
            throw CliException.Input($"--shard {text}: expected i/n with n ≥ 1 (or auto/n)", "write e.g. --shard 0/3, or --shard auto/3 in a Slurm job array or Kubernetes Indexed Job");
        }
        string index = parts[0];
        string source = "--shard";
        if (index == "auto")
        {
            (source, index) = env("SLURM_ARRAY_TASK_ID") is { Length: > 0 } slurm ? ("$SLURM_ARRAY_TASK_ID", slurm)
                : env("JOB_COMPLETION_INDEX") is { Length: > 0 } k8s ? ("$JOB_COMPLETION_INDEX", k8s)
                : throw CliException.Input($"--shard {text}: neither $SLURM_ARRAY_TASK_ID nor $JOB_COMPLETION_INDEX is set",
                    "run it as a Slurm job array or Kubernetes Indexed Job, or give the index: --shard i/n");
        }
        if (!int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out int i) || i >= n)
        {
            throw CliException.Input($"--shard {text}: shard index {index} (from {source}) is not in 0…{n - 1}",
                "give 0 ≤ i < n (a Slurm array must be --array=0-" + (n - 1).ToString(CultureInfo.InvariantCulture) + ")");
        }
        return new SweepShard(i, n);
    }
}

namespace MotorRT.Contracts;

/// <summary>
/// A controller that counts events of its own (e.g. a PWA law's out-of-domain ticks and fallback episodes); the run's
/// summary lists them under <c>controller_counters</c>. Read after the run, off the hot path.
/// </summary>
public interface IControllerCounters
{
    /// <summary>Name (snake_case) and value of each counter, in a fixed order.</summary>
    IReadOnlyList<KeyValuePair<string, long>> Counters();
}

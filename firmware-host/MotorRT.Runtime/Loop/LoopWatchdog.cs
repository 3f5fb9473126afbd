namespace MotorRT.Runtime.Loop;

/// <summary>
/// A watchdog thread beside the loop: when no tick has completed for longer than the timeout while the drive runs, it
/// calls the expiry action (the loop's emergency stop). Arms on the first completed tick. Off the real-time path
/// except <see cref="TickDone"/> (one volatile write).
/// </summary>
public sealed class LoopWatchdog
{
    private readonly long _timeoutNs;
    private readonly Func<bool> _running;
    private readonly Action _expired;
    private long _lastTickDoneNs;
    private volatile bool _active;
    private Thread? _thread;

    /// <summary>Creates the watchdog (no thread yet).</summary>
    /// <param name="timeoutNs">Largest allowed age of the last completed tick, in ns.</param>
    /// <param name="running">True while the drive is in a state the watchdog guards.</param>
    /// <param name="expired">Called (on the watchdog thread) when the timeout passes.</param>
    public LoopWatchdog(long timeoutNs, Func<bool> running, Action expired)
    {
        _timeoutNs = timeoutNs;
        _running = running;
        _expired = expired;
    }

    /// <summary>Starts the watchdog thread.</summary>
    public void Start()
    {
        Volatile.Write(ref _lastTickDoneNs, 0);
        _active = true;
        _thread = new Thread(Run) { IsBackground = true, Name = "motorrt-watchdog" };
        _thread.Start();
    }

    /// <summary>A tick completed at <paramref name="nowNs"/> (monotonic clock, ns).</summary>
    public void TickDone(long nowNs) => Volatile.Write(ref _lastTickDoneNs, nowNs);

    /// <summary>Disarms the watchdog (any thread); <see cref="Join"/> waits for its thread.</summary>
    public void Disarm() => _active = false;

    /// <summary>Disarms and waits for the thread to end.</summary>
    public void Join()
    {
        _active = false;
        _thread?.Join();
        _thread = null;
    }

    private void Run()
    {
        int sleepMs = Math.Max(1, (int)(_timeoutNs / 4_000_000));
        while (_active)
        {
            Thread.Sleep(sleepMs);
            long last = Volatile.Read(ref _lastTickDoneNs);
            long age = PreciseSleep.NowNs() - last;
            if (_active && last != 0 && age > _timeoutNs && _running()) _expired();
        }
    }
}

using System.Runtime;

namespace MotorRT.Runtime.Loop;

/// <summary>The optional no-GC region held while Running (<c>timing.no_gc_region_bytes</c>); what happened goes into notes.</summary>
public sealed class NoGcRegion
{
    private bool _held;
    private bool _attempted;
    private long _bytes;
    private Exception? _startError;

    /// <summary>
    /// Tries to start a no-GC region of <paramref name="bytes"/> bytes (nothing when 0). Returns true when the runtime
    /// collected to start it (held or refused after its collection). Allocates nothing after that collection: the outcome
    /// goes into the notes at <see cref="Exit"/>.
    /// </summary>
    public bool Enter(long bytes)
    {
        _held = false;
        _bytes = bytes;
        _startError = null;
        _attempted = bytes > 0;
        if (!_attempted) return false;
        try
        {
            _held = GC.TryStartNoGCRegion(bytes);
            return true;
        }
        catch (ArgumentOutOfRangeException e) { _startError = e; }
        catch (InvalidOperationException e) { _startError = e; }
        return false;
    }

    /// <summary>Ends the region when still held and adds what happened to the notes (held, refused, not started, or lost to a collection during the run).</summary>
    public void Exit(List<string> notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        if (!_attempted) return;
        _attempted = false;
        if (_startError is not null)
        {
            notes.Add($"no-GC region not started: {_startError.Message}");
            return;
        }
        if (!_held)
        {
            notes.Add("no-GC region refused");
            return;
        }
        _held = false;
        notes.Add($"no-GC region of {_bytes} bytes held");
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
        else notes.Add("the no-GC region was lost during the run (a collection happened)");
    }
}
